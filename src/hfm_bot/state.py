"""The bot's memory of where each source got to: a small JSON file committed with its data.

A source's watermark is the last day of its last successful window. The next run starts a
few days before it (the overlap), so a missed night is caught up and a late-announced paper
is not lost; papers fetched twice are dropped later by their keys.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_text
from hfm_bot.sources.base import FetchWindow

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Backfill:
    """How far a backfill (``run --since``) got: every source fetched from ``since`` up to
    ``done``, slice by slice. The same command run again continues after ``done``."""

    since: dt.date
    done: dt.date


@dataclass(frozen=True, slots=True)
class State:
    watermarks: dict[str, dt.date] = field(default_factory=dict)
    silent_runs: int = 0
    """Runs in a row in which the arXiv sources returned nothing on announcement days."""
    backfill: Backfill | None = None

    def resume_from(self, since: dt.date) -> dt.date | None:
        """The day after the one a backfill from ``since`` got to, if one did."""
        if self.backfill is None or self.backfill.since != since:
            return None
        return self.backfill.done + dt.timedelta(days=1)

    def backfilled(self, since: dt.date, piece: FetchWindow) -> State:
        """Record a slice every source fetched; only a slice that continues the record
        moves it (a failed slice stops it, so the next run fetches that slice again)."""
        start = self.resume_from(since) or since
        if piece.since > start:
            return self
        return replace(self, backfill=Backfill(since, max(piece.until, start - _DAY)))

    def window(
        self, source: str, today: dt.date, overlap_days: int, first_run_days: int = 1
    ) -> FetchWindow:
        """The window a run should fetch for ``source``, ending ``today``."""
        mark = self.watermarks.get(source)
        if mark is None:
            since = today - dt.timedelta(days=first_run_days)
        else:
            since = min(mark, today) - dt.timedelta(days=overlap_days)
        return FetchWindow(since=since, until=today)

    def advanced(self, source: str, until: dt.date) -> State:
        """A new state with ``source`` done up to ``until`` (never moved backwards)."""
        marks = dict(self.watermarks)
        old = marks.get(source)
        marks[source] = until if old is None else max(old, until)
        return replace(self, watermarks=marks)

    def with_silence(self, silent: bool) -> State:
        return replace(self, silent_runs=self.silent_runs + 1 if silent else 0)


@dataclass(frozen=True, slots=True)
class Asked:
    """The window a run was asked for: one announcement day, a backfill from a day (resumed
    where the last run of the same backfill stopped, unless ``restart``), or neither (each
    source from its watermark)."""

    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    restart: bool = False


@dataclass(frozen=True, slots=True)
class Planned:
    """The window to fetch (None: the backfill is done, nothing to fetch), and what to tell
    the maintainer about it (a resumed or finished backfill)."""

    window: FetchWindow | None
    note: str | None = None


def today_of(asked: Asked, today: dt.date) -> dt.date:
    """The last day of the run: ``--until``, else the one day asked, else today."""
    return asked.until or asked.date or today


def plan_window(
    run_state: State,
    asked: Asked,
    today: dt.date,
    sources: Sequence[str],
    overlap_days: int,
    where: Path,
) -> Planned:
    """The run's window, by the resume policy: one day as asked; a backfill continues after
    the last day a run of the same ``since`` finished (``where`` names the state file in the
    note); otherwise the earliest of the sources' windows from their watermarks, so a
    source that missed nights catches up. A window that ends before it starts is an
    :class:`InputError`."""
    last = today_of(asked, today)
    try:
        if asked.date:
            return Planned(FetchWindow(asked.date, asked.date))
        if asked.since:
            start = None if asked.restart else run_state.resume_from(asked.since)
            if start is not None and start > last:
                return Planned(
                    None,
                    f"hfm-bot: the backfill from {asked.since} is done to {last} or later "
                    f"({where}); nothing left to fetch (--restart walks it again)",
                )
            note = (
                f"hfm-bot: resuming the backfill from {asked.since} at {start}, where the "
                f"last run stopped ({where}); --restart walks it all again"
                if start is not None
                else None
            )
            return Planned(FetchWindow(start or asked.since, last), note)
        windows = [run_state.window(name, last, overlap_days) for name in sources]
        return Planned(min(windows, key=lambda w: w.since))
    except ValueError as err:
        raise InputError(str(err)) from err


def load(path: Path) -> State:
    if not path.exists():
        return State()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        marks = {str(k): dt.date.fromisoformat(v) for k, v in raw.get("watermarks", {}).items()}
        silent = int(raw.get("silent_runs", 0))
        fill = raw.get("backfill")
        backfill = (
            Backfill(dt.date.fromisoformat(fill["since"]), dt.date.fromisoformat(fill["done"]))
            if fill is not None
            else None
        )
    except (OSError, ValueError, AttributeError, TypeError, KeyError) as err:
        raise InputError(f"{path}: damaged state file ({err}); fix or delete it") from err
    return State(marks, silent, backfill)


def save(path: Path, state: State) -> None:
    data: dict[str, object] = {
        "watermarks": {k: v.isoformat() for k, v in sorted(state.watermarks.items())},
        "silent_runs": state.silent_runs,
    }
    if state.backfill is not None:
        data["backfill"] = {
            "since": state.backfill.since.isoformat(),
            "done": state.backfill.done.isoformat(),
        }
    atomic_write_text(path, json.dumps(data, indent=2) + "\n")
