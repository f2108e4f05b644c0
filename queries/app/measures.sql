-- The catalogue's current measures (not retired), in priority order.
SELECT id, priority_id, name, unit, improvement_direction, partner, chart_kind, aggregation, force_wide, target, synthetic, note
FROM measures WHERE retired_at IS NULL ORDER BY priority_id, sort_order
