"""The Overview as an HTML table: readable on the Panel's big screen, with real links.

Every colour comes with a word (RAG) or a labelled icon, and every dash with a reason.
"""
from __future__ import annotations

from html import escape
from urllib.parse import urlencode

import pandas as pd

from analysis.availability import complete_reason, shown_state
from analysis.formatting import DASH
from analysis.overview import OverviewRow, overview_rows
from analysis.rag import restates_spc
from analysis.spc import PROVISIONAL_SENTENCE
from render.spc_icons import ASSURANCE, VARIATION, icon_class, icon_class_rule, icon_span

RAG_COLOURS = {"Red": "#D4351C", "Amber": "#B35C00", "Green": "#00703C", "Within expected levels": "#505A5F",
               "Not rated": "#FFFFFF"}  # not rated: an empty box, so it never reads as a rating


def rag_class(rag: str) -> str:
    """The swatch's class (its colour is in STYLE, from RAG_COLOURS): "Within expected levels" -> rag-within-expected-levels."""
    if rag not in RAG_COLOURS:
        raise KeyError(rag)
    return "rag-" + "-".join(rag.lower().split())


# Compact rows, so a 1280x720 screen shows at least eight measures: one-line headings, small print for reasons,
# and reasons that only repeat the column's own reading are left to the rule under the table. Words wrap at
# spaces, never inside a word: the table is laid out by its content and scrolls sideways when narrow.
STYLE = """
<style>
.ov-scroll {overflow-x: auto;}  /* narrower than its columns (400% zoom), the table scrolls sideways, not squeezed */
.ov {border-collapse: collapse; width: 100%; min-width: 760px; font-size: 0.875rem; line-height: 1.25;}
.ov col.c-measure {width: 21%;} .ov col.c-value {width: 7%;} .ov col.c-compare {width: 10%;}
.ov col.c-spc {width: 18%;} .ov col.c-rag {width: 14%;} .ov col.c-data {width: 20%;}
.ov td, .ov th {overflow-wrap: break-word;}  /* only a word longer than its column breaks */
.ov th {text-align: left; border-bottom: 2px solid #333; padding: 2px 6px; vertical-align: bottom; line-height: 1.2;
        white-space: nowrap;}
.ov td {border-bottom: 1px solid #ddd; padding: 3px 6px; vertical-align: top;}
.ov tr.priority td {background: #F3F2F1; font-weight: 600; border-top: 2px solid #999; padding: 0 6px;}
/* a priority's link is at least 24 px tall (WCAG 2.2 target size: a line of small print was 19 px, too close to the
   measure links below it), its negative margin keeping the row as compact as before */
.ov tr.priority a {display: inline-block; min-height: 24px; line-height: 24px; margin: -3px 0;}
.ov .why {color: #505a5f; font-size: 0.8rem; line-height: 1.2;}
.ov .rag {display: inline-flex; align-items: center; gap: 6px; font-weight: 700;}
.ov .rag i {display: inline-block; width: 14px; height: 14px; border-radius: 2px; border: 1px solid #505A5F; flex: none;}
.ov td.note {color: #505a5f;}
.ov .prov {color: #B10E1E; font-weight: 700; font-size: 0.75rem;}
.ov td.commentary {background: #FFFFFF; border-left: 4px solid #12436D;}
.ov .src {font-size: 0.8rem; color: #505a5f; white-space: nowrap;}
.ov .num {white-space: nowrap;}
.ov .spc {display: flex; align-items: flex-start; gap: 4px;}
/* An SPC icon is drawn by its class, whose one rule holds its image: one image per kind of icon in the table, not
   one per row (each a copy of the SVG the browser parsed and decoded again). Printed and kept in forced colours. */
.ov .ic {display: inline-block; width: 24px; height: 24px; flex: none; background-repeat: no-repeat;
         background-size: 24px 24px; print-color-adjust: exact; -webkit-print-color-adjust: exact;
         forced-color-adjust: none;}
RAG_SWATCHES
</style>
""".replace("RAG_SWATCHES", "\n".join(f".ov .rag i.{rag_class(rag)} {{background: {colour};}}"
                                      for rag, colour in RAG_COLOURS.items()))
ICON_SIZE = 24


def explorer_href(url_params: dict[str, str], priority_label: str, measure_name: str | None = None) -> str:
    """A link to the explorer with the same filters, opened at the priority (and measure)."""
    params = {**url_params, "priority": priority_label}
    if measure_name:
        params["measure"] = measure_name
    return "explorer?" + urlencode(params)


