-- Does the measure, the area and a rebase at the month exist?
SELECT (SELECT COUNT(*) FROM measures WHERE id = $measure_id) AS measures,
       (SELECT COUNT(*) FROM areas WHERE id = $area_id) AS areas,
       (SELECT COUNT(*) FROM spc_rebases WHERE measure_id = $measure_id AND area_id = $area_id AND month = $month) AS rebases
