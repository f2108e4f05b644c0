-- Areas a user can choose: the force, local authorities and districts.
SELECT id, name, kind, parent_id, population FROM areas WHERE kind <> 'unallocated' ORDER BY sort_order
