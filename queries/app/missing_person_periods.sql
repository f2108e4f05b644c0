-- Reports, individuals and repeat individuals (2+ reports in the period) for an area
-- and everything below it, per month or per quarter ($grain: 'month' or 'quarter').
-- Financial quarters start in April, so they coincide with calendar quarters.
WITH records AS (
    SELECT date_trunc($grain, r.report_date)::DATE AS period_start, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
),
per_person AS (
    SELECT period_start, person_id, COUNT(*) AS reports FROM records GROUP BY ALL
)
SELECT
    period_start,
    SUM(reports)::INTEGER AS reports,
    COUNT(*)::INTEGER AS individuals,
    (COUNT(*) FILTER (WHERE reports >= 2))::INTEGER AS repeat_individuals
FROM per_person
GROUP BY period_start
ORDER BY period_start
