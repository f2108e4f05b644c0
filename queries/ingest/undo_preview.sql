-- What undoing a submission will change: each of its rows (with the measure's and area's names), and the
-- earlier value that comes back (if any).
SELECT o.measure_id, o.area_id, m.name AS measure, a.name AS area, o.month,
       o.value AS old_value, o.numerator AS old_numerator, o.denominator AS old_denominator, o.status AS old_status,
       h.value AS new_value, h.numerator AS new_numerator, h.denominator AS new_denominator, h.status AS new_status
FROM observations o
JOIN measures m ON m.id = o.measure_id
JOIN areas a ON a.id = o.area_id
LEFT JOIN observation_history h
       ON h.replaced_by_submission_id = $submission_id
      AND h.measure_id = o.measure_id AND h.area_id = o.area_id AND h.month = o.month
WHERE o.submission_id = $submission_id
ORDER BY o.measure_id, o.area_id, o.month
