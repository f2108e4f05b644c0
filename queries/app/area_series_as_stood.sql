-- An area's monthly observations as they stood after load $through: the values loaded by then that no later load
-- replaced, and the values later loads replaced (from observation_history), as the reader would have seen them then
-- (provisional rows public once released by $then_released_through, never beyond what the reader may see now).
-- Loads are numbered in the order they were made.
SELECT measure_id, month, value, numerator, denominator, provisional
FROM visible_observations(LEAST($then_released_through, $released_through), $include_provisional)
WHERE area_id = $area_id AND COALESCE(submission_id, 0) <= $through
UNION ALL
SELECT measure_id, month, value, numerator, denominator,
       (status = 'provisional' AND NOT COALESCE(publish_after <= LEAST($then_released_through, $released_through), false)) AS provisional
FROM observation_history
WHERE area_id = $area_id AND COALESCE(submission_id, 0) <= $through AND replaced_by_submission_id > $through
  AND (status = 'published' OR publish_after <= LEAST($then_released_through, $released_through) OR $include_provisional)
ORDER BY measure_id, month
