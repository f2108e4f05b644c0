-- Rows registered as the DataFrame incoming_commentary.
INSERT INTO commentary BY NAME SELECT * FROM incoming_commentary
