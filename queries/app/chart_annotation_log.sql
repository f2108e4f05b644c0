-- Every event ever added, with who added it and why, and who removed it and why; newest first.
SELECT id, month, text, measure_ids, area_ids, reason, created_by, created_at, removed_by, removed_at, removal_reason
FROM chart_annotations
ORDER BY created_at DESC, id DESC
