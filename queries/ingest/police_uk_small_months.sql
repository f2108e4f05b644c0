-- Force-months in the staged police.uk counts (police_uk_lsoa_counts) with fewer records than
-- $fraction of the median of that force's months already held; the months being loaded are left
-- out of the median. A force's month of records is its all-crime count plus its anti-social
-- behaviour count, at the force area.
WITH incoming AS (
    SELECT force, month, SUM(records) AS records
    FROM police_uk_lsoa_counts
    GROUP BY force, month
),
held AS (
    SELECT f.name AS force, o.month, SUM(o.value) AS records
    FROM observations o
    JOIN police_uk_forces f ON o.area_id = f.force_area_id
    JOIN measures m ON m.id = o.measure_id
    WHERE m.police_uk_crime_type IN ('*', 'Anti-social behaviour')
      AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.force = f.name AND i.month = o.month)
    GROUP BY f.name, o.month
),
usual AS (
    SELECT force, median(records) AS median_records, COUNT(*) AS months_held
    FROM held
    GROUP BY force
)
SELECT i.force, i.month, i.records, u.median_records, u.months_held
FROM incoming i
JOIN usual u USING (force)
WHERE i.records < $fraction * u.median_records
ORDER BY i.force, i.month
