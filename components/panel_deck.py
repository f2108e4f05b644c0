"""Panel mode's screens as one HTML document: title, summary, one screen per priority.

Plain data in, HTML out (no session needed). Sizes are written in pixels at 1920x1080
and scale with the viewport (``--px``), so the same layout fits 1280x720 without
scrolling. The script steps the screens, advances them every N seconds, pauses, and
keeps its place across data refreshes (the page redraws this HTML when data changes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pandas as pd

from analysis.availability import UNAVAILABLE_STATES, data_note
from analysis.exceptions import Exceptions
from components.labels import SYNTHETIC_LABEL, attention_words
from components.overview_table import RAG_COLOURS
from components.spc_icons import ASSURANCE, VARIATION

COMMENTARY_CHARACTERS = 420  # what fits under the chart at 32 px; the rest is in the paper
# Under the chart: 852 px less the title (71), the chart (470) and the margin (16) is 7 lines of 40 px,
# each about 70 characters of the right column (1040 px at about 14.5 px a character).
COMMENTARY_LINES, RIGHT_CHARS = 7, 70
MIN_WORDS_CHARACTERS = 60  # the least of a commentary's text worth showing (about ten words) beside its author
PAPER_POINTER = "The full commentary is in the Panel paper."
MIN_SECONDS = 5
DEFAULT_SECONDS = 20


@dataclass(frozen=True)
class Headline:
    measure_id: str | None
    name: str
    value: str
    change: str  # the change on last year, or the reason there is none
    comparable: bool
    variation: str | None  # in words
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
    priority_id: int
    title: str
    headlines: list[Headline]
    more: str | None
    chart_uri: str | None = None
    chart_alt: str = ""
    commentaries: tuple[Commentary, ...] = ()  # the priority's own first, then each measure's in catalogue order


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


def headline(row: dict, attention: str) -> Headline:
    icon = row.get("variation_icon")
    assurance = row.get("assurance_icon")
    has_id = isinstance(row.get("measure_id"), str)
    return Headline(
        measure_id=row["measure_id"] if has_id else None,
        name=row["measure"],
        value=row["value"],
        change=row["change"],
        comparable=row["last_year"] != "–",
        variation=VARIATION[icon][2] if isinstance(icon, str) else None,
        assurance=ASSURANCE[assurance][2] if isinstance(assurance, str) else None,
        trial_limits=bool(row.get("trial_limits")),
        rag=row["rag"],
        synthetic=bool(row.get("synthetic")) and has_id,
        note=data_note(row["status"], row["status_reason"], row.get("measure_id")) if row["status"] in UNAVAILABLE_STATES
        else row["status_reason"] if row["status"] not in ("complete", "partial") else "",
        attention=attention,
        rag_reason=row.get("rag_reason") or "",
    )


def ordered_rows(rows: pd.DataFrame, attention: dict, *, attention_only: bool) -> list[dict]:
    """A priority's rows in headline order: those needing attention first, then catalogue order.

    attention: measure_id -> reasons, for the rows that need attention.
    """
    records = rows.to_dict("records")
    flagged = [r for r in records if r["measure_id"] in attention]
    return flagged if attention_only else flagged + [r for r in records if r["measure_id"] not in attention]


# Layout budget, in pixels at 1920x1080 (the CSS below). Line widths are counted in characters,
# conservatively (Source Sans at 32 px averages about 14.5 px a character), so what is packed fits;
# the browser test measures every screen.
SLIDE_HEIGHT = 1080 - 64 - 84 - 2 * 28 - 24  # less the bars, the slide's padding and 24 px for rounding at other sizes
LINE = 40  # 32 px text at line-height 1.25
TITLE_LINE, TITLE_CHARS, TITLE_GAP = 51, 76, 20
COLUMN_CHARS = 47  # the left column (738 px inside its border and padding): bold text averages about 14.5 px a character
VALUE_LINE, MEASURE_GAP = 70, 22


def _lines(text: str, per_line: int) -> int:
    return max(1, -(-len(text) // per_line))


def headline_height(item: Headline, last_year_label: str) -> int:
    name = item.name + (" " + SYNTHETIC_LABEL if item.synthetic else "")
    if item.note:
        figure = _lines(item.note, COLUMN_CHARS) * LINE
    else:
        figure = VALUE_LINE + _lines(f"{item.change} on {last_year_label}", COLUMN_CHARS) * LINE
    words = _spc_words(item) + f". RAG: {item.rag}"
    return MEASURE_GAP + _lines(name, COLUMN_CHARS) * LINE + figure + _lines(words, COLUMN_CHARS) * LINE


def fit_headlines(items: list[Headline], title: str, last_year_label: str) -> int:
    """How many of the items (in order) fit the left column under the title, leaving room for the "more" line."""
    room = SLIDE_HEIGHT - _lines(title, TITLE_CHARS) * TITLE_LINE - TITLE_GAP
    count, used = 0, 0
    for number, item in enumerate(items, start=1):
        more = 0 if number == len(items) else 2 * LINE  # the "more" line is about 90 characters
        height = headline_height(item, last_year_label)
        if count and used + height + more > room:
            break
        count, used = count + 1, used + height
    return count


SUMMARY_ROOM = SLIDE_HEIGHT - (TITLE_LINE + TITLE_GAP) - 2 * LINE - 3 * LINE  # title, the intro and the count
SUMMARY_CHARS, SUMMARY_GAP = 58, 18  # a column of the two-column list (888 px)


def summary_item_height(row: dict) -> int:
    name = f"{row['measure']} (priority {int(row['priority_id'])})" + (f" {SYNTHETIC_LABEL}" if row.get("synthetic") else "")
    return (_lines(name, SUMMARY_CHARS) + _lines(attention_words(row) + ".", SUMMARY_CHARS)) * LINE + SUMMARY_GAP


def summary_pages(rows: list[dict]) -> list[list[dict]]:
    """The summary's items in screens: two to a row, as many rows as fit; at least one (empty) screen."""
    pages, page, used = [], [], 0
    for start in range(0, len(rows), 2):
        pair = rows[start:start + 2]
        height = max(summary_item_height(r) for r in pair)
        if page and used + height > SUMMARY_ROOM:
            pages.append(page)
            page, used = [], 0
        page += pair
        used += height
    return pages + [page] if page or not pages else pages


