SELECT d.priority_id, p.short_name AS priority, d.measure_id, m.name AS measure, COALESCE(a.name, 'Every area') AS area,
       d.state, d.reason,
       d.period_start, d.period_end, d.state_date
FROM data_availability d
JOIN priorities p ON p.id = d.priority_id
LEFT JOIN measures m ON m.id = d.measure_id
LEFT JOIN areas a ON a.id = d.area_id
ORDER BY d.priority_id, d.measure_id, d.area_id NULLS FIRST, d.period_start
