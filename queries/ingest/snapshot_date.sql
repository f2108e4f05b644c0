-- The demo's fixed date while the database is the untouched demo: built by the demo command
-- (meta dataset 'demo') and no file loaded since. Any other database runs on the real UK clock.
SELECT a.value AS as_at
FROM meta a
WHERE a.key = 'as_at'
  AND EXISTS (SELECT 1 FROM meta d WHERE d.key = 'dataset' AND d.value = 'demo')
  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.kind IN ('police.uk', 'partner return'))
