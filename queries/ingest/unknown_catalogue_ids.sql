-- Which of the given measure and area ids the catalogue does not know.
SELECT 'measure' AS kind, id FROM (SELECT unnest($measure_ids::VARCHAR[]) AS id)
WHERE id NOT IN (SELECT id FROM measures)
UNION ALL
SELECT 'area' AS kind, id FROM (SELECT unnest($area_ids::VARCHAR[]) AS id)
WHERE id NOT IN (SELECT id FROM areas)
ORDER BY kind, id
