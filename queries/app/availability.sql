SELECT d.priority_id, p.short_name AS priority, d.measure_id, m.name AS measure, d.state, d.reason,
       d.period_start, d.period_end, d.state_date
FROM data_availability d
JOIN priorities p ON p.id = d.priority_id
LEFT JOIN measures m ON m.id = d.measure_id
ORDER BY d.priority_id, d.measure_id
