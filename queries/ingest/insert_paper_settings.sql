-- Rows registered as the DataFrame incoming_paper_settings.
INSERT INTO paper_settings BY NAME SELECT * FROM incoming_paper_settings
