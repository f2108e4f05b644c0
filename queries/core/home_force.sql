-- The home force: the first force area in the catalogue's order (data/catalogue/areas.csv puts it first;
-- the national benchmark's catalogue, with 43 forces, puts the demo's force first too).
SELECT id FROM areas WHERE kind = 'force' ORDER BY sort_order, id LIMIT 1
