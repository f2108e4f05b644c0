"""About: sources, licences, the months held and what is synthetic."""
import pandas as pd
import streamlit as st

import dashboard_data
from components.chrome import OGL_ATTRIBUTION, dataset_meta
from components.readers import catalogue


def month_range(span: pd.DataFrame) -> str:
    """"December 2019 to October 2022" from a query's first_month and last_month (the range actually held)."""
    first, last = span.iloc[0]["first_month"], span.iloc[0]["last_month"]
    if pd.isna(first):
        return "no months yet"
    return f"{pd.Timestamp(first):%B %Y} to {pd.Timestamp(last):%B %Y}"


police_uk_months = month_range(catalogue.police_uk_months())
held = month_range(catalogue.month_span())
st.title("About")
st.markdown(f"**Data held: {held}**, published data as at {dashboard_data.as_at_words(dataset_meta())}.")
st.markdown(
    f"""
The **partnership performance dashboard** brings together the performance data that partners
(police, youth offending services, probation, public health, the three local authorities and
their Community Safety Partnerships) send to the Office of the Police and Crime Commissioner
for Leicester, Leicestershire and Rutland, for the Police and Crime Panel.

**Sources**
- Crime and anti-social behaviour counts: police.uk street-level crime data for Leicestershire
  Police, {police_uk_months}, counted by LSOA (Lower Layer Super Output Area, a small census area
  of about 1,500 people) and mapped to districts by LSOA name.
  Records with no location, or located outside the force area, count toward the force total and
  appear as areas of their own.
- Areas: ONS local authority to Community Safety Partnership to police force area lookup (2017);
  populations are Census 2021 usual residents, rounded to hundreds.

**What is synthetic.** Every partner measure in the demo (youth justice, re-offending, drugs,
supported families, domestic abuse, sexual offences, hate crime, satisfaction surveys,
mental health, missing persons and savings) is generated from a fixed random seed at the
magnitudes of the Panel's own reports, because no public source exists. It is labelled
*Synthetic (demo)* wherever it shows.
"""
)
st.info(OGL_ATTRIBUTION)
synthetic = catalogue.measures()
synthetic = (synthetic[synthetic["synthetic"]][["priority_id", "id", "name", "partner"]]
             .rename(columns={"priority_id": "Priority", "id": "Measure id", "name": "Measure", "partner": "Partner"}))
st.markdown(f"**Synthetic measures in this database ({len(synthetic)})**")
st.dataframe(synthetic, hide_index=True, width="stretch")
