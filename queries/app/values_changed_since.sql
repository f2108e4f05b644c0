-- Values that loads after load $through changed: each value as it stood then (the history row a later load
-- replaced) beside the value now, for every measure, area and month the reader may see both of.
WITH was AS (
    SELECT measure_id, area_id, month, value, numerator, denominator
    FROM observation_history
    WHERE COALESCE(submission_id, 0) <= $through AND replaced_by_submission_id > $through
      AND (status = 'published' OR publish_after <= LEAST($then_released_through, $released_through) OR $include_provisional)
)
SELECT w.measure_id, m.name AS measure, w.area_id, a.name AS area, w.month,
       w.value AS old_value, w.numerator AS old_numerator, w.denominator AS old_denominator,
       o.value AS new_value, o.numerator AS new_numerator, o.denominator AS new_denominator,
       s.loaded_at AS changed_at, s.file_name AS changed_by_file
FROM was w
JOIN visible_observations($released_through, $include_provisional) o USING (measure_id, area_id, month)
JOIN measures m ON m.id = w.measure_id
JOIN areas a ON a.id = w.area_id
LEFT JOIN submissions s ON s.id = o.submission_id
WHERE o.value IS DISTINCT FROM w.value OR o.numerator IS DISTINCT FROM w.numerator
   OR o.denominator IS DISTINCT FROM w.denominator
ORDER BY m.sort_order, a.sort_order, w.month
