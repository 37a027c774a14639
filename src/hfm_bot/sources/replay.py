"""Replay: recorded papers (the benchmark's stream format) served as if fetched.

A whole run, a backfill or a benchmark then works offline on real data. A path may be one
file or a folder of ``*.jsonl``/``*.jsonl.gz``; files named by month (``arxiv-2025-06…``)
outside the window are not opened at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from hfm_bot.errors import InputError
from hfm_bot.ids import PaperKeys, normalise_arxiv_id, normalise_title
from hfm_bot.paper import Origin, Paper, RecordError, from_record
from hfm_bot.sources.base import FetchWindow, SourceError, SourceResult, Status
from hfm_bot.stream import BadLine, iter_json_lines

_SUFFIXES = (".jsonl", ".jsonl.gz")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})\.jsonl(\.gz)?$")
_ISO_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Tally:
    """The bad lines of one file: counted (a file of nothing else is a failed source, not a
    quiet night) and passed on to the caller's ``on_bad``."""

    def __init__(self, on_bad: Callable[[BadLine], None] | None) -> None:
        self.on_bad = on_bad
        self.count = 0

    def __call__(self, line: BadLine) -> None:
        self.count += 1
        if self.on_bad is not None:
            self.on_bad(line)


class ReplaySource:
    name = "replay"

    def __init__(
        self, paths: Sequence[Path], on_bad: Callable[[BadLine], None] | None = None
    ) -> None:
        self.paths = tuple(paths)
        self.on_bad = on_bad

    def files(self, window: FetchWindow | None = None) -> list[Path]:
        out: list[Path] = []
        for path in self.paths:
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if p.name.endswith(_SUFFIXES))
                if not found:
                    # An empty folder is a wrong path, not a night without announcements.
                    raise SourceError(self.name, str(path), "holds no .jsonl or .jsonl.gz files")
                out.extend(found)
            elif path.exists():
                out.append(path)
            else:
                raise SourceError(self.name, str(path), "no such file or folder")
        if window is None:
            return out
        return [p for p in out if _month_overlaps(p, window)]

    def fetch(self, window: FetchWindow) -> SourceResult:
        papers: list[Paper] = []
        seen: set[str] = set()
        skipped = unreadable = 0
        for path in self.files(window):
            bad = _Tally(self.on_bad)
            read = 0
            try:
                for line_no, record in iter_json_lines(path, bad):
                    day = record.get("date") if isinstance(record, dict) else None
                    # Only an ISO day is compared as text; any other (08/10/2025) goes on to
                    # from_record, which reports it, instead of falling out of the window.
                    if (
                        isinstance(day, str)
                        and _ISO_DAY_RE.match(day)
                        and not window.since.isoformat() <= day[:10] <= window.until.isoformat()
                    ):
                        read += 1
                        skipped += 1
                        continue
                    try:
                        paper = from_record(record, source=Origin.REPLAY, fetched_from=str(path))
                    except RecordError as err:
                        bad(BadLine(str(path), line_no, str(err)))
                        continue
                    read += 1
                    if not window.contains(paper.date) or paper.id in seen:
                        skipped += 1
                        continue
                    seen.add(paper.id)
                    papers.append(paper)
            except InputError as err:
                raise SourceError(self.name, str(path), str(err)) from err
            if bad.count and not read:
                gz = path.name.endswith(".gz") and not _is_gzip(path)
                raise SourceError(
                    self.name,
                    str(path),
                    f"no line is a paper record ({bad.count} unreadable, each warned)"
                    + ("; named .gz, it is not gzip-compressed" if gz else ""),
                )
            unreadable += bad.count
        status = Status.OK if papers else Status.NO_ANNOUNCEMENT
        notes = (f"{unreadable} unreadable records skipped (each warned)",) if unreadable else ()
        return SourceResult(self.name, status, tuple(papers), skipped, notes=notes)

    def lookup(self, keys: Sequence[PaperKeys]) -> tuple[Paper, ...]:
        """The recorded papers with one of these arXiv ids, DOIs or normalised titles, from
        every file (a list's entries may be older than any window)."""
        ids = {k.arxiv_id for k in keys if k.arxiv_id}
        dois = {k.doi for k in keys if k.doi}
        titles = {k.title for k in keys if k.title}
        found: dict[str, Paper] = {}
        for path in self.files():
            try:
                for line_no, record in iter_json_lines(path, self.on_bad):
                    if not isinstance(record, dict) or record.get("id") in found:
                        continue
                    raw_id, title = record.get("id"), record.get("title")
                    if not (
                        (isinstance(raw_id, str) and normalise_arxiv_id(raw_id) in ids)
                        or (isinstance(title, str) and normalise_title(title) in titles)
                        or (isinstance(record.get("doi"), str) and record["doi"].lower() in dois)
                    ):
                        continue
                    try:
                        paper = from_record(record, source=Origin.REPLAY, fetched_from=str(path))
                    except RecordError as err:
                        if self.on_bad:
                            self.on_bad(BadLine(str(path), line_no, str(err)))
                        continue
                    found.setdefault(paper.id, paper)
            except InputError as err:
                raise SourceError(self.name, str(path), str(err)) from err
        return tuple(found.values())


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def _month_overlaps(path: Path, window: FetchWindow) -> bool:
    match = _MONTH_RE.search(path.name)
    if not match:
        return True
    first = dt.date(int(match.group(1)), int(match.group(2)), 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first <= window.until and window.since <= last
