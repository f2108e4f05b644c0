SELECT COALESCE(MAX(version), 0) + 1 AS version
FROM paper_settings
WHERE area_id = $area_id AND period_start = $first AND period_end = $last
