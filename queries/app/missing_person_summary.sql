-- Reports, individuals and repeat individuals (2+ reports in the range) for an area and
-- everything below it over an inclusive month range, counted from the records by people_counts
-- (schema.sql): a person counts once however many months they appear in. The Overview, the
-- Missing persons page and the paper all read these figures from here.
-- months_with_data: months of the range that the records cover (the whole data span).
WITH span AS (
    SELECT date_trunc('month', MIN(report_date))::DATE AS first_month,
           date_trunc('month', MAX(report_date))::DATE AS last_month
    FROM missing_person_reports
),
records AS (
    SELECT r.person_id
    FROM missing_person_reports r
    JOIN area_ancestors aa ON aa.area_id = r.area_id
    WHERE aa.ancestor_id = $area_id
      AND date_trunc('month', r.report_date) BETWEEN $first AND $last
)
SELECT
    counted.*,
    (SELECT GREATEST(0, datediff('month', GREATEST($first::DATE, first_month), LEAST($last::DATE, last_month)) + 1)
     FROM span)::INTEGER AS months_with_data
FROM people_counts(records) counted
