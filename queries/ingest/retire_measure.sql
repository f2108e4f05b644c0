-- Retire a measure: it leaves the Overview and every list of measures; its values stay.
UPDATE measures SET retired_at = now() WHERE id = $measure_id AND retired_at IS NULL
