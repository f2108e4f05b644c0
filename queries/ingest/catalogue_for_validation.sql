SELECT m.id, m.name, m.unit, m.partner, m.chart_kind FROM measures m ORDER BY m.id
