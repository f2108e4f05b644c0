-- The events drawn on one measure's chart for one area, oldest first.
SELECT id, month, text, created_by, created_at
FROM chart_annotations
WHERE removed_at IS NULL
  AND (measure_ids IS NULL OR list_contains(measure_ids, $measure_id))
  AND (area_ids IS NULL OR list_contains(area_ids, $area_id))
ORDER BY month, id
