"""How well a list's learnt style describes the list: every entry written again from its own
parsed fields in its section's style, compared byte for byte with the line as it stands.

A high share means the bot's new entries will look like the maintainers' own; the lines that
differ show where the list is inconsistent or the parser misses something. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, Entry
from hfm_bot.entry_syntax import repo_of
from hfm_bot.list_style import EntryStyle, Kind, MissingField, Values, fill, other_values
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
    values = Values(
        title=escape_title(entry.title, style.escaping, in_table=table),
        paper=entry.paper_url,
        venue=entry.venue,
        date=entry.date,
        code=entry.code_url,
        others=other_values(entry),
    )
    try:
        has_repo = repo_of(entry.code_url) is not None
        line = fill(style.template(entry.code_url is not None, has_repo), values)
    except MissingField as err:
        return f"<no {err}>"
    return line if entry.kind is Kind.TABLE else entry.indent + line


def check(doc: AwesomeList) -> StyleCheck:
    """Every entry against its own section's learnt style."""
    by_line = {sec.line_no: sec for sec in doc.sections}
    matched = 0
    mismatches: list[Mismatch] = []
    for entry in doc.entries:
        sec = max(
            (s for s in by_line.values() if s.line_no < entry.line_no), key=lambda s: s.line_no
        )
        line = rerender(entry, doc.section_style(sec))
        if line == entry.raw:
            matched += 1
        else:
            mismatches.append(Mismatch(entry.line_no, entry.raw, line))
    return StyleCheck(len(doc.entries), matched, tuple(mismatches))
