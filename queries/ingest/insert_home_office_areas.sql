-- Rows registered as the DataFrame incoming_home_office_areas (checked by ingest/home_office.py).
INSERT INTO home_office_areas BY NAME SELECT * FROM incoming_home_office_areas
