-- Rows registered as the DataFrame incoming_missing_person_reports.
INSERT INTO missing_person_reports BY NAME SELECT * FROM incoming_missing_person_reports
