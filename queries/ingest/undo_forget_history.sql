DELETE FROM observation_history WHERE replaced_by_submission_id = $submission_id
