"""What the quarterly Panel paper says, as plain data: read through dashboard_data, no Streamlit.

One section per strategic priority with the Overview's figures for the area and period
(the same code path as the Overview, so the numbers agree), the control charts with alt
text, the published commentary or the drafted narrative marked as a draft, the
data-availability notes; the implications the co-ordinator saved; and Appendix A.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

import access
import dashboard_data
from access import public_name
from analysis import calendar
from analysis.availability import UNAVAILABLE_STATES, data_note, format_date, shown_state
from analysis.exceptions import select_exceptions
from analysis.formatting import plural
from analysis.overview import OverviewRow, overview_rows
from analysis.rag import rag_rule
from analysis.series import NotCharted
from analysis.spc import PROVISIONAL_SENTENCE
from ingest.paper_settings import FIELDS, default_settings
from render.labels import OGL_ATTRIBUTION, SYNTHETIC_LABEL, attention_words, source_label
from render.overview_table import RAG_COLOURS
from render.spc_icons import ASSURANCE, VARIATION
from render.static_chart import PAPER_STYLE, chart_alt_text, control_chart_svg

AUTHOR = "Office of the Police and Crime Commissioner for Leicester, Leicestershire and Rutland"
APPENDIX_COLUMNS = ["Priority", "Measure", "{period}", "{last_year}", "Change", "Rolling 12 months",
                    "On the 12 before", "SPC", "RAG", "Data"]
MIN_REPEATS_FOR_A_NOTE = 2  # a reason said on this many rows of a table is printed once, under it


def plain(markdown: str) -> str:
    """Markdown emphasis removed (the RAG rule is written for the Overview page)."""
    return markdown.replace("**", "").replace("*", "")


def icon(table: dict, key) -> dict:
    colour, glyph, words = table[key]
    return {"colour": colour, "glyph": glyph, "words": words}


class Notes:
    """Reasons that would repeat row after row, said once under the table: each such cell reads "see note N"."""

    def __init__(self, reasons: list[str], always: list[str] = ()):
        """always: reasons too long for their cell, made notes even when said once."""
        counts = Counter(r for r in reasons if r)
        self.notes = list(dict.fromkeys(r for r in [*reasons, *always]
                                        if r and (counts[r] >= MIN_REPEATS_FOR_A_NOTE or r in always)))

    def cell(self, reason: str) -> str:
        return f"note {self.notes.index(reason) + 1}" if reason in self.notes else reason


def comparison_reasons(row: OverviewRow) -> tuple[str, str]:
    """The change cells that hold a reason rather than a figure (as the Overview shows them), else ""."""
    change = "" if row.comparable else row.change
    rolling = row.rolling_change if row.previous_12_number is None else ""
    return change, rolling


def rag_reason(row: OverviewRow) -> str:
    """The RAG's reason where the SPC words beside it do not already give it (Amber, Not rated)."""
    return row.rag_reason if row.rag in ("Amber", "Not rated") else ""


def short_variation(icon: str) -> str:
    """The variation icon's words without the words its symbol and the column already say."""
    words = VARIATION[icon][2].removeprefix("Special cause ").removesuffix(" variation")
    return words[0].upper() + words[1:]


def row_reasons(row: OverviewRow) -> list[str]:
    return [*comparison_reasons(row), row.status_reason, rag_reason(row)]


def commonest(values) -> str | None:
    found = Counter(v for v in values if v).most_common(1)
    return found[0][0] if found else None


def appendix_row(row: OverviewRow, notes: Notes, *, source: str | None = None, as_at: str | None = None,
                 complete: str | None = None) -> dict:
    """One Overview row as Appendix A shows it: the Overview's figures, each repeated reason as a note.

    source: the table's commonest source, said once above it (a row from another says its own);
    as_at: the month the table's SPC is read as at, said once (a row read at another month says so);
    complete: what "Complete" means on most rows, said once (a row with more to say gives a note)."""
    measure = row.measure
    own_source = row.source or source_label(row.synthetic)
    if not row.in_development and own_source != source and own_source not in measure:
        measure += f" ({own_source})"
    change_reason, rolling_reason = comparison_reasons(row)
    change = notes.cell(change_reason) if change_reason else row.change
    rolling = notes.cell(rolling_reason) if rolling_reason else row.rolling_change
    if row.has_spc:
        when = row.spc_as_at
        spc = short_variation(row.variation_icon) + (f", as at the end of {when}" if when and when != as_at else "")
        spc += f" ({notes.cell(PROVISIONAL_SENTENCE[:-1])})" if row.trial_limits else ""
    else:
        spc = "No SPC"
    reason = rag_reason(row)
    return {
        "cells": [measure, row.value, row.last_year, change, row.rolling_12, rolling, spc,
                  row.rag + (f", {notes.cell(reason)}" if reason else ""),
                  shown_state(row.status, row.measure_id).capitalize() + ("" if row.status_reason == complete else
                                                                          f", {notes.cell(row.status_reason)}")],
        "rag": row.rag, "rag_colour": RAG_COLOURS.get(row.rag, "#FFFFFF"),
        "icons": [icon(VARIATION, row.variation_icon), icon(ASSURANCE, row.assurance_icon)] if row.has_spc else [],
    }


