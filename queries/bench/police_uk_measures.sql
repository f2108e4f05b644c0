-- The police.uk measures and the crime type each counts ('*': every type but anti-social behaviour).
SELECT id, police_uk_crime_type FROM measures WHERE police_uk_crime_type IS NOT NULL
