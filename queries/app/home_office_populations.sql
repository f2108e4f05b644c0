-- Residents of the given forces, by population year, for rates per 1,000.
SELECT area, population_year, population, basis
FROM home_office_populations
WHERE list_contains($forces, area)
ORDER BY area, population_year
