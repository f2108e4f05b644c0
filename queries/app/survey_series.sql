-- Every survey measure's monthly numerators and denominators for an area.
SELECT o.measure_id, m.name AS measure, o.month, o.numerator, o.denominator
FROM visible_observations($released_through, $include_provisional) o
JOIN measures m ON m.id = o.measure_id
WHERE o.area_id = $area_id AND m.unit = 'percentage'
  AND m.id LIKE '%satisfaction'  -- the victim satisfaction surveys, by their stable ids
ORDER BY m.sort_order, o.month
