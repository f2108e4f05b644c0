-- Measures with rows still held back as provisional: how many, which months, and when each is released.
SELECT o.measure_id, m.name AS measure, m.partner, COUNT(*) AS rows,
       MIN(o.month) AS first_month, MAX(o.month) AS last_month, MIN(o.publish_after) AS publish_after
FROM observations o
JOIN measures m ON m.id = o.measure_id
WHERE o.status = 'provisional'
GROUP BY ALL
ORDER BY o.measure_id
