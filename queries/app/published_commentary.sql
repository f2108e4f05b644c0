-- The latest published version of each commentary written for exactly this area and period,
-- for a priority (or every priority when NULL): the priority's own first, then each measure's in catalogue order.
SELECT c.priority_id, p.short_name AS priority, c.measure_id, m.name AS measure, c.period_start, c.period_end,
       c.text, c.author, c.version, c.updated_at
FROM commentary c
JOIN priorities p ON p.id = c.priority_id
LEFT JOIN measures m ON m.id = c.measure_id
WHERE c.status = 'published'
  AND c.area_id = $area_id
  AND ($priority_id IS NULL OR c.priority_id = $priority_id)
  AND c.period_start = $first AND c.period_end = $last
QUALIFY row_number() OVER (PARTITION BY c.priority_id, c.measure_id, c.area_id, c.period_start, c.period_end
                           ORDER BY c.version DESC) = 1
ORDER BY c.priority_id, c.measure_id IS NOT NULL, m.sort_order
