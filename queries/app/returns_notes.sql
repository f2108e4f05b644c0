-- Data-availability notes for measures that overlap a month range, for every area (area_id NULL) or one.
SELECT measure_id, area_id, period_start, period_end, state, reason
FROM data_availability
WHERE measure_id IS NOT NULL AND period_start <= $last AND (period_end IS NULL OR period_end >= $first)
