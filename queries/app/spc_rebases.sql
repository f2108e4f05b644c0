-- Rebase points the co-ordinator set for a measure and area, oldest first.
SELECT month, reason, created_by, created_at
FROM spc_rebases
WHERE measure_id = $measure_id AND area_id = $area_id
ORDER BY month
