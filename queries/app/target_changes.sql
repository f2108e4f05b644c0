-- A measure's target changes, newest first.
SELECT old_target, new_target, reason, changed_by, changed_at
FROM target_changes WHERE measure_id = $measure_id ORDER BY changed_at DESC
