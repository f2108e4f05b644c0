-- Audit a catalogue change (queries/schema.sql, catalogue_changes) in the same transaction as the change.
INSERT INTO catalogue_changes (measure_id, change, field, old_value, new_value, reason, changed_by, changed_at)
VALUES ($measure_id, $change, $field, $old_value, $new_value, $reason, $changed_by, now())
