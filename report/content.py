"""What the quarterly Panel paper says, as plain data: read through dashboard_data, no Streamlit.

One section per strategic priority with the Overview's figures for the area and period
(the same code path as the Overview, so the numbers agree), the control charts with alt
text, the published commentary or the drafted narrative marked as a draft, the
data-availability notes; the implications the co-ordinator saved; and Appendix A.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

import dashboard_data
from access import public_name
from analysis import calendar
from analysis.availability import format_date
from analysis.exceptions import select_exceptions
from analysis.rag import rag_rule
from analysis.series import NotCharted
from components.labels import OGL_ATTRIBUTION, SYNTHETIC_LABEL, attention_words, source_label
from components.spc_icons import ASSURANCE, VARIATION
from components.static_chart import PAPER_STYLE, chart_alt_text, control_chart_svg
from ingest.paper_settings import FIELDS, default_settings

AUTHOR = "Office of the Police and Crime Commissioner for Leicester, Leicestershire and Rutland"
APPENDIX_COLUMNS = ["Measure", "{period}", "Same period last year", "Change", "Rolling 12 months",
                    "Against the previous 12 months", "SPC", "RAG", "Data"]


def plain(markdown: str) -> str:
    """Markdown emphasis removed (the RAG rule is written for the Overview page)."""
    return markdown.replace("**", "").replace("*", "")


def spc_words(row: dict) -> str:
    icon = row.get("variation_icon")
    if not isinstance(icon, str):
        return "No SPC"
    words = (f"As at the end of {row['spc_as_at']}: " if row.get("spc_as_at") else "") + VARIATION[icon][2]
    assurance = row.get("assurance_icon")
    if isinstance(assurance, str):
        words += f". {ASSURANCE[assurance][2]}"
    return words + (". Trial limits" if row.get("trial_limits") else "")


def appendix_row(row: dict) -> list[str]:
    """One Overview row as Appendix A shows it: the same strings the Overview shows."""
    measure = row["measure"]
    if isinstance(row.get("measure_id"), str):
        measure += f" ({row.get('source') or source_label(bool(row['synthetic']))})"  # the load's source
    return [measure, row["value"], row["last_year"], row["change"], row["rolling_12"], row["rolling_change"],
            spc_words(row), f"{row['rag']}: {row['rag_reason']}", f"{row['status']}: {row['status_reason']}"]


def availability_lines(notes: pd.DataFrame, rows: pd.DataFrame) -> list[str]:
    """A priority's data-availability notes with their reasons and dates, and any cell without a figure."""
    lines = []
    for note in notes.to_dict("records"):
        subject = note["measure"] if isinstance(note["measure"], str) else "All measures"
        since = f"from {format_date(note['period_start'])}"
        until = f" to {format_date(note['period_end'])}" if not pd.isna(note["period_end"]) else ""
        dated = f"; dated {format_date(note['state_date'])}" if not pd.isna(note["state_date"]) else ""
        lines.append(f"{subject}: {note['state']} ({since}{until}{dated}). {note['reason']}.")
    for row in rows.to_dict("records"):
        if row["status"] not in ("complete", "partial") and isinstance(row["measure_id"], str):
            line = f"{row['measure']}: {row['status']} for this period. {row['status_reason']}."
            if not any(line.split(":")[0] == existing.split(":")[0] for existing in lines):
                lines.append(line)
        elif row["status"] == "partial":
            lines.append(f"{row['measure']}: {row['status_reason']}.")
    return [line.replace("..", ".") for line in lines]


def commentary_entry(note: dict) -> dict:
    """One published commentary: the measure it is about (None for the priority's own), its paragraphs and credit."""
    return {"about": note["measure"] if isinstance(note["measure"], str) else None,
            "paragraphs": [p for p in str(note["text"]).split("\n") if p.strip()],
            "by": f"{public_name(note['author'], 'write commentary')}, published {pd.Timestamp(note['updated_at']):%-d %B %Y}"}


def priority_charts(con, rows: pd.DataFrame, *, area_id: str, area_name: str, period: calendar.Period) -> list[dict]:
    charts = []
    for row in rows.to_dict("records"):
        if not isinstance(row["measure_id"], str):
            continue
        if dashboard_data.chart_withheld_points(con, row["measure_id"], area_id, period):
            continue  # a chart would show a count withheld by disclosure control
        try:
            # As the series stood at the period's end, so the chart's points read as the icons and sentence.
            charted = dashboard_data.charted_series(con, row["measure_id"], area_id, period=period, last=period.end)
        except (LookupError, NotCharted):
            continue  # no published data, or a cumulative measure shown as progress against its target
        charts.append({
            "svg": control_chart_svg(charted, area_name=area_name, period=period, style=PAPER_STYLE),
            "alt": chart_alt_text(charted, area_name=area_name, period=period, row=row),
            "caption": f"{row['measure']}, {area_name}: control chart to the end of "
                       f"{calendar.month_label(period.last)}, {period.label} shaded"
                       + (f" ({SYNTHETIC_LABEL})" if row["synthetic"] else ""),
        })
    return charts


