-- What a police.uk street-level file claims to be: rows, months and forces.
SELECT COUNT(*) AS rows, list(DISTINCT "Month" ORDER BY "Month") AS months,
       list(DISTINCT "Falls within" ORDER BY "Falls within") AS forces
FROM read_csv($files, header = true, all_varchar = true)
