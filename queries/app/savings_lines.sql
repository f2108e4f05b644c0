SELECT programme, name, financial_year, target_m, banked_m, forecast_m,
       target_m - banked_m - forecast_m AS remaining_m, target_date
FROM savings_lines ORDER BY financial_year, id
