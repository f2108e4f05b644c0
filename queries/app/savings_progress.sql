-- Cumulative savings banked by month, from the plan lines, up to a month.
SELECT month, SUM(SUM(amount_m)) OVER (ORDER BY month) AS banked_m
FROM savings_banked
WHERE month <= $as_of
GROUP BY month
ORDER BY month
