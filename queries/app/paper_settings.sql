-- The latest saved settings of the Panel paper for an area and period (no row: none saved yet).
SELECT version, financial, legal, equality, risks, plan_link, contact, saved_by, saved_at
FROM paper_settings
WHERE area_id = $area_id AND period_start = $first AND period_end = $last
ORDER BY version DESC
LIMIT 1
