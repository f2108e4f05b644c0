-- Insert observations registered as the DataFrame incoming_observations, rolled up
-- from the areas given to every area above them. Rates are recomputed from summed
-- numerators and denominators, never by averaging percentages. Pass leaf-level rows
-- only when $roll_up is true; otherwise rows are inserted for their own area.
INSERT INTO observations (measure_id, area_id, month, value, numerator, denominator, status, publish_after, submission_id)
SELECT
    i.measure_id,
    aa.ancestor_id AS area_id,
    CAST(i.month AS DATE) AS month,
    CASE
        WHEN bool_and(i.numerator IS NOT NULL) THEN 100.0 * SUM(i.numerator) / SUM(i.denominator)
        ELSE SUM(i.value)
    END AS value,
    SUM(i.numerator) AS numerator,
    SUM(i.denominator) AS denominator,
    CASE WHEN bool_or(i.status = 'provisional') THEN 'provisional' ELSE 'published' END AS status,
    MAX(CAST(i.publish_after AS DATE)) AS publish_after,
    $submission_id AS submission_id
FROM incoming_observations i
JOIN area_ancestors aa
    ON aa.area_id = i.area_id
   AND ($roll_up OR aa.ancestor_id = i.area_id)
GROUP BY i.measure_id, aa.ancestor_id, CAST(i.month AS DATE)
HAVING bool_and(i.numerator IS NULL) OR SUM(i.denominator) > 0
