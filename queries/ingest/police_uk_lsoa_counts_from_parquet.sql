-- The shipped compact form of the police.uk files (see scripts/derive_police_uk.py).
SELECT month, lsoa_code, lsoa_name, crime_type, records
FROM read_parquet($path)
