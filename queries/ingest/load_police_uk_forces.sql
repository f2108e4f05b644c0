-- The catalogue as shipped in data/catalogue/police_uk_forces.csv.
INSERT INTO police_uk_forces BY NAME
SELECT * FROM read_csv($path, header = true, auto_detect = true, quote = '"')
