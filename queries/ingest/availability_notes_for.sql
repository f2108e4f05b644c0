-- The availability notes of one measure for one area ($area_id; NULL: the notes for every area).
SELECT priority_id, measure_id, period_start, period_end, state, reason, state_date, area_id
FROM data_availability
WHERE measure_id = $measure_id AND area_id IS NOT DISTINCT FROM $area_id
ORDER BY period_start
