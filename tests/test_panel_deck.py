"""Panel mode's screens as HTML (no browser): the interval, what fits, what is left out, and escaping."""

from dataclasses import replace

from example_rows import example_row

from analysis.exceptions import PRIORITY_STATUSES, priority_status, select_exceptions
from analysis.overview import overview_frame
from render.panel_deck import (
    COMMENTARY_LINES,
    MIN_SECONDS,
    RIGHT_CHARS,
    ROOM,
    STORY_COLUMNS,
    Commentary,
    Deck,
    Headline,
    PriorityScreen,
    PriorityStatus,
    advance_seconds,
    change_plain,
    chart_height,
    commentary_paragraph,
    deck_html,
    fit_commentaries,
    fit_commentary,
    more_line,
    pointer_line,
    screen_rows,
    story_item_height,
    story_kind,
    story_pages,
)


def test_the_interval_is_at_least_five_seconds():
    assert MIN_SECONDS == 5
    assert advance_seconds(None) == (20, None)
    assert advance_seconds("12") == (12, None)
    assert advance_seconds("3") == (5, "advance=3 is below the minimum; using 5")
    seconds, note = advance_seconds("fast")
    assert seconds == 20 and "not a whole number of seconds; using 20" in note and "fast" not in note  # not echoed


def test_commentary_is_cut_at_a_sentence_end_within_the_limit():
    text = "First sentence here. Second sentence is longer than the first one. Third."
    assert fit_commentary(text, limit=100) == (text, False)
    assert fit_commentary(text, limit=36) == ("First sentence here.", True)  # a sentence end past half the limit
    assert fit_commentary(text, limit=60) == ("First sentence here. Second sentence is longer than the", True)
    assert fit_commentary("one two three four five six", limit=14) == ("one two three", True)


def test_the_more_line_counts_the_measures_without_a_screen():
    assert more_line(2, 2, attention_only=False) is None
    assert more_line(1, 4, attention_only=False) == "3 other measures: none needs attention."
    assert more_line(1, 2, attention_only=True) == "1 other measure: no exception."


def test_every_measure_needing_attention_gets_a_screen_and_a_quiet_priority_its_charted_lead():
    """#19.3-4: a flagged measure was missing from its own screen ("see the Overview")."""
    rows = [example_row(measure_id=m, variation_icon=icon)
            for m, icon in zip("abcd", [None, "common_cause", "concern_high", "improvement_low"])]
    assert [r.measure_id for r in screen_rows(rows, {"c": "special cause", "d": "special cause"},
                                              attention_only=False)] == ["c", "d"]
    assert [r.measure_id for r in screen_rows(rows, {}, attention_only=False)] == ["b"]  # the first with a chart
    assert screen_rows(rows, {}, attention_only=True) == []
    uncharted = [example_row(measure_id=m, variation_icon=None) for m in "ab"]
    assert [r.measure_id for r in screen_rows(uncharted, {}, attention_only=False)] == ["a"]


def test_changes_read_in_plain_words():
    assert change_plain("+617 (+22.5%)") == "up 617 (22.5%)"
    assert change_plain("-194 (-19.1%)") == "down 194 (19.1%)"
    assert change_plain("+3.1 percentage points") == "up 3.1 percentage points"
    assert change_plain("-£0.18m") == "down £0.18m"
    assert change_plain("no change (0)") == "no change (0)"
    assert change_plain("No comparison: no data last year") == "No comparison: no data last year"


def test_a_priority_status_puts_a_concern_before_an_improvement():
    row = example_row(measure_id="m", variation_icon="common_cause", rag="Amber")
    assert priority_status([row], {}) == "common_cause"
    assert priority_status([row, replace(row, measure_id="n", variation_icon="improvement_low")], {}) == "improvement"
    assert priority_status([replace(row, variation_icon="improvement_low"),
                            replace(row, measure_id="n", variation_icon="concern_high")], {}) == "concern"
    assert priority_status([replace(row, variation_icon=None, rag="Red")], {"m": "Red"}) == "concern"
    assert priority_status([replace(row, variation_icon=None)], {"m": "data newly unavailable"}) == "concern"
    assert priority_status([replace(row, variation_icon="neutral_low")], {}) == "neither"
    assert priority_status([replace(row, variation_icon=None)], {}) == "not_assessed"
    assert PRIORITY_STATUSES[0] == "concern" and PRIORITY_STATUSES[1] == "improvement"


def story_row(measure: str, icon: str | None, rag: str = "Amber", priority: int = 1) -> tuple:
    return (example_row(measure_id=measure, measure=f"Measure {measure}", priority_id=priority, variation_icon=icon,
                        rag=rag), "special cause")


