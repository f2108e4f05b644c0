-- The savings measure (cumulative £m banked, force area) for every month of the data,
-- derived from the plan lines so that it always agrees with the Savings page.
WITH months AS (SELECT DISTINCT month FROM observations)
SELECT
    'savings_delivered' AS measure_id,
    $force_area_id AS area_id,
    m.month,
    ROUND(COALESCE((SELECT SUM(amount_m) FROM savings_banked b WHERE b.month <= m.month), 0), 6) AS value,
    NULL::DOUBLE AS numerator,
    NULL::DOUBLE AS denominator,
    'published' AS status,
    NULL::DATE AS publish_after
FROM months m
ORDER BY m.month
