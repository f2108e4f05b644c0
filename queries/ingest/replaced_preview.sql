-- What a load will replace (after classify_incoming): each stored value and its new value.
SELECT i.measure_id, i.area_id, i.month,
       o.value AS old_value, o.numerator AS old_numerator, o.denominator AS old_denominator, o.status AS old_status,
       i.value AS new_value, i.numerator AS new_numerator, i.denominator AS new_denominator, i.status AS new_status
FROM incoming_classified i
JOIN observations o USING (measure_id, area_id, month)
WHERE i.change = 'changed'
ORDER BY i.measure_id, i.area_id, i.month
