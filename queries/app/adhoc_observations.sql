-- Published monthly figures of the chosen measures for the chosen areas, over a range of months
-- (an ad hoc table; the caller adds the force area to the areas, for shares).
SELECT measure_id, area_id, month, value, numerator, denominator
FROM visible_observations($released_through, $include_provisional)
WHERE list_contains($measure_ids::VARCHAR[], measure_id)
  AND list_contains($area_ids::VARCHAR[], area_id)
  AND month BETWEEN $first AND $last
ORDER BY measure_id, area_id, month
