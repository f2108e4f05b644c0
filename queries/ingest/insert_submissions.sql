-- Rows registered as the DataFrame incoming_submissions.
INSERT INTO submissions BY NAME SELECT * FROM incoming_submissions
