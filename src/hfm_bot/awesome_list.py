"""The awesome-list document model: parse a list README exactly, and edit it by adding lines only.

The list is a hand-edited README, so the model never rewrites what it read: it keeps every
line with its own line ending, recognises headings (markdown and HTML), ``**YYYY**`` year
groups, paper entries in any common shape (bullets, numbered items, rows of paper tables;
their syntax is :mod:`hfm_bot.entry_syntax`'s) and dataset-table rows on top of them, and
renders by joining the original lines. An insertion returns a new document whose text is the
old one with whole lines added, where the section's learnt order (:mod:`hfm_bot.list_style`)
puts them. Pure: reading files is :func:`load`'s job alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from hfm_bot import list_style
from hfm_bot.entry_syntax import (
    PAPER_LABELS,
    Column,
    LinkToken,
    Shape,
    badge_venue,
    citation_tail,
    code_link,
    column_roles,
    continuation_venue,
    field_label,
    gap_date,
    is_dated,
    is_label,
    is_paper_host,
    is_paper_table,
    is_separator_row,
    label_venue,
    line_tags,
    links_in,
    paper_link,
    parse_bullet,
    roles,
    row_label_venue,
    split_row,
    star_repo,
    tail_date,
    tail_month,
    tail_plain_venue,
    tail_venue,
    title_column,
    undecorate,
    unescape_markdown,
    venue_column,
)
from hfm_bot.errors import ListFormatError
from hfm_bot.ids import (
    PaperKeys,
    arxiv_ids_in,
    keys_from,
    normalise_arxiv_id,
    normalise_doi,
    normalise_title,
)
from hfm_bot.list_entry import Entry, Kind, Link
from hfm_bot.list_style import EntryStyle

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
_ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_HTML_HEADING_RE = re.compile(r"^\s{0,3}<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", re.I)
"""A heading written in HTML on a line of its own (GitHub shows it as a heading)."""
_TAG_RE = re.compile(r"(?<!\\)</?[A-Za-z][^<>]*>")
"""An HTML tag (``<br>``, ``</a>``); an escaped ``\\<`` opens none."""
_YEAR_HEADING_RE = re.compile(r"^\D{0,3}(\d{4})\D{0,3}$")
"""A heading that is a year (``### 2025``): a year group written as a subsection."""
_TABLE_NAME_RE = re.compile(r"^\s*\[(.*?)\]\((.*)\)\s*$")
_URL_RE = re.compile(r"https?://[^\s()\[\]<>]+(?:\([^\s()]*\)[^\s()\[\]<>]*)*")


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the lines up to the next heading."""

    title: str
    """Heading text without the ``#`` marks and surrounding spaces (for an HTML heading, or
    a markdown heading holding HTML, the text GitHub shows: tags left out)."""
    level: int
    """1 for ``#`` (or ``<h1>``) to 6; a year heading (``### 2025``) written at the level of
    the topic above it counts one level deeper, as the group of that topic it is."""
    line_no: int
    """1-based line of the heading."""
    end_line: int
    """1-based last line before the next heading (or the end of the file)."""
    path: tuple[str, ...]
    """Titles of the enclosing headings and this one, outermost first."""

    @property
    def where(self) -> str:
        """The heading's path, as a configuration names an ambiguous one: ``A > B``."""
        return PATH_SEPARATOR.join(self.path)


PATH_SEPARATOR = " > "
"""Joins a heading's path when a configured heading must say which of two equal headings."""


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """A data row of a table that is not a paper table; its paper link counts as listed."""

    line_no: int
    raw: str
    name: str
    url: str | None
    cells: tuple[str, ...]
    section: str
    keys: PaperKeys


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a paper section that looked like an entry but could not be read (or, in
    :attr:`AwesomeList.notes`, was read with a caveat worth a warning)."""

    line_no: int
    message: str
    section: str


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to add: a rendered list line, where it goes, and who it is."""

    section: str
    """Heading of the target section (compared without case or surrounding space; a path
    ``A > B`` names one of two equal headings)."""
    year: int
    line: str
    """The list item or table row, e.g. ``- [arXiv] Title. [[Paper]](https://arxiv.org/abs/…)``;
    a list item's indentation is replaced by the section's own."""
    keys: PaperKeys | None = None
    """Extra identity (a DOI not in the line, say); the line's own keys always count."""
    month: int | None = None
    """The paper's month, for a list in date order (None: newest)."""
    preprint: bool = False
    """Whether the paper is a preprint (a list keeping preprints last puts it after the
    published papers)."""
    details: tuple[str, ...] = ()
    """Lines that go under the item (a list that writes its authors and venue on an indented
    line below each entry): blank or indented text only."""


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


