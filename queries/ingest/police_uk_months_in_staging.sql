SELECT DISTINCT month FROM police_uk_lsoa_counts ORDER BY month
