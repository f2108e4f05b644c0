"""Panel mode's screens as one HTML document: title, the priorities' status, the exceptions, then the priorities.

Plain data in, HTML out (no session needed). Sizes are written in pixels at 1920x1080
and scale with the viewport (``--px``), so the same layout fits 1280x720 without
scrolling. The script steps the screens, advances them every N seconds, pauses, and
keeps its place across data refreshes (the page redraws this HTML when data changes).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from analysis.availability import UNAVAILABLE_STATES, data_note
from analysis.exceptions import PRIORITY_STATUSES, Exceptions
from analysis.overview import OverviewRow
from render.chart_theme import DARK_BLUE, MID_GREY, ORANGE, PURPLE
from render.labels import SYNTHETIC_LABEL, variation_plain
from render.overview_table import RAG_COLOURS
from render.spc_icons import ASSURANCE

HERE = Path(__file__).resolve().parent
# The screens' style and script are files beside this one (read once, when the module is first imported).
DECK_STYLE = f"<style>{(HERE / 'panel_deck.css').read_text(encoding='utf-8')}</style>"
DECK_SCRIPT = (HERE / "panel_deck.js").read_text(encoding="utf-8")

# Sized for a chamber read from 8 m at 1920x1080 (text must be about distance/200 tall): body text 48 px,
# nothing under 36 px (chart lettering, the status grid), headline figures 96 px. Each screen carries one message;
# the paper has the detail. Line widths are counted in characters, conservatively (Source Sans averages about
# 0.46 of its size a character, bold about 0.5), so what is packed fits; the browser test measures every screen.
LINE = 58  # 48 px text at line-height 1.2
SLIDE_HEIGHT = 1080 - 60 - 80 - 2 * 24 - 16  # less the bars, the slide's padding and 16 px for rounding at other sizes
TITLE_LINE, TITLE_GAP = 64, 20  # the screen title: 56 px bold, one line (the priority's short name)
ROOM = SLIDE_HEIGHT - TITLE_LINE - TITLE_GAP  # under the title
COMMENTARY_GAP = 16
# Under the chart: at most six lines of 48 px commentary, about 44 characters each in 1080 px (the chart keeps 444 px).
COMMENTARY_LINES, RIGHT_CHARS = 6, 44
COMMENTARY_CHARACTERS = COMMENTARY_LINES * RIGHT_CHARS
MIN_WORDS_CHARACTERS = 40  # the least of a commentary's text worth showing (a few words) beside its author
PAPER_POINTER = "The full commentary is in the Panel paper."
MIN_SECONDS = 5
DEFAULT_SECONDS = 20


@dataclass(frozen=True)
class Headline:
    measure_id: str | None
    name: str
    value: str
    change: str  # the change on last year in plain words, or the reason there is none
    comparable: bool
    variation: str | None  # in plain words
    assurance: str | None  # in words, only when there is a target
    trial_limits: bool
    rag: str
    synthetic: bool
    note: str  # the data note when there is no figure
    attention: str  # why it needs attention ("" when it does not)
    rag_reason: str = ""  # said only where no SPC words explain the RAG (a cumulative measure against its target)


@dataclass(frozen=True)
class Commentary:
    """One published commentary on a priority screen."""
    about: str | None  # the measure's name; None for the priority's own
    text: str
    by: str  # the author by name and role


@dataclass(frozen=True)
class PriorityScreen:
    """One measure of a priority on one screen: each measure needing attention has its own, with its chart."""
    priority_id: int
    title: str  # the priority's short name
    headlines: list[Headline]  # the one measure this screen is about (empty when the priority has none)
    more: str | None
    chart_uri: str | None = None
    chart_alt: str = ""
    commentaries: tuple[Commentary, ...] = ()  # the priority's own first, then this screen's measure's, then the rest
    part: int = 1  # this screen's place among the priority's screens
    parts: int = 1
    chart_measure: str | None = None  # the measure the chart draws
    chart_height: int = 0  # in pixels at 1920x1080


@dataclass(frozen=True)
class PriorityStatus:
    """A priority on the status screen."""
    priority_id: int
    name: str  # short name
    status: str  # one of analysis.exceptions.PRIORITY_STATUSES


@dataclass(frozen=True)
class Deck:
    area_name: str
    period_label: str
    last_year_label: str
    as_at: str  # dashboard_data.as_at_words: the day and latest month, or the demo snapshot's date
    demo: bool
    seconds: int
    attention_only: bool
    exceptions: Exceptions
    screens: list[PriorityScreen] = field(default_factory=list)
    updated: str = ""  # when this data was drawn, shown so a refresh is visible
    spc_as_at: str = ""  # the month whose end every SPC reading stands at ("September 2022")
    statuses: list[PriorityStatus] = field(default_factory=list)


def advance_seconds(text: str | None) -> tuple[int, str | None]:
    """The advance interval from the URL, at least MIN_SECONDS, with a note when the value given was not usable."""
    if text in (None, ""):
        return DEFAULT_SECONDS, None
    try:
        seconds = int(str(text))
    except ValueError:
        # the value itself is not repeated: an address can carry anything
        return DEFAULT_SECONDS, f"advance in the address is not a whole number of seconds; using {DEFAULT_SECONDS}"
    if seconds < MIN_SECONDS:
        return MIN_SECONDS, f"advance={seconds} is below the minimum; using {MIN_SECONDS}"
    return seconds, None


def change_plain(change: str) -> str:
    """"+617 (+22.5%)" as "up 617 (22.5%)", "-£0.18m" as "down £0.18m"; words (no change, a reason) as they are."""
    if change[:1] in ("+", "-", "−"):
        way = "up" if change[0] == "+" else "down"
        return f"{way} {change[1:]}".replace("(+", "(").replace("(-", "(").replace("(−", "(")
    return change


def headline(row: OverviewRow, attention: str) -> Headline:
    return Headline(
        measure_id=row.measure_id,
        name=row.measure,
        value=row.value,
        change=change_plain(row.change),
        comparable=row.comparable,
        variation=variation_plain(row.variation_icon),
        assurance=None if row.assurance_icon is None else ASSURANCE[row.assurance_icon][2],
        trial_limits=row.trial_limits,
        rag=row.rag,
        synthetic=row.synthetic and not row.in_development,
        note=data_note(row.status, row.status_reason, row.measure_id) if row.status in UNAVAILABLE_STATES
        else row.status_reason if row.status not in ("complete", "partial") else "",
        attention=attention,
        rag_reason=row.rag_reason,
    )


def screen_rows(rows: list[OverviewRow], attention: dict, *, attention_only: bool) -> list[OverviewRow]:
    """The rows that get a screen of their own: every one needing attention; where none does, the first with an
    SPC reading (so the screen has a chart), else the first."""
    flagged = [r for r in rows if r.measure_id in attention]
    if flagged or attention_only or not rows:
        return flagged
    charted = [r for r in rows if r.has_spc]
    return (charted or rows)[:1]


def more_line(shown: int, total: int, *, attention_only: bool) -> str | None:
    """The priority's other measures, counted: none of them needs attention (those that do have screens)."""
    hidden = total - shown
    if hidden <= 0:
        return None
    plural = "s" if hidden != 1 else ""
    return f"{hidden} other measure{plural}: " + ("no exception." if attention_only else "none needs attention.")


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(text) // per_line))


