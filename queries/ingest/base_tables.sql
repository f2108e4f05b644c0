-- Every table of the database (to read each one whole when checking a file is sound).
SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name
