-- Rows registered as the DataFrame incoming_savings_lines.
INSERT INTO savings_lines BY NAME SELECT * FROM incoming_savings_lines
