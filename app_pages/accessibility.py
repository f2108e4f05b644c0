"""Accessibility statement, in the UK public sector model (GOV.UK sample accessibility statement).

Keep it true: what it says is checked by tests/test_browser_accessibility.py (axe-core on every
page), tests/test_contrast.py and tests/test_browser_keyboard.py.
"""
import streamlit as st

ORGANISATION = "the Office of the Police and Crime Commissioner for Leicester, Leicestershire and Rutland (OPCC)"
CONTACT_ROUTE = ("the performance co-ordinator at the OPCC, who sends the dashboard's link to partners and the Panel, "
                 "or the contact details on the OPCC's website (www.leics.pcc.police.uk)")
PREPARED = "27 November 2026"

st.title("Accessibility statement")
st.markdown(f"""
This accessibility statement applies to the partnership performance dashboard, run by {ORGANISATION}
for the Police and Crime Panel and its partners.

We want as many people as possible to be able to use this dashboard. For example, that means you should be able to:

- change colours, contrast levels and fonts using browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate most of the dashboard using just a keyboard
- navigate most of it using speech recognition software
- listen to it using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)

Every chart has a written description of what its data shows (the latest figure, the change and any special
cause) and its data as a table, under the chart in "Chart data as a table", and as a CSV download.
""")

st.header("How accessible this dashboard is")
st.markdown("""
We know some parts of this dashboard are not fully accessible:

- the charts' pop-up details (tooltips) appear only when you point at a chart with a mouse; the same figures are in
  the table under each chart
- at 400% zoom wide tables, such as the Overview, scroll sideways, as data tables may, and some charts are cramped
  (their descriptions and data tables give the same figures)
- the interactive tables (for example on the Data and Savings pages) are drawn on a canvas by the Streamlit
  framework, with a hidden table for screen readers; each can also be downloaded as CSV or Excel, and their empty
  cells show the word "None" in light grey
""")

st.header("Feedback and contact information")
st.markdown(f"""
If you need information on this dashboard in a different format, such as accessible PDF, large print, easy read,
audio recording or braille, contact {CONTACT_ROUTE}. We will consider your request and get back to you within
10 working days.
""")

st.header("Reporting accessibility problems with this dashboard")
st.markdown(f"""
We are always looking to improve the accessibility of this dashboard. If you find any problems not listed on this
page or think we are not meeting accessibility requirements, contact {CONTACT_ROUTE}. Say which page, and what you
were trying to do.
""")

st.header("Enforcement procedure")
st.markdown("""
The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you are not happy
with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).

If you are in Northern Ireland and are not happy with how we respond to your complaint, you can contact the
Equality Commission for Northern Ireland (ECNI), which is responsible for enforcing the accessibility regulations
in Northern Ireland.
""")

st.header("Technical information about this dashboard's accessibility")
st.markdown(f"""
{ORGANISATION[0].upper()}{ORGANISATION[1:]} is committed to making this dashboard accessible, in accordance with
the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.
""")

st.subheader("Compliance status")
st.markdown("""
This dashboard is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to
the non-compliances listed below.
""")

st.subheader("Non-accessible content")
st.markdown("""
The content listed below is non-accessible for the following reasons.

**Non-compliance with the accessibility regulations**

- Chart tooltips open only on mouse hover and close only when the pointer moves away, so keyboard users cannot
  open them and no one can dismiss them with the keyboard (WCAG 2.2 success criterion 1.4.13 Content on Hover or
  Focus). Every figure in a tooltip is also in the chart's data table. The tooltips are drawn by the charting
  library (Vega), which the dashboard does not control.
- In the interactive tables drawn by the Streamlit framework, an empty cell shows the word "None" in light grey, at
  2.6:1 against white (1.4.3 Contrast (Minimum)). It means the cell has no value; the CSV and Excel downloads leave
  it empty. The framework's theme settings do not reach this colour.

**Disproportionate burden**

We are not claiming disproportionate burden for any content.

**Content that is not within the scope of the accessibility regulations**

The downloaded CSV and Excel files are data, not documents; they keep a heading row and the file's context
(area, period, as-at date, licence).
""")

st.header("What we are doing to improve accessibility")
st.markdown("""
Every change to the dashboard runs automated checks before it is released: axe-core (WCAG 2.0, 2.1 and 2.2 A and AA
rules) on every page and every Priority explorer view, a contrast check of every chart's colours, and keyboard-only
tests of the filters, the page links and the explorer's views. We will test the dashboard with screen reader users.
""")

st.header("Preparation of this accessibility statement")
st.markdown(f"""
This statement was prepared on {PREPARED}. It was last reviewed on {PREPARED}.

This dashboard was last tested on {PREPARED}, by the development team: automated checks with axe-core 4.12 in
Chromium on every page and every Priority explorer view, a contrast check of every chart's colours, keyboard-only
tests, and checks by eye at 1920×1080, 1280×720 and 320 pixels wide (400% zoom). It has not yet been tested with a
screen reader by its users; we will do so before the Panel relies on it.
""")
