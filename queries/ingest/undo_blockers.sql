-- Later loads that replaced rows of this submission: undo those first.
SELECT DISTINCT replaced_by_submission_id AS later_submission
FROM observation_history
WHERE submission_id = $submission_id
ORDER BY 1
