SELECT MIN(month) AS first_month, MAX(month) AS last_month FROM visible_observations($released_through, $include_provisional)