def appendix(table: pd.DataFrame, priorities: list[dict], period: calendar.Period) -> dict:
    """Appendix A: every Overview row under its priority, on at most two landscape pages: the source and
    the SPC month said once above the table, and each reason that repeats said once under it."""
    records = overview_rows(table)
    source = commonest(r.source for r in records if not r.in_development)
    as_at = commonest(r.spc_as_at for r in records)
    complete = commonest(r.status_reason for r in records if r.status == "complete")
    provisional = [PROVISIONAL_SENTENCE[:-1]] * sum(r.trial_limits for r in records)
    reasons = [reason for r in records for reason in row_reasons(r) if reason != complete]
    notes = Notes(reasons + provisional,
                  always=[reason for r in records for reason in (rag_reason(r), r.status_reason) if reason != complete])
    groups = []
    for priority in priorities:
        rows = [r for r in records if r.priority_id == priority["id"]]
        groups.append({"label": f"{priority['id']}. {priority['short']}",
                       "rows": [appendix_row(r, notes, source=source, as_at=as_at, complete=complete) for r in rows]})
    about = []
    if source:
        about.append(f"Source: {source} unless a measure names its own.")
    if as_at:
        about.append(f"SPC as at the end of {as_at}, unless a row says otherwise.")
    if complete:
        about.append(f"Data complete: {complete}")
    last_year = period.shifted_years(-1).label
    return {"columns": [c.format(period=period.label, last_year=last_year) for c in APPENDIX_COLUMNS], "groups": groups,
            "about": " ".join(about), "notes": notes.notes}


def section_rows(rows: list[OverviewRow], attention: set[str]) -> dict:
    """A priority's own table: each measure's figures and RAG, with a reason repeated on its rows said once."""
    notes = Notes([reason for r in rows for reason in comparison_reasons(r)])
    table = []
    for r in rows:
        change_reason, rolling_reason = comparison_reasons(r)
        table.append({
            "measure": r.measure + (f" ({SYNTHETIC_LABEL})" if r.synthetic else ""),
            "value": r.value, "last_year": r.last_year,
            "change": notes.cell(change_reason) if change_reason else r.change,
            "rolling": r.rolling_12, "rolling_change": notes.cell(rolling_reason) if rolling_reason else r.rolling_change,
            "rag": r.rag, "rag_colour": RAG_COLOURS.get(r.rag, "#FFFFFF"),
            "attention": r.measure_id in attention,
        })
    return {"rows": table, "notes": notes.notes}


def availability_lines(notes: pd.DataFrame, rows: list[OverviewRow]) -> list[str]:
    """A priority's data-availability notes with their reasons and dates, and any cell without a figure."""
    lines = []
    for note in notes.to_dict("records"):
        subject = note["measure"] if isinstance(note["measure"], str) else "All measures"
        since = f"from {format_date(note['period_start'])}"
        until = f" to {format_date(note['period_end'])}" if not pd.isna(note["period_end"]) else ""
        dated = f"; dated {format_date(note['state_date'])}" if not pd.isna(note["state_date"]) else ""
        if note["state"] in UNAVAILABLE_STATES:  # the figure is missing: say so, and why, as the Overview does
            lines.append(f"{subject}: not available: {note['reason']} ({since}{until}{dated}).")
        else:
            lines.append(f"{subject}: {note['state']} ({since}{until}{dated}). {note['reason']}.")
    for row in rows:
        if row.status not in ("complete", "partial") and not row.in_development:
            line = (f"{row.measure}: {data_note(row.status, row.status_reason, row.measure_id)}."
                    if row.status in UNAVAILABLE_STATES else
                    f"{row.measure}: {row.status} for this period. {row.status_reason}.")
            if not any(line.split(":")[0] == existing.split(":")[0] for existing in lines):
                lines.append(line)
        elif row.status == "partial":
            lines.append(f"{row.measure}: {row.status_reason}.")
    return [line.replace("..", ".") for line in lines]


def commentary_entry(note: dict) -> dict:
    """One published commentary: the measure it is about (None for the priority's own), its paragraphs and credit."""
    return {"about": note["measure"] if isinstance(note["measure"], str) else None,
            "paragraphs": [p for p in str(note["text"]).split("\n") if p.strip()],
            "by": f"{public_name(note['author'], 'write commentary')}, published {pd.Timestamp(note['updated_at']):%-d %B %Y}"}


