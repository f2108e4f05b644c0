-- Compare incoming rows (registered as incoming_observations) with what is stored:
-- new (no stored row), changed (stored row differs) or unchanged (identical).
CREATE OR REPLACE TEMP TABLE incoming_classified AS
SELECT
    i.*,
    CASE
        WHEN o.measure_id IS NULL THEN 'new'
        WHEN o.value IS NOT DISTINCT FROM i.value
         AND o.numerator IS NOT DISTINCT FROM i.numerator
         AND o.denominator IS NOT DISTINCT FROM i.denominator
         AND o.status = i.status
         AND o.publish_after IS NOT DISTINCT FROM i.publish_after THEN 'unchanged'
        ELSE 'changed'
    END AS change
FROM (
    SELECT measure_id, area_id, CAST(month AS DATE) AS month, CAST(value AS DOUBLE) AS value,
           CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator,
           status, CAST(publish_after AS DATE) AS publish_after
    FROM incoming_observations
) i
LEFT JOIN observations o USING (measure_id, area_id, month)
