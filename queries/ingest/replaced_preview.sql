-- What a load will replace (after classify_incoming): each stored value and its new value, with the
-- measure's and area's names for the person confirming.
SELECT i.measure_id, i.area_id, m.name AS measure, a.name AS area, i.month,
       o.value AS old_value, o.numerator AS old_numerator, o.denominator AS old_denominator, o.status AS old_status,
       i.value AS new_value, i.numerator AS new_numerator, i.denominator AS new_denominator, i.status AS new_status
FROM incoming_classified i
JOIN observations o USING (measure_id, area_id, month)
JOIN measures m ON m.id = i.measure_id
JOIN areas a ON a.id = i.area_id
WHERE i.change = 'changed'
ORDER BY i.measure_id, i.area_id, i.month
