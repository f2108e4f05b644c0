-- For an inclusive month range: reports, individuals and repeat individuals by the
-- lowest-tier area under $area_id and by age band. A person counts once per group.
WITH records AS (
    SELECT r.area_id, a.name AS area, r.age_band, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    JOIN areas a ON a.id = r.area_id
    WHERE aa.ancestor_id = $area_id
      AND date_trunc('month', r.report_date) BETWEEN $first AND $last
),
per_person AS (
    SELECT area_id, area, age_band, person_id, COUNT(*) AS reports FROM records GROUP BY ALL
)
SELECT
    area_id,
    area,
    age_band,
    SUM(reports)::INTEGER AS reports,
    COUNT(*)::INTEGER AS individuals,
    (COUNT(*) FILTER (WHERE reports >= 2))::INTEGER AS repeat_individuals
FROM per_person
GROUP BY ALL
ORDER BY area, age_band
