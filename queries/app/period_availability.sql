-- Data-availability notes that overlap a period, with their dates, for every area or this one ($area_id; NULL: any).
SELECT d.priority_id, d.measure_id, m.name AS measure, d.state, d.reason, d.period_start, d.period_end,
       d.state_date
FROM data_availability d
LEFT JOIN measures m ON m.id = d.measure_id
WHERE d.period_start <= $last AND (d.period_end IS NULL OR d.period_end >= $first)
  AND (d.area_id IS NULL OR $area_id IS NULL OR d.area_id = $area_id)
ORDER BY d.priority_id, m.sort_order NULLS FIRST