_CATCH_ALL = ("others", "other", "misc", "miscellaneous", "general")
"""Subsection titles that take what fits no sibling: a new entry of a heading whose papers
all stand in subsections goes there (else to its first subsection with entries)."""
MIN_SECTION_ENTRIES = 3
"""A section with fewer entries writes new ones in the whole list's style."""


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
    notes: tuple[Problem, ...] = ()
    """Entries read with a caveat (two arXiv links: both count as listed), for warnings."""
    _styles: dict[int, EntryStyle] = field(repr=False, compare=False, default_factory=dict)

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

    def matching(self, name: str) -> list[Section]:
        """The sections ``name`` names: a heading title (case and surrounding space ignored),
        or the end of a heading path written ``Parent > Heading``."""
        wanted = name_parts(name)
        return [sec for sec in self.sections if heading_matches(wanted, sec)]

    def section(self, title: str) -> Section:
        """The one section with this heading (or path); an error names what is missing or
        which lines share the heading."""
        found = self.matching(title)
        if not found:
            raise ListFormatError(f"{self.origin}: no heading {title!r} in the list")
        if len(found) > 1:
            # Two equal headings: the one that lists papers is meant, if only one does.
            listing = [s for s in found if self.under(s)]
            if len(listing) == 1:
                return listing[0]
            where = "; ".join(f"line {s.line_no} ({s.where})" for s in found)
            raise ListFormatError(
                f"{self.origin}: heading {title!r} is ambiguous: {where}; name one by its "
                f"path, e.g. {found[0].where!r}"
            )
        return found[0]

    def subtree_end(self, sec: Section) -> int:
        """The last line of the heading's subsections (its own last line if it has none)."""
        end = sec.end_line
        for other in self.sections:
            if other.line_no <= sec.line_no:
                continue
            if other.level <= sec.level:
                break
            end = other.end_line
        return end

    def under(self, sec: Section) -> list[Entry]:
        """The entries under the heading and its subsections."""
        end = self.subtree_end(sec)
        return [e for e in self.entries if sec.line_no < e.line_no <= end]

    def item_lines(self, sec: Section) -> list[tuple[int, str]]:
        """(line, text) of every list item and table row under the heading (subsections
        included), read or not: what the list holds, for a message when nothing was read."""
        end = self.subtree_end(sec)
        out = []
        for i, raw in _fenced([line.rstrip("\r\n") for line in self.lines], sec.line_no, end):
            if _ITEM_RE.match(raw) or raw.lstrip().startswith("|"):
                out.append((i + 1, raw))
        return out

    def own_entries(self, sec: Section) -> list[Entry]:
        """The entries under the heading itself, not under its subsections."""
        return [e for e in self.entries if sec.line_no < e.line_no <= sec.end_line]

    def target(self, title: str, year: int | None = None) -> Section:
        """Where a new entry of this heading goes: the heading itself when it lists papers;
        when its papers all stand in subsections, the subsection of ``year`` (year headings
        such as ``### 2025``), its catch-all subsection ("Others"), else its first
        subsection with entries."""
        sec = self.section(title)
        if self.own_entries(sec):
            return sec
        inner = [
            s
            for s in self.sections
            if s.path[: len(sec.path)] == sec.path
            and len(s.path) > len(sec.path)
            and s.line_no > sec.line_no
            and self.own_entries(s)
        ]
        for sub in inner:
            if sub.title.strip().casefold() in _CATCH_ALL:
                return sub
        if year is not None:
            for sub in inner:
                m = _YEAR_HEADING_RE.match(sub.title)
                if m and int(m.group(1)) == year:
                    return sub
        return inner[0] if inner else sec

    def style_for(self, title: str, year: int | None = None) -> EntryStyle:
        """How the section a new entry of this heading goes to writes its entries, learnt
        from them (the whole list's style when it has fewer than
        :data:`MIN_SECTION_ENTRIES`), with the shape of the line taken from the newest
        entries, where a new one goes (the top, or the bottom of a list that runs oldest
        first): a list that changed its habits writes new lines the new way, which is what
        its maintainer expects in the diff."""
        sec = self.target(title, year)
        style = self.section_style(sec)
        own = self.own_entries(sec)
        at = len(own) if style.order.direction is list_style.Direction.OLDEST_FIRST else -1
        return list_style.local(style, own, at)

    def section_style(self, sec: Section) -> EntryStyle:
        """The style learnt from one section's own entries (see :meth:`style_for`)."""
        if sec.line_no not in self._styles:
            own = self.own_entries(sec)
            whole = self.list_style()
            if len(own) >= MIN_SECTION_ENTRIES:
                style = list_style.learn(own, fallback=whole)
            else:
                order = list_style.learn_order(own)
                style = list_style.with_style_order(whole, order)
            self._styles[sec.line_no] = style
        return self._styles[sec.line_no]

    def list_style(self) -> EntryStyle:
        """The whole list's dominant style (its most common kind of entry)."""
        if -1 not in self._styles:
            bullets = [e for e in self.entries if e.kind is Kind.BULLET]
            rows = [e for e in self.entries if e.kind is Kind.TABLE]
            chosen = bullets if len(bullets) >= len(rows) else rows
            self._styles[-1] = list_style.learn(chosen)
        return self._styles[-1]

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

    def contains(self, keys: PaperKeys) -> bool:
        """Whether the paper is already listed, by any of its keys."""
        return self.find(keys) is not None

    def insert(self, new: Iterable[NewEntry]) -> Insertion:
        """Add entries where their section's order puts them; nothing else changes.

        A section with ``**YYYY**`` groups takes an entry in its year's group (created in
        descending year order when missing); within the group, or in a section without
        groups, the learnt order decides: the top for newest first or no date order, the
        end for oldest first, after the published papers for a preprint where preprints
        come last. Entries already listed (by any key) or repeated in the batch are refused,
        so inserting twice is the same as inserting once.
        """
        added: list[NewEntry] = []
        refused: list[tuple[NewEntry, str]] = []
        seen: list[PaperKeys] = []
        for item in new:
            line_keys = self._check(item)
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

    def check(self, item: NewEntry) -> PaperKeys:
        """The new entry's paper as the list's parser reads the entry back; a
        :class:`ListFormatError` when it would not read it as one entry with a paper link
        (:meth:`insert` refuses such an entry, and with it the whole insertion)."""
        return self._check(item)

    def _check(self, item: NewEntry) -> PaperKeys:
        if "\n" in item.line or "\r" in item.line:
            raise ListFormatError(f"a new entry must be one line, not {item.line!r}")
        paragraph = _paragraph(item.details)
        for k, line in enumerate(item.details):
            lazy = k < len(paragraph)  # an item's paragraph may go on unindented
            if line.strip() and (
                not (lazy or line[:1].isspace())
                or _ITEM_RE.match(line)
                or _HEADING_RE.match(line)
                or "\n" in line
                or "\r" in line
            ):
                raise ListFormatError(
                    f"a new entry's detail line must be indented text, not {line!r}"
                )
        sec = self.target(item.section, item.year)
        rows = [e for e in self.own_entries(sec) if e.kind is Kind.TABLE]
        if rows and "|" in item.line and not _ITEM_RE.match(item.line):  # outer pipes or none
            return check_entry_line(item.line, rows[0].columns)
        if paragraph and _bullet_entry(item.line, 1, "", (), None) is None:
            # Its links on the lines under its title: read back as the list will read it.
            return check_entry_line("\n".join((item.line, *paragraph)))
        return check_entry_line(item.line, paragraph=self.section_style(sec).paragraphs)

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


def unreadable_items(doc: AwesomeList, sections: Sequence[Section]) -> str | None:
    """Why the list cannot be learnt from, when these sections hold list items or table rows
    but not one entry could be read (the shapes seen, with a line of each); None when an
    entry was read or the sections are empty (a new list is fine)."""
    if any(doc.under(sec) for sec in sections):
        return None
    items = [item for sec in sections for item in doc.item_lines(sec)]
    if not items:
        return None
    shapes: dict[str, int] = {}
    for line_no, raw in items:
        shapes.setdefault(item_shape(raw), line_no)
    seen = "; ".join(f"line {n}: {shape}" for shape, n in list(shapes.items())[:4])
    return (
        f"{doc.origin}: {len(items)} list items or table rows under the mapped headings "
        f"but no entry could be read (a paper entry needs a link to the paper); "
        f"the shapes seen: {seen}"
    )


