-- Publish a measure's provisional rows now (their board has seen them): from then on every viewer sees them.
UPDATE observations SET status = 'published', publish_after = NULL
WHERE measure_id = $measure_id AND status = 'provisional'
