-- The savings position as at the end of a month, from the plan lines: the financial
-- plan's shortfall (the lines' targets) split into banked + forecast + still to find,
-- and the Police and Crime Plan's headline target (the savings measure's target).
WITH banked AS (
    SELECT line_id, SUM(amount_m) AS banked_m FROM savings_banked WHERE month <= $as_of GROUP BY line_id
)
SELECT
    ROUND(SUM(l.target_m), 6) AS shortfall_m,
    ROUND(SUM(COALESCE(b.banked_m, 0)), 6) AS banked_m,
    ROUND(SUM(CASE WHEN l.identified THEN l.target_m - COALESCE(b.banked_m, 0) ELSE 0 END), 6) AS forecast_m,
    ROUND(SUM(CASE WHEN l.identified THEN 0 ELSE l.target_m - COALESCE(b.banked_m, 0) END), 6) AS still_to_find_m,
    (SELECT target FROM measures WHERE id = 'savings_delivered') AS plan_target_m,
    MAX(l.target_date) AS target_date
FROM savings_lines l
LEFT JOIN banked b ON b.line_id = l.id