def item_shape(raw: str) -> str:
    """A line's shape with its words and links masked, for saying what a list looked like:
    ``1. **[Title.](URL)** [[code](URL)]`` becomes ``1. **[Text](URL)** [[Text](URL)]``."""
    shape = re.sub(r"https?://[^\s)\]>|]+", "\x00", raw.strip())
    shape = re.sub(r"(?:[^\W\d_][^\s\[\]()*_|<>`\x00]*[\s,:;.'’-]*)+", "Text ", shape)
    return " ".join(shape.replace("\x00", "URL").split())[:100]


def name_parts(name: str) -> tuple[str, ...]:
    """A configured heading as the path it names (``Parent > Heading``), without case."""
    parts = name.split(PATH_SEPARATOR) if PATH_SEPARATOR in name else [name]
    return tuple(p.strip().casefold() for p in parts if p.strip())


def heading_matches(wanted: tuple[str, ...], sec: Section) -> bool:
    path = tuple(t.strip().casefold() for t in sec.path)
    return len(wanted) <= len(path) and path[len(path) - len(wanted) :] == wanted


def _same(a: PaperKeys, b: PaperKeys) -> bool:
    return bool(
        (a.arxiv_id and a.arxiv_id == b.arxiv_id)
        or (a.doi and a.doi == b.doi)
        or (a.title and a.title == b.title)
    )


def check_entry_line(
    line: str, columns: Sequence[Column] = (), paragraph: bool = False
) -> PaperKeys:
    """What a rendered line says about its paper; refused (naming the line) unless the
    parser reads it back as one entry with a paper link: a list item, with ``columns`` (a
    paper table's) a table row, with ``paragraph`` a paragraph that opens with its title
    (and no list item, heading, quote or table row)."""
    if "\r" in line or ("\n" in line and columns):
        raise ListFormatError(f"a new entry must be one line, not {line!r}")
    entry: Entry | Problem | None
    if columns:
        entry = _row_entry(line, 1, tuple(columns), "", ())
    elif paragraph:
        entry = None if _ITEM_RE.match(line) else _bullet_entry(line, 1, "", (), None, True)
        if isinstance(entry, Entry) and not _titled_paragraph(entry):
            entry = None
    else:
        entry = _bullet_entry(line, 1, "", (), None)
    if not isinstance(entry, Entry) or not entry.paper_url:
        shape = (
            "table row with a paper link"
            if columns
            else "paragraph that opens with the paper's title"
            if paragraph
            else "list item with a [[Paper]] link"
        )
        raise ListFormatError(
            f"a new entry must be a {shape} (or another link the list's parser reads as the "
            f"paper's, such as [paper](url)): {line!r}"
        )
    return entry.keys


def _plan(doc: AwesomeList, added: Sequence[NewEntry]) -> dict[int, list[list[str]]]:
    """Where each group of new lines goes: {0-based index of the line it precedes: chunks}."""
    groups: dict[tuple[int, int | None, bool], list[NewEntry]] = {}
    fresh: dict[tuple[int, int], list[NewEntry]] = {}
    for item in added:
        siblings = _year_headings(doc, doc.section(item.section))
        if siblings and item.year not in (y for y, _ in siblings):
            fresh.setdefault((doc.section(item.section).line_no, item.year), []).append(item)
            continue
        sec = doc.target(item.section, item.year)
        style = doc.section_style(sec)
        year = item.year if _year_lines(doc, sec) else None
        block = item.preprint if style.order.preprints_last else False
        groups.setdefault((sec.line_no, year, block), []).append(item)
    plan: dict[int, list[tuple[int, list[str]]]] = {}
    for (line_no, year, _), items in groups.items():
        sec = next(s for s in doc.sections if s.line_no == line_no)
        index, chunk = _place(doc, sec, year, items, doc.section_style(sec))
        plan.setdefault(index, []).append((-(year or 0), chunk))
    for (line_no, year), items in fresh.items():
        parent = next(s for s in doc.sections if s.line_no == line_no)
        index, chunk = _new_year_heading(doc, _year_headings(doc, parent), year, items)
        plan.setdefault(index, []).append((-year, chunk))
    return {
        i: [chunk for _, chunk in sorted(chunks, key=lambda c: c[0])] for i, chunks in plan.items()
    }


def _year_headings(doc: AwesomeList, sec: Section) -> list[tuple[int, Section]]:
    """(year, subsection) of a section's ``### YYYY`` subsections that hold entries: the
    section groups its papers by year in headings. Empty for a section that lists papers
    itself or groups them otherwise."""
    if doc.own_entries(sec):
        return []
    out = []
    for sub in doc.sections:
        if (
            sub.line_no > sec.line_no
            and len(sub.path) == len(sec.path) + 1
            and sub.path[: len(sec.path)] == sec.path
            and sub.line_no <= doc.subtree_end(sec)
        ):
            m = _YEAR_HEADING_RE.match(sub.title)
            if m is None:
                continue
            out.append((int(m.group(1)), sub))
    return out if any(doc.own_entries(sub) for _, sub in out) else []


def _new_year_heading(
    doc: AwesomeList, siblings: list[tuple[int, Section]], year: int, items: list[NewEntry]
) -> tuple[int, list[str]]:
    """A ``### YYYY`` heading for a year the section has no heading for, written like its
    year headings (the nearest one's line with the year replaced) and placed in their order,
    with the entries under it: only added lines. The entries take the style and indentation
    of the nearest year's entries."""
    nearest_year, nearest = min(siblings, key=lambda ys: (abs(ys[0] - year), -ys[0]))
    heading = doc.lines[nearest.line_no - 1].rstrip("\r\n")
    heading = heading.replace(str(nearest_year), str(year), 1)
    gap = 0
    while nearest.line_no + gap < len(doc.lines) and not doc.lines[nearest.line_no + gap].strip():
        gap += 1
    entries = doc.own_entries(nearest)
    style = doc.section_style(nearest)
    indent = _common_indent(entries)
    body: list[str] = []
    for number, item in enumerate(items, 1):
        line = item.line if item.line.lstrip().startswith("|") else indent + item.line.lstrip()
        body.append(_numbered(line, entries, number))
        body.extend(item.details)
        if (item.details or style.paragraphs) and style.blank_between:
            body.append("")
    block = [heading, *([""] * gap), *body]
    descending = siblings[0][0] > siblings[-1][0]
    following = [sub for y, sub in siblings if (y < year if descending else y > year)]
    if following:
        # Before the next year's heading, separated from it as the headings are.
        return following[0].line_no - 1, [*block, *([""] * max(gap, 1))]
    # After the last year's last entry (and its detail lines), before what closes the
    # section (a "back to top" link, say).
    last_group = [sub for _, sub in siblings if doc.own_entries(sub)][-1]
    return _after(doc, doc.own_entries(last_group)[-1]), ["", *block]


