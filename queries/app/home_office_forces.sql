-- Territorial police forces (the only areas compared), with region and any caveat.
SELECT name, region, ons_code, note
FROM home_office_areas
WHERE kind = 'territorial force'
ORDER BY name
