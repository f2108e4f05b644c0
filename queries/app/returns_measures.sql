-- The catalogue's measures with what the returns calendar needs: who sends each, how often, whether it is
-- reported for the force area only, and whether police.uk files (not a partner's return) bring it. A retired
-- measure is no longer owed.
SELECT id, priority_id, name, partner, frequency, force_wide, police_uk_crime_type IS NOT NULL AS from_police_uk
FROM measures WHERE retired_at IS NULL ORDER BY priority_id, sort_order
