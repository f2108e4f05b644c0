-- Reports, individuals and repeat individuals over an inclusive month range for every
-- area with a population (districts, unitaries, the county and the force), each
-- counted from the records of that area and everything below it.
WITH per_person AS (
    SELECT aa.ancestor_id AS area_id, r.person_id, COUNT(*) AS reports
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE date_trunc('month', r.report_date) BETWEEN $first AND $last
    GROUP BY ALL
)
SELECT
    a.id AS area_id,
    a.name AS area,
    a.kind,
    a.population,
    COALESCE(SUM(p.reports), 0)::INTEGER AS reports,
    COUNT(p.person_id)::INTEGER AS individuals,
    (COUNT(p.person_id) FILTER (WHERE p.reports >= 2))::INTEGER AS repeat_individuals
FROM areas a
LEFT JOIN per_person p ON p.area_id = a.id
WHERE a.population IS NOT NULL
GROUP BY a.id, a.name, a.kind, a.population, a.sort_order
ORDER BY a.sort_order
