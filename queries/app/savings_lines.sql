-- Each plan line as at the end of a month: its target, what was banked by then, what
-- is forecast (the unbanked rest of an identified plan) and what is still to find (the
-- unbanked rest of a line with no plan). banked + forecast + still to find = target.
WITH banked AS (
    SELECT line_id, SUM(amount_m) AS banked_m FROM savings_banked WHERE month <= $as_of GROUP BY line_id
)
SELECT
    l.id,
    l.programme,
    l.name,
    l.financial_year,
    l.target_m,
    ROUND(COALESCE(b.banked_m, 0), 6) AS banked_m,
    ROUND(CASE WHEN l.identified THEN l.target_m - COALESCE(b.banked_m, 0) ELSE 0 END, 6) AS forecast_m,
    ROUND(CASE WHEN l.identified THEN 0 ELSE l.target_m - COALESCE(b.banked_m, 0) END, 6) AS still_to_find_m,
    l.target_date
FROM savings_lines l
LEFT JOIN banked b ON b.line_id = l.id
ORDER BY l.financial_year, l.id
