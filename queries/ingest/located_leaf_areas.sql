-- The nine lowest-tier areas that have a population (districts and unitaries).
SELECT id, name, population FROM leaf_areas WHERE population IS NOT NULL ORDER BY sort_order