def _icons(row: OverviewRow, rules: dict[str, str]) -> str:
    """The row's two icons, each by its class; rules gets each class's CSS rule (once, however many rows use it)."""
    if not row.has_spc:
        return '<span class="why">No SPC</span>'
    provisional = row.trial_limits
    variation = VARIATION[row.variation_icon]
    assurance = ASSURANCE[row.assurance_icon]
    # Always read as at the period's end (the column says so): only a reading of a whole period names it.
    when = "" if not row.spc_as_at or row.spc_as_at == row.spc_point else f"{row.spc_point}: "
    words = f"{when}{variation[2]}. {assurance[2]}." + (f" {PROVISIONAL_SENTENCE}" if provisional else "")
    icons = []
    for kind, key, (colour, glyph, label) in (("v", row.variation_icon, variation), ("a", row.assurance_icon, assurance)):
        css_class = icon_class(kind, key, provisional=provisional)
        if css_class not in rules:
            rules[css_class] = icon_class_rule(".ov", css_class, colour, glyph, label, size=ICON_SIZE,
                                               provisional=provisional)
        icons.append(icon_span(css_class, label, provisional=provisional))
    return f'<div class="spc">{"".join(icons)}<span class="why">{escape(words)}</span></div>'


def _comparison(earlier: str, change: str, comparable: bool) -> str:
    """The earlier figure and the change; when not comparable, the reason, in small print."""
    if earlier == "–":
        return f'<span class="why">{escape(change)}</span>' if change else "–"
    note = f"<span>{escape(change)}</span>" if comparable else f'<div class="why">{escape(change)}</div>'
    return f'<span class="num">{escape(earlier)}</span> {note}'


def _provisional(row: OverviewRow) -> str:
    return '<div class="prov">PROVISIONAL, not for publication</div>' if row.provisional else ""


def _rag_word(row: OverviewRow) -> str:
    return f'<span class="rag"><i class="{rag_class(row.rag)}"></i>{escape(row.rag)}</span>'


def _rag(row: OverviewRow) -> str:
    reason = "" if restates_spc(row.rag_reason) else f'<div class="why">{escape(row.rag_reason)}</div>'
    return _rag_word(row) + reason


def _data(row: OverviewRow) -> str:
    """The data status, and its reason unless the reason only says every month has data."""
    plain = row.status == "complete" and any(row.status_reason.rstrip(".") == complete_reason(months)
                                             for months in range(1, 13))
    state = escape(shown_state(row.status, row.measure_id))  # "not available", with the recorded reason beside it
    return state + ("" if plain else f': <span class="why">{escape(row.status_reason)}</span>')


