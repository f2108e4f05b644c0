-- The next commentary id, and the next version number of one commentary: a priority (and a
-- measure of it, or none), an area and a period.
SELECT
    (SELECT COALESCE(MAX(id), 0) + 1 FROM commentary) AS id,
    (SELECT COALESCE(MAX(version), 0) + 1 FROM commentary
     WHERE priority_id = $priority_id AND area_id = $area_id AND period_start = $first AND period_end = $last
       AND measure_id IS NOT DISTINCT FROM $measure_id) AS version
