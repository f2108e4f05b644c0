-- Every saved version of the commentary for one priority, area and period, newest first.
SELECT version, status, author, text, updated_at
FROM commentary
WHERE priority_id = $priority_id AND area_id = $area_id AND period_start = $first AND period_end = $last
  AND measure_id IS NULL
ORDER BY version DESC
