-- One measure's published monthly series for one area.
SELECT month, value, numerator, denominator, status, provisional
FROM visible_observations($released_through, $include_provisional)
WHERE measure_id = $measure_id AND area_id = $area_id AND month BETWEEN $first AND $last
ORDER BY month
