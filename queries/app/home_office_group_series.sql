-- One offence group's rolling 12-month totals for the given territorial forces, every quarter end.
SELECT c.area, c.period_end, SUM(c.offences)::BIGINT AS offences
FROM home_office_recorded_crime c
JOIN home_office_offence_groups g ON g.offence = c.offence AND g.group_id = $group_id AND g.compared
JOIN home_office_areas a ON a.name = c.area AND a.kind = 'territorial force'
WHERE list_contains($forces, c.area)
GROUP BY c.area, c.period_end
ORDER BY c.area, c.period_end
