-- bench/panel_soak.py: the measures of one priority, to find which one its Panel screen charts
SELECT id, name FROM measures WHERE priority_id = $priority_id
