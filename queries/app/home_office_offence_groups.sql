-- Offence groups a user can compare, in order, with any definition change inside each.
SELECT g.group_id, g.name, g.improvement_direction,
       b.from_month AS break_from_month, b.short_reason AS break_short_reason, b.reason AS break_reason
FROM (SELECT DISTINCT group_id, name, sort_order, improvement_direction
      FROM home_office_offence_groups WHERE compared) g
LEFT JOIN home_office_series_breaks b ON b.group_id = g.group_id
ORDER BY g.sort_order