def paper_content(con, *, area_id: str, period: calendar.Period, progress=None) -> dict:
    """Everything the paper prints, for one area and period, as JSON-ready data.
    progress(done, total): called before each priority's section is read (the charts are most of the time)."""
    areas = dashboard_data.areas(con)
    if area_id not in areas:
        raise ValueError(f"There is no area {area_id!r}. Areas: {', '.join(f'{k} ({v})' for k, v in areas.items())}.")
    area_name = areas[area_id]
    meta = dashboard_data.meta(con)
    as_at = dashboard_data.as_at_words(meta)  # the demo snapshot's date, or the day and latest month
    demo = meta.get("dataset") == "demo"
    table = dashboard_data.overview(con, area_id=area_id, area_name=area_name, period=period)
    previous = dashboard_data.overview(con, area_id=area_id, area_name=area_name, period=calendar.preceding(period))
    found = select_exceptions(table, previous)
    commentary = dashboard_data.published_commentary(con, area_id=area_id, period=period)
    notes = dashboard_data.availability_notes(con, period, area_id)
    settings = dashboard_data.paper_settings(con, area_id=area_id, period=period)
    saved = default_settings() if settings is None else {key: settings[key] for key in FIELDS}
    last_year = period.shifted_years(-1).label

    priorities = []
    listed = dashboard_data.priorities(con)
    for priority in listed.itertuples():
        if progress:
            progress(len(priorities), len(listed))
        rows = table[table["priority_id"] == priority.id]
        published = commentary[commentary["priority_id"] == priority.id]
        if len(published):
            text = {"kind": "published", "entries": [commentary_entry(n) for n in published.to_dict("records")]}
        else:
            text = {"kind": "draft", "paragraphs": list(rows["narrative"]),
                    "by": "Drafted from the statistics; not yet published by the co-ordinator."}
        priorities.append({
            "id": int(priority.id), "title": priority.title, "short": priority.short_name,
            # Appendix A's nine cells, then the measure's name as the section table shows it (source only if synthetic)
            "rows": [appendix_row(r) + [r["measure"] + (f" ({SYNTHETIC_LABEL})" if r["synthetic"] else "")]
                     for r in rows.to_dict("records")],
            "commentary": text,
            "charts": priority_charts(con, rows, area_id=area_id, area_name=area_name, period=period),
            "notes": availability_lines(notes[notes["priority_id"] == priority.id], rows),
        })

    attention = [f"{r['measure']} (priority {int(r['priority_id'])}): {attention_words(r)}."
                 for r in found.attention.to_dict("records")]
    return {
        "title": f"Police and Crime Plan performance: {period.label}",
        "author": AUTHOR,
        "area": area_name,
        "period": period.label,
        "last_year": last_year,
        "as_at": as_at,
        "generated": f"{date.today():%-d %B %Y}",
        "demo": demo,
        "synthetic_label": SYNTHETIC_LABEL,
        "purpose": [
            f"The purpose of this report is to inform the Police and Crime Panel of performance towards the "
            f"objectives of the Police and Crime Plan in {period.label}, for {area_name}, and of the partnership "
            "contribution to achieving them."
        ],
        "recommendation": ["The Panel is recommended to note the contents of the report."],
        "background": [
            "Partners send validated performance data to the Office of the Police and Crime Commissioner (OPCC), which "
            "brings it together in the partnership dashboard once it has been presented to each organisation's "
            "governing body or board. Some data may therefore not be available at a given time; where it is not, "
            "this report says why and when it is expected.",
            "Performance is assessed with statistical process control (SPC, the NHS Making Data Count method), with "
            "the same period last year, and with the rolling twelve months against the twelve months before. A change "
            "is called significant only where SPC shows special cause variation. SPC is read as at the end of "
            f"{calendar.month_label(period.last)}, from the months up to then: later months do not change it.",
            plain(rag_rule()),
            f"The figures are the published data as at {as_at}, the same as the dashboard's Overview for "
            f"this area and period."
            + (f" Partner measures in this demonstration are synthetic, marked “{SYNTHETIC_LABEL}”; crime and ASB "
               "counts are real police.uk data." if demo else ""),
        ],
        "summary": {"attention": attention, "rest": found.summary(),
                    "count": len(found.attention)},
        "priorities": priorities,
        "implications": [{"label": FIELDS[key][0], "text": saved[key]} for key in FIELDS if key != "contact"],
        "contact": saved["contact"],
        "settings_saved": None if settings is None else
        f"version {int(settings['version'])}, saved by {public_name(settings['saved_by'], 'edit the paper')} on "
        f"{pd.Timestamp(settings['saved_at']):%-d %B %Y}",
        "appendix": {"columns": [c.format(period=period.label) for c in APPENDIX_COLUMNS],
                     "groups": [{"label": f"{p['id']}. {p['short']}", "rows": [r[:9] for r in p["rows"]]}
                                for p in priorities]},
        "attribution": f"police.uk and ONS data: {OGL_ATTRIBUTION}",
    }
