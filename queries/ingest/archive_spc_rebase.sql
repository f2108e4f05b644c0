-- Keep a rebase that is being removed, with who removed it, when and why.
INSERT INTO spc_rebases_removed
SELECT measure_id, area_id, month, reason, created_by, created_at, $removed_by, now(), $removal_reason
FROM spc_rebases
WHERE measure_id = $measure_id AND area_id = $area_id AND month = $month
