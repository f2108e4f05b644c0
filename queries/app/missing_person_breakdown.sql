-- For an inclusive month range: reports, individuals and repeat individuals (2+ reports
-- in the range) for every lowest-tier area under $area_id and each age band, zeros
-- included, so a table shows every cell. A person counts once per area and band.
WITH leaves AS (
    SELECT l.id AS area_id, l.name AS area, l.sort_order
    FROM leaf_areas l
    JOIN area_ancestors aa ON aa.area_id = l.id
    WHERE aa.ancestor_id = $area_id AND l.kind <> 'unallocated'
),
grid AS (
    SELECT leaves.*, bands.age_band
    FROM leaves CROSS JOIN (VALUES ('child'), ('adult')) AS bands (age_band)
),
per_person AS (
    SELECT r.area_id, r.age_band, r.person_id, COUNT(*) AS reports
    FROM missing_person_reports r
    WHERE date_trunc('month', r.report_date) BETWEEN $first AND $last
    GROUP BY ALL
)
SELECT
    g.area_id,
    g.area,
    g.age_band,
    COALESCE(SUM(p.reports), 0)::INTEGER AS reports,
    COUNT(p.person_id)::INTEGER AS individuals,
    (COUNT(p.person_id) FILTER (WHERE p.reports >= 2))::INTEGER AS repeat_individuals
FROM grid g
LEFT JOIN per_person p ON p.area_id = g.area_id AND p.age_band = g.age_band
GROUP BY g.area_id, g.area, g.age_band, g.sort_order
ORDER BY g.sort_order, g.age_band DESC
