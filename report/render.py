"""Typeset the paper's content with typst: a tagged PDF/UA-1 or HTML, from report/paper.typ."""
from __future__ import annotations

import json
from pathlib import Path

import typst

from analysis import calendar
from report.content import paper_content

TEMPLATE = Path(__file__).resolve().parent / "paper.typ"
FORMATS = ("pdf", "html")
# typst's HTML carries no styling of its own: enough to read it on screen and print it.
HTML_STYLE = """<style>
body { font-family: "Liberation Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #0B0C0C; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #505050; padding: 0.3rem; text-align: left; vertical-align: top; }
thead th { background: #F3F2F1; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; }
</style>"""


def render(content: dict, fmt: str) -> bytes:
    """The paper as PDF (tagged, PDF/UA-1) or HTML bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be pdf or html, not {fmt!r}")
    inputs = {"data": json.dumps(content)}
    if fmt == "pdf":
        return typst.compile(str(TEMPLATE), sys_inputs=inputs, pdf_standards=["ua-1"])
    html, _warnings = typst.compile_with_warnings(str(TEMPLATE), sys_inputs=inputs, format="html")
    return html.replace(b"</head>", HTML_STYLE.encode() + b"</head>", 1)


def build_paper(con, *, area_id: str, period: calendar.Period, fmt: str) -> bytes:
    """Read, then typeset: the one path the command line and the app's Panel paper page share."""
    return render(paper_content(con, area_id=area_id, period=period), fmt)
