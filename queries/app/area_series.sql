-- Every published monthly observation of an area up to the period's last month,
-- for SPC and comparisons across all measures at once.
SELECT measure_id, month, value, numerator, denominator
FROM published_observations
WHERE area_id = $area_id AND month <= $last
ORDER BY measure_id, month
