-- Reports, individuals and repeat individuals (2+ reports in the period) for every area
-- (each with everything below it), per month or per financial quarter ($grain: 'month' or
-- 'quarter'; financial quarters coincide with calendar quarters). Disclosure control needs
-- every area's figures at once: a small count is hidden, and so is any figure it could be
-- worked out from. An area and period with no records has no row (its counts are 0).
WITH per_person AS (
    SELECT aa.ancestor_id AS area_id, date_trunc($grain, r.report_date)::DATE AS period_start, r.person_id,
           COUNT(*) AS reports
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    GROUP BY ALL
)
SELECT
    area_id,
    period_start,
    SUM(reports)::INTEGER AS reports,
    COUNT(*)::INTEGER AS individuals,
    (COUNT(*) FILTER (WHERE reports >= 2))::INTEGER AS repeat_individuals
FROM per_person
GROUP BY ALL
ORDER BY area_id, period_start
