"""Streamlit-free drawing shared by the app's components and the Panel paper (report/): chart specs,
SVG, HTML fragments, and the CSS and JavaScript files they load."""
