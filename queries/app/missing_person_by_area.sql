-- Reports, individuals and repeat individuals over an inclusive month range for every
-- area with a population (districts, unitaries, the county and the force), each
-- counted by people_counts (schema.sql) from the records of that area and everything
-- below it; an area with none in the range counts 0.
WITH records AS (
    SELECT a.id AS area_id, a.name AS area, a.kind, a.population, a.sort_order, r.person_id
    FROM areas a
    JOIN area_ancestors aa ON aa.ancestor_id = a.id
    LEFT JOIN missing_person_reports r
           ON r.area_id = aa.area_id AND date_trunc('month', r.report_date) BETWEEN $first AND $last
    WHERE a.population IS NOT NULL
)
SELECT * EXCLUDE (sort_order) FROM people_counts(records)
ORDER BY sort_order
