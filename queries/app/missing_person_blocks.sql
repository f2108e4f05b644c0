-- Counts of people at a period's grain, for SPC: the data span cut into runs of
-- $block_months months that end at $last (and step back and forward from it), each
-- counted from the records as one period. Only whole runs inside the data span.
WITH span AS (
    SELECT date_trunc('month', MIN(report_date))::DATE AS first_month,
           date_trunc('month', MAX(report_date))::DATE AS last_month
    FROM missing_person_reports
),
months AS (
    SELECT unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH))::DATE AS month FROM span
),
numbered AS (
    SELECT month, floor(datediff('month', month, $last::DATE) / $block_months)::INTEGER AS block FROM months
),
blocks AS (
    SELECT block, MIN(month) AS block_first, MAX(month) AS block_last
    FROM numbered GROUP BY block HAVING COUNT(*) = $block_months
),
records AS (
    SELECT n.block, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    JOIN numbered n ON n.month = date_trunc('month', r.report_date)
    WHERE aa.ancestor_id = $area_id
),
per_person AS (SELECT block, person_id, COUNT(*) AS reports FROM records GROUP BY ALL)
SELECT
    b.block_first,
    b.block_last,
    COALESCE(SUM(p.reports), 0)::INTEGER AS reports,
    COUNT(p.person_id)::INTEGER AS individuals,
    (COUNT(p.person_id) FILTER (WHERE p.reports >= 2))::INTEGER AS repeat_individuals
FROM blocks b
LEFT JOIN per_person p ON p.block = b.block
GROUP BY b.block_first, b.block_last
ORDER BY b.block_first
