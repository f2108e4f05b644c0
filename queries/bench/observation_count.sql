-- Rows in observations (the national benchmark's build report).
SELECT COUNT(*) FROM observations
