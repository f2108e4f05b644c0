-- The areas with their LSOA prefixes (the pandas baseline's lookup).
SELECT id, name, kind, parent_id, population, lsoa_prefix FROM areas
