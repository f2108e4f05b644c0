-- Every published monthly observation of an area up to the period's last month,
-- for SPC and comparisons across all measures at once.
SELECT measure_id, month, value, numerator, denominator, provisional
FROM visible_observations($released_through, $include_provisional)
WHERE area_id = $area_id AND month <= $last
ORDER BY measure_id, month