def fit_commentary(text: str, limit: int = COMMENTARY_CHARACTERS) -> tuple[str, bool]:
    """The commentary cut at a sentence (or word) end within the limit; True when it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    cut = head.rfind(". ")
    cut = cut + 1 if cut > limit // 2 else head.rfind(" ")
    return head[:cut].rstrip(), True


def _label(note: Commentary) -> str:
    return f"{note.about}:" if note.about else "Commentary:"


def commentary_paragraph(note: Commentary, text: str, cut: bool) -> str:
    """One commentary as the screen prints it: what it is about, its text (… when cut) and its author."""
    return f"{_label(note)} {text}{' …' if cut else ''} — {note.by}"


def pointer_line(left: list[Commentary], per_line: int = RIGHT_CHARS, lines: int = 1) -> str:
    """Under cut commentary: where the rest is, naming any commentary with no room (counting them where their
    names would take more than `lines` lines)."""
    if not left:
        return PAPER_POINTER
    names = f"Also published: {', '.join(note.about or 'the priority' for note in left)}. "
    if _lines(names + PAPER_POINTER, per_line) > lines:
        return f"{len(left)} more published, in the Panel paper."
    return names + PAPER_POINTER


def fit_commentaries(notes: tuple[Commentary, ...], lines: int = COMMENTARY_LINES
                     ) -> tuple[list[tuple[Commentary, str, bool]], list[Commentary]]:
    """The commentaries shown under the chart, in order, each with its text cut to a share of the room (True when
    cut), and any with no room at all (named or counted in the pointer line). Each needs a few words and its author."""
    def size(note: Commentary, text: str, cut: bool) -> int:
        return _lines(commentary_paragraph(note, text, cut), RIGHT_CHARS)

    def least(note: Commentary) -> int:
        return size(note, "x" * MIN_WORDS_CHARACTERS, True)

    whole = [(note, *fit_commentary(note.text, len(note.text))) for note in notes]
    if sum(size(*fitted) for fitted in whole) <= lines:
        return whole, []
    count = len(notes)
    while count > 1 and sum(map(least, notes[:count])) + _lines(pointer_line(list(notes[count:])), RIGHT_CHARS) \
            > lines:
        count -= 1
    room = lines - _lines(pointer_line(list(notes[count:])), RIGHT_CHARS)
    fitted = []
    for number, note in enumerate(notes[:count]):
        later = sum(map(least, notes[number + 1:count]))
        share = min(room - later, max(least(note), -(-room // (count - number))))  # a fair share; a short one leaves the rest
        spare = share * RIGHT_CHARS - len(commentary_paragraph(note, "", True))
        text, cut = fit_commentary(note.text, max(spare, MIN_WORDS_CHARACTERS))
        fitted.append((note, text, cut))
        room -= size(note, text, cut)
    return fitted, list(notes[count:])


def commentary_lines(notes: tuple[Commentary, ...]) -> int:
    """The lines the commentary takes under the chart (0 with none): the chart has the rest of the column."""
    if not notes:
        return 0
    fitted, left = fit_commentaries(notes)
    pointer = _lines(pointer_line(left), RIGHT_CHARS) if left or any(cut for *_, cut in fitted) else 0
    return sum(_lines(commentary_paragraph(*f), RIGHT_CHARS) for f in fitted) + pointer


def chart_height(notes: tuple[Commentary, ...]) -> int:
    """The chart fills the right column above its commentary."""
    lines = commentary_lines(notes)
    return ROOM - (lines * LINE + COMMENTARY_GAP if lines else 0)


# ---- The exceptions story: concerns, then improvements, then the rest, in two columns a screen ----------

STORY_SECTIONS = (("concern", "Concerns"), ("improvement", "Improvements"),
                  ("other", "Unusual, neither better nor worse, or without data"))
STORY_COLUMNS, NAME_CHARS, DETAIL_CHARS = 2, 36, 40  # a column is 888 px: 48 px text about 22 px a character, bold 24
STORY_LINE, STORY_GAP, HEADING_HEIGHT = 53, 12, 53 + 8  # 48 px at line-height 1.1: the list is short lines


# A row of the story: an Overview row needing attention and why, in words (analysis.exceptions.Exceptions.rows).
StoryRow = tuple[OverviewRow, str]


def story_kind(item: StoryRow) -> str:
    row, _ = item
    icon = row.variation_icon or ""
    if icon.startswith("concern") or row.rag == "Red":
        return "concern"
    return "improvement" if icon.startswith("improvement") else "other"


def story_figure(row: OverviewRow, last_year_label: str) -> str:
    """The figure and its change on last year in plain words, or why there is no figure."""
    if row.status not in ("complete", "partial"):
        return f"No figure: {row.status_reason}"
    on = f" on {last_year_label}" if row.comparable else ""
    return f"{row.value}, {change_plain(row.change)}{on}"


def story_words(item: StoryRow) -> str:
    """Which way it moved (its section says whether that is a concern or an improvement), Red, and its priority."""
    row, attention = item
    words = []
    if row.special_cause:
        words.append("Unusually high" if row.variation_icon.endswith("_high") else "Unusually low")
    if row.rag == "Red":
        words.append("RAG Red")
    if "data newly unavailable" in attention:
        words.append("data newly unavailable")
    return "; ".join(words) + f" · priority {row.priority_id}"


def story_item_height(item: StoryRow, last_year_label: str) -> int:
    row, _ = item
    name = row.measure + (f" {SYNTHETIC_LABEL}" if row.synthetic else "")
    return (_lines(name, NAME_CHARS) + _lines(story_figure(row, last_year_label), DETAIL_CHARS)
            + _lines(story_words(item), DETAIL_CHARS)) * STORY_LINE + STORY_GAP


def story_blocks(rows: list[StoryRow]) -> list[tuple[str, object]]:
    """The story in order: each section's heading, then its items ("heading", title) / ("item", row)."""
    blocks = []
    for kind, heading in STORY_SECTIONS:
        items = [r for r in rows if story_kind(r) == kind]
        if items:
            blocks += [("heading", heading), *(("item", r) for r in items)]
    return blocks


