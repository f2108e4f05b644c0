SELECT id, short_name, title FROM priorities ORDER BY id
