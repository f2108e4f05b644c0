-- Rows registered as the DataFrame incoming_home_office_offence_groups (checked by ingest/home_office.py).
INSERT INTO home_office_offence_groups BY NAME SELECT * FROM incoming_home_office_offence_groups
