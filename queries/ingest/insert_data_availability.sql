-- Rows registered as the DataFrame incoming_data_availability.
INSERT INTO data_availability BY NAME SELECT * FROM incoming_data_availability