def more_line(shown: list[dict], total: int, attention: dict, *, attention_only: bool) -> str | None:
    """What the screen leaves out, counted: the Overview and the paper have every measure."""
    hidden = total - len(shown)
    if hidden <= 0:
        return None
    flagged = sum(1 for m in attention if m not in {r["measure_id"] for r in shown})
    plural = "s" if hidden != 1 else ""
    if attention_only:
        return (f"{hidden} other measure{plural} in this priority: "
                + (f"{flagged} more needing attention (see the Overview)." if flagged else "no exception."))
    if not flagged:
        return f"{hidden} more measure{plural} in this priority, none needing attention."
    return f"{hidden} more measure{plural} in this priority, {flagged} of them needing attention: see the Overview."


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


def pointer_line(left: list[Commentary]) -> str:
    """Under cut commentary: where the rest is, naming any commentary with no room on the screen."""
    names = ", ".join(note.about or "the priority" for note in left)
    return (f"Also published: {names}. " if left else "") + PAPER_POINTER


def fit_commentaries(notes: tuple[Commentary, ...]) -> tuple[list[tuple[Commentary, str, bool]], list[Commentary]]:
    """The commentaries shown under the chart, in order, each with its text cut to a share of the room (True when
    cut), and any with no room at all (named in the pointer line). Each needs a few words of text and its author."""
    def size(note: Commentary, text: str, cut: bool) -> int:
        return _lines(commentary_paragraph(note, text, cut), RIGHT_CHARS)

    def least(note: Commentary) -> int:
        return size(note, "x" * MIN_WORDS_CHARACTERS, True)

    whole = [(note, *fit_commentary(note.text, len(note.text))) for note in notes]
    if sum(size(*fitted) for fitted in whole) <= COMMENTARY_LINES:
        return whole, []
    count = len(notes)
    while count > 1 and sum(map(least, notes[:count])) + _lines(pointer_line(list(notes[count:])), RIGHT_CHARS) \
            > COMMENTARY_LINES:
        count -= 1
    room = COMMENTARY_LINES - _lines(pointer_line(list(notes[count:])), RIGHT_CHARS)
    fitted = []
    for number, note in enumerate(notes[:count]):
        later = sum(map(least, notes[number + 1:count]))
        lines = min(room - later, max(least(note), -(-room // (count - number))))  # a fair share; a short one leaves the rest
        spare = lines * RIGHT_CHARS - len(commentary_paragraph(note, "", True))
        text, cut = fit_commentary(note.text, max(spare, MIN_WORDS_CHARACTERS))
        fitted.append((note, text, cut))
        room -= size(note, text, cut)
    return fitted, list(notes[count:])


# ---- HTML --------------------------------------------------------------------------------------

def _rag(rag: str) -> str:
    # The Overview's swatch colours (each at least 3:1 on white); "Not rated" is an empty box, never a rating.
    return (f'<span class="rag"><i style="background:{RAG_COLOURS.get(rag, "#FFFFFF")}" aria-hidden="true"></i>'
            f"RAG: {escape(rag)}</span>")


def _spc_words(item: Headline) -> str:
    """The SPC state in words; with no SPC (a cumulative measure), the RAG's reason, so an Amber is explained."""
    words = [w for w in (item.variation, item.assurance, "trial limits" if item.trial_limits else None) if w]
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
    return (f'<li class="measure"><p class="name">{escape(item.name)}{tag}</p>{figure}'
            f'<p class="words">{spc}{_rag(item.rag)}</p></li>')


def _slide(slide_id: str, label: str, body: str) -> str:
    return (f'<section class="slide" id="{slide_id}" role="group" aria-roledescription="screen" '
            f'aria-label="{escape(label)}" hidden>{body}</section>')


def title_slide(deck: Deck) -> str:
    demo = (f'<p class="lead">Partner measures are synthetic demo data, marked “{SYNTHETIC_LABEL}”. '
            "Crime and ASB counts are real police.uk data.</p>") if deck.demo else ""
    only = '<p class="lead">Showing only the measures that need attention.</p>' if deck.attention_only else ""
    spc = (f" SPC as at the end of {escape(deck.spc_as_at)}: later months do not change it." if deck.spc_as_at
           else "")
    body = (f'<div class="title-screen"><p class="kicker">Police and Crime Panel</p>'
            f'<h1 class="big">Police and Crime Plan performance</h1>'
            f'<p class="subtitle">{escape(deck.area_name)}</p><p class="subtitle">{escape(deck.period_label)}</p>'
            f'<p class="lead">Published data as at {escape(deck.as_at)}.{spc}</p>{only}{demo}</div>')
    return _slide("screen-title", "Title", body)


def _summary_item(row: dict) -> str:
    words = attention_words(row)
    tag = f' <span class="tag">{SYNTHETIC_LABEL}</span>' if row.get("synthetic") else ""
    return (f'<li><p class="name">{escape(row["measure"])} <span class="priority">(priority {int(row["priority_id"])})'
            f'</span>{tag}</p><p class="words">{escape(words)}.</p></li>')


def summary_slides(deck: Deck) -> list[str]:
    rows = deck.exceptions.attention.to_dict("records")
    pages = summary_pages(rows)
    slides = []
    for number, page in enumerate(pages, start=1):
        part = f" ({number} of {len(pages)})" if len(pages) > 1 else ""
        if page:
            items = f'<ul class="summary">{"".join(_summary_item(r) for r in page)}</ul>'
        else:
            items = '<p class="lead">No measure shows special cause, a Red rating or newly unavailable data.</p>'
        intro = (f'<p class="lead">{len(rows)} measure{"s" if len(rows) != 1 else ""} need'
                 f'{"s" if len(rows) == 1 else ""} attention: special cause, Red, or data newly unavailable.</p>')
        rest = f'<p class="lead rest">{escape(deck.exceptions.summary())}</p>'
        body = f'<h2 class="screen-title">Summary{part}</h2>{intro}{items}{rest}'
        slides.append(_slide(f"screen-summary-{number}", f"Summary{part}", body))
    return slides


def priority_slide(screen: PriorityScreen, deck: Deck) -> str:
    measures = "".join(_headline_html(h, deck.last_year_label) for h in screen.headlines)
    if not screen.headlines:
        measures = '<li class="measure"><p class="note">No measure in this priority needs attention.</p></li>'
    more = f'<p class="more">{escape(screen.more)}</p>' if screen.more else ""
    chart = (f'<img class="chart" src="{screen.chart_uri}" alt="{escape(screen.chart_alt)}">' if screen.chart_uri
             else '<p class="note no-chart">No control chart: none of these measures is charted with SPC for this period.</p>')
    if screen.commentaries:
        fitted, left = fit_commentaries(screen.commentaries)
        parts = [f'<p><span class="label">{escape(_label(note))}</span> {escape(text)}{" …" if cut else ""} '
                 f'<span class="by">— {escape(note.by)}</span></p>' for note, text, cut in fitted]
        if left or any(cut for _, _, cut in fitted):
            parts.append(f'<p class="more">{escape(pointer_line(left))}</p>')
        commentary = f'<div class="commentary">{"".join(parts)}</div>'
    else:
        commentary = '<div class="commentary"><p class="note">No published commentary for this period.</p></div>'
    body = (f'<h2 class="screen-title">{screen.priority_id}. {escape(screen.title)}</h2>'
            f'<div class="columns"><div class="left"><ul class="measures">{measures}</ul>{more}</div>'
            f'<div class="right">{chart}{commentary}</div></div>')
    return _slide(f"screen-priority-{screen.priority_id}", f"Priority {screen.priority_id}", body)


def deck_html(deck: Deck, notes: tuple[str, ...] = ()) -> str:
    slides = [title_slide(deck), *summary_slides(deck), *(priority_slide(s, deck) for s in deck.screens)]
    only = " · exceptions only" if deck.attention_only else ""
    note = f'<span class="warn">{escape("; ".join(notes))}</span>' if notes else ""
    return (
        f"{DECK_STYLE}<div id=\"panel-deck\" data-seconds=\"{deck.seconds}\" lang=\"en-GB\">"
        f'<div class="frame"><header class="bar"><span>{escape(deck.area_name)} · '
        f"{escape(deck.period_label)}{only}</span><span>Published data as at {escape(deck.as_at)}"
        f'{" · updated " + escape(deck.updated) if deck.updated else ""}</span></header>'
        f'<main class="slides">{"".join(slides)}</main>'
        '<footer class="bar controls">'
        '<span class="buttons"><button type="button" data-action="previous">◀ Previous</button>'
        '<button type="button" data-action="pause" class="pause">Pause</button>'
        '<button type="button" data-action="next">Next ▶</button></span>'
        f'<span class="status" aria-live="polite"></span>{note}'
        '<span class="keys">Keys: ← → or Space to step, P to pause</span></footer></div></div>'
        f"<script>{DECK_SCRIPT}</script>"
    )


DECK_STYLE = """
<style>
#panel-deck {
  --px: min(calc(100vw / 1920), calc(100vh / 1080));
  position: fixed; inset: 0; z-index: 999990; background: #FFFFFF; color: #0B0C0C;
  font-family: "Source Sans", "Source Sans Pro", "Liberation Sans", Arial, sans-serif;
  font-size: calc(32 * var(--px)); line-height: 1.25; display: flex; align-items: center; justify-content: center;
}
#panel-deck * { box-sizing: border-box; margin: 0; padding: 0; font-family: inherit; color: inherit;
  font-size: inherit; line-height: inherit; letter-spacing: normal; }
#panel-deck .frame { width: calc(1920 * var(--px)); height: calc(1080 * var(--px)); display: flex; flex-direction: column; }
#panel-deck .bar { display: flex; justify-content: space-between; align-items: center; gap: calc(24 * var(--px));
  background: #0B0C0C; color: #FFFFFF; font-size: calc(26 * var(--px)); padding: 0 calc(40 * var(--px));
  height: calc(64 * var(--px)); flex: none; }
#panel-deck .bar * { color: #FFFFFF; }
#panel-deck .bar button { color: #0B0C0C; }
#panel-deck .controls { height: calc(84 * var(--px)); }
#panel-deck .buttons { display: flex; gap: calc(16 * var(--px)); }
#panel-deck button { font-size: calc(26 * var(--px)); font-weight: 700; background: #FFFFFF; color: #0B0C0C;
  border: calc(3 * var(--px)) solid #FFFFFF; border-radius: calc(6 * var(--px));
  padding: calc(6 * var(--px)) calc(20 * var(--px)); cursor: pointer; }
#panel-deck button:focus-visible { outline: calc(4 * var(--px)) solid #FFDD00; outline-offset: calc(2 * var(--px)); }
#panel-deck .warn { font-weight: 700; }
#panel-deck .slides { flex: 1; position: relative; overflow: hidden; }
#panel-deck .slide { position: absolute; inset: 0; padding: calc(28 * var(--px)) calc(48 * var(--px)); overflow: hidden; }
#panel-deck .slide[hidden] { display: none; }
#panel-deck .screen-title { font-size: calc(44 * var(--px)); font-weight: 700; line-height: 1.15;
  margin-bottom: calc(20 * var(--px)); }
#panel-deck .title-screen { display: flex; flex-direction: column; justify-content: center; height: 100%;
  gap: calc(24 * var(--px)); padding-left: calc(40 * var(--px)); }
#panel-deck .kicker { font-size: calc(40 * var(--px)); font-weight: 700; }
#panel-deck .big { font-size: calc(80 * var(--px)); font-weight: 700; line-height: 1.1; }
#panel-deck .subtitle { font-size: calc(52 * var(--px)); }
#panel-deck .lead { font-size: calc(32 * var(--px)); }
#panel-deck .columns { display: flex; gap: calc(40 * var(--px)); }
#panel-deck .left { width: calc(760 * var(--px)); flex: none; }
#panel-deck .right { width: calc(1040 * var(--px)); flex: none; }
#panel-deck ul { list-style: none; }
#panel-deck .measure { margin-bottom: calc(22 * var(--px)); padding-left: calc(16 * var(--px));
  border-left: calc(6 * var(--px)) solid #505050; }
#panel-deck .name { font-weight: 700; }
#panel-deck .value { font-size: calc(64 * var(--px)); font-weight: 700; line-height: 1.1; }
#panel-deck .tag { font-size: calc(24 * var(--px)); font-weight: 400; border: calc(2 * var(--px)) solid #505050;
  padding: 0 calc(8 * var(--px)); white-space: nowrap; }
#panel-deck .rag { display: inline-flex; align-items: center; gap: calc(10 * var(--px)); font-weight: 700; white-space: nowrap; }
#panel-deck .rag i { display: inline-block; width: calc(26 * var(--px)); height: calc(26 * var(--px));
  border: calc(2 * var(--px)) solid #505A5F; }
#panel-deck .chart { display: block; width: calc(1040 * var(--px)); height: calc(470 * var(--px)); }
#panel-deck .no-chart { height: calc(470 * var(--px)); }
#panel-deck .commentary { margin-top: calc(16 * var(--px)); }
#panel-deck .label { font-weight: 700; }
#panel-deck .summary { display: grid; grid-template-columns: 1fr 1fr; column-gap: calc(48 * var(--px));
  row-gap: calc(18 * var(--px)); margin: calc(16 * var(--px)) 0; }
#panel-deck .priority { font-weight: 400; }
[data-testid="stElementContainer"][data-stale="true"] { opacity: 1 !important; transition: none !important; }
</style>
"""

DECK_SCRIPT = """
(function () {
  const deck = document.getElementById("panel-deck");
  if (!deck) { return; }
  const slides = Array.from(deck.querySelectorAll(".slide"));
  const seconds = Number(deck.dataset.seconds);
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  // One state for the page, kept across redraws when the data refreshes.
  const state = window.panelState || (window.panelState = { slide: null, paused: reduced, steps: 0 });
  let index = Math.max(0, slides.findIndex(s => s.id === state.slide));
  const status = deck.querySelector(".status");
  const pause = deck.querySelector(".pause");
  function show(i) {
    index = (i + slides.length) % slides.length;
    slides.forEach((s, n) => { s.hidden = n !== index; });
    state.slide = slides[index].id;
    render();
  }
  function render() {
    pause.textContent = state.paused ? "Play" : "Pause";
    pause.setAttribute("aria-label", state.paused ? "Play: move on by itself" : "Pause: stop moving on");
    status.textContent = "Screen " + (index + 1) + " of " + slides.length +
      (state.paused ? " · paused" : " · next in " + seconds + " s");
    deck.dataset.screen = String(index + 1);
    deck.dataset.paused = String(state.paused);
  }
  function schedule() {
    clearTimeout(window.panelTimer);
    if (!state.paused) { window.panelTimer = setTimeout(() => step(1), seconds * 1000); }
  }
  function step(d) { state.steps += 1; deck.dataset.steps = String(state.steps); show(index + d); schedule(); }
  function toggle() { state.paused = !state.paused; render(); schedule(); }
  function key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    const onButton = event.target && event.target.tagName === "BUTTON";
    if (event.key === "ArrowRight" || event.key === "PageDown" || (event.key === " " && !onButton)) { step(1); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { step(-1); }
    else if (event.key === "p" || event.key === "P" || event.key === "k" || event.key === "K") { toggle(); }
    else if (event.key === "Home") { show(0); schedule(); }
    else if (event.key === "End") { show(slides.length - 1); schedule(); }
    else { return; }
    event.preventDefault();
  }
  window.panelKey = key;  // the newest deck answers the keys
  if (!window.panelKeysBound) {
    document.addEventListener("keydown", e => window.panelKey(e));
    window.panelKeysBound = true;
  }
  deck.querySelector('[data-action="previous"]').addEventListener("click", () => step(-1));
  deck.querySelector('[data-action="next"]').addEventListener("click", () => step(1));
  pause.addEventListener("click", toggle);
  show(index);
  schedule();
})();
"""
