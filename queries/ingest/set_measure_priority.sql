-- Move a measure to another priority (refused by DuckDB once other rows refer to the measure).
UPDATE measures SET priority_id = $priority_id WHERE id = $measure_id
