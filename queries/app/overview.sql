-- One row per priority and measure for an area and an inclusive month range, with
-- the period's sums, coverage and any data-availability state that overlaps it.
-- Priorities without measures (in development) still get a row. Retired measures are left out.
WITH period_obs AS (
    SELECT * FROM visible_observations($released_through, $include_provisional)
    WHERE area_id = $area_id AND month BETWEEN $first AND $last
),
agg AS (
    SELECT
        measure_id,
        COUNT(*) AS months_with_data,
        COUNT(*) FILTER (WHERE provisional) AS provisional_months,
        SUM(value) AS total,
        SUM(numerator) AS numerator,
        SUM(denominator) AS denominator,
        MAX(month) AS latest_month,
        arg_max(value, month) AS latest_value
    FROM period_obs
    GROUP BY measure_id
),
availability AS (
    -- One note per measure: the area's own before one for every area, then the latest to start.
    SELECT * FROM data_availability
    WHERE period_start <= $last AND (period_end IS NULL OR period_end >= $first)
      AND (area_id IS NULL OR area_id = $area_id)
    QUALIFY row_number() OVER (PARTITION BY priority_id, measure_id ORDER BY area_id IS NULL, period_start DESC) = 1
)
SELECT
    p.id AS priority_id,
    p.short_name AS priority,
    m.id AS measure_id,
    m.name AS measure,
    m.unit,
    m.chart_kind,
    m.aggregation,
    m.force_wide,
    m.improvement_direction,
    m.partner,
    m.synthetic,
    m.target,
    m.note,
    COALESCE(agg.months_with_data, 0) AS months_with_data,
    COALESCE(agg.provisional_months, 0) AS provisional_months,
    agg.total,
    agg.numerator,
    agg.denominator,
    agg.latest_month,
    agg.latest_value,
    av.state AS availability_state,
    av.reason AS availability_reason,
    av.state_date AS availability_date
FROM priorities p
LEFT JOIN measures m ON m.priority_id = p.id AND m.retired_at IS NULL
LEFT JOIN agg ON agg.measure_id = m.id
LEFT JOIN availability av
    ON av.priority_id = p.id
   AND (av.measure_id = m.id OR (av.measure_id IS NULL AND m.id IS NULL))
WHERE $priority_id IS NULL OR p.id = $priority_id
ORDER BY p.id, m.sort_order
