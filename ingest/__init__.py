"""Loading and validating data: the demo build, police.uk files and partner returns.

Plain Python and DuckDB; nothing here imports Streamlit.
"""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
POLICE_UK_LSOA_COUNTS = DATA_DIR / "police_uk" / "lsoa_monthly.parquet"
