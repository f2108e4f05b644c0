-- One measure as `python -m ingest catalogue` checks and changes it (retired ones too).
SELECT id, priority_id, name, unit, improvement_direction, partner, frequency, chart_kind, aggregation, force_wide,
       target, synthetic, police_uk_crime_type, sort_order, note, retired_at
FROM measures WHERE id = $measure_id
