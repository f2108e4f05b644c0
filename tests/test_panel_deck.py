"""Panel mode's screens as HTML (no browser): the interval, what fits, what is left out, and escaping."""

import pandas as pd

from analysis.exceptions import select_exceptions
from components.panel_deck import (
    COMMENTARY_LINES,
    MIN_SECONDS,
    RIGHT_CHARS,
    Commentary,
    Deck,
    Headline,
    PriorityScreen,
    advance_seconds,
    commentary_paragraph,
    deck_html,
    fit_commentaries,
    fit_commentary,
    fit_headlines,
    more_line,
    ordered_rows,
    pointer_line,
    summary_pages,
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


def test_attention_rows_come_first_then_catalogue_order():
    rows = pd.DataFrame({"measure_id": ["a", "b", "c", "d"]})
    attention = {"c": "special cause"}
    assert [r["measure_id"] for r in ordered_rows(rows, attention, attention_only=False)] == ["c", "a", "b", "d"]
    assert [r["measure_id"] for r in ordered_rows(rows, attention, attention_only=True)] == ["c"]


def test_the_more_line_counts_what_the_screen_leaves_out():
    shown = [{"measure_id": "c"}, {"measure_id": "a"}]
    assert more_line(shown, 2, {"c": "Red"}, attention_only=False) is None
    assert more_line(shown, 5, {"c": "Red", "d": "special cause"}, attention_only=False) == \
        "3 more measures in this priority, 1 of them needing attention: see the Overview."
    assert more_line(shown[:1], 2, {"c": "Red"}, attention_only=True) == "1 other measure in this priority: no exception."


def test_the_more_line_sends_nobody_to_the_overview_for_nothing():
    # It read "1 more measure in this priority, 0 of them needing attention: see the Overview."
    shown = [{"measure_id": "c"}]
    assert more_line(shown, 2, {"c": "Red"}, attention_only=False) == \
        "1 more measure in this priority, none needing attention."
    assert more_line(shown, 4, {}, attention_only=False) == "3 more measures in this priority, none needing attention."


def item(name: str) -> Headline:
    return Headline(measure_id="m", name=name, value="1,234", change="+1 (+0.1%)", comparable=True,
                    variation="Common cause variation", assurance=None, trial_limits=False, rag="Amber",
                    synthetic=False, note="", attention="")


def test_a_long_title_leaves_room_for_fewer_measures():
    items = [item("Short name")] * 6
    # 852 px of screen (876 less 24 for rounding). A measure: gap 22 + name 40 + figure 70 + change 40 + words 40
    # = 212 px; the "more" line 80. A one-line title (51 + 20 px) leaves 781 px: three measures (636 + 80), not four.
    assert fit_headlines(items, "11. To reduce all crime", "Q1 2020/21") == 3
    # A 153-character title takes three lines (153 + 20 px), leaving 679 px: two measures (424 + 80), not three (716).
    assert fit_headlines(items, "6. " + "x" * 150, "Q1 2020/21") == 2
    assert fit_headlines([item("n" * 300)], "t", "Q1 2020/21") == 1  # one measure always shows


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
        assert all(f"{n.about}" in pointer_line(left) for n in left)  # those with no room are named
    assert fit_commentaries(notes)[1]  # nine do not all fit
    short = (Commentary(None, "Short.", "A, co-ordinator"), Commentary("M", "Also short.", "B, co-ordinator"))
    assert fit_commentaries(short) == ([(short[0], "Short.", False), (short[1], "Also short.", False)], [])


def test_text_from_the_database_is_escaped():
    table = pd.DataFrame({"measure_id": ["m"], "measure": ["<b>M</b>"], "variation_icon": ["common_cause"],
                          "rag": ["Amber"], "status": ["complete"]})
    deck = Deck(area_name="Area <1>", period_label="Q1 2021/22", last_year_label="Q1 2020/21", as_at="31 May 2022 (demo snapshot)",
                demo=False, seconds=5, attention_only=False, exceptions=select_exceptions(table),
                screens=[PriorityScreen(1, "Title", [item("<script>alert(1)</script>")], None,
                                        commentaries=(Commentary("<i>M</i>", "Note </p><script>x()</script>", "A & B"),))])
    html = deck_html(deck)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>x()</script>" not in html and "A &amp; B" in html and "Area &lt;1&gt;" in html
    assert "&lt;i&gt;M&lt;/i&gt;:" in html
    assert html.count('class="slide"') == 3 and 'data-seconds="5"' in html


def test_the_summary_takes_as_many_screens_as_its_items_need():
    row = {"measure": "M", "priority_id": 1, "synthetic": False, "variation_icon": "concern_high", "rag": "Red",
           "attention": "special cause, Red", "status_reason": ""}
    # Each item: one line of name, one of words (2 x 40 px) and an 18 px gap = 98 px a row of two;
    # 581 px of room (852 less the title 71, the intro 80 and the count 120) takes five rows (490), not six (588).
    assert [len(page) for page in summary_pages([row] * 14)] == [10, 4]
    assert summary_pages([]) == [[]]
