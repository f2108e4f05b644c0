-- The stored values of some measures for some months in one area (the force), so a load's figures
-- can be checked against its source.
SELECT m.id AS measure_id, m.name AS measure, o.month, o.value
FROM observations o
JOIN measures m ON m.id = o.measure_id
WHERE list_contains($measure_ids, o.measure_id) AND list_contains($months, o.month) AND o.area_id = $area_id
ORDER BY m.sort_order, o.month
