-- Change a measure's target (NULL: no target); ingest/record_target_change.sql audits it first.
UPDATE measures SET target = $target WHERE id = $measure_id
