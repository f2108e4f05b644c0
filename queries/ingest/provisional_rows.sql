-- A measure's rows still held back as provisional, with their publish-after dates.
SELECT area_id, month, value, publish_after FROM observations
WHERE measure_id = $measure_id AND status = 'provisional'
ORDER BY month, area_id
