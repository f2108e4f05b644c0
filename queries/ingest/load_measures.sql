-- The catalogue as shipped in data/catalogue/measures.csv.
INSERT INTO measures BY NAME
SELECT * FROM read_csv($path, header = true, auto_detect = true, quote = '"')
