-- Monthly missing-person measures for every area, counted from the records by people_counts
-- (schema.sql): individuals are distinct people, so they are counted per area, never summed.
WITH records AS (
    SELECT aa.ancestor_id AS area_id, date_trunc('month', r.report_date)::DATE AS month, r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
),
per_month AS (SELECT * FROM people_counts(records)),
grid AS (
    SELECT a.id AS area_id, m.month
    FROM areas a
    CROSS JOIN (SELECT DISTINCT month FROM records) m
    WHERE a.kind <> 'unallocated'
)
SELECT measure_ids.measure_id, g.area_id, g.month, COALESCE(u.value, 0)::DOUBLE AS value,
       NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator,
       'published' AS status, NULL::DATE AS publish_after
FROM grid g
CROSS JOIN (VALUES ('missing_reports'), ('missing_individuals'), ('missing_repeat_individuals')) AS measure_ids (measure_id)
LEFT JOIN (
    SELECT area_id, month, 'missing_reports' AS measure_id, reports AS value FROM per_month
    UNION ALL SELECT area_id, month, 'missing_individuals', individuals FROM per_month
    UNION ALL SELECT area_id, month, 'missing_repeat_individuals', repeat_individuals FROM per_month
) u ON u.area_id = g.area_id AND u.month = g.month AND u.measure_id = measure_ids.measure_id
ORDER BY 1, 2, 3
