"""Every cell's state comes with a reason."""
from datetime import date

from analysis.availability import cell_status
from analysis.formatting import format_value


def test_priority_without_measures_is_in_development():
    status = cell_status(measure_id=None, months_with_data=0, months_in_period=3,
                         availability_state="in development", availability_reason="Being agreed")
    assert (status.state, status.reason) == ("in development", "Being agreed")


def test_provisional_gives_its_publish_after_date():
    status = cell_status(measure_id="yjs", months_with_data=0, months_in_period=3, availability_state="provisional",
                         availability_reason="To the board first", availability_date=date(2022, 6, 15))
    assert status.state == "provisional"
    assert status.reason.startswith("Provisional until 15 June 2022")


def test_partial_and_empty_periods_are_named():
    assert cell_status(measure_id="m", months_with_data=2, months_in_period=3).state == "partial"
    assert cell_status(measure_id="m", months_with_data=0, months_in_period=3).state == "no data"
    complete = cell_status(measure_id="m", months_with_data=3, months_in_period=3)
    assert complete.state == "complete" and complete.reason


def test_a_withheld_state_does_not_hide_data_that_is_complete():
    status = cell_status(measure_id="m", months_with_data=3, months_in_period=3, availability_state="nationally unavailable",
                         availability_reason="from October")
    assert status.state == "complete"


def test_values_are_formatted_by_unit():
    assert format_value(6073.0, "count") == "6,073"
    assert format_value(85.04, "percentage") == "85.0%"
    assert format_value(7.7, "currency") == "£7.70m"
    assert format_value(float("nan"), "count") == "–"
