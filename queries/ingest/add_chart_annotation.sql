-- A dated event for the charts of the listed measures and areas (NULL list: all of them).
INSERT INTO chart_annotations (id, month, text, measure_ids, area_ids, reason, created_by, created_at)
VALUES ($id, $month, $text, $measure_ids, $area_ids, $reason, $created_by, now())
