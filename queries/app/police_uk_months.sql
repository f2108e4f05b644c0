-- The first and last month of police.uk crime and ASB data held that the reader may see.
SELECT MIN(o.month) AS first_month, MAX(o.month) AS last_month
FROM visible_observations($released_through, $include_provisional) o
JOIN measures m ON m.id = o.measure_id
WHERE m.police_uk_crime_type IS NOT NULL
