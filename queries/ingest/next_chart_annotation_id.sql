SELECT COALESCE(MAX(id), 0) + 1 AS id FROM chart_annotations
