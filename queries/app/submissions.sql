SELECT id, loaded_at, loaded_by, kind, partner, file_name, sha256, rows_in_file, rows_added, rows_replaced
FROM submissions ORDER BY loaded_at DESC, id DESC
