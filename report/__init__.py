"""The quarterly Panel paper, as a tagged PDF (PDF/UA-1) and as HTML, from one typst source."""