_NUMBER_RE = re.compile(r"^(\s*)(\d+)([.)])(\s)")


def _numbered(line: str, entries: Sequence[Entry], number: int) -> str:
    """A numbered item's number as the group numbers it: the same number on every item
    (``1.`` throughout) stays as rendered; counted items get ``number``."""
    m = _NUMBER_RE.match(line)
    numbers = [n for n in (_NUMBER_RE.match(e.raw) for e in entries) if n]
    if m is None or not numbers or len({n.group(2) for n in numbers}) == 1:
        return line
    return f"{m.group(1)}{number}{m.group(3)}{m.group(4)}{line[m.end() :]}"


def _count_on(lines: list[str], group: Sequence[Entry], index: int) -> list[str]:
    """New items of a counted list numbered on from the item before them (the first item's
    number at the top): ``7.`` after ``6.``. The items after keep their numbers (only lines
    are added; markdown renumbers an ordered list when it shows it)."""
    before = [e for e in group if e.line_no <= index]
    anchor = _NUMBER_RE.match((before[-1] if before else group[0]).raw)
    if anchor is None:
        return lines
    number = int(anchor.group(2)) + (1 if before else 0)
    out = []
    for line in lines:
        if _NUMBER_RE.match(line):
            line = _numbered(line, group, number)
            number += 1
        out.append(line)
    return out


def _year_lines(doc: AwesomeList, sec: Section) -> list[tuple[int, int]]:
    """(0-based line index, year) of the section's ``**YYYY**`` lines."""
    years: list[tuple[int, int]] = []
    for i in range(sec.line_no, sec.end_line):
        m = _YEAR_RE.match(doc.lines[i])
        if m:
            years.append((i, int(m.group(1))))
    return years


def _place(
    doc: AwesomeList, sec: Section, year: int | None, items: list[NewEntry], style: EntryStyle
) -> tuple[int, list[str]]:
    entries = doc.own_entries(sec)
    years = _year_lines(doc, sec)
    group = [e for e in entries if e.year == year] if year is not None else entries
    indent = group[0].indent if group else _common_indent(entries)
    lines: list[str] = []
    for item in items:
        if item.line.lstrip().startswith("|"):
            lines.append(item.line)
            continue
        lines.append(indent + item.line.lstrip())
        lines.extend(item.details)
        if (item.details or style.paragraphs) and style.blank_between:
            lines.append("")
    if group:
        index = _position(doc, group, items[0], style.order)
        before = any(e.line_no - 1 == index for e in group)
        outside = _outside_block(doc, group, index, before)
        if outside != index:  # beside the block, a blank line between, not inside it
            return outside, [*lines, ""] if before else ["", *lines]
        lines = _count_on(lines, group, index)
        if lines and lines[-1] == "" and not any(e.line_no - 1 == index for e in group):
            # After an entry rather than before one: the blank line separates it first.
            lines = ["", *lines[:-1]]
        return index, lines
    if year is not None and any(y == year for _, y in years):
        year_index = next(i for i, y in years if y == year)
        return year_index + 1, lines
    if year is not None and years:
        year_line = f"**{year}**"
        older = [i for i, y in years if y < year]
        if older:
            return older[0], [year_line, *lines, ""]
        last = max(i for i in range(sec.line_no - 1, sec.end_line) if doc.lines[i].strip())
        return last + 1, ["", year_line, *lines]
    return sec.line_no, lines


def _position(doc: AwesomeList, group: list[Entry], item: NewEntry, order: list_style.Order) -> int:
    """The 0-based line index a new entry goes before, in a group of entries."""
    block = group
    if order.preprints_last:
        pre = [e for e in group if list_style.is_preprint_venue(e.venue)]
        first_pre = pre[0] if pre else None
        if item.preprint:
            block = [e for e in group if first_pre and e.line_no >= first_pre.line_no]
            if not block:
                return _after(doc, group[-1])
        else:
            block = [e for e in group if not first_pre or e.line_no < first_pre.line_no]
            if not block:
                return group[0].line_no - 1
    new = (item.year, item.month or 12)
    if order.direction is list_style.Direction.NEWEST_FIRST:
        for e in block:
            month = list_style.entry_month(e)
            if month is not None and month <= new:
                return e.line_no - 1
        return _after(doc, block[-1])
    if order.direction is list_style.Direction.OLDEST_FIRST:
        last = None
        for e in block:
            month = list_style.entry_month(e)
            if month is not None and month <= new:
                last = e
        return _after(doc, last) if last is not None else block[0].line_no - 1
    return block[0].line_no - 1


def _outside_block(doc: AwesomeList, group: Sequence[Entry], index: int, before: bool) -> int:
    """``index``, or, when it falls inside a ``<details>`` block of one entry, the line that
    opens the block (``before`` an entry) or the one past its ``</details>``: a list that
    gives each tool its own folded block (its name, then its paper, code and docs as fields)
    must not get a new paper inside another tool's block. A block that folds several entries
    (a long section behind "click to expand") is where its new entries go."""
    opened = None
    for i in range(index - 1, -1, -1):
        line = doc.lines[i].strip().lower()
        if line.startswith("</details"):
            return index
        if line.startswith("<details"):
            opened = i
            break
    if opened is None:
        return index
    closed = next(
        (
            i
            for i in range(index, len(doc.lines))
            if doc.lines[i].strip().lower().startswith("</details")
        ),
        None,
    )
    if closed is None or sum(1 for e in group if opened < e.line_no - 1 < closed) > 1:
        return index
    return opened if before else closed + 1


def _after(doc: AwesomeList, entry: Entry) -> int:
    """The line index just past an entry and the lines that belong to it (its nested
    bullets and continuation lines, more indented than it)."""
    i = entry.last_line_no
    width = len(entry.indent)
    while i < len(doc.lines) and entry.kind is Kind.BULLET:
        body = doc.lines[i].rstrip("\r\n")
        if not body.strip() or len(body) - len(body.lstrip()) <= width:
            break
        i += 1
    return i


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


