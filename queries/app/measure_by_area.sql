-- One measure's published monthly series for every area with a population
-- (districts, unitaries, the county and the force), for comparing areas.
SELECT a.id AS area_id, a.name AS area, a.kind, a.population, o.month, o.value, o.numerator, o.denominator
FROM visible_observations($released_through, $include_provisional) o
JOIN areas a ON a.id = o.area_id
WHERE o.measure_id = $measure_id AND a.population IS NOT NULL
ORDER BY a.sort_order, o.month
