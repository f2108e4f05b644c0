DELETE FROM observations WHERE submission_id = $submission_id
