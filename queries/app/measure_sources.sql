-- Where each measure's figures for an area and months came from: the kind and partner of the load
-- that wrote each row the reader may see, so a figure's label follows its data, not the catalogue.
SELECT o.measure_id, s.kind, s.partner, m.synthetic AS catalogue_synthetic, COUNT(*) AS months
FROM visible_observations($released_through, $include_provisional) o
JOIN measures m ON m.id = o.measure_id
LEFT JOIN submissions s ON s.id = o.submission_id
WHERE o.area_id = $area_id AND o.month BETWEEN $first AND $last
GROUP BY ALL
ORDER BY o.measure_id, MIN(o.month)
