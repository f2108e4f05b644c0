-- Rows registered as the DataFrame incoming_home_office_recorded_crime (checked by ingest/home_office.py).
INSERT INTO home_office_recorded_crime BY NAME SELECT * FROM incoming_home_office_recorded_crime
