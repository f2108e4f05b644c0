-- Which Home Office file the database holds, and its span.
SELECT (SELECT value FROM meta WHERE key = 'home_office_file') AS file,
       (SELECT value FROM meta WHERE key = 'home_office_sha256') AS sha256,
       MIN(period_end) AS first_period, MAX(period_end) AS last_period
FROM home_office_recorded_crime
