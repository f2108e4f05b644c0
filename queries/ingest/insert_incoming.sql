INSERT INTO observations (measure_id, area_id, month, value, numerator, denominator, status, publish_after, submission_id)
SELECT measure_id, area_id, month, value, numerator, denominator, status, publish_after, $submission_id
FROM incoming_classified
WHERE change IN ('new', 'changed')
