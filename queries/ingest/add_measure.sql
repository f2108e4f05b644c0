-- A measure added to the catalogue on a running database: a partner's, not synthetic, with no data yet.
INSERT INTO measures (id, priority_id, name, unit, improvement_direction, partner, frequency, chart_kind, aggregation,
                      force_wide, target, synthetic, police_uk_crime_type, sort_order, note)
VALUES ($id, $priority_id, $name, $unit, $improvement_direction, $partner, $frequency, $chart_kind, $aggregation,
        $force_wide, NULL, false, NULL, $sort_order, $note)
