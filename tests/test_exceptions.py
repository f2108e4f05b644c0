"""Exception reporting: which measures need attention, with literal Overview rows."""
import pandas as pd
import pytest
from example_rows import example_row

from analysis import calendar as cal
from analysis.exceptions import attention_reasons, newly_unavailable, select_exceptions
from analysis.overview import overview_frame


def table(*rows) -> pd.DataFrame:
    return overview_frame([example_row(measure_id=m, measure=name, variation_icon=icon, rag=rag, status=status)
                           for m, name, icon, rag, status in rows])


def test_special_cause_in_either_direction_counts_and_common_cause_does_not():
    assert all(example_row(variation_icon=icon).special_cause for icon in ("improvement_low", "concern_high",
                                                                           "neutral_high"))
    assert not example_row(variation_icon="common_cause").special_cause
    assert not example_row(variation_icon=None).special_cause


def test_newly_unavailable_needs_a_figure_before_and_none_now():
    assert newly_unavailable("not yet received", "complete")
    assert newly_unavailable("no data", "partial")
    assert not newly_unavailable("not yet received", "not yet received")  # unavailable both times: not new
    assert not newly_unavailable("complete", "complete")
    assert not newly_unavailable("in development", None)


def test_reasons_are_given_in_words_and_can_combine():
    row = example_row(variation_icon="concern_high", rag="Red", status="complete")
    assert attention_reasons(row, "complete") == ["special cause", "Red"]
    assert attention_reasons(example_row(variation_icon="common_cause", rag="Amber"), "complete") == []


def test_selection_lists_the_exceptions_and_counts_the_rest():
    current = table(
        ("all_crime", "All crime", "concern_high", "Red", "complete"),
        ("burglary", "Burglary", "improvement_low", "Green", "complete"),
        ("robbery", "Robbery", "common_cause", "Amber", "complete"),
        ("drugs", "Drugs", "common_cause", "Green", "complete"),
        ("yjs", "First-time entrants", None, "Not rated", "not yet received"),
        ("mh_training", "Training", None, "Amber", "complete"),
        (None, "Measures in development", None, "Not rated", "in development"),
        ("rape_sat", "Rape victim satisfaction", None, "Not rated", "no data"),
    )
    previous = table(
        ("yjs", "First-time entrants", "common_cause", "Amber", "complete"),
        ("rape_sat", "Rape victim satisfaction", None, "Not rated", "no data"),
    )
    found = select_exceptions(current, previous)
    assert list(found.attention["measure_id"]) == ["all_crime", "burglary", "yjs"]
    assert list(found.attention["attention"]) == ["special cause, Red", "special cause", "data newly unavailable"]
    assert found.within_expected == 2  # robbery, drugs
    assert found.not_assessed == 3  # training (cumulative), the priority in development, rape satisfaction (no data before either)
    assert found.rest == 5
    assert found.summary() == ("2 other measures are within expected levels; 3 are not assessed with SPC "
                               "(no data this period, in development, or a cumulative measure).")


def test_without_the_period_before_nothing_is_newly_unavailable():
    found = select_exceptions(table(("yjs", "First-time entrants", None, "Not rated", "not yet received")))
    assert found.attention.empty and found.not_assessed == 1


def test_an_empty_table_has_no_exceptions():
    found = select_exceptions(table())
    assert found.attention.empty and found.rest == 0
    assert found.summary() == "0 other measures are within expected levels."


def test_one_measure_within_expected_levels_is_singular():
    found = select_exceptions(table(("robbery", "Robbery", "common_cause", "Amber", "complete")))
    assert found.summary() == "1 other measure is within expected levels."


def test_the_period_before_is_of_the_same_kind():
    assert cal.preceding(cal.quarter(2021, 1)) == cal.quarter(2020, 4)
    assert cal.preceding(cal.quarter(2021, 2)) == cal.quarter(2021, 1)
    assert cal.preceding(cal.financial_year(2021)) == cal.financial_year(2020)
    before = cal.preceding(cal.month_range(cal.month("2021-10"), cal.month("2021-12")))
    assert (str(before.first), str(before.last), before.label) == ("2021-07", "2021-09", "July 2021 to September 2021")
    assert cal.preceding(cal.month_range(cal.month("2021-10"), cal.month("2021-10"))).label == "September 2021"


def test_quarter_codes_for_the_command_line():
    assert cal.parse_quarter_code("2021-22-Q1") == cal.quarter(2021, 1)
    assert cal.parse_quarter_code("2099-00-q4") == cal.quarter(2099, 4)


@pytest.mark.parametrize("bad, message", [
    ("2021-Q1", "write it as 2021-22-Q1"), ("2021-23-Q1", "write it as 2021-22-Q1"),
    ("Q1 2021/22", "write it as 2021-22-Q1"), ("2021-22-1", "write it as 2021-22-Q1"),
    ("2021-22-Q5", "quarter must be 1 to 4"),
])
def test_a_bad_quarter_code_is_refused_with_the_form_to_use(bad, message):
    with pytest.raises(ValueError, match=message):
        cal.parse_quarter_code(bad)
