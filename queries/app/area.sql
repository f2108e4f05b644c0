SELECT id, name, kind, population FROM areas WHERE id = $area_id
