"""The run's window policy (:func:`hfm_bot.state.plan_window`), on plain values: one day,
a backfill resumed or finished, and the sources' watermarks with their overlap."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hfm_bot import state
from hfm_bot.errors import InputError
from hfm_bot.sources.base import FetchWindow

TODAY = dt.date(2025, 10, 8)
STATE_FILE = Path("labeled_data/state.json")


def _plan(run_state: state.State, asked: state.Asked, *sources: str) -> state.Planned:
    return state.plan_window(run_state, asked, TODAY, sources or ("arxiv",), 2, STATE_FILE)


def test_one_day_is_that_day_whatever_the_watermarks() -> None:
    day = dt.date(2025, 10, 1)
    marked = state.State({"arxiv": dt.date(2025, 10, 7)})
    assert _plan(marked, state.Asked(date=day)) == state.Planned(FetchWindow(day, day))


def test_the_last_day_is_until_else_the_day_asked_else_today() -> None:
    assert state.today_of(state.Asked(), TODAY) == TODAY
    assert state.today_of(state.Asked(date=dt.date(2025, 9, 1)), TODAY) == dt.date(2025, 9, 1)
    until = dt.date(2025, 9, 30)
    assert state.today_of(state.Asked(since=dt.date(2025, 9, 1), until=until), TODAY) == until


def test_a_new_backfill_walks_from_its_first_day() -> None:
    since = dt.date(2025, 9, 1)
    planned = _plan(state.State(), state.Asked(since=since))
    assert planned == state.Planned(FetchWindow(since, TODAY))


def test_the_same_backfill_resumes_after_the_last_day_done() -> None:
    since = dt.date(2025, 9, 1)
    run_state = state.State(backfill=state.Backfill(since, dt.date(2025, 9, 20)))
    planned = _plan(run_state, state.Asked(since=since))
    assert planned.window == FetchWindow(dt.date(2025, 9, 21), TODAY)
    assert planned.note is not None
    assert "resuming the backfill from 2025-09-01 at 2025-09-21" in planned.note
    assert str(STATE_FILE) in planned.note and "--restart" in planned.note


def test_restart_and_another_since_ignore_the_record() -> None:
    since = dt.date(2025, 9, 1)
    run_state = state.State(backfill=state.Backfill(since, dt.date(2025, 9, 20)))
    restarted = _plan(run_state, state.Asked(since=since, restart=True))
    assert restarted == state.Planned(FetchWindow(since, TODAY))
    other = dt.date(2025, 9, 10)
    assert _plan(run_state, state.Asked(since=other)) == state.Planned(FetchWindow(other, TODAY))


def test_a_finished_backfill_fetches_nothing_and_says_so() -> None:
    since = dt.date(2025, 9, 1)
    run_state = state.State(backfill=state.Backfill(since, TODAY))
    planned = _plan(run_state, state.Asked(since=since))
    assert planned.window is None
    assert planned.note is not None and "nothing left to fetch" in planned.note
    assert f"done to {TODAY}" in planned.note


def test_a_night_starts_at_the_earliest_watermark_less_the_overlap() -> None:
    marks = {"arxiv": dt.date(2025, 10, 6), "biorxiv": dt.date(2025, 10, 3)}
    planned = _plan(state.State(marks), state.Asked(), "arxiv", "biorxiv")
    assert planned == state.Planned(FetchWindow(dt.date(2025, 10, 1), TODAY))
    # A source never run before starts the day before: the earliest still wins.
    fresh = _plan(state.State({"arxiv": dt.date(2025, 10, 7)}), state.Asked(), "arxiv", "rss")
    assert fresh.window == FetchWindow(dt.date(2025, 10, 5), TODAY)


def test_a_window_that_ends_before_it_starts_is_bad_input() -> None:
    with pytest.raises(InputError, match="2025-10-09"):
        _plan(state.State(), state.Asked(since=dt.date(2025, 10, 9)))
