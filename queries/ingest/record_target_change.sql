-- Record a change of a measure's target (NULL: no target) with who and why, before it is made.
INSERT INTO target_changes (measure_id, old_target, new_target, reason, changed_by, changed_at)
SELECT id, target, $target, $reason, $changed_by, now() FROM measures WHERE id = $measure_id
