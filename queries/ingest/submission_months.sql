-- The measures and months a load wrote (rows it left unchanged keep their earlier load).
SELECT DISTINCT measure_id, month FROM observations WHERE submission_id = $submission_id ORDER BY measure_id, month
