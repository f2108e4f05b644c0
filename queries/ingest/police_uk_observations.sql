-- police.uk measures by every area from LSOA counts held in the temp table
-- police_uk_lsoa_counts. The single derivation used by the demo build and the importer.
-- A record counts toward the force whose file it is in (police_uk_forces): its LSOA maps to
-- one of that force's areas by the LSOA name prefix ("Charnwood 012B" -> Charnwood); no LSOA ->
-- the force's "No location" area; a prefix outside the force -> its "Outside force area".
WITH force_areas AS (
    SELECT f.name AS force, a.id AS area_id, a.lsoa_prefix
    FROM police_uk_forces f
    JOIN area_ancestors aa ON aa.ancestor_id = f.force_area_id
    JOIN areas a ON a.id = aa.area_id
),
located AS (
    SELECT
        c.force,
        c.month,
        c.crime_type,
        c.records,
        CASE
            WHEN c.lsoa_name IS NULL THEN f.no_location_area_id
            ELSE COALESCE(a.area_id, f.outside_area_id)
        END AS leaf_area_id
    FROM police_uk_lsoa_counts c
    JOIN police_uk_forces f ON f.name = c.force
    LEFT JOIN force_areas a
        ON a.force = c.force
       AND a.lsoa_prefix = regexp_extract(c.lsoa_name, '^(.*) [0-9A-Z]+$', 1)
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
-- A force's month in the input with no records of a type in one of its areas is a real zero.
-- Only the forces and months in the input are touched.
grid AS (
    SELECT m.id AS measure_id, fa.area_id, fm.month
    FROM (SELECT DISTINCT force, month FROM police_uk_lsoa_counts) fm
    JOIN force_areas fa ON fa.force = fm.force
    CROSS JOIN measures m
    WHERE m.police_uk_crime_type IS NOT NULL
)
SELECT g.measure_id, g.area_id, g.month, COALESCE(r.records, 0)::DOUBLE AS value
FROM grid g
LEFT JOIN rolled_up r USING (measure_id, area_id, month)
ORDER BY g.measure_id, g.area_id, g.month
