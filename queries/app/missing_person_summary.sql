-- Reports, individuals and repeat individuals for an area (and all areas below it)
-- over an inclusive month range, counted from the records.
WITH records AS (
    SELECT r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
      AND date_trunc('month', r.report_date) BETWEEN $first AND $last
),
per_person AS (SELECT person_id, COUNT(*) AS reports FROM records GROUP BY person_id)
SELECT
    COALESCE(SUM(reports), 0) AS reports,
    COUNT(*) AS individuals,
    COUNT(*) FILTER (WHERE reports >= 2) AS repeat_individuals
FROM per_person
