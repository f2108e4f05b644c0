-- The catalogue as shipped in data/catalogue/priorities.csv.
INSERT INTO priorities BY NAME
SELECT * FROM read_csv($path, header = true, auto_detect = true, quote = '"')
