-- Put back the values this submission replaced.
INSERT INTO observations (measure_id, area_id, month, value, numerator, denominator, status, publish_after, submission_id)
SELECT measure_id, area_id, month, value, numerator, denominator, status, publish_after, submission_id
FROM observation_history
WHERE replaced_by_submission_id = $submission_id
