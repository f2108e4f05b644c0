-- Monthly record counts by LSOA and crime type from police.uk street-level files
-- (CSV or .csv.gz as published). Every row counts: ASB rows have no Crime ID and
-- "No location" rows have no LSOA, and both are kept.
SELECT
    CAST(strptime("Month", '%Y-%m') AS DATE) AS month,
    NULLIF(TRIM("LSOA code"), '') AS lsoa_code,
    NULLIF(TRIM("LSOA name"), '') AS lsoa_name,
    TRIM("Crime type") AS crime_type,
    COUNT(*)::INTEGER AS records
FROM read_csv($files, header = true, all_varchar = true, union_by_name = true)
GROUP BY ALL
ORDER BY month, lsoa_code NULLS FIRST, crime_type
