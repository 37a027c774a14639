"""An entry of an awesome list as data: what the parser reads and the style learner learns from.

Why a module of its own: :mod:`hfm_bot.awesome_list` reads entries and
:mod:`hfm_bot.list_style` learns each section's style from them, and the document model
places new entries by that style. With the entry defined in the parser, the two modules
imported each other; here, both import it, and neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hfm_bot.entry_syntax import BulletParts, Column
from hfm_bot.ids import PaperKeys


class Kind(StrEnum):
    """How the list writes an entry: a list item, or a row of a paper table."""

    BULLET = "bullet"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Link:
    """A link of an entry (``[[Paper]](u)``, ``[paper](u)``, ``[Github](u)``); ``url`` is
    empty for ``[[Code]]()``."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper of the list, as written: a bullet line or a row of a paper table."""

    line_no: int
    raw: str
    """The line without its line ending; for an entry that writes its links on the lines
    under its title (``- **Title**␠␠⏎  *Authors*. [[pdf](u)]``), those lines too, joined by
    ``\n``."""
    indent: str
    venue: str | None
    """The venue tag as written (``MICCAI``, ``NeurIPS'24``, ``arXiv 2023.05``)."""
    title: str
    paper_url: str | None
    code_url: str | None
    links: tuple[Link, ...]
    section: str
    """Title of the innermost heading above the entry."""
    year: int | None
    """The ``**YYYY**`` group the entry stands in, if any."""
    keys: PaperKeys
    section_path: tuple[str, ...] = ()
    """Titles of the headings above the entry, outermost first (its section's path)."""
    date: str | None = None
    """A date as the list writes it (a ``[2024.05]`` tag or a table's date cell)."""
    kind: Kind = Kind.BULLET
    title_raw: str = ""
    """The title as written, escapes and all."""
    parts: BulletParts | None = field(default=None, compare=False, repr=False)
    """A bullet's parts (see :mod:`hfm_bot.entry_syntax`); None for a table row."""
    columns: tuple[Column, ...] = ()
    """A table row's column roles, from its header."""
    arxiv_ids: tuple[str, ...] = ()
    """Every arXiv id the entry links (the first is the paper's); all count as listed."""
    badge_repo: str | None = None
    """``owner/name`` of the repository a GitHub stars badge of the entry shows, as written
    (usually the code link's; see :func:`hfm_bot.entry_syntax.star_repo`)."""
    code_note: str | None = None
    """What a table row's code cell says instead of a code link (``Coming soon``: the authors
    announced code), as the reader sees it (``[Coming soon]()`` reads ``Coming soon``); None
    for a link, an empty cell or a placeholder such as ``-``."""
    lead: str = ""
    """The name of the entry's method before its title, as written (``Boltz-1: ``,
    ``[**D1**] ``): the entry's own, no part of its title."""
    details: tuple[str, ...] = ()
    """The lines under a bullet that belong to it (blank lines and more indented text, such
    as ``    *Authors.* Venue'24``), up to its last such text line; not those of its own
    text (see :attr:`raw`)."""

    @property
    def paragraph(self) -> bool:
        """Whether the entry is a paragraph of its own: a bullet's parts without a bullet
        (``[Title](u), ICLR 2023``)."""
        return self.parts is not None and not self.parts.marker

    @property
    def last_line_no(self) -> int:
        """The number of the entry's last line: its own text's, or its last detail line's."""
        return self.line_no + self.raw.count("\n") + len(self.details)
