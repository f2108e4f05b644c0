-- Reports, individuals and repeat individuals (2+ reports in the period) for an area
-- and everything below it, per month or per quarter ($grain: 'month' or 'quarter'),
-- counted by people_counts (schema.sql). A period with no records has no row.
-- Financial quarters start in April, so they coincide with calendar quarters.
WITH records AS (
    SELECT date_trunc($grain, r.report_date)::DATE AS period_start, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
)
SELECT * FROM people_counts(records)
ORDER BY period_start
