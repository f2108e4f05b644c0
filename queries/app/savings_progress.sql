-- Cumulative savings banked by month (force area), for progress against the target date.
SELECT month, value FROM published_observations
WHERE measure_id = 'savings_delivered' AND area_id = 'E23000021'
ORDER BY month
