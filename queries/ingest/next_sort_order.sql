-- Where a measure added to a priority goes: after the priority's last measure (priority 7's first is 70).
SELECT COALESCE(max(sort_order) + 1, $priority_id * 10) AS sort_order FROM measures WHERE priority_id = $priority_id