def _bullet_entry(
    raw: str,
    line_no: int,
    section: str,
    path: tuple[str, ...],
    year: int | None,
    paragraph: bool = False,
) -> Entry | Problem | None:
    """A bullet line as an entry; a Problem for an item with a link but none to a paper;
    None for a line that is no list item with a link (with ``paragraph``, a paragraph's
    line reads as an item without its bullet)."""
    parts = parse_bullet(raw, paragraph)
    if parts is None:
        return None
    found = roles(parts)
    links = tuple(t for t in parts.links if not t.is_badge)
    urls = [t.url for t in links if t.url]
    if found.paper is not None and found.paper.is_badge:  # a badge linking the paper
        urls.insert(0, found.paper.url)
    if parts.title_url:
        urls.insert(0, parts.title_url)
    keys = keys_from(parts.title, urls)
    paper_url = found.paper_url(parts)
    field = field_label(parts.title_open)
    labelled = any(is_label(t) for t in links) or (field is not None and field[0] in PAPER_LABELS)
    # A linked title is the paper when its link is on a paper host (IEEE Xplore, Springer):
    # ``[**Title**](https://ieeexplore.ieee.org/document/1) (2022) by *A. Author*``.
    hosted = found.title_is_paper and paper_url is not None and is_paper_host(paper_url)
    papered = (
        bool(keys.arxiv_id or keys.doi)
        or (paper_url is not None and found.paper is not None)
        or hosted
    )
    if not labelled and not papered:
        return Problem(line_no, "list item with a link but no paper link", section)
    if not parts.title:
        return Problem(line_no, "list item with links but no title", section)
    if re.search(r"(?<!\\)\]\(\S", parts.title_raw):  # ``Title](https://…)``: no ``[``
        return Problem(line_no, "list item with a broken link (a '](' without its '[')", section)
    venue = next((p.text.strip() for p in parts.tags if not is_dated(p.text)), None)
    venue = venue or label_venue(parts, found)
    date = next((p.text.strip() for p in parts.tags if is_dated(p.text)), tail_date(parts))
    date = date or gap_date(parts)
    after = tail_venue(parts) if venue is None and date is None else None
    if after is not None:
        venue, date = after
    month = tail_month(parts)
    if venue is None and month is not None:
        venue = month[1]  # ``(Dec., 2024 | CVPR 2025)``
    if venue is None and not parts.tags:
        venue = continuation_venue(parts)  # ``⏎NeurIPS 2025, [Paper](u)``
    if venue is None and date is None:
        venue = tail_plain_venue(parts)  # ``[Title](u), [website](u), ICRA 2010.``
    cited = citation_tail(parts) if venue is None and date is None else None
    if cited is not None:  # ``[Title](u). Zhu et al.. *arXiv 2605.04675*, 2026.``
        venue, date = cited[1], cited[2]
    if venue is None and not parts.tags:
        in_badge = badge_venue(parts)  # ``![](…/badge/NeurIPS2025-orange)``
        venue = in_badge[1] if in_badge else None
    tagged = line_tags(parts) if not parts.tags and continuation_venue(parts) is None else None
    if tagged is not None:  # ``⏎[07th Aug., 2025] [arXiv, 2025] \``
        date, venue = tagged
    return Entry(
        line_no=line_no,
        raw=raw,
        indent=parts.indent,
        venue=venue,
        title=parts.title,
        paper_url=paper_url,
        code_url=found.code.url if found.code else None,
        links=tuple(Link(t.label.strip(), t.url) for t in links),
        section=section,
        year=year,
        keys=keys,
        section_path=path,
        date=date,
        kind=Kind.BULLET,
        title_raw=parts.title_raw,
        parts=parts,
        lead=parts.lead,
        arxiv_ids=arxiv_ids_in(urls),
        badge_repo=star_repo(parts.links),
    )


def _row_entry(
    raw: str, line_no: int, columns: tuple[Column, ...], section: str, path: tuple[str, ...]
) -> Entry | Problem:
    """A row of a paper table as an entry (missing cells read as empty, HTML tags and
    badges left out of the title)."""
    cells = split_row(raw)

    def cell(role: Column) -> str:
        k = columns.index(role) if role in columns else -1
        return cells[k] if 0 <= k < len(cells) else ""

    title_link, lead, title_raw = _row_title(cell(Column.TITLE))
    all_links = [t for c in cells for _, _, t in links_in(c) if _target(t)]
    link_cell = [t for _, _, t in links_in(cell(Column.LINK)) if _target(t)]
    code_cell = [t for _, _, t in links_in(cell(Column.CODE)) if _target(t)]
    if Column.CODE not in columns:
        # A table without a "Code" column may still link each paper's repository in
        # another one ("Page": [Github](u)): that link is the code link.
        rest = [
            t
            for k, c in enumerate(cells)
            if k >= len(columns) or columns[k] is not Column.TITLE
            for _, _, t in links_in(c)
            if _target(t)
        ]
        found_code = code_link(tuple(rest))
        code_cell = [found_code] if found_code is not None else []
    paper_url = (
        title_link.url
        if title_link is not None and title_link.url
        else (link_cell[0].url if link_cell else None)
    )
    if paper_url is None:
        found = paper_link(tuple(all_links))
        paper_url = found.url if found else None
    code_url = code_cell[0].url if code_cell else None
    urls = [u for u in [paper_url, *(t.url for t in all_links)] if u]
    title = " ".join(unescape_markdown(title_raw).split())
    keys = keys_from(title, urls)
    if not title:
        return Problem(line_no, "table row without a title", section)
    if not paper_url and not (keys.arxiv_id or keys.doi):
        return Problem(line_no, "table row without a paper link", section)

    def text_of(role: Column) -> str | None:
        value = " ".join(_TAG_RE.sub(" ", cell(role)).split())
        value = undecorate(value)[1]  # ``**2023**``, ``**ICLR**``: the bold is the table's
        return value if value and value.strip("-–— ") else None

    venue = text_of(Column.VENUE)
    in_venue = [t for _, _, t in links_in(cell(Column.VENUE)) if _target(t)]
    if in_venue:  # ``| [ICML 2025](https://arxiv.org/abs/…) |``: the label is the venue
        venue = " ".join(in_venue[0].label.split()) or None
    elif Column.VENUE not in columns and link_cell and link_cell[0].url == paper_url:
        venue = row_label_venue(link_cell[0].label)  # ``| [ICML 2025](u) |``

    return Entry(
        line_no=line_no,
        raw=raw,
        indent="",
        venue=venue,
        title=title,
        paper_url=paper_url,
        code_url=code_url,
        links=tuple(Link(t.label.strip(), t.url) for t in all_links),
        section=section,
        year=None,
        keys=keys,
        section_path=path,
        date=text_of(Column.DATE),
        kind=Kind.TABLE,
        title_raw=title_raw,
        lead=lead,
        columns=columns,
        arxiv_ids=arxiv_ids_in(urls),
        badge_repo=star_repo([t for c in cells for _, _, t in links_in(c)]),
        code_note=None if code_url else _note(cell(Column.CODE)),
    )


