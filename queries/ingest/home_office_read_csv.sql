-- A Home Office or reference CSV as text, every column VARCHAR: ingest/home_office.py checks and converts.
SELECT * FROM read_csv($path, header = true, all_varchar = true, quote = '"')
