"""How well a list's learnt style describes the list: every entry written again from its own
parsed fields in its section's style, compared byte for byte with the line as it stands.

A high share means the bot's new entries will look like the maintainers' own; the lines that
differ show where the list is inconsistent or the parser misses something. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, Entry
from hfm_bot.entry_syntax import repo_of, roles
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
    fill,
    local,
    other_values,
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


def rerender(entry: Entry, style: EntryStyle) -> str:
    """The entry written from its parsed fields (title, venue, date, links) in ``style``;
    the message of a field the style needs and the entry lacks, in angle brackets."""
    table = style.kind is Kind.TABLE
    others = other_values(entry)
    if entry.kind is Kind.BULLET:
        # An extra link's label and URL, as with_extra_links numbers them.
        links = _extra_links(entry)
        numbered = {k: label for k, (label, _) in enumerate(links)}
        numbered.update({100 + k: url for k, (_, url) in enumerate(links)})
        others = tuple(numbered.get(k, "") for k in range(max(numbered, default=-1) + 1))
    values = Values(
        title=escape_title(entry.title, style.escaping, in_table=table),
        paper=entry.paper_url,
        venue=entry.venue,
        date=entry.date,
        code=entry.code_url,
        others=others,
        repo=entry.badge_repo,
        code_label=style.code_label(entry.code_url),
        empty=style.placeholder,
    )
    has_repo = entry.badge_repo is not None or repo_of(entry.code_url) is not None
    template = style.template(entry.code_url is not None, has_repo)
    extras = other_values(entry) if entry.kind is Kind.BULLET else ()
    if extras:
        template = with_extra_links(template, style, len(extras), _extras_before_code(entry))
    try:
        line = fill(template, values) + " " * style.trailing_spaces
    except MissingField as err:
        return f"<no {err}>"
    return line if entry.kind is Kind.TABLE else entry.indent + line


_LABEL_RE = re.compile(r"^(.*?\[+)([^\[\]]*)(\]*\()$", re.S)


def with_extra_links(
    template: Template, style: EntryStyle, count: int, before: int = 0
) -> Template:
    """The template with ``count`` more links after the code (or paper) link, each written
    like the style's code link (its brackets and separator) with the entry's own label and
    URL: how the list writes a project page or a blog next to the code. The first ``before``
    of them stand before the code link, where the entry has them (which of its own links
    comes first is the entry's content, not the list's style)."""
    code = next((s for s in style.with_code.segments if s.role is Role.CODE), None)
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
    """(label as written, URL) of a bullet's links that are neither paper, code nor badge."""
    if entry.parts is None:
        return []
    found = roles(entry.parts)
    return [
        (link.raw[link.raw.index("[") + 1 :].lstrip("[").split("]")[0], link.url)
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
