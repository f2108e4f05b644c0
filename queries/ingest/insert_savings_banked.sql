-- Rows registered as the DataFrame incoming_savings_banked.
INSERT INTO savings_banked BY NAME SELECT * FROM incoming_savings_banked
