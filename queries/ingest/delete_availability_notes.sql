-- Remove the availability notes of one measure for one area (NULL: every area), before writing them anew.
DELETE FROM data_availability WHERE measure_id = $measure_id AND area_id IS NOT DISTINCT FROM $area_id
