DELETE FROM spc_rebases WHERE measure_id = $measure_id AND area_id = $area_id AND month = $month
