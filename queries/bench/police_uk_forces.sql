-- police.uk forces with their areas (the pandas baseline's lookup).
SELECT name, force_area_id, no_location_area_id, outside_area_id FROM police_uk_forces
