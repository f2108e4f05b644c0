-- Every monthly observation the reader may see (the public: published and released), for SPC of every series and the pandas baseline.
SELECT measure_id, area_id, month, value, numerator, denominator
FROM visible_observations($released_through, $include_provisional)
ORDER BY measure_id, area_id, month
