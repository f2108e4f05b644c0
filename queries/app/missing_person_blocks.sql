-- Counts of people at a period's grain, for SPC: the data span cut into runs of
-- $block_months months that end at $last (and step back and forward from it), each
-- counted from the records as one period (people_counts, schema.sql). Only whole runs
-- inside the data span.
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
in_area AS (
    SELECT date_trunc('month', r.report_date)::DATE AS month, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
),
records AS (
    SELECT b.block_first, b.block_last, r.person_id
    FROM blocks b
    JOIN numbered n ON n.block = b.block
    LEFT JOIN in_area r ON r.month = n.month
)
SELECT * FROM people_counts(records)
ORDER BY block_first
