-- Take an event off the charts, keeping it with who removed it, when and why.
UPDATE chart_annotations
SET removed_by = $removed_by, removed_at = now(), removal_reason = $reason
WHERE id = $id AND removed_at IS NULL