def story_pages(rows: list[StoryRow], last_year_label: str, rest_lines: int = 2) -> list[list[list[tuple[str, object]]]]:
    """The story's blocks in screens of two columns, filled in turn; a heading never ends a column; the count of
    the rest (rest_lines) closes the last column. At least one screen."""
    def height(block) -> int:
        return HEADING_HEIGHT if block[0] == "heading" else story_item_height(block[1], last_year_label)

    blocks = story_blocks(rows)
    columns, column, used = [], [], 0
    for number, block in enumerate(blocks):
        need = height(block) + (height(blocks[number + 1]) if block[0] == "heading" else 0)
        if column and used + need > ROOM:
            columns.append(column)
            column, used = [], 0
        column.append(block)
        used += height(block)
    if column and used + rest_lines * STORY_LINE > ROOM:
        columns.append(column)
        column = []
    columns.append(column)
    return [columns[i:i + STORY_COLUMNS] for i in range(0, len(columns), STORY_COLUMNS)]


# ---- HTML --------------------------------------------------------------------------------------

# Each state's symbol: the control chart's marker shape and colour for that kind of point (components/control_chart.py
# CLASSES; graphics at least 3:1).
STATUS_WORDS = {"concern": "Concern", "improvement": "Improvement", "neither": "Unusual, neither way",
                "common_cause": "Within expected levels", "not_assessed": "Not assessed with SPC"}
