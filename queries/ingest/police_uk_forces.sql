-- The forces whose police.uk files the importer accepts.
SELECT name FROM police_uk_forces ORDER BY name
