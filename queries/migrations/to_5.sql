-- Schema 4 -> 5: availability notes by area, and the audit of their changes (queries/schema.sql has both).
-- DuckDB cannot add a foreign key to an existing table, so an upgraded database's area_id has none; the
-- writers (ingest/availability.py) check area ids against the catalogue themselves.
ALTER TABLE data_availability ADD COLUMN area_id VARCHAR;

CREATE TABLE availability_changes (
    measure_id   VARCHAR NOT NULL REFERENCES measures (id),
    area_id      VARCHAR,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    state        VARCHAR,
    reason       VARCHAR,
    replaced     VARCHAR NOT NULL,
    changed_by   VARCHAR NOT NULL,
    changed_at   TIMESTAMP NOT NULL
);
