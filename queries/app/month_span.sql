SELECT MIN(month) AS first_month, MAX(month) AS last_month FROM published_observations
