-- Every saved version of one commentary (a priority, or a measure of it, for an area and a
-- period), newest first.
SELECT version, status, author, text, updated_at
FROM commentary
WHERE priority_id = $priority_id AND area_id = $area_id AND period_start = $first AND period_end = $last
  AND measure_id IS NOT DISTINCT FROM $measure_id
ORDER BY version DESC
