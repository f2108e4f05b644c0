INSERT INTO spc_rebases (measure_id, area_id, month, reason, created_by, created_at)
VALUES ($measure_id, $area_id, $month, $reason, $created_by, now())
