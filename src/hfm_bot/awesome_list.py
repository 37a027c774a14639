"""The awesome-list document model: parse a list README exactly, and edit it by adding lines only.

The list is a hand-edited README, so the model never rewrites what it read: it keeps every
line with its own line ending, recognises headings, ``**YYYY**`` year groups, paper entries
(``- [Venue] Title. [[Paper]](url) [[Code]](url)``) and dataset-table rows on top of them, and
renders by joining the original lines. An insertion returns a new document whose text is the
old one with whole lines added. Pure: reading files is :func:`load`'s job alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from hfm_bot.errors import ListFormatError
from hfm_bot.ids import PaperKeys, keys_from, normalise_arxiv_id, normalise_doi, normalise_title

MAX_LIST_BYTES = 10 * 1024 * 1024
"""A README larger than this is not an awesome list (GitHub stops rendering at 512 KiB)."""

FUZZY_TITLE_CUTOFF = 88.0
"""rapidfuzz ratio (0-100) above which two normalised titles name the same paper.

Measured with ``benchmarks/fuzzy_titles.py``: none of the 174,400 recorded arXiv titles is in
the seed list, so every fuzzy match there is false: 14 at a cutoff of 78, 6 at 82 ("Vision
language models in medicine" ~ "Large language models in medicine"), 0 at 85. 88 leaves a
margin while a preprint and its published title ("Towards …" / "Toward …", a changed
subtitle word) still score above 90."""
FUZZY_MIN_LENGTH = 25
"""Shorter normalised titles are matched exactly only: short names differ by one character."""

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_YEAR_RE = re.compile(r"^\s*\*\*\s*(\d{4})\s*\*\*\s*$")
_ITEM_RE = re.compile(r"^(\s*)[-*+](?:[ \t]+(.*))?$")
_VENUE_RE = re.compile(r"^\[([^\[\]]+)\](?!\()\s*")
_LINK_RE = re.compile(r"\[\[([^\[\]]*)\]\]\(((?:[^()\s]|\([^()\s]*\))*)\)")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TABLE_NAME_RE = re.compile(r"^\s*\[(.*?)\]\((.*)\)\s*$")
_URL_RE = re.compile(r"https?://[^\s()\[\]<>]+(?:\([^\s()]*\)[^\s()\[\]<>]*)*")


@dataclass(frozen=True, slots=True)
class Link:
    """A ``[[Label]](url)`` link of an entry; ``url`` is empty for ``[[Code]]()``."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the lines up to the next heading."""

    title: str
    """Heading text without the ``#`` marks and surrounding spaces."""
    level: int
    line_no: int
    """1-based line of the heading."""
    end_line: int
    """1-based last line before the next heading (or the end of the file)."""
    path: tuple[str, ...]
    """Titles of the enclosing headings and this one, outermost first."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper of the list, as written."""

    line_no: int
    raw: str
    """The line without its line ending."""
    indent: str
    venue: str | None
    title: str
    paper_url: str | None
    code_url: str | None
    links: tuple[Link, ...]
    section: str
    """Title of the innermost heading above the entry."""
    year: int | None
    """The ``**YYYY**`` group the entry stands in, if any."""
    keys: PaperKeys


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """A data row of a dataset table; its paper link counts as already listed."""

    line_no: int
    raw: str
    name: str
    url: str | None
    cells: tuple[str, ...]
    section: str
    keys: PaperKeys


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a paper section that looked like an entry but could not be read."""

    line_no: int
    message: str
    section: str


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to add: a rendered list line, where it goes, and who it is."""

    section: str
    """Heading title of the target section (compared without case or surrounding space)."""
    year: int
    line: str
    """The list item, e.g. ``- [arXiv] Title. [[Paper]](https://arxiv.org/abs/…)``; its
    indentation is replaced by the section's own."""
    keys: PaperKeys | None = None
    """Extra identity (a DOI not in the line, say); the line's own keys always count."""


@dataclass(frozen=True, slots=True)
class Insertion:
    """What :meth:`AwesomeList.insert` did."""

    document: AwesomeList
    added: tuple[NewEntry, ...]
    refused: tuple[tuple[NewEntry, str], ...]
    """Entries not added, each with the reason (already listed, duplicate in the batch)."""


@dataclass(frozen=True, slots=True)
class _Index:
    by_arxiv: dict[str, int]
    by_doi: dict[str, int]
    by_title: dict[str, int]
    fuzzy_titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AwesomeList:
    """A parsed list. ``render()`` gives back the exact text it was parsed from."""

    lines: tuple[str, ...]
    """Every line with its own ending (the last may have none)."""
    sections: tuple[Section, ...]
    entries: tuple[Entry, ...]
    dataset_rows: tuple[DatasetRow, ...]
    problems: tuple[Problem, ...]
    origin: str = "<list>"
    _index: _Index = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def render(self) -> str:
        """The document's text, byte for byte what was parsed plus any inserted lines."""
        return "".join(self.lines)

    @property
    def newline(self) -> str:
        """The line ending the file uses (from its first line; ``\\n`` when it has none)."""
        for line in self.lines:
            if line.endswith("\r\n"):
                return "\r\n"
            if line.endswith("\n"):
                return "\n"
        return "\n"

    def section(self, title: str) -> Section:
        """The section with this heading (case and surrounding space ignored)."""
        wanted = title.strip().casefold()
        for sec in self.sections:
            if sec.title.casefold() == wanted:
                return sec
        raise ListFormatError(f"{self.origin}: no heading {title!r} in the list")

    def find(self, keys: PaperKeys) -> Entry | DatasetRow | None:
        """The listed paper sharing a key with ``keys``: arXiv id, DOI, title, or a title
        that differs by a small edit (a preprint and its published version)."""
        items: list[Entry | DatasetRow] = [*self.entries, *self.dataset_rows]
        idx = self._index
        for key, table in ((keys.arxiv_id, idx.by_arxiv), (keys.doi, idx.by_doi)):
            if key and key in table:
                return items[table[key]]
        if keys.title:
            if keys.title in idx.by_title:
                return items[idx.by_title[keys.title]]
            if len(keys.title) >= FUZZY_MIN_LENGTH and idx.fuzzy_titles:
                hit = process.extractOne(
                    keys.title, idx.fuzzy_titles, scorer=fuzz.ratio, score_cutoff=FUZZY_TITLE_CUTOFF
                )
                if hit is not None:
                    return items[idx.by_title[hit[0]]]
        return None

    def link_separator(self, heading: str) -> str:
        """How the section separates an entry's links: ", " (BFM style) or " "."""
        title = self.section(heading).title
        lines = [e.raw for e in self.entries if e.section == title and len(e.links) > 1]
        commas = sum(1 for raw in lines if re.search(r"\)\s*,\s*\[\[", raw))
        return ", " if lines and commas * 2 > len(lines) else " "

    def contains(self, keys: PaperKeys) -> bool:
        """Whether the paper is already listed, by any of its keys."""
        return self.find(keys) is not None

    def insert(self, new: Iterable[NewEntry]) -> Insertion:
        """Add entries at the top of their section's year group; nothing else changes.

        A missing ``**YYYY**`` group is created in descending year order. Entries already
        listed (by any key) or repeated in the batch are refused, so inserting twice is the
        same as inserting once.
        """
        added: list[NewEntry] = []
        refused: list[tuple[NewEntry, str]] = []
        seen: list[PaperKeys] = []
        for item in new:
            line_keys = check_entry_line(item.line)
            reason = self._refusal(item, line_keys, seen)
            if reason:
                refused.append((item, reason))
                continue
            seen.append(line_keys)
            if item.keys is not None:
                seen.append(item.keys)
            added.append(item)
        if not added:
            return Insertion(self, (), tuple(refused))
        plan = _plan(self, added)
        out: list[str] = []
        nl = self.newline
        for i in range(len(self.lines) + 1):
            for chunk in plan.get(i, []):
                if i == len(self.lines) and out and not out[-1].endswith("\n"):
                    out[-1] = out[-1] + nl
                out.extend(line + nl for line in chunk)
            if i < len(self.lines):
                out.append(self.lines[i])
        document = parse("".join(out), origin=self.origin)
        return Insertion(document, tuple(added), tuple(refused))

    def _refusal(self, item: NewEntry, line_keys: PaperKeys, seen: list[PaperKeys]) -> str | None:
        for keys in (line_keys, item.keys):
            if keys is None:
                continue
            hit = self.find(keys)
            if hit is not None:
                return f"already listed at line {hit.line_no}"
            if any(_same(keys, other) for other in seen):
                return "repeated in this batch"
        return None


def _same(a: PaperKeys, b: PaperKeys) -> bool:
    return bool(
        (a.arxiv_id and a.arxiv_id == b.arxiv_id)
        or (a.doi and a.doi == b.doi)
        or (a.title and a.title == b.title)
    )


def check_entry_line(line: str) -> PaperKeys:
    """What a rendered line says about its paper; refused (naming the line) unless it is one
    list item with a ``[[Paper]]`` link, the shape the parser reads back."""
    if "\n" in line or "\r" in line:
        raise ListFormatError(f"a new entry must be one line, not {line!r}")
    match = _ITEM_RE.match(line)
    if not match or not match.group(2) or not _LINK_RE.search(match.group(2)):
        raise ListFormatError(f"a new entry must be a list item with a [[Paper]] link: {line!r}")
    parsed = _parse_entry_body(match.group(2))
    return keys_from(parsed[1], [link.url for link in parsed[2] if link.url])


def _plan(doc: AwesomeList, added: Sequence[NewEntry]) -> dict[int, list[list[str]]]:
    """Where each group of new lines goes: {0-based index of the line it precedes: chunks}."""
    groups: dict[tuple[str, int], list[NewEntry]] = {}
    for item in added:
        sec = doc.section(item.section)
        groups.setdefault((sec.title, item.year), []).append(item)
    plan: dict[int, list[tuple[int, list[str]]]] = {}
    for (title, year), items in groups.items():
        sec = doc.section(title)
        index, chunk = _place(doc, sec, year, items)
        plan.setdefault(index, []).append((-year, chunk))
    return {
        i: [chunk for _, chunk in sorted(chunks, key=lambda c: c[0])] for i, chunks in plan.items()
    }


def _place(
    doc: AwesomeList, sec: Section, year: int, items: list[NewEntry]
) -> tuple[int, list[str]]:
    entries = [e for e in doc.entries if sec.line_no < e.line_no <= sec.end_line]
    years: list[tuple[int, int]] = []  # (0-based line index, year)
    for i in range(sec.line_no, sec.end_line):
        m = _YEAR_RE.match(doc.lines[i])
        if m:
            years.append((i, int(m.group(1))))
    group = [e for e in entries if e.year == year]
    indent = group[0].indent if group else _common_indent(entries)
    lines = [indent + item.line.lstrip() for item in items]
    if group:
        return group[0].line_no - 1, lines
    if any(y == year for _, y in years):
        year_index = next(i for i, y in years if y == year)
        return year_index + 1, lines
    year_line = f"**{year}**"
    if years:
        older = [i for i, y in years if y < year]
        if older:
            return older[0], [year_line, *lines, ""]
        last = max(i for i in range(sec.line_no - 1, sec.end_line) if doc.lines[i].strip())
        return last + 1, ["", year_line, *lines]
    if entries:
        return entries[0].line_no - 1, lines
    return sec.line_no, lines


def _common_indent(entries: Sequence[Entry]) -> str:
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.indent] = counts.get(e.indent, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def _split_lines(text: str) -> tuple[str, ...]:
    """Lines with their endings, split on ``\\n`` only (``str.splitlines`` would also split
    on form feeds and Unicode separators that a README may legitimately contain)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return tuple(lines)


def unescape_markdown(text: str) -> str:
    """Undo backslash escapes (``\\[`` to ``[``), so an escaped title reads back as written."""
    return _ESCAPE_RE.sub(r"\1", text)


def _parse_entry_body(body: str) -> tuple[str | None, str, tuple[Link, ...]]:
    venue = None
    rest = body
    m = _VENUE_RE.match(rest)
    if m:
        venue = m.group(1).strip()
        rest = rest[m.end() :]
    links = tuple(Link(label.strip(), url.strip()) for label, url in _LINK_RE.findall(rest))
    text = _LINK_RE.sub(" ", rest)
    text = re.sub(r"(?:(?<=\s)|^)[,;|](?=\s|$)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"[\s,;]+$", "", text)
    if text.endswith(".") and (len(text) - len(text[:-1].rstrip("\\")) - 1) % 2 == 0:
        text = text[:-1].rstrip()  # the sentence's period, not an escaped one
    return venue, unescape_markdown(text), links


def _pick(links: tuple[Link, ...], labels: tuple[str, ...]) -> str | None:
    for link in links:
        if link.label.casefold() in labels and link.url:
            return link.url
    return None


def _table_row(raw: str, line_no: int, section: str) -> DatasetRow:
    cells = raw.strip().strip("|").split("|")
    cells = [c.strip() for c in cells]
    first = cells[0] if cells else ""
    m = _TABLE_NAME_RE.match(first)
    if m:
        name = m.group(1).strip()
        urls = _URL_RE.findall(m.group(2))
    else:
        name = first
        urls = []
    url = urls[-1] if urls else None
    arxiv_id = next((a for a in map(normalise_arxiv_id, urls) if a), None)
    doi = None if arxiv_id else next((d for d in map(normalise_doi, urls) if d), None)
    return DatasetRow(
        line_no=line_no,
        raw=raw,
        name=name,
        url=url,
        cells=tuple(cells[1:]),
        section=section,
        keys=PaperKeys(arxiv_id=arxiv_id, doi=doi),
    )


def parse(text: str, origin: str = "<list>") -> AwesomeList:
    """Parse list text. Raises :class:`ListFormatError` for text that is not a list."""
    if not text.strip():
        raise ListFormatError(f"{origin}: the file is empty")
    if "\x00" in text:
        raise ListFormatError(f"{origin}: the file is binary (it contains NUL bytes), not Markdown")
    lines = _split_lines(text)
    bodies = [line.rstrip("\r\n") for line in lines]
    sections = _sections(bodies, origin)
    entries: list[Entry] = []
    rows: list[DatasetRow] = []
    items_without_links: dict[str, list[Problem]] = {}
    for sec in sections:
        for item in _section_items(sec, bodies):
            if isinstance(item, Problem):
                items_without_links.setdefault(sec.title, []).append(item)
            elif isinstance(item, DatasetRow):
                rows.append(item)
            else:
                entries.append(item)
    # An item without a link is a problem only in a section that lists papers.
    sections_with_entries = {e.section for e in entries}
    problems = sorted(
        (
            p
            for title, ps in items_without_links.items()
            if title in sections_with_entries
            for p in ps
        ),
        key=lambda p: p.line_no,
    )
    return AwesomeList(
        lines=lines,
        sections=tuple(sections),
        entries=tuple(entries),
        dataset_rows=tuple(rows),
        problems=tuple(problems),
        origin=origin,
        _index=_build_index([*entries, *rows]),
    )


def _fenced(bodies: Sequence[str], first: int, end: int) -> Iterator[tuple[int, str]]:
    """(index, line) of the lines from ``first`` to ``end`` outside fenced code blocks."""
    in_fence = False
    for i in range(first, end):
        if _FENCE_RE.match(bodies[i]):
            in_fence = not in_fence
        elif not in_fence:
            yield i, bodies[i]


def _sections(bodies: Sequence[str], origin: str) -> list[Section]:
    """Every heading with the lines it spans and the titles of the headings above it."""
    heads: list[tuple[int, int, str]] = []  # (0-based index, level, title)
    for i, body in _fenced(bodies, 0, len(bodies)):
        m = _HEADING_RE.match(body)
        if m:
            heads.append((i, len(m.group(1)), m.group(2).strip()))
    if not heads:
        raise ListFormatError(
            f"{origin}: no section headings (# or ##) found; is this an awesome list?"
        )
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for n, (i, level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(bodies)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        sections.append(Section(title, level, i + 1, end, tuple(t for _, t in stack)))
    return sections


def _section_items(sec: Section, bodies: Sequence[str]) -> Iterator[Entry | DatasetRow | Problem]:
    """A section's entries (in the ``**YYYY**`` group they stand in), dataset table rows, and
    list items that have no paper link."""
    year: int | None = None
    table_started = False
    for i, body in _fenced(bodies, sec.line_no, sec.end_line):
        ym = _YEAR_RE.match(body)
        if ym:
            year = int(ym.group(1))
            continue
        if body.lstrip().startswith("|"):
            if _TABLE_SEP_RE.match(body):
                table_started = True
            elif table_started:
                yield _table_row(body, i + 1, sec.title)
            continue
        table_started = False
        im = _ITEM_RE.match(body)
        if not im:
            continue
        item = im.group(2) or ""
        if not _LINK_RE.search(item):
            message = "empty list item" if not item.strip() else "list item without [[Paper]] link"
            yield Problem(i + 1, message, sec.title)
            continue
        venue, title, links = _parse_entry_body(item)
        yield Entry(
            line_no=i + 1,
            raw=body,
            indent=im.group(1),
            venue=venue,
            title=title,
            paper_url=_pick(links, ("paper", "pdf", "arxiv")),
            code_url=_pick(links, ("code", "github", "project")),
            links=links,
            section=sec.title,
            year=year,
            keys=keys_from(title, [link.url for link in links if link.url]),
        )


def _build_index(items: Sequence[Entry | DatasetRow]) -> _Index:
    by_arxiv: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for n, item in enumerate(items):
        k = item.keys
        if k.arxiv_id:
            by_arxiv.setdefault(k.arxiv_id, n)
        if k.doi:
            by_doi.setdefault(k.doi, n)
        if k.title:
            by_title.setdefault(k.title, n)
    fuzzy = tuple(t for t in by_title if len(t) >= FUZZY_MIN_LENGTH)
    return _Index(by_arxiv, by_doi, by_title, fuzzy)


def load(path: Path) -> AwesomeList:
    """Read and parse a list file; every failure names the file."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ListFormatError(f"{path}: cannot read the list: {err.strerror}") from err
    if path.is_dir():
        raise ListFormatError(f"{path}: is a folder, not a list file (name its README.md)")
    if size > MAX_LIST_BYTES:
        raise ListFormatError(
            f"{path}: {size / 1e6:.1f} MB is too large for an awesome list "
            f"(limit {MAX_LIST_BYTES // (1024 * 1024)} MiB)"
        )
    data = path.read_bytes()
    return parse_bytes(data, origin=str(path))


def parse_bytes(data: bytes, origin: str = "<list>") -> AwesomeList:
    """Decode UTF-8 strictly (a wrong encoding would corrupt the list on write) and parse."""
    if b"\x00" in data:
        raise ListFormatError(f"{origin}: the file is binary (it contains NUL bytes), not Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ListFormatError(
            f"{origin}: line {line}: not UTF-8 text (byte {err.start}); is this a Markdown file?"
        ) from err
    return parse(text, origin=origin)


__all__ = [
    "AwesomeList",
    "DatasetRow",
    "Entry",
    "Insertion",
    "Link",
    "NewEntry",
    "Problem",
    "Section",
    "load",
    "normalise_title",
    "parse",
    "parse_bytes",
]
