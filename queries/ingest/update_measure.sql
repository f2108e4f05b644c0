-- Change a measure's words and order (every column given, changed or not). Not its priority: DuckDB rewrites a row
-- whose foreign-key column is set, so that is its own statement (set_measure_priority), run only when it changes.
UPDATE measures
SET name = $name, improvement_direction = $improvement_direction, partner = $partner, note = $note,
    sort_order = $sort_order
WHERE id = $measure_id
