-- Keep staged police.uk counts up to a month (demo builds that leave later months unseen).
DELETE FROM police_uk_lsoa_counts WHERE month > $last_month
