-- One police.uk measure's monthly count for a force and the part of it police.uk gave no location,
-- to find months in which every area below the force is undercounted.
SELECT f.month, COALESCE(nl.value, 0) AS unlocated, f.value AS force_total
FROM police_uk_forces p
JOIN visible_observations($released_through, $include_provisional) f
    ON f.area_id = p.force_area_id AND f.measure_id = $measure_id
LEFT JOIN visible_observations($released_through, $include_provisional) nl
    ON nl.area_id = p.no_location_area_id AND nl.measure_id = f.measure_id AND nl.month = f.month
WHERE p.force_area_id = $force_id
ORDER BY f.month
