-- One change of a data-availability note, with who made it and when.
INSERT INTO availability_changes (measure_id, area_id, period_start, period_end, state, reason, replaced, changed_by,
                                  changed_at)
VALUES ($measure_id, $area_id, $period_start, $period_end, $state, $reason, $replaced, $changed_by, now())
