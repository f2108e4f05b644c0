SELECT id FROM measures WHERE police_uk_crime_type IS NOT NULL ORDER BY id
