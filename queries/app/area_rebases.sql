-- Every stored SPC rebase for an area, so summary icons use the same segments as the charts.
SELECT measure_id, month, reason FROM spc_rebases WHERE area_id = $area_id ORDER BY measure_id, month
