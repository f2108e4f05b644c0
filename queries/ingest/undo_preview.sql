-- What undoing a submission will change: each of its rows, and the earlier value that comes back (if any).
SELECT o.measure_id, o.area_id, o.month,
       o.value AS old_value, o.numerator AS old_numerator, o.denominator AS old_denominator, o.status AS old_status,
       h.value AS new_value, h.numerator AS new_numerator, h.denominator AS new_denominator, h.status AS new_status
FROM observations o
LEFT JOIN observation_history h
       ON h.replaced_by_submission_id = $submission_id
      AND h.measure_id = o.measure_id AND h.area_id = o.area_id AND h.month = o.month
WHERE o.submission_id = $submission_id
ORDER BY o.measure_id, o.area_id, o.month
