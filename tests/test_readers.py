"""The one read path: a reader is a plain function of a cursor, called without one through components/readers/,
as the session's user may see (or, with .public, as the public may), cached per data version, visibility and
arguments."""
import inspect
from datetime import date

import pytest

import access
import dashboard_data
import datastore
import queries
from components import database
from components.readers import catalogue, series

ANALYST_SEES = access.Visibility(released_through=date(2022, 12, 31), include_provisional=True)


@pytest.fixture
def as_analyst(app_env, monkeypatch):
    """The app's database, read by a session whose user sees provisional data."""
    monkeypatch.setattr(database, "current_visibility", lambda: ANALYST_SEES)


def test_a_reader_is_the_function_it_names():
    """Go-to-definition, help() and the dead-code check reach the function itself, not a name in a string."""
    assert series.measure_series.__wrapped__ is dashboard_data.measure_series
    assert catalogue.priorities.__doc__ == dashboard_data.priorities.__doc__
    assert catalogue.measures.__name__ == "measures"
    assert list(inspect.signature(catalogue.measures.__wrapped__).parameters) == ["cur"]


def test_a_reader_reads_as_the_session_and_its_public_form_as_the_public(as_analyst):
    calls = []

    @database.cached_reader
    def seen_by(cur, tag: str, *, grain: str = "month"):
        calls.append((cur.visibility, tag, grain))
        return cur.visibility

    assert seen_by("a") == ANALYST_SEES
    public = database.public_visibility()
    assert public != ANALYST_SEES and not public.include_provisional
    assert seen_by.public("a") == public
    assert len(calls) == 2  # one read per visibility


def test_a_reader_is_cached_per_visibility_and_arguments(as_analyst):
    calls = []

    @database.cached_reader
    def counted(cur, tag: str, *, first: str = "", last: str = ""):
        calls.append(tag)
        return len(calls)

    first = counted("x", first="2021-04", last="2022-03")
    assert counted("x", last="2022-03", first="2021-04") == first  # the same arguments, in any keyword order
    assert len(calls) == 1
    counted("y", first="2021-04", last="2022-03")
    counted.public("x", first="2021-04", last="2022-03")
    assert calls == ["x", "y", "x"]


def test_a_named_query_reader_reads_what_the_query_does(as_analyst, demo_con):
    """The readers of named queries return the query's frame, as the session's user may see it."""
    cur = datastore.reader(demo_con, ANALYST_SEES)
    try:
        expected = queries.run(cur, "app/month_span")
    finally:
        cur.close()
    assert catalogue.month_span().equals(expected)
