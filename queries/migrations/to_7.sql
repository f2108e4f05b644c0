-- Schema 6 -> 7: the missing-person counting, once for every query that counts people (queries/schema.sql has
-- it; tests/test_migrations.py checks the two match).
CREATE MACRO people_counts(records) AS TABLE
WITH per_person AS (SELECT *, COUNT(person_id) AS person_reports FROM query_table(records) GROUP BY ALL)
SELECT
    * EXCLUDE (person_id, person_reports),
    COALESCE(SUM(person_reports), 0)::INTEGER AS reports,
    COUNT(person_id)::INTEGER AS individuals,
    (COUNT(person_id) FILTER (WHERE person_reports >= 2))::INTEGER AS repeat_individuals
FROM per_person
GROUP BY ALL;
