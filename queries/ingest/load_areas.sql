-- The catalogue as shipped in data/catalogue/areas.csv.
INSERT INTO areas BY NAME
SELECT * FROM read_csv($path, header = true, auto_detect = true, quote = '"')
