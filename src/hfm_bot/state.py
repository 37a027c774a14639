"""The bot's memory of where each source got to: a small JSON file committed with its data.

A source's watermark is the last day of its last successful window. The next run starts a
few days before it (the overlap), so a missed night is caught up and a late-announced paper
is not lost; papers fetched twice are dropped later by their keys.
"""

from __future__ import annotations

import datetime as dt
import json
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
