-- Every published monthly observation, for SPC of every series and the pandas baseline.
SELECT measure_id, area_id, month, value, numerator, denominator
FROM published_observations
ORDER BY measure_id, area_id, month
