-- police.uk measures by every area from LSOA counts held in the temp table
-- police_uk_lsoa_counts. The single derivation used by the demo build and the importer.
-- LSOA -> district by the LSOA name prefix ("Charnwood 012B" -> Charnwood);
-- no LSOA -> "No location"; a prefix outside the force -> "Outside force area".
WITH located AS (
    SELECT
        c.month,
        c.crime_type,
        c.records,
        CASE
            WHEN c.lsoa_name IS NULL THEN 'NO_LOCATION'
            ELSE COALESCE(a.id, 'OUTSIDE_FORCE')
        END AS leaf_area_id
    FROM police_uk_lsoa_counts c
    LEFT JOIN areas a
        ON a.lsoa_prefix = regexp_extract(c.lsoa_name, '^(.*) [0-9A-Z]+$', 1)
),
by_measure AS (
    SELECT m.id AS measure_id, l.leaf_area_id, l.month, l.records
    FROM located l
    JOIN measures m
        ON m.police_uk_crime_type = l.crime_type
        OR (m.police_uk_crime_type = '*' AND l.crime_type <> 'Anti-social behaviour')
),
rolled_up AS (
    SELECT b.measure_id, aa.ancestor_id AS area_id, b.month, SUM(b.records) AS records
    FROM by_measure b
    JOIN area_ancestors aa ON aa.area_id = b.leaf_area_id
    GROUP BY ALL
),
-- A month in the input with no records of a type in an area is a real zero.
grid AS (
    SELECT m.id AS measure_id, a.id AS area_id, months.month
    FROM measures m
    CROSS JOIN areas a
    CROSS JOIN (SELECT DISTINCT month FROM police_uk_lsoa_counts) months
    WHERE m.police_uk_crime_type IS NOT NULL
)
SELECT g.measure_id, g.area_id, g.month, COALESCE(r.records, 0)::DOUBLE AS value
FROM grid g
LEFT JOIN rolled_up r USING (measure_id, area_id, month)
ORDER BY g.measure_id, g.area_id, g.month
