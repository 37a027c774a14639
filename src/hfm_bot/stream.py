"""Reading and writing papers as JSON Lines (plain or gzip), one record at a time.

The benchmark's stream and ``hfm-bot fetch`` output share one format. Readers stream, so a
year of papers never has to fit in memory. A malformed line is reported with its file and
line number and skipped: one bad record in a night's fetch must not hide the other papers.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hfm_bot.errors import InputError
from hfm_bot.paper import Origin, Paper, RecordError, from_record


@dataclass(frozen=True, slots=True)
class BadLine:
    path: str
    line_no: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line_no}: skipped: {self.reason}"


def open_text(path: Path) -> IO[str]:
    """Open plain or gzip text by the file's magic bytes, not its name."""
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def iter_json_lines(
    path: Path, on_bad: Callable[[BadLine], None] | None = None
) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; bad JSON goes to ``on_bad``."""
    try:
        with open_text(path) as handle:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield line_no, json.loads(line)
                except json.JSONDecodeError as err:
                    if on_bad:
                        on_bad(BadLine(str(path), line_no, f"not JSON ({err.msg})"))
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"{path}: not a JSON Lines file ({err})") from err


def read_papers(
    path: Path, on_bad: Callable[[BadLine], None] | None = None, source: Origin = Origin.REPLAY
) -> Iterator[Paper]:
    """Papers from a stream file, skipping (and reporting) records that are not papers."""
    for line_no, record in iter_json_lines(path, on_bad):
        try:
            yield from_record(record, source=source, fetched_from=str(path))
        except RecordError as err:
            if on_bad:
                on_bad(BadLine(str(path), line_no, str(err)))


def write_papers(handle: IO[str], papers: Iterable[Paper]) -> int:
    count = 0
    for paper in papers:
        handle.write(json.dumps(paper.to_record(), ensure_ascii=False) + "\n")
        count += 1
    return count