_SHAPES = {
    "concern": (ORANGE, '<path d="M20 2 L38 20 L20 38 L2 20 Z"/>'),
    "improvement": (DARK_BLUE, '<rect x="4" y="4" width="32" height="32"/>'),
    "neither": (PURPLE, '<path d="M20 3 L38 36 L2 36 Z"/>'),
    "common_cause": (MID_GREY, '<circle cx="20" cy="20" r="17"/>'),
    "not_assessed": ("#505A5F", '<circle cx="20" cy="20" r="15" fill="#FFFFFF" stroke-width="4"/>'),
}


def status_symbol(status: str) -> str:
    """The symbol as a picture (inline SVG does not survive the page's HTML sanitiser); its words are beside it."""
    colour, shape = _SHAPES[status]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" fill="{colour}" '
           f'stroke="{colour}">{shape}</svg>')
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="symbol" src="data:image/svg+xml;base64,{encoded}" alt="">'



def _rag(rag: str) -> str:
    # The Overview's swatch colours (each at least 3:1 on white); "Not rated" is an empty box, never a rating.
    return (f'<span class="rag"><i style="background:{RAG_COLOURS.get(rag, "#FFFFFF")}" aria-hidden="true"></i>'
            f"RAG: {escape(rag)}</span>")


def _spc_words(item: Headline) -> str:
    """The SPC state in words; with no SPC (a cumulative measure), the RAG's reason, so an Amber is explained."""
    words = [w for w in (item.variation, item.assurance, "provisional limits" if item.trial_limits else None) if w]
    return "; ".join(words) if words or item.note else item.rag_reason


