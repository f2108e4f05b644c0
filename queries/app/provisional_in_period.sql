-- The measures of a priority (or the one measure asked for) with figures for the area and period
-- that the public does not see yet (provisional), and the date the last of them is released.
SELECT m.id AS measure_id, m.name AS measure, MAX(o.publish_after) AS publish_after
FROM visible_observations($released_through, $include_provisional) o
JOIN measures m ON m.id = o.measure_id
WHERE o.provisional
  AND o.area_id = $area_id
  AND o.month BETWEEN $first AND $last
  AND m.priority_id = $priority_id
  AND ($measure_id IS NULL OR m.id = $measure_id)
GROUP BY m.id, m.name, m.sort_order
ORDER BY m.sort_order
