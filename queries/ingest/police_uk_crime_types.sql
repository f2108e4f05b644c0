-- The police.uk crime types the catalogue's measures count ('*' is all crime but anti-social behaviour).
SELECT DISTINCT police_uk_crime_type AS crime_type
FROM measures
WHERE police_uk_crime_type IS NOT NULL AND police_uk_crime_type <> '*'
ORDER BY crime_type
