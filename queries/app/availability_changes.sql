-- Changes to data-availability notes, newest first, with the measure's and area's names.
SELECT c.changed_at, c.changed_by, m.name AS measure, COALESCE(a.name, 'Every area') AS area, c.period_start,
       c.period_end, COALESCE(c.state, 'cleared') AS state, c.reason, c.replaced
FROM availability_changes c
LEFT JOIN measures m ON m.id = c.measure_id
LEFT JOIN areas a ON a.id = c.area_id
ORDER BY c.changed_at DESC