def _target(token: LinkToken) -> bool:
    """Whether a link in a row points somewhere: a plain link, or a linked badge (``[![Paper](
    badge)](https://arxiv.org/abs/…)``, a paper column of badges); a bare badge is an image,
    and a link within the page (``[BTF](#2)``, a results table pointing at its papers) no
    paper."""
    return (
        bool(token.url)
        and not token.url.startswith("#")
        and (not token.is_badge or token.shape is Shape.LINKED_BADGE)
    )


def _row_title(title_cell: str) -> tuple[LinkToken | None, str, str]:
    """A title cell's linked title (None when the title is plain text), the method's name
    written before the title (``[**D1**] ``, the entry's own) and the title as written,
    without HTML tags, badges or bold and italic marks, nor an affiliation after it
    (``(@HKU)``)."""
    tokens = [t for _, _, t in links_in(title_cell)]
    title_link = next(
        (t for t in tokens if _target(t) and not t.is_badge and not is_label(t)), None
    )
    links = [t for t in tokens if _target(t) and not t.is_badge]
    if title_link is None and len(links) == 1 and links[0].shape is Shape.SINGLE:
        rest = title_cell.replace(links[0].raw, " ")
        for t in tokens:
            rest = rest.replace(t.raw, " ")
        if not _TAG_RE.sub(" ", rest).strip(" *_"):
            title_link = links[0]  # the cell's only words, linked: a title, even "Code"
    if title_link is not None:
        inner = (
            title_link.raw[1 : title_link.raw.rfind("](")]
            if title_link.raw.startswith("[")
            else title_link.label
        )
        return title_link, "", undecorate(_TAG_RE.sub("", inner).strip())[1].strip()
    text = title_cell
    for t in tokens:
        text = text.replace(t.raw, " ")
    text = " ".join(_TAG_RE.sub(" ", text).split())
    lead = _ROW_NAME_RE.match(text)
    name = ""
    if lead is not None and re.search(r"[^\W_]", text[lead.end() :]):
        name, text = lead.group(0), text[lead.end() :]
    text = _AFFILIATION_RE.sub("", text)
    return None, name, undecorate(text)[1].strip()


_ROW_NAME_RE = re.compile(
    r"\[(\*\*|__)[^\[\]*_]{1,40}\1\][ \t]*"
    r"|(\*\*\*|\*\*|___|__)[^\[\]*_|\s]{1,25}(?: [^\[\]*_|\s]{1,25}){0,2}\2[ \t]*[-–—:][ \t]+"
)
"""A method's name in bold before a row's title: ``[**D1**] d1: Scaling ...``, or with a dash
or colon after it: ``***LDCast*** - Latent diffusion models ...`` (three words at most: a
bold title before its description, ``**Attention Is All You Need** - the transformer``, stays
the title)."""
_AFFILIATION_RE = re.compile(r"\s*\(@[^()]*\)\s*$")
"""Who made it, after a title: ``Title (@HKU)`` (no title ends so)."""


def _note(cell: str) -> str | None:
    """The words of a code cell without a code link (``Coming soon``), links to nowhere read
    as their text; None for a cell with no words (``-``, ``N/A``) or a link somewhere."""
    tokens = [t for _, _, t in links_in(cell)]
    if any(t.url and not t.url.startswith("#") for t in tokens):
        return None
    text = cell
    for t in tokens:
        text = text.replace(t.raw, t.label)
    text = " ".join(_TAG_RE.sub(" ", text).split())
    if not re.search(r"\w", text) or re.fullmatch(r"(?i)n/?a|none|no|tbd|-+", text):
        return None
    return text


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
    return DatasetRow(
        line_no=line_no,
        raw=raw,
        name=name,
        url=url,
        cells=tuple(cells[1:]),
        section=section,
        keys=_link_keys(urls),
    )


def _link_keys(urls: Sequence[str]) -> PaperKeys:
    """The paper keys of a row's links: the first arXiv id, else the first DOI."""
    arxiv_id = next((a for a in map(normalise_arxiv_id, urls) if a), None)
    doi = None if arxiv_id else next((d for d in map(normalise_doi, urls) if d), None)
    return PaperKeys(arxiv_id=arxiv_id, doi=doi)


def parse(text: str, origin: str = "<list>") -> AwesomeList:
    """Parse list text. Raises :class:`ListFormatError` for text that is not a list."""
    if not text.strip():
        raise ListFormatError(f"{origin}: the file is empty")
    if "\x00" in text:
        raise ListFormatError(f"{origin}: the file is binary (it contains NUL bytes), not Markdown")
    lines = _split_lines(text)
    bodies = [line.rstrip("\r\n") for line in lines]
    sections = _sections(bodies, origin)
    read = _read(sections, bodies, paragraphs=False)
    if _loose_lines(bodies) > sum(not isinstance(item, Problem) for _, item in read):
        # Perhaps a list that writes each paper as a paragraph: read that way when most of
        # its papers are (an introduction's link to the list's survey is no reason).
        with_paragraphs = _read(sections, bodies, paragraphs=True)
        written = Counter(
            isinstance(item, Entry) and item.paragraph
            for _, item in with_paragraphs
            if not isinstance(item, Problem)
        )
        if written[True] >= _MIN_PARAGRAPH_ENTRIES and written[True] > written[False]:
            read = with_paragraphs
    entries: list[Entry] = []
    rows: list[DatasetRow] = []
    unread: dict[int, list[Problem]] = {}
    for sec, item in read:
        if isinstance(item, Problem):
            unread.setdefault(sec.line_no, []).append(item)
        elif isinstance(item, DatasetRow):
            rows.append(item)
        else:
            entries.append(item)
    rows.extend(_commented_papers(bodies, sections))
    # An item without a paper link is a problem only in a section that lists papers.
    with_entries = {
        sec.line_no
        for sec in sections
        if any(sec.line_no < e.line_no <= sec.end_line for e in entries)
    }
    problems = sorted(
        (p for line_no, ps in unread.items() if line_no in with_entries for p in ps),
        key=lambda p: p.line_no,
    )
    notes = tuple(
        Problem(
            e.line_no,
            f"{len(e.arxiv_ids)} arXiv links ({', '.join(e.arxiv_ids)}): the first is taken as "
            "the paper's, all count as listed",
            e.section,
        )
        for e in entries
        if len(e.arxiv_ids) > 1
    )
    return AwesomeList(
        lines=lines,
        sections=tuple(sections),
        entries=tuple(entries),
        dataset_rows=tuple(rows),
        problems=tuple(problems),
        origin=origin,
        _index=_build_index([*entries, *rows]),
        notes=notes,
    )


_MIN_PARAGRAPH_ENTRIES = 3
"""Paragraphs that read as papers before a list is read as one that writes its papers so."""
_LOOSE_RE = re.compile(r"^ {0,3}[^\s#>|<].*\]\(")
"""A line outside list items, headings, quotes, tables and HTML with a link: perhaps a paper
written as a paragraph."""