def _headline_html(item: Headline, last_year_label: str) -> str:
    tag = f' <span class="tag">{SYNTHETIC_LABEL}</span>' if item.synthetic else ""
    if item.note:
        newly = "Data newly unavailable. " if "data newly unavailable" in item.attention else ""
        figure = f'<p class="note">{escape(newly + item.note)}</p>'
    else:
        on = f" on {last_year_label}" if item.comparable else ""
        figure = f'<p class="value">{escape(item.value)}</p><p class="change">{escape(item.change + on)}</p>'
    words = _spc_words(item)
    spc = (escape(words) + ". ") if words else ""
    measure = f' data-measure="{escape(item.measure_id)}"' if item.measure_id else ""
    return (f'<div class="measure"{measure}><p class="name">{escape(item.name)}{tag}</p>{figure}'
            f'<p class="words">{spc}{_rag(item.rag)}</p></div>')


def _slide(slide_id: str, label: str, body: str, kind: str, extra: str = "") -> str:
    return (f'<section class="slide" id="{slide_id}" data-kind="{kind}"{extra} role="group" '
            f'aria-roledescription="screen" aria-label="{escape(label)}" hidden>{body}</section>')


def title_slide(deck: Deck, notes: tuple[str, ...] = ()) -> str:
    demo = (f'<p class="lead">Partner measures are synthetic demo data, marked “{SYNTHETIC_LABEL}”. '
            "Crime and ASB counts are real police.uk data.</p>") if deck.demo else ""
    only = '<p class="lead">Showing only the measures that need attention.</p>' if deck.attention_only else ""
    spc = (f" SPC as at the end of {escape(deck.spc_as_at)}." if deck.spc_as_at else "")
    warn = f'<p class="lead warn">{escape("; ".join(notes))}</p>' if notes else ""
    body = (f'<div class="title-screen"><p class="kicker">Police and Crime Panel</p>'
            f'<h1 class="big">Police and Crime Plan performance</h1>'
            f'<div><p class="subtitle">{escape(deck.area_name)}</p><p class="subtitle">{escape(deck.period_label)}</p></div>'
            f'<p class="lead">Published data as at {escape(deck.as_at)}.{spc}</p>{only}{demo}{warn}'
            '</div>')
    return _slide("screen-title", "Title", body, "title")


def status_slide(deck: Deck) -> str:
    """All the priorities at once, concerns first, each with its state in words and the chart's symbol for it."""
    rank = {status: n for n, status in enumerate(PRIORITY_STATUSES)}
    ordered = sorted(deck.statuses, key=lambda s: (rank[s.status], s.priority_id))
    items = "".join(
        f'<li data-priority="{s.priority_id}" data-status="{s.status}">{status_symbol(s.status)}'
        f'<p class="name">{s.priority_id}. {escape(s.name)}</p><p class="state">{STATUS_WORDS[s.status]}</p></li>'
        for s in ordered)
    body = f'<h2 class="screen-title">The {len(ordered)} priorities at a glance</h2><ul class="status-grid">{items}</ul>'
    return _slide("screen-status", "The priorities at a glance", body, "status")


def _story_item(item: StoryRow, last_year_label: str) -> str:
    row, _ = item
    tag = f' <span class="tag">{SYNTHETIC_LABEL}</span>' if row.synthetic else ""
    return (f'<li data-measure="{escape(row.measure_id or "")}" data-priority="{row.priority_id}" '
            f'data-charted="{str(row.has_spc).lower()}">'
            f'<p class="name">{escape(row.measure)}{tag}</p><p>{escape(story_figure(row, last_year_label))}</p>'
            f'<p>{escape(story_words(item))}</p></li>')


