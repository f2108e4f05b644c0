SELECT id, priority_id, name, unit, improvement_direction, partner, chart_kind, aggregation, force_wide, target, synthetic, note
FROM measures ORDER BY priority_id, sort_order
