-- Rolling 12-month counts for an area and everything below it, for every month that has
-- 12 months of records behind it: each person counts once in each 12 months.
WITH span AS (
    SELECT date_trunc('month', MIN(report_date))::DATE AS first_month,
           date_trunc('month', MAX(report_date))::DATE AS last_month
    FROM missing_person_reports
),
ends AS (
    SELECT unnest(generate_series(first_month + INTERVAL 11 MONTH, last_month, INTERVAL 1 MONTH))::DATE AS month
    FROM span
),
records AS (
    SELECT date_trunc('month', r.report_date)::DATE AS month, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
),
per_person AS (
    SELECT e.month, r.person_id, COUNT(*) AS reports
    FROM ends e
    JOIN records r ON r.month BETWEEN e.month - INTERVAL 11 MONTH AND e.month
    GROUP BY ALL
)
SELECT
    e.month,
    COALESCE(SUM(p.reports), 0)::INTEGER AS reports,
    COUNT(p.person_id)::INTEGER AS individuals,
    (COUNT(p.person_id) FILTER (WHERE p.reports >= 2))::INTEGER AS repeat_individuals
FROM ends e
LEFT JOIN per_person p ON p.month = e.month
GROUP BY e.month
ORDER BY e.month
