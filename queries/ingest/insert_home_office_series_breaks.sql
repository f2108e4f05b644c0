-- Rows registered as the DataFrame incoming_home_office_series_breaks (checked by ingest/home_office.py).
INSERT INTO home_office_series_breaks BY NAME SELECT * FROM incoming_home_office_series_breaks
