-- Read every column of every row of one table (its name comes from base_tables), so that
-- a damaged block fails here, on opening, rather than later on a page.
SELECT COUNT(*) AS rows, bit_xor(hash(t)) AS digest FROM query_table($table) t
