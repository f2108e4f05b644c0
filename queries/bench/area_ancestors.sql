-- Every area with itself and each area above it (the pandas baseline's roll-up).
SELECT area_id, ancestor_id FROM area_ancestors
