SELECT id, month, text, removed_at FROM chart_annotations WHERE id = $id
