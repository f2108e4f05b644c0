-- For an inclusive month range: reports, individuals and repeat individuals (2+ reports
-- in the range) for every lowest-tier area under $area_id and each age band, zeros
-- included, so a table shows every cell. A person counts once per area and band
-- (people_counts, schema.sql).
WITH leaves AS (
    SELECT l.id AS area_id, l.name AS area, l.sort_order
    FROM leaf_areas l
    JOIN area_ancestors aa ON aa.area_id = l.id
    WHERE aa.ancestor_id = $area_id AND l.kind <> 'unallocated'
),
records AS (
    SELECT leaves.area_id, leaves.area, bands.age_band, leaves.sort_order, r.person_id
    FROM leaves
    CROSS JOIN (VALUES ('child'), ('adult')) AS bands (age_band)
    LEFT JOIN missing_person_reports r
           ON r.area_id = leaves.area_id AND r.age_band = bands.age_band
          AND date_trunc('month', r.report_date) BETWEEN $first AND $last
)
SELECT * EXCLUDE (sort_order) FROM people_counts(records)
ORDER BY sort_order, age_band DESC