def _read(
    sections: Sequence[Section], bodies: Sequence[str], paragraphs: bool
) -> list[tuple[Section, Entry | DatasetRow | Problem]]:
    """Every section's items, in order, with the section each stands in."""
    return [(sec, item) for sec in sections for item in _section_items(sec, bodies, paragraphs)]


def _loose_lines(bodies: Sequence[str]) -> int:
    """How many lines could be papers written as paragraphs (a cheap bound: such a list is
    read a second time only when they outnumber the entries read)."""
    return sum(1 for body in bodies if _LOOSE_RE.match(body) and not _ITEM_RE.match(body))


def _fenced(bodies: Sequence[str], first: int, end: int) -> Iterator[tuple[int, str]]:
    """(index, line) of the lines from ``first`` to ``end`` outside fenced code blocks and
    HTML comments: a row or an item a maintainer commented out (``<!-- |ABCEI|[Title](u)|NA|
    -->``, rguo12/awesome-causality-algorithms) is hidden on the page, and no entry, nor a
    form for new ones. A comment after an entry's text (``[Title](u) <!---key-->``) is the
    entry's own."""
    for i, body, hidden in _marked(bodies, first, end):
        if not hidden:
            yield i, body


def _marked(bodies: Sequence[str], first: int, end: int) -> Iterator[tuple[int, str, bool]]:
    """(index, line, whether it is in an HTML comment) of the lines outside fenced code."""
    in_fence = False
    in_comment = False
    for i in range(first, end):
        body = bodies[i]
        if in_comment:
            in_comment = "-->" not in body
            yield i, body, True
        elif not in_fence and body.lstrip().startswith("<!--"):
            in_comment = "-->" not in body[body.index("<!--") + 4 :]
            yield i, body, True
        elif _FENCE_RE.match(body):
            in_fence = not in_fence
        elif not in_fence:
            yield i, body, False


def _commented_papers(bodies: Sequence[str], sections: Sequence[Section]) -> list[DatasetRow]:
    """The papers a maintainer commented out (``<!-- |ABCEI|[Title](arxiv)|NA| -->``): no
    entries, but listed, so a night never proposes what was taken out on purpose."""
    rows: list[DatasetRow] = []
    for i, body, hidden in _marked(bodies, 0, len(bodies)):
        urls = _URL_RE.findall(body) if hidden else []
        keys = _link_keys(urls)
        if keys.arxiv_id or keys.doi:
            sec = next((s for s in reversed(sections) if s.line_no <= i + 1), None)
            rows.append(
                DatasetRow(
                    line_no=i + 1,
                    raw=body,
                    name="",
                    url=urls[0],
                    cells=(),
                    section=sec.title if sec else "",
                    keys=keys,
                )
            )
    return rows