def story_slides(deck: Deck) -> list[str]:
    rows = deck.exceptions.rows()
    pages = story_pages(rows, deck.last_year_label)
    slides = []
    for number, page in enumerate(pages, start=1):
        part = f" ({number} of {len(pages)})" if len(pages) > 1 else ""
        columns = []
        for place, column in enumerate(page):
            parts = []
            for kind, content in column:
                if kind == "heading":
                    parts.append(f'</ul><h3 class="section">{escape(content)}</h3><ul class="story">')
                else:
                    parts.append(_story_item(content, deck.last_year_label))
            if number == len(pages) and place == len(page) - 1:
                if not rows:
                    parts.append('</ul><p>No measure is unusual, Red or newly without data.</p><ul class="story">')
                parts.append(f'</ul><p class="rest">{escape(deck.exceptions.summary())}</p><ul class="story">')
            columns.append(f'<div class="story-column"><ul class="story">{"".join(parts)}</ul></div>'
                           .replace('<ul class="story"></ul>', ""))
        title = f"{len(rows)} measure{'s' if len(rows) != 1 else ''} need{'s' if len(rows) == 1 else ''} attention"
        body = f'<h2 class="screen-title">{title}{part}</h2><div class="story-columns">{"".join(columns)}</div>'
        slides.append(_slide(f"screen-summary-{number}", f"Measures needing attention{part}", body, "exceptions"))
    return slides


def priority_slide(screen: PriorityScreen, deck: Deck) -> str:
    measures = "".join(_headline_html(h, deck.last_year_label) for h in screen.headlines)
    if not screen.headlines:
        measures = '<div class="measure"><p class="note">No measure in this priority needs attention.</p></div>'
    more = f'<p class="more">{escape(screen.more)}</p>' if screen.more else ""
    height = f"height: calc({screen.chart_height} * var(--px))"
    charted = f' data-measure="{escape(screen.chart_measure)}"' if screen.chart_measure else ""
    chart = (f'<img class="chart" src="{screen.chart_uri}" alt="{escape(screen.chart_alt)}"{charted} style="{height}">'
             if screen.chart_uri else
             f'<p class="no-chart" style="{height}">No control chart for this measure this period.</p>')
    commentary = ""
    if screen.commentaries:
        fitted, left = fit_commentaries(screen.commentaries)
        parts = [f'<p><span class="label">{escape(_label(note))}</span> {escape(text)}{" …" if cut else ""} '
                 f'<span class="by">— {escape(note.by)}</span></p>' for note, text, cut in fitted]
        if left or any(cut for _, _, cut in fitted):
            parts.append(f'<p class="more">{escape(pointer_line(left))}</p>')
        commentary = f'<div class="commentary">{"".join(parts)}</div>'
    part = f" ({screen.part} of {screen.parts})" if screen.parts > 1 else ""
    body = (f'<h2 class="screen-title">{screen.priority_id}. {escape(screen.title)}{part}</h2>'
            f'<div class="columns"><div class="left">{measures}{more}</div>'
            f'<div class="right">{chart}{commentary}</div></div>')
    slide_id = f"screen-priority-{screen.priority_id}" + (f"-{screen.part}" if screen.part > 1 else "")
    return _slide(slide_id, f"Priority {screen.priority_id}{part}", body, "priority",
                  f' data-priority="{screen.priority_id}"')


def deck_html(deck: Deck, notes: tuple[str, ...] = ()) -> str:
    slides = [title_slide(deck, notes), status_slide(deck), *story_slides(deck),
              *(priority_slide(s, deck) for s in deck.screens)]
    only = " · exceptions only" if deck.attention_only else ""
    return (
        f"{DECK_STYLE}<div id=\"panel-deck\" data-seconds=\"{deck.seconds}\" lang=\"en-GB\">"
        f'<div class="frame"><header class="bar"><span>{escape(deck.area_name)} · '
        f"{escape(deck.period_label)}{only}</span><span>Published data as at {escape(deck.as_at.split(' (')[0])}"
        "</span></header>"
        f'<main class="slides">{"".join(slides)}</main>'
        '<footer class="bar controls">'
        '<span class="buttons"><button type="button" data-action="previous">◀ Previous</button>'
        '<button type="button" data-action="pause" class="pause">Pause</button>'
        '<button type="button" data-action="next">Next ▶</button></span>'
        '<span class="status" aria-live="polite"></span><span class="keys">← → step · P pause</span>'
        f'<span>{"Updated " + escape(deck.updated) if deck.updated else ""}</span></footer></div></div>'
        f"<script>{DECK_SCRIPT}</script>"
    )
