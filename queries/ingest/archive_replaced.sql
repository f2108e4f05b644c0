-- Keep every value a load replaces, so nothing is lost and the load can be undone.
INSERT INTO observation_history
SELECT o.measure_id, o.area_id, o.month, o.value, o.numerator, o.denominator, o.status, o.publish_after,
       o.submission_id, $submission_id, now()
FROM observations o
JOIN incoming_classified i USING (measure_id, area_id, month)
WHERE i.change = 'changed'
