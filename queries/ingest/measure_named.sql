-- The current (not retired) measure with this name, ignoring case, if any: names tell measures apart on every page.
SELECT id FROM measures WHERE lower(name) = lower($name) AND retired_at IS NULL AND id <> $measure_id
