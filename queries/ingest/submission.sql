SELECT * FROM submissions WHERE id = $submission_id
