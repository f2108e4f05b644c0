-- Reports, individuals and repeat individuals (2+ reports in the period) for every area
-- (each with everything below it), per month or per financial quarter ($grain: 'month' or
-- 'quarter'; financial quarters coincide with calendar quarters), counted by people_counts
-- (schema.sql). Disclosure control needs every area's figures at once: a small count is hidden,
-- and so is any figure it could be worked out from. An area and period with no records has no
-- row (its counts are 0).
WITH records AS (
    SELECT aa.ancestor_id AS area_id, date_trunc($grain, r.report_date)::DATE AS period_start, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
)
SELECT * FROM people_counts(records)
ORDER BY area_id, period_start