def test_the_exceptions_story_tells_concerns_then_improvements_on_as_few_screens_as_fit():
    rows = [story_row("a", "improvement_low"), story_row("b", "concern_high"), story_row("c", "neutral_high"),
            story_row("d", None, rag="Red"), story_row("e", "improvement_high")]
    assert [story_kind(r) for r in rows] == ["improvement", "concern", "other", "concern", "improvement"]
    pages = story_pages(rows, "Q1 2020/21")
    assert len(pages) == 1  # five short items fit one screen of two columns
    blocks = [b for column in pages[0] for b in column]
    assert [b[1] if b[0] == "heading" else b[1][0].measure_id for b in blocks] == [
        "Concerns", "b", "d", "Improvements", "a", "e", "Unusual, neither better nor worse, or without data", "c"]
    many = [story_row(str(n), "concern_high") for n in range(30)]
    pages = story_pages(many, "Q1 2020/21")
    per_screen = STORY_COLUMNS * (ROOM // story_item_height(many[0], "Q1 2020/21"))
    assert len(pages) == -(-30 // per_screen) or len(pages) == -(-30 // per_screen) + 1  # the count line may need one
    shown = [b[1][0].measure_id for page in pages for column in page for b in column if b[0] == "item"]
    assert shown == [str(n) for n in range(30)]  # every one, in order, none twice
    for page in pages:
        assert len(page) <= STORY_COLUMNS
        for column in page:
            assert column[-1:] == [] or column[-1][0] != "heading"  # a heading never ends a column


def item(name: str) -> Headline:
    return Headline(measure_id="m", name=name, value="1,234", change="+1 (+0.1%)", comparable=True,
                    variation="Common cause variation", assurance=None, trial_limits=False, rag="Amber",
                    synthetic=False, note="", attention="")


def test_the_chart_takes_the_room_its_commentary_leaves():
    note = Commentary(None, "Steady.", "Jane Smith (co-ordinator)")
    long = Commentary("M", "A sentence about the figures this quarter. " * 30, "Jane Smith (co-ordinator)")
    assert chart_height(()) == ROOM
    assert ROOM > chart_height((note,)) > chart_height((note, long))


def test_every_commentary_of_a_priority_shows_or_is_named_within_the_room_under_the_chart():
    def lines(text):
        return -(-len(text) // RIGHT_CHARS)

    long = "A sentence about the figures this quarter. " * 30
    for count in (1, 2, 3, 5, 9):
        notes = tuple(Commentary(None if n == 0 else f"Measure {n}", long, "Jane Smith, co-ordinator")
                      for n in range(count))
        fitted, left = fit_commentaries(notes)
        assert [n for n, _, _ in fitted] + left == list(notes)  # every one, in order
        assert fitted[0][0].about is None and all(cut for _, _, cut in fitted)  # the priority's own first
        assert all(text and long.startswith(text) for _, text, _ in fitted)
        used = sum(lines(commentary_paragraph(*f)) for f in fitted) + lines(pointer_line(left))
        assert used <= COMMENTARY_LINES, count
        pointer = pointer_line(left)
        counted = f"{len(left)} more published, in the Panel paper."
        assert all(f"{n.about}" in pointer for n in left) or pointer == counted  # named, or counted where names overflow
    assert fit_commentaries(notes)[1]  # nine do not all fit
    short = (Commentary(None, "Short.", "A, co-ordinator"), Commentary("M", "Also short.", "B, co-ordinator"))
    assert fit_commentaries(short) == ([(short[0], "Short.", False), (short[1], "Also short.", False)], [])


def test_text_from_the_database_is_escaped():
    table = overview_frame([example_row(measure="<b>M</b>", variation_icon="common_cause")])
    deck = Deck(area_name="Area <1>", period_label="Q1 2021/22", last_year_label="Q1 2020/21", as_at="31 May 2022 (demo snapshot)",
                demo=False, seconds=5, attention_only=False, exceptions=select_exceptions(table),
                screens=[PriorityScreen(1, "Title", [item("<script>alert(1)</script>")], None,
                                        commentaries=(Commentary("<i>M</i>", "Note </p><script>x()</script>", "A & B"),))])
    html = deck_html(deck)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>x()</script>" not in html and "A &amp; B" in html and "Area &lt;1&gt;" in html
    assert "&lt;i&gt;M&lt;/i&gt;:" in html
    # title, status, the exceptions and the priority
    assert html.count('class="slide"') == 4 and 'data-seconds="5"' in html


def test_the_status_screen_lists_every_priority_concerns_first():
    table = overview_frame([example_row(variation_icon="common_cause")])
    statuses = [PriorityStatus(n, f"Name {n}", PRIORITY_STATUSES[n % len(PRIORITY_STATUSES)]) for n in range(1, 19)]
    deck = Deck(area_name="A", period_label="Q1 2021/22", last_year_label="Q1 2020/21", as_at="31 May 2022",
                demo=False, seconds=20, attention_only=False, exceptions=select_exceptions(table), statuses=statuses)
    html = deck_html(deck)
    screen = html[html.index('id="screen-status"'):html.index('id="screen-summary-1"')]
    import re
    listed = re.findall(r'data-priority="(\d+)" data-status="(\w+)"', screen)
    assert sorted(int(p) for p, _ in listed) == list(range(1, 19))
    ranks = [PRIORITY_STATUSES.index(s) for _, s in listed]
    assert ranks == sorted(ranks)  # concerns first, then improvements, ...
    assert "Concern</p>" in screen and "Name 1" in screen and screen.count('<img class="symbol"') == 18
