"""How well a list's learnt style describes the list: every entry written again from its own
parsed fields in its section's style, compared byte for byte with the line as it stands.

A high share means the bot's new entries will look like the maintainers' own; the lines that
differ show where the list is inconsistent or the parser misses something. Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from hfm_bot.awesome_list import AwesomeList, Entry
from hfm_bot.entry_syntax import (
    LinkToken,
    gap_own_words,
    own_badges,
    repo_of,
    roles,
    tail_authors,
    tail_split,
)
from hfm_bot.list_style import (
    LOCAL_K,
    EntryStyle,
    Field,
    Kind,
    MissingField,
    Role,
    Segment,
    Slot,
    Template,
    Values,
    entry_authors,
    fill,
    is_preprint_link,
    local,
    mark_name,
    other_values,
    pad_cells,
    title_cell_own_words,
)
from hfm_bot.render import escape_title


@dataclass(frozen=True, slots=True)
class Mismatch:
    line_no: int
    original: str
    rendered: str


@dataclass(frozen=True, slots=True)
class StyleCheck:
    entries: int
    matched: int
    mismatches: tuple[Mismatch, ...]

    @property
    def share(self) -> float:
        return self.matched / self.entries if self.entries else 0.0

    def causes(self) -> Counter[Cause]:
        """How many mismatches each :class:`Cause` explains."""
        return Counter(cause_of(m) for m in self.mismatches)


class Cause(StrEnum):
    """What differs between a line as written and as the style writes it, when one kind of
    difference alone explains it. In the real lists each of these is the list writing that
    line otherwise than its neighbours (the style follows the neighbours' majority), so a
    cause with a high count is a habit to look at, and OTHER is where a new fault shows."""

    TRAILING = "trailing spaces"
    SPACING = "spaces or tabs inside the line"
    PUNCTUATION = "punctuation before a link (', ' or TAB, '. ' or ' ')"
    LABEL = "a link's label"
    BRACKETS = "a link's brackets"
    BADGE = "stars badge or line break"
    CELL = "text of a cell without a link ('-', 'Coming soon')"
    PIPES = "a table row's outer pipes"
    NUMBER = "the item's number"
    MARKUP = "HTML in the title"
    MISSING = "the entry lacks a field every entry there has"
    SEVERAL = "several of these at once"
    OTHER = "other"


def _cells(line: str) -> str:
    """A table row with every cell that links nowhere emptied."""
    return "|".join("" if "http" not in cell else cell for cell in line.split("|"))


_NORMALISE: tuple[tuple[Cause, Callable[[str], str]], ...] = (
    (Cause.TRAILING, lambda s: s),
    (Cause.SPACING, lambda s: re.sub(r"\s+", "", s)),
    (Cause.PUNCTUATION, lambda s: re.sub(r"[\s.,;:]+(?=\[|!\[|<a )", "", s)),
    # A short label, not a (bold) linked title.
    (Cause.LABEL, lambda s: re.sub(r"(?<![*_])\[[^\[\]*]{0,20}\](?=\]*\()", "[]", s)),
    (Cause.BRACKETS, lambda s: s.replace("[", "").replace("]", "")),
    (
        Cause.BADGE,
        lambda s: " ".join(
            re.sub(r"\[?!\[[^\[\]]*\]\([^()\s]*\)(?:\]\([^()\s]*\))?|<br\s*/?>", " ", s).split()
        ),
    ),
    (Cause.CELL, _cells),
    (Cause.PIPES, lambda s: s.strip().strip("|").strip()),
    (Cause.NUMBER, lambda s: re.sub(r"^(\s*)\d+([.)])", r"\1#\2", s)),
    (Cause.MARKUP, lambda s: re.sub(r"<(?!br)/?[A-Za-z][^<>]*>", "", s)),
)


def cause_of(miss: Mismatch) -> Cause:
    """The one kind of difference that explains a mismatch (see :class:`Cause`): the first
    whose normalisation, trailing spaces aside, makes the two lines equal."""
    if miss.rendered.startswith("<no "):
        return Cause.MISSING
    original, rendered = miss.original, miss.rendered
    if original.rstrip() == rendered.rstrip():
        return Cause.TRAILING
    a, b = original.rstrip(), rendered.rstrip()
    for cause, normalise in _NORMALISE[1:]:
        if normalise(a) == normalise(b):
            return cause
    # All at once, those that rewrite links last (a badge is no badge without brackets).
    for _, normalise in sorted(_NORMALISE[1:], key=lambda cn: cn[0] in _LINKS):
        a, b = normalise(a), normalise(b)
    return Cause.SEVERAL if a == b else Cause.OTHER


_LINKS = frozenset((Cause.LABEL, Cause.BRACKETS, Cause.SPACING))


def rerender(entry: Entry, style: EntryStyle) -> str:
    """The entry written from its parsed fields (title, venue, date, links) in ``style``;
    the message of a field the style needs and the entry lacks, in angle brackets."""
    table = style.kind is Kind.TABLE
    others = extras = other_values(entry)
    linked = entry.kind is Kind.BULLET and _code_form(style) is not None
    if linked:
        # An extra link's label and URL, as with_extra_links numbers them; a section that
        # links no code has no form for them, and they are written as the entry has them.
        links = _extra_links(entry)
        numbered = {k: label for k, (label, _) in enumerate(links)}
        numbered.update({100 + k: url for k, (_, url) in enumerate(links)})
        others = tuple(numbered.get(k, "") for k in range(max(numbered, default=-1) + 1))
    values = Values(
        title=mark_name(escape_title(entry.title, style.escaping, in_table=table), style.name_mark),
        paper=entry.paper_url,
        venue=entry.venue,
        date=entry.date,
        code=entry.code_url,
        others=others,
        repo=entry.badge_repo,
        code_label=style.code_label(entry.code_url),
        code_note=entry.code_note,
        empty=style.placeholder,
        own=_own_words(entry),
        lead=entry.lead,
        mark=entry.parts.mark if entry.parts is not None else "",
        page=entry.parts.title_url if entry.parts is not None else None,
        arxiv_id=entry.keys.arxiv_id,
        key=entry.parts.key if entry.parts is not None else None,
        authors=entry_authors(entry),
    )
    has_repo = entry.badge_repo is not None or repo_of(entry.code_url) is not None
    template = style.template(
        entry.code_url is not None,
        has_repo,
        entry.code_note is not None,
        is_preprint_link(entry.paper_url),
    )
    if entry.venue is None:  # a list that tags published papers only (``[ACL 2024]``)
        template = template.without_venue_tag()
    if linked and extras:
        template = with_extra_links(template, style, len(extras), _extras_before_code(entry))
    elif (own_links := _own_links(entry)) and Field.OTHER not in template.fields:
        template = _with_own_links(template, len(own_links))
        values = replace(values, others=own_links)
    # The entry's own words after its links (a description) are its content, as its title is.
    own = ""
    if entry.parts is not None:
        told = tail_authors(entry.parts) is not None  # written from the authors field
        own = own_badges(entry.parts) + ("" if told else tail_split(entry.parts)[1])
    try:
        line = fill(template, values) + (own or " " * style.trailing_spaces)
    except MissingField as err:
        return f"<no {err}>"
    if entry.kind is Kind.TABLE:
        return pad_cells(line, style.column_widths)
    # An item's number is its place, which the list counts on where a new one goes
    # (awesome_list._numbered), not its style: the entry keeps its own.
    own_number = _ITEM_NUMBER_RE.match(entry.raw.lstrip())
    if own_number is not None and _ITEM_NUMBER_RE.match(line):
        line = _ITEM_NUMBER_RE.sub(own_number.group(0), line, count=1)
    return entry.indent + line


_ITEM_NUMBER_RE = re.compile(r"^\d{1,9}(?=[.)])")


def _own_words(entry: Entry) -> str:
    """An entry's own words where its template leaves them open: after a row's title, or
    between a bullet's linked or bold title and its links."""
    if entry.kind is Kind.TABLE:
        return title_cell_own_words(entry)
    return gap_own_words(entry.parts) if entry.parts is not None else ""


_LABEL_RE = re.compile(r"^(.*?\[+)([^\[\]]*)(\]*\()$", re.S)


def with_extra_links(
    template: Template, style: EntryStyle, count: int, before: int = 0
) -> Template:
    """The template with ``count`` more links after the code (or paper) link, each written
    like the style's code link (its brackets and separator) with the entry's own label and
    URL: how the list writes a project page or a blog next to the code. The first ``before``
    of them stand before the code link, where the entry has them (which of its own links
    comes first is the entry's content, not the list's style)."""
    code = _code_form(style)
    if code is None:
        return template
    parts = code.parts
    if len(parts) == 5 and parts[1] == Slot(Field.CODE_LABEL):
        # "[[", label, "](", url, ")]": the label is a slot of its own.
        opening, middle, closing = parts[0], parts[2], parts[4]
        if not (isinstance(opening, str) and isinstance(middle, str)):
            return template
        m = _LABEL_RE.match(opening + "x" + middle)
    elif len(parts) == 3 and isinstance(parts[0], str):
        m = _LABEL_RE.match(parts[0])
        closing = parts[2]
    else:
        return template
    if m is None or not isinstance(closing, str):
        return template
    extra = tuple(
        Segment(
            Role.OTHER,
            (m.group(1), Slot(Field.OTHER, k), m.group(3), Slot(Field.OTHER, 100 + k), closing),
        )
        for k in range(count)
    )
    segments = list(template.segments)
    code_at = next((i for i, s in enumerate(segments) if s.role is Role.CODE), None)
    if code_at is None:
        before = 0
    at = max(
        (i for i, s in enumerate(segments) if s.role in (Role.PAPER, Role.CODE, Role.BADGE)),
        default=len(segments) - 1,
    )
    if before and code_at is not None:
        return Template(
            tuple(segments[:code_at])
            + extra[:before]
            + tuple(segments[code_at : at + 1])
            + extra[before:]
            + tuple(segments[at + 1 :])
        )
    return Template(tuple(segments[: at + 1]) + extra + tuple(segments[at + 1 :]))


def _with_own_links(template: Template, count: int) -> Template:
    """The template with ``count`` links after its last link, each as the entry writes it,
    a space before: a section that links no code has no form for an entry's slides or
    video links (huiyang-yi/Awesome-Causality-and-ML-Papers), which are its own."""
    segments = list(template.segments)
    tail = next((i for i, s in enumerate(segments) if s.role is Role.TAIL), len(segments))
    at = max(
        (i for i, s in enumerate(segments) if s.role in (Role.PAPER, Role.CODE, Role.BADGE)),
        default=tail - 1,  # no link but the title's: after the words that follow it
    )
    extra = [Segment(Role.OTHER, (" ", Slot(Field.OTHER, k))) for k in range(count)]
    return Template(tuple(segments[: at + 1] + extra + segments[at + 1 :]))


def _own_links(entry: Entry) -> tuple[str, ...]:
    """A bullet's extra links (:func:`_extras`), as written."""
    return tuple(link.raw for link in _extras(entry))


def _code_form(style: EntryStyle) -> Segment | None:
    """How the style writes a code link, which its extra links are written like."""
    return next((s for s in style.with_code.segments if s.role is Role.CODE), None)


def _extras_before_code(entry: Entry) -> int:
    """How many of a bullet's extra links stand before its code link."""
    if entry.parts is None:
        return 0
    found = roles(entry.parts)
    if found.code is None:
        return 0
    count = 0
    for link in entry.parts.links:
        if link is found.code:
            return count
        if link is not found.paper and not link.is_badge:
            count += 1
    return 0


def _extra_links(entry: Entry) -> list[tuple[str, str]]:
    """(label as written, URL) of a bullet's extra links (:func:`_extras`)."""
    return [
        (link.raw[link.raw.index("[") + 1 :].lstrip("[").split("]")[0], link.url)
        for link in _extras(entry)
    ]


def _extras(entry: Entry) -> list[LinkToken]:
    """A bullet's links that are neither its paper, its code nor a badge."""
    if entry.parts is None:
        return []
    found = roles(entry.parts)
    return [
        link
        for link in entry.parts.links
        if link is not found.paper and link is not found.code and not link.is_badge
    ]


def check(doc: AwesomeList, k: int = LOCAL_K) -> StyleCheck:
    """Every entry against the style learnt from the ``k`` entries nearest to it in its own
    section, leaving the entry itself out (it must not copy its own line); ``k=0`` checks
    against the section's style alone."""
    matched = 0
    mismatches: list[Mismatch] = []
    for sec in doc.sections:
        own = doc.own_entries(sec)
        style = doc.section_style(sec)
        for at, entry in enumerate(own):
            near = local(style, own, at, k)
            line = rerender(entry, near)
            if line == entry.raw:
                matched += 1
            else:
                mismatches.append(Mismatch(entry.line_no, entry.raw, line))
    mismatches.sort(key=lambda m: m.line_no)
    return StyleCheck(matched + len(mismatches), matched, tuple(mismatches))
