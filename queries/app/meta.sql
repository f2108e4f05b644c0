-- The dataset's stored notes, and what a live database's "as at" is worked out from: the latest month
-- the public can see (published_through), the last load or early publication (last_load) and the day of
-- the last 09:30 release of provisional rows (last_release_day).
WITH public AS (
    SELECT * FROM visible_observations($released_through, false)
),
computed AS (
    SELECT 'published_through' AS key, CAST(MAX(month) AS VARCHAR) AS value FROM public
    UNION ALL
    SELECT 'last_load', strftime(MAX(loaded_at), '%Y-%m-%dT%H:%M:%S') FROM submissions WHERE kind <> 'demo'
    UNION ALL
    SELECT 'last_release_day', CAST(MAX(publish_after) AS VARCHAR) FROM public WHERE status = 'provisional'
)
SELECT key, value FROM meta
UNION ALL
SELECT key, value FROM computed WHERE value IS NOT NULL
ORDER BY key
