-- Schema 5 -> 6: the catalogue as data that changes (ingest/catalogue.py): when a measure was retired, and the
-- audit of every catalogue change (queries/schema.sql has both).
ALTER TABLE measures ADD COLUMN retired_at TIMESTAMP;

CREATE TABLE catalogue_changes (
    measure_id VARCHAR NOT NULL,
    change     VARCHAR NOT NULL CHECK (change IN ('added', 'retired', 'updated')),
    field      VARCHAR,
    old_value  VARCHAR,
    new_value  VARCHAR,
    reason     VARCHAR NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
