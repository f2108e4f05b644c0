-- Every value held for a month range, with the load that brought it (when and by whom), as the reader may see.
SELECT o.measure_id, o.area_id, o.month, s.loaded_at, s.loaded_by, s.kind, s.file_name
FROM visible_observations($released_through, $include_provisional) o
LEFT JOIN submissions s ON s.id = o.submission_id
WHERE o.month BETWEEN $first AND $last
