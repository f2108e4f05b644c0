-- Stage LSOA counts (a DataFrame registered as incoming_lsoa_counts) for the derivation.
-- force is police.uk's name for the force whose records they are (police_uk_forces.name).
CREATE OR REPLACE TEMP TABLE police_uk_lsoa_counts AS
SELECT
    CAST(force AS VARCHAR) AS force,
    CAST(month AS DATE) AS month,
    CAST(lsoa_code AS VARCHAR) AS lsoa_code,
    CAST(lsoa_name AS VARCHAR) AS lsoa_name,
    CAST(crime_type AS VARCHAR) AS crime_type,
    CAST(records AS INTEGER) AS records
FROM incoming_lsoa_counts
