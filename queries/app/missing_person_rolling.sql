-- Rolling 12-month counts for an area and everything below it, for every month that has
-- 12 months of records behind it: each person counts once in each 12 months (people_counts,
-- schema.sql).
WITH span AS (
    SELECT date_trunc('month', MIN(report_date))::DATE AS first_month,
           date_trunc('month', MAX(report_date))::DATE AS last_month
    FROM missing_person_reports
),
ends AS (
    SELECT unnest(generate_series(first_month + INTERVAL 11 MONTH, last_month, INTERVAL 1 MONTH))::DATE AS month
    FROM span
),
in_area AS (
    SELECT date_trunc('month', r.report_date)::DATE AS month, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
),
records AS (
    SELECT e.month, r.person_id
    FROM ends e
    LEFT JOIN in_area r ON r.month BETWEEN e.month - INTERVAL 11 MONTH AND e.month
)
SELECT * FROM people_counts(records)
ORDER BY month
