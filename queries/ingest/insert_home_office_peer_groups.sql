-- Rows registered as the DataFrame incoming_home_office_peer_groups (checked by ingest/home_office.py).
INSERT INTO home_office_peer_groups BY NAME SELECT * FROM incoming_home_office_peer_groups
