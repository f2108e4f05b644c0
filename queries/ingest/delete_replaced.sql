DELETE FROM observations o
USING incoming_classified i
WHERE o.measure_id = i.measure_id AND o.area_id = i.area_id AND o.month = i.month AND i.change = 'changed'