def priority_charts(con, rows: list[OverviewRow], *, area_id: str, area_name: str, period: calendar.Period,
                    attention: set[str]) -> list[dict]:
    """One chart per measure that needs attention (the rest are in Appendix A and on the dashboard)."""
    charts = []
    for row in rows:
        if row.measure_id not in attention:
            continue
        if dashboard_data.chart_withheld_points(con, row.measure_id, area_id, period):
            continue  # a chart would show a count withheld by disclosure control
        try:
            # As the series stood at the period's end, so the chart's points read as the icons and sentence.
            charted = dashboard_data.charted_series(con, row.measure_id, area_id, period=period, last=period.end)
        except (LookupError, NotCharted):
            continue  # no published data, or a cumulative measure shown as progress against its target
        charts.append({
            "svg": control_chart_svg(charted, area_name=area_name, period=period, style=PAPER_STYLE),
            "alt": chart_alt_text(charted, area_name=area_name, period=period, row=row),
            "caption": f"{row.measure}, {area_name}: control chart to the end of "
                       f"{calendar.month_label(period.last)}, {period.label} shaded"
                       + (f" ({SYNTHETIC_LABEL})" if row.synthetic else ""),
        })
    return charts


def since_last_panel(con, *, area_id: str, area_name: str, period: calendar.Period, table: pd.DataFrame) -> dict:
    """What changed since the last Panel (the data as it stood a quarter ago, or the demo as built), as the What
    changed page says it: in words, and the measures whose special cause or RAG changed as a table."""
    now = access.clock(dashboard_data.meta(con).get("snapshot_as_at"))
    reference = dashboard_data.change_references(con, now.replace(tzinfo=None))[0]
    changed = dashboard_data.changes_since(con, reference, area_id=area_id, area_name=area_name, period=period,
                                           today=now.date(), with_returns=True, now_table=table)
    return {"since": f"Since {reference.words}: {changed.then_period.label if changed.then_period else 'no data then'} "
                     f"then, {period.label} now.",
            "lines": changed.lines(),
            "changes": [[r.measure, r.then, r.now, r.change] for r in changed.readings.itertuples() if r.rated_change]}


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
    since = since_last_panel(con, area_id=area_id, area_name=area_name, period=period, table=table)
    commentary = dashboard_data.published_commentary(con, area_id=area_id, period=period)
    notes = dashboard_data.availability_notes(con, period, area_id)
    settings = dashboard_data.paper_settings(con, area_id=area_id, period=period)
    saved = default_settings() if settings is None else {key: settings[key] for key in FIELDS}
    last_year = period.shifted_years(-1).label

    attention = set(found.reasons())
    rows_of: dict[int, list[OverviewRow]] = {}
    for row in overview_rows(table):
        rows_of.setdefault(row.priority_id, []).append(row)
    priorities = []
    listed = dashboard_data.priorities(con)
    for priority in listed.itertuples():
        if progress:
            progress(len(priorities), len(listed))
        rows = rows_of.get(int(priority.id), [])
        published = commentary[commentary["priority_id"] == priority.id]
        if len(published):
            text = {"kind": "published", "entries": [commentary_entry(n) for n in published.to_dict("records")]}
        else:
            # The draft speaks of the measures that need attention; Appendix A has every other one.
            flagged = [row for row in rows if row.measure_id in attention]
            rest = len(rows) - len(flagged)
            text = {"kind": "draft", "paragraphs": [row.narrative for row in flagged],
                    "rest": "" if not rest else
                    (f"{'The other' if len(flagged) else 'The'} {plural(rest, 'measure')} of this priority "
                     f"{'needs' if rest == 1 else 'need'} no attention this period: Appendix A has "
                     f"{'its' if rest == 1 else 'their'} figures."),
                    "by": "Drafted from the statistics; not yet published by the co-ordinator."}
        priorities.append({
            "id": int(priority.id), "title": priority.title, "short": priority.short_name,
            "table": section_rows(rows, attention),
            "commentary": text,
            "charts": priority_charts(con, rows, area_id=area_id, area_name=area_name, period=period,
                                      attention=attention),
            "notes": availability_lines(notes[notes["priority_id"] == priority.id], rows),
        })

    attention = [f"{row.measure} (priority {row.priority_id}): {attention_words(row, why)}."
                 for row, why in found.rows()]
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
        "since_last_panel": since,
        "priorities": priorities,
        "implications": [{"label": FIELDS[key][0], "text": saved[key]} for key in FIELDS if key != "contact"],
        "contact": saved["contact"],
        "settings_saved": None if settings is None else
        f"version {int(settings['version'])}, saved by {public_name(settings['saved_by'], 'edit the paper')} on "
        f"{pd.Timestamp(settings['saved_at']):%-d %B %Y}",
        "appendix": appendix(table, priorities, period),
        "attribution": f"police.uk and ONS data: {OGL_ATTRIBUTION}",
    }