def overview_html(table: pd.DataFrame, period_label: str, url_params: dict[str, str], priority_labels: dict[int, str],
                  commentary: dict[int, str] | None = None) -> str:
    """commentary: each priority's published commentary for this area and period, shown under its heading."""
    head = ("<tr><th>Measure</th><th>{p}</th><th>Same period last year</th>"
            "<th>Rolling 12 months</th><th>SPC at the period's end</th><th>RAG</th><th>Data</th></tr>"
            ).format(p=escape(period_label))
    body = []
    icon_rules: dict[str, str] = {}
    by_priority: dict[int, list[OverviewRow]] = {}
    for row in overview_rows(table):
        by_priority.setdefault(row.priority_id, []).append(row)
    for priority_id, rows in by_priority.items():
        label = priority_labels[priority_id]
        href = explorer_href(url_params, label)
        body.append(f'<tr class="priority"><td colspan="7"><a href="{escape(href)}" target="_self">'
                    f"{escape(label)}</a></td></tr>")
        note = (commentary or {}).get(priority_id)
        if note:
            body.append(f'<tr><td colspan="7" class="commentary"><b>Commentary, {escape(period_label)}:</b> '
                        f"{escape(note)}</td></tr>")
        for row in rows:
            measure = escape(row.measure)
            if row.in_development:  # the reason once, across the row
                body.append(f'<tr><td class="measure">{measure}</td><td class="note" colspan="6">{escape(row.status)}: '
                            f"{escape(row.status_reason)}</td></tr>")
                continue
            source = f' <span class="src">{escape(row.source)}</span>'
            link = f'<a href="{escape(explorer_href(url_params, label, row.measure))}" target="_self" ' \
                   f'data-measure="{escape(row.measure_id)}">{measure}</a>'

            if row.value == DASH and row.rag == "Not rated":  # no figure: nothing to compare or rate, say why once
                body.append(f'<tr><td class="measure">{link}{source}</td><td class="note" colspan="6">'
                            f'{DASH} {_rag_word(row)} <b>{escape(shown_state(row.status, row.measure_id))}</b>: '
                            f'{escape(row.status_reason)}</td></tr>')
                continue
            body.append(
                "<tr>"
                f'<td class="measure">{link}{source}</td>'
                f'<td class="num">{escape(row.value)}{_provisional(row)}</td>'
                f"<td>{_comparison(row.last_year, row.change, row.comparable)}</td>"
                f"<td>{_comparison(row.rolling_12, row.rolling_change, row.rolling_change_number is not None)}</td>"
                f"<td>{_icons(row, icon_rules)}</td>"
                f"<td>{_rag(row)}</td>"
                f"<td>{_data(row)}</td>"
                "</tr>"
            )
    columns = ('<colgroup><col class="c-measure"><col class="c-value"><col class="c-compare"><col class="c-compare">'
               '<col class="c-spc"><col class="c-rag"><col class="c-data"></colgroup>')
    icons = f'<style>{"".join(icon_rules.values())}</style>' if icon_rules else ""
    return (f'{STYLE}{icons}<div class="ov-scroll" role="region" aria-label="Overview of every priority and measure">'
            f'<table class="ov">{columns}<thead>{head}</thead><tbody>{"".join(body)}</tbody></table></div>')


# The drafts as Streamlit's markdown lays out a list (its list-item margins; no gap under the list), so they read as
# they did when written as markdown, without the browser parsing markdown for them.
DRAFTS_STYLE = """
<style>
ul.drafts {padding-left: 0; margin: 0;}
ul.drafts li {margin: 0.2em 0 0.2em 1.15em; padding: 0 0 0 0.3em;}
ul.drafts li:last-child {margin-bottom: 0;}  /* as under markdown, whose last margin its element takes back */
ul.drafts strong {font-weight: 600;}
</style>
"""


def drafts_html(table: pd.DataFrame) -> str:
    """Every measure's drafted sentence, one item each, written as HTML: a markdown list of 40 sentences was the
    page's costliest element for the browser to draw on a first visit (parsed by Streamlit's markdown renderer)."""
    items = "".join(f"<li><strong>Draft.</strong> {escape(row.narrative)}</li>" for row in overview_rows(table))
    return f'{DRAFTS_STYLE}<ul class="drafts">{items}</ul>'


def plain_table(table: pd.DataFrame, period_label: str) -> pd.DataFrame:
    """The same rows as data, for CSV and Excel: figures as numbers, SPC and RAG in words."""
    variation = {key: words for key, (_, _, words) in VARIATION.items()}
    assurance = {key: words for key, (_, _, words) in ASSURANCE.items() if key is not None}
    comparable = table["last_year"] != DASH
    return pd.DataFrame({
        "Priority": table["priority_id"],
        "Priority name": table["priority"],
        "Measure id": table["measure_id"],
        "Measure": table["measure"],
        "Unit": table["unit"],
        "Source": table["source"],  # "" for a priority in development
        f"{period_label}": table["value_number"],
        "Same period last year": table["last_year_number"],
        "Change": table["change_number"],
        "Change (%)": table["change_percent"],
        "Comparison note": table["change"].where(~comparable, ""),
        "Rolling 12 months": table["rolling_12_number"],
        "Previous 12 months": table["previous_12_number"],
        "Rolling change": table["rolling_change_number"],
        "Rolling change (%)": table["rolling_change_percent"],
        "Rolling note": table["rolling_change"].where(table["previous_12_number"].isna(), ""),
        "SPC point": table["spc_point"],
        "SPC as at the end of": table["spc_as_at"],
        "SPC variation": table["variation_icon"].map(variation),
        "SPC assurance": table["assurance_icon"].map(assurance),
        "Provisional limits": table["trial_limits"],
        "RAG": table["rag"],
        "RAG reason": table["rag_reason"],
        "Data": [shown_state(s, m) for s, m in zip(table["status"], table["measure_id"])],
        "Data note": table["status_reason"],
        "Draft narrative": table["narrative"],
    })