def _sections(bodies: Sequence[str], origin: str) -> list[Section]:
    """Every heading with the lines it spans and the titles of the headings above it."""
    heads: list[tuple[int, int, str]] = []  # (0-based index, level, title)
    for i, body in _fenced(bodies, 0, len(bodies)):
        m = _HEADING_RE.match(body) or _HTML_HEADING_RE.match(body)
        if m:
            level = len(m.group(1)) if m.group(1).startswith("#") else int(m.group(1))
            # The text GitHub shows: tags (``<h3 id=…>``, ``<i>``) left out.
            title = " ".join(_TAG_RE.sub("", m.group(2)).split()) or m.group(2).strip()
            heads.append((i, level, title))
    if not heads:
        raise ListFormatError(
            f"{origin}: no section headings (# or ##) found; is this an awesome list?"
        )
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    topic_level = 0
    for n, (i, written, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(bodies)
        # A year heading (``### 2025``) groups the heading above it, even at the same level
        # (an HTML ``<h3>`` topic followed by ``### 2025``): it nests one level below.
        level = written
        if _YEAR_HEADING_RE.match(title) and topic_level and written <= topic_level:
            level = topic_level + 1
        elif not _YEAR_HEADING_RE.match(title):
            topic_level = written
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        sections.append(Section(title, level, i + 1, end, tuple(t for _, t in stack)))
    return sections


def _section_items(
    sec: Section, bodies: Sequence[str], paragraphs: bool = False
) -> Iterator[Entry | DatasetRow | Problem]:
    """A section's entries (in the ``**YYYY**`` group they stand in), table rows, and list
    items that look like entries but have no paper link. Items nested under an entry (its
    authors, a note) belong to it. With ``paragraphs``, a paragraph that reads as a paper
    is an entry too (see :func:`_paragraph_entry`)."""
    heading_year = _YEAR_HEADING_RE.match(sec.title)
    year: int | None = int(heading_year.group(1)) if heading_year else None
    header: tuple[str, ...] | None = None
    columns: tuple[Column, ...] | None = None
    last_indent: int | None = None
    previous = ""
    skip = 0  # the lines of a paragraph entry read with the one before
    opens = True  # whether the line opens a paragraph, or follows a paragraph entry
    for i, body in _fenced(bodies, sec.line_no, sec.end_line):
        starts, opens = opens, not body.strip() or bool(_HEADING_RE.match(body))
        ym = _YEAR_RE.match(body)
        if ym:
            year = int(ym.group(1))
            continue
        # GFM: a table goes on to the first blank line, a row's leading pipe is optional (the
        # header's too: ``**Year** | **Title**`` over ``:-: | :-``).
        in_table = columns is not None and bool(body.strip()) and "|" in body
        piped_header = (
            columns is None
            and "|" in body
            and not _ITEM_RE.match(body)
            and i + 1 < len(bodies)
            and is_separator_row(bodies[i + 1])
        )
        delimiter = header is not None and columns is None and is_separator_row(body)
        if body.lstrip().startswith("|") or in_table or piped_header or delimiter:
            if columns is None and header is None and not previous.lstrip().startswith("|"):
                header = split_row(body)
            elif columns is None and header is not None and is_separator_row(body):
                ahead = _fenced(bodies, i + 1, min(len(bodies), i + 30))
                upcoming = [line for _, line in ahead if "|" in line][:5]
                columns = venue_column(
                    title_column(header, column_roles(header), upcoming), upcoming
                )
            elif columns is not None:
                if is_paper_table(columns):
                    yield _row_entry(body, i + 1, columns, sec.title, sec.path)
                else:
                    yield _table_row(body, i + 1, sec.title)
            previous = body
            continue
        header = None
        columns = None
        previous = body
        im = _ITEM_RE.match(body)
        if not im:
            if paragraphs and starts and i >= skip:
                entry, used = _paragraph_entry(bodies, i, sec, year)
                if entry is not None:
                    skip, opens = i + used, True
                    yield entry
            continue
        indent = len(im.group(1))
        nested = last_indent is not None and indent > last_indent
        item = im.group(2) or ""
        found = _bullet_entry(body, i + 1, sec.title, sec.path, year)
        details = _details(bodies, i, sec.end_line, indent)
        if found is None and not nested:
            # CommonMark: an unindented line right after the item continues its paragraph.
            below = details or tuple(bodies[i + 1 : min(i + 2, sec.end_line)])
            joined, rest = _continued(body, below, i, sec, year)
            if joined is not None:
                found, details = joined, rest
        if isinstance(found, Entry) and nested and _field_line(item):
            continue  # ``  - ExpEnv: [D4RL](u)，[MetaWorld](u)``: a field of the entry above
        if isinstance(found, Entry):
            last_indent = indent
            if details:
                venue = found.venue or _detail_venue(details)
                found = dataclasses.replace(found, details=details, venue=venue)
            yield found
        elif nested:
            continue
        elif found is None:
            # Any link: a link within the page is a table of contents, not a paper.
            has_link = any(t.url for _, _, t in links_in(item))
            if not has_link and field_label(item) is None:  # ``**Approach:** DL``: a field
                message = "empty list item" if not item.strip() else "list item without a link"
                yield Problem(i + 1, message, sec.title)
        else:
            yield found


_FIELD_LINE_RE = re.compile(r"(\*\*|__)?[^\W\d_][\w-]{0,24}\1?:[ \t]*(?:\*\*|__)?[ \t]*")


def _field_line(item: str) -> bool:
    """Whether a nested item is a field of the entry above it: a one-word name and a colon,
    then links alone (``Code: [official](u)``, ``ExpEnv: [D4RL](u)，[MetaWorld](u)``,
    opendilab/awesome-diffusion-model-in-rl), not a paper of its own (``DreamFusion: Text-to-3D
    ... [[Paper]](u)``)."""
    m = _FIELD_LINE_RE.match(item)
    if m is None:
        return False
    rest = item[m.end() :]
    for _, _, token in links_in(rest):
        rest = rest.replace(token.raw, " ")
    return re.search(r"[^\W\d_]", rest) is None


def _paragraph_entry(
    bodies: Sequence[str], i: int, sec: Section, year: int | None
) -> tuple[Entry | None, int]:
    """The paper a paragraph's line at ``i`` is, and how many lines it takes: one
    (``[Title](u), ICLR 2023 [[code]](u)``, ``(CVPR 2020) [Title](u) by A et al.``), or
    up to three when its title is wrapped onto the next lines of the paragraph. (None, 1)
    for a line that is no paper: prose with a link, a badge."""
    lines = [bodies[i], *_paragraph(bodies[i + 1 : min(i + 4, sec.end_line)])]
    for n in range(1, len(lines) + 1):
        found = _bullet_entry("\n".join(lines[:n]), i + 1, sec.title, sec.path, year, True)
        if isinstance(found, Entry) and found.paper_url and _titled_paragraph(found):
            return found, n
    return None, 1


def _titled_paragraph(entry: Entry) -> bool:
    """Whether a paragraph read as an entry opens with its paper's title: a linked title
    (``[Title](u), ICLR 2023``), or words followed by labelled links (``Title [[paper](u)]``).
    A sentence that links a paper in its words (``Check out our tutorial [Title](u).``,
    ``the datasets (**[IU X-Ray](u)**)``) is prose about it, not an entry."""
    parts = entry.parts
    if parts is None:
        return False
    if parts.title_url is not None:
        return True
    first = parts.links[0] if parts.links else None
    return first is not None and (is_label(first) or first.is_badge)


def _paragraph(lines: Sequence[str]) -> tuple[str, ...]:
    """The lines that go on an item's paragraph: up to a blank line, a nested item, a
    heading, a fence, a table row, a quote or HTML."""
    out: list[str] = []
    for line in lines:
        if not line.strip() or _ITEM_RE.match(line) or _HEADING_RE.match(line):
            break
        if _FENCE_RE.match(line) or line.lstrip().startswith(("|", ">", "<")):
            break
        out.append(line)
    return tuple(out)


def _continued(
    body: str, details: tuple[str, ...], i: int, sec: Section, year: int | None
) -> tuple[Entry | None, tuple[str, ...]]:
    """An item whose line holds only its title and whose next lines (its paragraph, before
    a blank line or a nested item) hold its links, read as one entry: ``- **Title**␠␠`` then
    ``  *Authors*. [[pdf](u)], 2025.03.``. Returns the entry and the detail lines left under
    it, or None. ``details`` may be the one line after the item, unindented: CommonMark's
    lazy continuation of the item's paragraph."""
    paragraph = _paragraph(details)
    if not paragraph:
        return None, ()
    joined = _bullet_entry("\n".join((body, *paragraph)), i + 1, sec.title, sec.path, year)
    if not isinstance(joined, Entry) or not joined.paper_url:
        return None, ()
    return joined, details[len(paragraph) :]


_DETAIL_RE = re.compile(r"^\s+[*_](?P<authors>[^*_]+)[*_]\s*(?P<venue>\S.*?)\s*$")
"""An indented detail line: ``    *Author, Author.* Venue'24``."""


def _details(bodies: Sequence[str], i: int, end: int, indent: int) -> tuple[str, ...]:
    """The lines after the item at ``i`` that belong to it: blank lines and text indented
    more than the item, up to the last such text line (a nested list item is one too)."""
    out: list[str] = []
    kept = 0
    for j in range(i + 1, end):
        body = bodies[j]
        if not body.strip():
            out.append(body)
            continue
        width = len(body) - len(body.lstrip())
        if width <= indent or _FENCE_RE.match(body) or _HEADING_RE.match(body):
            break
        out.append(body)
        kept = len(out)
    return tuple(out[:kept])


def _detail_venue(details: Sequence[str]) -> str | None:
    """The venue a detail line ends with (``Preprint'25``), if it has a year."""
    for line in details:
        m = _DETAIL_RE.match(line)
        if m and list_style.venue_form(m.group("venue"))[1] != "{name}":
            return m.group("venue")
    return None


def _build_index(items: Sequence[Entry | DatasetRow]) -> _Index:
    by_arxiv: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for n, item in enumerate(items):
        k = item.keys
        ids = item.arxiv_ids if isinstance(item, Entry) else ()
        for aid in (k.arxiv_id, *ids):
            if aid:
                by_arxiv.setdefault(aid, n)
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
