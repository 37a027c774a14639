"""A list's own style, learnt from its entries: how a new entry is written and where it goes.

Every entry of a section is turned into a template: its text with the paper's fields (venue,
date, title, paper and code links, the GitHub repository a stars badge shows) replaced by
slots, in segments (the head, each link with the separator before it, the tail), so a code
link and its badge can be left out for a paper without code. The section's style is its most
common template, with and without code, plus the formats of its venue tags and dates, its
escaping habit and its order (newest or oldest first, preprints after published papers, year
groups). Rendering fills a template with a new paper's fields; rendering an existing entry
from its own parsed fields gives its line back when it follows the style, which
``benchmarks/list_styles.py`` measures on real lists. Pure: nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import urlsplit

from hfm_bot.entry_syntax import (
    LABEL_WORDS,
    MONTH_DATE_RE,
    MONTH_NAMES,
    BulletParts,
    Column,
    badge_encoded,
    badge_venue,
    badged_date,
    citation_tail,
    continuation_venue,
    gap_authors,
    gap_date,
    gap_own_words,
    is_cite_key,
    is_dated,
    label_venue,
    last_date,
    line_tags,
    month_date,
    own_words_start,
    repo_of,
    roles,
    split_row,
    star_repo,
    tail_authors,
    tail_month,
    tail_plain_venue,
    tail_split,
    tail_venue,
    venue_date,
)
from hfm_bot.ids import normalise_arxiv_id
from hfm_bot.list_entry import Entry, Kind


class Field(StrEnum):
    """A value a template leaves open."""

    VENUE = "venue"
    DATE = "date"
    TITLE = "title"
    PAPER = "paper"
    CODE = "code"
    REPO = "repo"
    """``owner/name`` of the code's GitHub repository (stars badges)."""
    OTHER = "other"
    """An entry's own extra link or table cell, by position; a new entry has none."""
    VENUE_BADGE = "venue in a badge"
    """The venue as a shields.io badge writes it in its path (``ACL2025--industry``)."""
    AUTHORS = "authors"
    """The authors, on a detail line under the entry."""
    CODE_NOTE = "code note"
    """What a table's code cell says instead of a link (``Coming soon``), an entry's own."""
    CODE_LABEL = "code label"
    """The code link's label: it names the code's host (``Github``, ``Hugging Face``), so the
    style keeps a label per host (:attr:`EntryStyle.code_labels`), not one for all."""
    LEAD = "name before the title"
    """The name of the entry's method before its title with its colon (``Boltz-1: ``): the
    entry's own, as its title is, so a new entry writes none rather than another's."""
    KEY = "citation key"
    """A citation key tag (``[Dou2020] Title``): a new entry's is its first author's surname
    and its year, never another paper's."""
    ARXIV_ID = "arXiv id"
    """The paper's arXiv id in its link's label (``[arxiv:2503.01875](u)``): a new entry's
    own id, never another paper's."""
    PAGE = "title's page"
    """The page a linked title links when that is not the paper (a project page, the list's
    own note on it: ``[Title](notes/x.md) [arxiv](u)``): an existing entry's own; a new
    entry's title links its paper, never another paper's page."""
    MARK = "mark before the tags"
    """A maintainer's mark before an entry's tags (``⭐⭐(NeurIPS 2023) **Title**``): the
    entry's own, so a new entry writes none."""
    OWN = "own words"
    """What a row's title cell writes after the title (``<br> Ann Lee, Bo Wu``): the entry's
    own, so a new entry writes none rather than another paper's authors."""


@dataclass(frozen=True, slots=True)
class Slot:
    field: Field
    index: int = 0


Part = str | Slot


class Role(StrEnum):
    HEAD = "head"
    PAPER = "paper"
    CODE = "code"
    BADGE = "badge"
    OTHER = "other"
    VENUE = "venue badge"
    """A badge that names the paper's venue (``![](…/badge/Arxiv-orange)``)."""
    DATED = "dated"
    """Fields written between an entry's links: a date before the badges that end it (``,
    2025.03.``), a year and authors before a code link (`` (2023) by *Lee, A.*``); kept when
    the links after them (the entry's own badges, a code link) are left out."""
    TAIL = "tail"
    CELL = "cell"


@dataclass(frozen=True, slots=True)
class Segment:
    role: Role
    parts: tuple[Part, ...]

    @property
    def fields(self) -> frozenset[Field]:
        return frozenset(p.field for p in self.parts if isinstance(p, Slot))


@dataclass(frozen=True, slots=True)
class Template:
    """An entry's text with its fields as slots."""

    segments: tuple[Segment, ...]

    @property
    def fields(self) -> frozenset[Field]:
        return frozenset(f for s in self.segments for f in s.fields)

    def head_authors(self) -> bool:
        """Whether the authors are written in the head, after the title in plain words
        (``**Title**, Ann Lee et al.``), where only names read back as names."""
        return Slot(Field.AUTHORS) in self.segments[0].parts

    def authors_first(self) -> bool:
        """Whether the entry opens with its authors, before its title (a citation: ``Ann
        Lee, Bo Wu.<br />⏎  "Title." TIP (2025).``): without them it would open with their
        punctuation, so a paper whose authors do not read as names is refused there."""
        head = self.segments[0].parts
        authors, title = Slot(Field.AUTHORS), Slot(Field.TITLE)
        return authors in head and title in head and head.index(authors) < head.index(title)

    def without_authors(self) -> Template:
        """The template less its authors and the punctuation before them (``**Title**, {a}
        [[Paper](u)]`` is ``**Title** [[Paper](u)]``), for a paper whose authors it cannot
        write so that they read back as authors."""
        segments = []
        for seg in self.segments:
            parts: list[Part] = []
            for part in seg.parts:
                if part == Slot(Field.AUTHORS):
                    if parts and isinstance(parts[-1], str):
                        parts[-1] = re.sub(r"[ \t]*[,.;]?[ \t]*$", "", parts[-1])
                    continue
                parts.append(part)
            segments.append(Segment(seg.role, _merge(parts)))
        return Template(tuple(segments))

    def without_venue_tag(self) -> Template:
        """The template less a bracketed venue tag before the links (``"Title" [2024-03]
        [ACL 2024]`` less `` [ACL 2024]``), or a venue after a bar in the date's brackets
        (``(Oct., 2025 | CVPR 2026)`` less `` | CVPR 2026``), for a paper the list would tag
        with none."""
        head, *rest = self.segments
        parts = list(head.parts)
        for i in range(1, len(parts) - 1):
            before, slot, after = parts[i - 1], parts[i], parts[i + 1]
            if slot != Slot(Field.VENUE) or not isinstance(before, str):
                continue
            if not isinstance(after, str):
                continue
            opening = re.search(r"\s*[\[(]\*?$", before)
            closing = re.match(r"^\*?[\])]", after)
            if opening and closing and head.role is Role.HEAD:
                parts[i - 1 : i + 2] = [before[: opening.start()], after[closing.end() :]]
                return Template((Segment(Role.HEAD, _merge(parts)), *rest))
        # ``(Oct., 2025 | CVPR 2026)`` after the title: the venue after a bar, in the tail.
        for k, seg in enumerate(rest, 1):
            parts = list(seg.parts)
            for i in range(1, len(parts) - 1):
                before, slot, after = parts[i - 1], parts[i], parts[i + 1]
                if slot != Slot(Field.VENUE) or not isinstance(before, str):
                    continue
                bar = re.search(r"\s*\|\s*$", before)
                if bar and isinstance(after, str) and after.startswith(")") and i >= 2:
                    parts[i - 1 : i + 1] = [before[: bar.start()]]
                    segments = list(self.segments)
                    segments[k] = Segment(seg.role, _merge(parts))
                    return Template(tuple(segments))
        return self

    def without_code(self, placeholder: str = "-") -> Template:
        """The template for a paper without code: its code link and badges left out (a table
        keeps the cell, with the table's placeholder: a dash unless it writes another)."""
        out: list[Segment] = []
        for seg in self.segments:
            if seg.role is Role.CELL and Field.TITLE in seg.fields:
                out.append(_without_badge(seg))
            elif seg.role is Role.CELL and seg.fields & {Field.CODE, Field.REPO}:
                # A cell that links the paper and its code (``| [[pdf](u)] [[code](u)] |``)
                # keeps the paper's link; a code cell gets a dash.
                out.append(_paper_only(seg) or Segment(Role.CELL, (_pad(seg, placeholder),)))
            elif seg.role in (Role.CODE, Role.BADGE) or (seg.fields & {Field.CODE, Field.REPO}):
                continue
            else:
                out.append(seg)
        return Template(tuple(out))

    def text(self) -> str:
        """A readable form, for reports: ``- [{venue}] {title}. [[Paper]]({paper})`` (an
        entry's own name before its title, which a new entry never has, left out)."""
        return "".join(
            p if isinstance(p, str) else "{" + p.field.value + "}"
            for s in self.segments
            for p in s.parts
            if p not in (Slot(Field.LEAD), Slot(Field.MARK))
        )


def _paper_only(seg: Segment) -> Segment | None:
    """A table cell that links the paper and then its code, less the code's link (its
    padding kept); None for a cell without the paper's link before the code's."""
    parts = list(seg.parts)
    if Slot(Field.PAPER) not in parts:
        return None
    k = parts.index(Slot(Field.PAPER))
    after = parts[k + 1] if k + 1 < len(parts) else None
    code_at = next(
        (i for i, p in enumerate(parts) if isinstance(p, Slot) and p.field is not Field.PAPER), None
    )
    end = re.match(r"\)\]?", after) if isinstance(after, str) else None
    if end is None or not isinstance(after, str) or code_at is None or code_at < k:
        return None
    last = parts[-1] if isinstance(parts[-1], str) else ""
    return Segment(Role.CELL, (*parts[: k + 1], after[: end.end()] + last[len(last.rstrip()) :]))


def _pad(seg: Segment, value: str) -> str:
    """A cell holding ``value`` instead, with the cell's pipe and its spaces around."""
    first = seg.parts[0] if seg.parts else ""
    last = seg.parts[-1] if seg.parts else ""
    pipe = "|" if isinstance(first, str) and first.startswith("|") else ""
    first = first[len(pipe) :] if isinstance(first, str) else first
    left = " " if isinstance(first, str) and first.startswith(" ") else ""
    right = " " if isinstance(last, str) and last.endswith(" ") else ""
    return pipe + left + value + right


_MARK_RE = re.compile(r"(\x00\d+\x00)")
_BR_RE = re.compile(r"\s*<br\s*/?>")


def _without_badge(seg: Segment) -> Segment:
    """A title cell without its stars badge, and without the line breaks (``<br>``) that
    set the badge apart: in the real lists they go together (mllm-tables: 353 of 358 rows
    with a badge break the line after the title, 1 of 214 rows without one does)."""
    marks: dict[str, Slot] = {}
    text = ""
    for part in seg.parts:
        if isinstance(part, Slot):
            key = f"\x00{len(marks)}\x00"
            marks[key] = part
            text += key
        else:
            text += part
    cut = text
    for key, slot in marks.items():
        if slot.field is Field.REPO:
            badge = (
                r"\[?!\[[^\[\]]*\]\([^()\s]*" + re.escape(key) + r"[^()\s]*\)(?:\]\([^()\s]*\))?"
            )
            cut = re.sub(badge, "", cut)
    if cut == text:
        return seg
    cut = _BR_RE.sub("", cut)
    parts: list[Part] = [marks.get(piece, piece) for piece in _MARK_RE.split(cut) if piece]
    return Segment(seg.role, _merge(parts))


class Escaping(StrEnum):
    FULL = "full"
    """Every markdown character backslash-escaped (the list escapes its titles)."""
    MINIMAL = "minimal"
    """Only what could open markup; parentheses and the like stay readable."""


class Direction(StrEnum):
    NEWEST_FIRST = "newest first"
    OLDEST_FIRST = "oldest first"
    NONE = "no date order"


@dataclass(frozen=True, slots=True)
class Order:
    """Where a section puts a new entry."""

    direction: Direction = Direction.NONE
    preprints_last: bool = False
    """Published papers first, preprints after them."""
    year_groups: bool = False
    """``**YYYY**`` lines group the entries."""


ARXIV_ABS = "https://arxiv.org/abs/{id}"
_ARXIV_LINK_RE = re.compile(
    r"^(https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5})(v\d+)?(\.pdf)?$"
)
"""An arXiv paper's abstract or PDF link, as a list writes it (no query, no fragment)."""


@dataclass(frozen=True, slots=True)
class EntryStyle:
    """How a section writes its entries, learnt by :func:`learn`."""

    kind: Kind
    with_code: Template
    without_code: Template
    escaping: Escaping = Escaping.MINIMAL
    preprint_venue: str = "{name}"
    """How a preprint's tag is written: ``{name}``, ``{name} {yyyy}.{mm}``, ``{name}'{yy}``."""
    published_venue: str = "{name}"
    preprint_names: tuple[tuple[str, str], ...] = ()
    """The list's spelling of the preprint servers, e.g. ``(("arxiv", "arXiv"),)``."""
    date_format: str = "{yyyy}-{mm}-{dd}"
    month_names: tuple[str, ...] = ()
    """How the list writes each month's name in its dates (``Mar``, ``July``, ``Sept``), for a
    ``{mon}`` date format (``{mon}., {yyyy}``); a month it never wrote is its first three
    letters."""
    order: Order = Order()
    empty_cells: tuple[str, ...] = ()
    """A table's usual content of each column for a new row (``-``)."""
    learned_from: int = 0
    """How many entries the style was learnt from (0: the built-in default)."""
    title_period: bool = False
    """The list ends its titles with a period of their own (``[Title.](u)``)."""
    details: tuple[tuple[Part, ...], ...] = ()
    """The lines the list writes under each entry (``    *{authors}.* {venue}``), if most
    entries have them."""
    blank_between: bool = False
    """Entries with detail lines, or written as paragraphs, are separated by a blank line."""
    paragraphs: bool = False
    """The section writes each paper as a paragraph of its own, without a bullet
    (``[Title](u), ICLR 2023``): a new entry is a paragraph too, with a blank line between
    it and the next when the list writes them so."""
    trailing_spaces: int = 0
    """Spaces the entries end with: invisible on GitHub, but some lists (or some of their
    contributors' editors) write them, and an added line should not stand out in the diff."""
    code_labels: tuple[tuple[str, str], ...] = ()
    """(host, label) of the code links: a list labels a GitHub repository ``Github`` and a
    Hugging Face model ``Hugging Face``; the host ``""`` holds the label for any other."""
    placeholder: str = "-"
    """What a table writes in a cell it has nothing for (a row without a venue or date)."""
    noted: Template | None = None
    """How a table writes a row whose code cell holds a note instead of a link (``[Coming
    soon]()``), if two of its rows do; a new paper has no note and never gets this form."""
    arxiv_link: str = ARXIV_ABS
    """How the list links an arXiv paper, ``{id}`` for its id: the abstract page, or the PDF
    (``https://arxiv.org/pdf/{id}``, ``…/pdf/{id}.pdf``) when most of its arXiv entries do."""
    et_al: bool = False
    """The list writes its entries' authors short, as surnames (``Li, Li, Zhang``) and
    the first author's "et al." for more than three (``Zhu et al.``)."""
    name_mark: str = ""
    """The emphasis a title's opening name is written in (``***`` for ``***InstantID:***
    Zero-shot ...``) when most of the entries whose titles open with a name write it so."""
    et_al_full: bool = False
    """With :attr:`et_al`, the first author is named in full before "et al." (``Jinlu Zhang
    et al.``), and up to three authors by their whole names."""
    et_al_form: str = " et al."
    """With :attr:`et_al`, what follows the first author's name as most of the entries
    write it: `` et al.``, ``, et al.``, `` *et al.*``."""
    name_form: str = ""
    """How the section names a method before its title (``**{name}**: ``, ``[**{name}**] ``,
    ``{name}: ``) when most of its entries do; "" when it does not. A new paper gets it with
    the name its own title opens with (``LLaDA2.1: Speeding Up ...``), or none."""
    preprint_with_code: Template | None = None
    """How the section writes a paper linked on a preprint server (arXiv, bioRxiv, medRxiv),
    when that differs from its other papers: a badge of another colour, ``[[preprint]]``
    where a journal's paper is ``[[paper]]``. None: as the others."""
    preprint_without_code: Template | None = None
    column_widths: tuple[int | None, ...] = ()
    """The width each column of a padded table has (cells aligned by a formatter: spaces up to
    the column's width), None for a column left as it comes; () for a table not padded."""

    def code_label(self, url: str | None) -> str:
        """The label the list gives a code link to ``url``'s host (its usual one for a host
        it never links)."""
        labels = dict(self.code_labels)
        found = labels.get(host_of(url)) if url else None
        return found or labels.get("") or "Code"

    def template(
        self,
        has_code: bool,
        has_repo: bool = True,
        has_note: bool = False,
        preprint: bool = False,
    ) -> Template:
        """The template for a paper with or without code (or with a note on its code), and
        linked on a preprint server or not; a table's cells that show a GitHub badge take
        their no-code form for code that is not on GitHub."""
        with_code = (preprint and self.preprint_with_code) or self.with_code
        without_code = (preprint and self.preprint_without_code) or self.without_code
        if not has_code:
            return self.noted if has_note and self.noted is not None else without_code
        if has_repo or self.kind is Kind.BULLET:
            return with_code
        plain = without_code.segments
        return Template(
            tuple(
                plain[k] if Field.REPO in seg.fields and k < len(plain) else seg
                for k, seg in enumerate(with_code.segments)
            )
        )


_DEFAULT_TEMPLATE = Template(
    (
        Segment(Role.HEAD, ("- [", Slot(Field.VENUE), "] ", Slot(Field.TITLE))),
        Segment(Role.PAPER, (". [[Paper]](", Slot(Field.PAPER), ")")),
        Segment(Role.CODE, (" [[Code]](", Slot(Field.CODE), ")")),
        Segment(Role.TAIL, ("",)),
    )
)
DEFAULT_STYLE = EntryStyle(
    Kind.BULLET, _DEFAULT_TEMPLATE, _DEFAULT_TEMPLATE.without_code(), Escaping.FULL
)
"""The style of a list with no entry to learn from:
``- [Venue] Title. [[Paper]](u) [[Code]](u)``."""

PREPRINT_SERVERS = ("arxiv", "biorxiv", "medrxiv")
_PREPRINT_LINK_RE = re.compile(
    r"^https?://(?:(?:www\.|export\.)?(?:arxiv|biorxiv|medrxiv)\.org/"
    r"|(?:dx\.)?doi\.org/10\.(?:1101|48550)/)",
    re.I,
)
"""A preprint server's page, or a DOI it minted (bioRxiv and medRxiv 10.1101, arXiv 10.48550)."""


def is_preprint_link(url: str | None) -> bool:
    """Whether a paper's link is on a preprint server (as the bot's new papers are)."""
    return bool(url) and _PREPRINT_LINK_RE.match(url or "") is not None


# ---------------------------------------------------------------- templates of entries


def _split(text: str, values: Sequence[tuple[str, Slot]]) -> tuple[Part, ...]:
    """``text`` with each value replaced by its slot, longest values first."""
    parts: list[Part] = [text]
    for value, slot in sorted(values, key=lambda v: -len(v[0])):
        if not value:
            continue
        out: list[Part] = []
        for part in parts:
            if not isinstance(part, str) or value not in part:
                out.append(part)
                continue
            pieces = part.split(value)
            for k, piece in enumerate(pieces):
                if k:
                    out.append(slot)
                if piece:
                    out.append(piece)
        parts = out
    return tuple(parts) if parts else ("",)


def bullet_template(parts: BulletParts) -> Template:
    """The template of a bullet entry (its indentation is the section's, not the style's)."""
    found = roles(parts)
    paper, code = found.paper, found.code
    repo = _repo_pair(star_repo(parts.links)) or repo_of(code.url if code else None)
    head: list[Part] = [parts.marker]
    if parts.mark:  # ``⭐⭐(NeurIPS 2023) ...``: the entry's own, a new entry has none
        head.append(Slot(Field.MARK))
    for prefix in parts.prefixes:
        field = Field.KEY if is_cite_key(prefix.text) else Field.VENUE
        slot = Slot(Field.DATE if is_dated(prefix.text) else field)
        if prefix.authors:  # ``Ann Lee, Bo Wu.<br />⏎  "Title."``: a citation's authors
            slot = Slot(Field.AUTHORS)
        head.extend((prefix.open, slot, prefix.close))
    # Every entry has the slot, named or not, so that the two are one shape: whether an
    # entry names its method is the entry's own business, not the list's style.
    head.append(Slot(Field.LEAD))
    head.append(parts.title_open)
    head.append(Slot(Field.TITLE))
    if parts.title_url:
        close = parts.title_close
        at = close.rindex(parts.title_url)
        target = Slot(Field.PAPER if found.title_is_paper else Field.PAGE)
        head.extend((close[:at], target, close[at + len(parts.title_url) :]))
    else:
        head.append(parts.title_close)
    for suffix in parts.suffixes:  # ``"Title" [2024-03] [ACL 2024]``, ``[Title](u), A et al.``
        field = Field.DATE if is_dated(suffix.text) else Field.VENUE
        head.extend((suffix.open, Slot(Field.AUTHORS if suffix.authors else field)))
        head.append(suffix.close)
    segments = [Segment(Role.HEAD, _merge(head))]
    # A two-line entry's authors and venue, on the line under its title.
    authors, line_venue = gap_authors(parts), continuation_venue(parts)
    gap_values = [(authors, Slot(Field.AUTHORS))] if authors else []
    if line_venue:
        gap_values.append((line_venue, Slot(Field.VENUE)))
    tagged = line_tags(parts) if not line_venue and not parts.tags else None
    if tagged is not None:  # ``⏎[07th Aug., 2025] [arXiv, 2025] \``
        gap_values.extend(sorted(
            [(tagged[0], Slot(Field.DATE)), (tagged[1], Slot(Field.VENUE))],
            key=lambda v: parts.gap.rindex("[" + v[0]),
        ))  # fmt: skip
    leading: tuple[Part, ...] = _split(parts.gap, gap_values) if gap_values else (parts.gap,)
    others = 0
    venue = label_venue(parts, found) if not any(not is_dated(p.text) for p in parts.tags) else None
    if tagged is not None:
        venue, line_venue = None, tagged[1]  # the venue is the tag's, not a link's label
    date = last_date(parts) if tagged is None else None
    badged = None if date or tagged else badged_date(parts)
    in_gap = None if date or badged or tagged else gap_date(parts)
    if in_gap:  # ``](u) (2023) by *A*`` before the other links
        leading = _merge([*_split_parts(leading, in_gap, Slot(Field.DATE))])
    elif not gap_values and (mine := gap_own_words(parts)):
        # ``**[Title](u)** (Xi et al., 2023) - *a description* [[code](u)]``: the entry's own.
        leading = _merge([*_split_parts(leading, mine, Slot(Field.OWN))])
    tail_values = [(date, Slot(Field.DATE))] if date else []
    month = tail_month(parts)
    if month is not None and month[1]:  # ``(Dec., 2024 | CVPR 2025)``
        tail_values.append((month[1], Slot(Field.VENUE)))
    after_venue = (
        tail_venue(parts)
        if not date and not badged and not in_gap and not venue and not parts.tags
        else None
    )
    if after_venue is not None:  # ``(Nature, 2021)`` after the title or the links
        tail_values = [(after_venue[0], Slot(Field.VENUE)), (after_venue[1], Slot(Field.DATE))]
    plain = None if tail_values or venue or parts.tags else tail_plain_venue(parts)
    if plain is not None:  # ``, ICRA 2010.`` after the links
        tail_values = [(plain, Slot(Field.VENUE))]
    cited = None if tail_values or venue or parts.tags else citation_tail(parts)
    if cited is not None:  # ``. Lee et al.. *CVPR*, 2025.`` after the title or the links
        tail_values = [(cited[0], Slot(Field.AUTHORS))]
        if cited[1] is not None:
            tail_values.append((cited[1], Slot(Field.VENUE)))
        tail_values.append((cited[2], Slot(Field.DATE)))
    form, own_words = tail_split(parts)
    by = tail_authors(parts)
    if by is not None:  # `` by *Lee, A.*``: the entry's authors, a field as its title is
        form, own_words = form + own_words, ""
        tail_values.append((by, Slot(Field.AUTHORS)))
    no_venue = not (venue or parts.tags or after_venue or line_venue)
    in_badge = badge_venue(parts) if no_venue else None
    for k, (link, after) in enumerate(zip(parts.links, parts.separators, strict=True)):
        after_parts: tuple[Part, ...] = (after,)
        if k == len(parts.links) - 1:
            after_parts = _split(form, tail_values)
        elif badged is not None and k == badged[0]:  # ``, 2025.03. `` before the badges
            after_parts = _split(after, [(badged[1], Slot(Field.DATE))])
        if link is paper:
            values = [(link.url, Slot(Field.PAPER)), *_id_in_label(link.raw, link.url)]
            if venue:
                values.append((venue, Slot(Field.VENUE)))
            role, parts_ = Role.PAPER, _split(link.raw, values)
        elif link is code:
            values = [(link.url, Slot(Field.CODE))]
            if repo:
                values.append((f"{repo[0]}/{repo[1]}", Slot(Field.REPO)))
            role, parts_ = Role.CODE, _slot_label(_split(link.raw, values))
        elif in_badge is not None and k == in_badge[0]:
            values = [(badge_encoded(in_badge[1]), Slot(Field.VENUE_BADGE))]
            role, parts_ = Role.VENUE, _split(link.raw, values)
        elif link.is_badge and repo and f"{repo[0]}/{repo[1]}" in link.raw:
            values = [(f"{repo[0]}/{repo[1]}", Slot(Field.REPO))]
            if code is not None:
                values.append((code.url, Slot(Field.CODE)))
            role, parts_ = Role.BADGE, _split(link.raw, values)
        else:
            role, parts_ = Role.OTHER, (Slot(Field.OTHER, others),)
            others += 1
        if role is not Role.PAPER and any(isinstance(p, Slot) for p in leading):
            # Fields before a link that may be left out (the year and authors before a code
            # link): they stay when the link goes; only the spaces before it go with it.
            fields, space = _space_apart(tuple(leading))
            segments.append(Segment(Role.DATED, _merge(list(fields))))
            leading = (space,)
        segments.append(Segment(role, _merge([*leading, *parts_])))
        leading = after_parts
        if badged is not None and k == badged[0]:
            dated, space = _space_apart(after_parts)
            segments.append(Segment(Role.DATED, dated))
            leading = (space,)
        tail = after_parts
    if not parts.links:
        tail = _split(form, tail_values)
    segments.append(Segment(Role.TAIL, _merge(list(tail))))
    if own_words:  # the entry's own description: its own, never another entry's
        segments.append(Segment(Role.OTHER, (Slot(Field.OTHER, others),)))
    return Template(tuple(segments))


def _split_parts(parts: Sequence[Part], value: str, slot: Slot) -> tuple[Part, ...]:
    """``parts`` with ``value`` in their text parts replaced by ``slot``."""
    out: list[Part] = []
    for part in parts:
        out.extend(_split(part, [(value, slot)]) if isinstance(part, str) else (part,))
    return tuple(out)


def _space_apart(parts: tuple[Part, ...]) -> tuple[tuple[Part, ...], str]:
    """(the parts less the spaces they end with, those spaces)."""
    last = parts[-1] if parts else ""
    if not isinstance(last, str):
        return parts, ""
    kept = last.rstrip()
    return (*parts[:-1], kept) if kept else parts[:-1], last[len(kept) :]


def _id_in_label(text: str, url: str) -> list[tuple[str, Slot]]:
    """The arXiv id of the paper ``url`` links, as a slot, when ``text`` (the link, or the
    row, less the URL) writes it too: ``[arxiv:2503.01875](u)``. The id is the paper's, as
    its URL is: a new entry writes its own."""
    aid = normalise_arxiv_id(url)
    if aid is None or aid not in text.replace(url, ""):
        return []
    return [(aid, Slot(Field.ARXIV_ID))]


def _row_values(entry: Entry) -> list[tuple[str, Slot]]:
    """A row's values that its cells hold as slots."""
    repo = _repo_pair(entry.badge_repo) or repo_of(entry.code_url)
    values: list[tuple[str, Slot]] = [(entry.title_raw, Slot(Field.TITLE))]
    if entry.lead:
        values.append((entry.lead, Slot(Field.LEAD)))
    if entry.paper_url:
        values.append((entry.paper_url, Slot(Field.PAPER)))
        values.extend(_id_in_label(entry.raw, entry.paper_url))
    if entry.code_url:
        values.append((entry.code_url, Slot(Field.CODE)))
    if repo:
        values.append((f"{repo[0]}/{repo[1]}", Slot(Field.REPO)))
    if entry.code_note:
        values.append((entry.code_note, Slot(Field.CODE_NOTE)))
    return values


def row_template(entry: Entry) -> Template:
    """The template of a table row: each cell with the row's fields as slots; cells of
    other columns are the row's own (an OTHER slot), filled from the row when re-rendered."""
    raw = entry.raw
    stripped = raw.strip()
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    cells = split_row(raw)
    values = _row_values(entry)
    segments = [Segment(Role.HEAD, (lead + ("|" if stripped.startswith("|") else ""),))]
    for k, cell in enumerate(cells):
        role = entry.columns[k] if k < len(entry.columns) else Column.OTHER
        sep = "|" if k else ""
        if role is Column.VENUE and entry.venue:
            if entry.paper_url and entry.paper_url in cell:  # ``[ICML 2025](paper)``
                parts = _venue_label(_split(cell, values), entry.venue)
            else:
                parts = _split(cell, [(entry.venue, Slot(Field.VENUE))])
        elif role is Column.DATE and entry.date:
            parts = _split(cell, [(entry.date, Slot(Field.DATE))])
        elif role is Column.TITLE:
            parts = _own_words_apart(_slot_label(_split(cell, values)))
        elif role is Column.AUTHORS and (authors := row_authors(entry)):
            parts = _split(cell, [(authors, Slot(Field.AUTHORS))])
        elif role is Column.LINK and entry.venue and Column.VENUE not in entry.columns:
            # The paper's link labelled with its venue (``[ICML 2025](u)``): the label is it.
            parts = _venue_label(_slot_label(_split(cell, values)), entry.venue)
        elif role in (Column.CODE, Column.LINK):
            parts = _slot_label(_split(cell, values))
        elif entry.code_url and Column.CODE not in entry.columns and entry.code_url in cell:
            parts = _slot_label(_split(cell, values))  # the column that links the code
        elif entry.paper_url and Column.LINK not in entry.columns and entry.paper_url in cell:
            parts = _slot_label(_split(cell, values))  # ``| Resources |``: it links the paper
        else:
            parts = (Slot(Field.OTHER, k),)
        segments.append(Segment(Role.CELL, _merge([sep, *parts])))
    end = "|" if stripped.endswith("|") and not stripped.endswith("\\|") else ""
    segments.append(Segment(Role.TAIL, (end + trail,)))
    return Template(tuple(segments))


def own_words(text: str) -> tuple[str, str, str]:
    """(the cell's form before, the entry's own words, the spaces after) of what a title cell
    writes after its title: ``") <br> Ann Lee, Bo Wu "`` is (``")"``, ``" <br> Ann Lee, Bo
    Wu"``, ``" "``); no own words: (``text``, ``""``, ``""``)."""
    at = own_words_start(text)
    if at is None:
        return text, "", ""
    end = len(text.rstrip())
    return text[:at], text[at:end], text[end:]


def _text_after_title(parts: Sequence[Part]) -> str | None:
    """What a title cell writes after its last slot, when it ends in text."""
    if parts and isinstance(parts[-1], str) and any(isinstance(p, Slot) for p in parts):
        return parts[-1]
    return None


def _own_words_apart(parts: Sequence[Part]) -> tuple[Part, ...]:
    """A title cell's parts with the words after its last slot as :data:`Field.OWN`."""
    after = _text_after_title(parts)
    if after is None:
        return tuple(parts)
    before, own, spaces = own_words(after)
    return (*parts[:-1], before, Slot(Field.OWN), spaces) if own else tuple(parts)


def title_cell_own_words(entry: Entry) -> str:
    """An existing row's own words after its title, as :func:`row_template` finds them."""
    if Column.TITLE not in entry.columns:
        return ""
    cell = split_row(entry.raw)[entry.columns.index(Column.TITLE)]
    after = _text_after_title(_slot_label(_split(cell, _row_values(entry))))
    return "" if after is None else own_words(after)[1]


_LABEL_BEFORE_RE = re.compile(r"^(.*\[)([^\[\]]*)(\]+\()$", re.S)


def _venue_label(parts: Sequence[Part], venue: str) -> tuple[Part, ...]:
    """The parts with the label of the link to the paper, its venue, as a venue slot."""
    out: list[Part] = []
    for k, part in enumerate(parts):
        nxt = parts[k + 1] if k + 1 < len(parts) else None
        if isinstance(part, str) and part.endswith(f"[{venue}](") and nxt == Slot(Field.PAPER):
            out.extend((part[: -len(venue) - 2], Slot(Field.VENUE), "]("))
        else:
            out.append(part)
    return tuple(out)


def _slot_label(parts: Sequence[Part]) -> tuple[Part, ...]:
    """The parts with the label of the markdown link to the code (``[Github](`` before the
    code slot) as a slot of its own."""
    out: list[Part] = []
    for k, part in enumerate(parts):
        nxt = parts[k + 1] if k + 1 < len(parts) else None
        m = _LABEL_BEFORE_RE.match(part) if isinstance(part, str) else None
        if m and isinstance(nxt, Slot) and nxt.field is Field.CODE:
            out.extend((m.group(1), Slot(Field.CODE_LABEL), m.group(3)))
        else:
            out.append(part)
    return tuple(out)


def _repo_pair(text: str | None) -> tuple[str, str] | None:
    if not text or "/" not in text:
        return None
    owner, name = text.split("/", 1)
    return owner, name


_PAGES_RE = re.compile(r"^[^.]+\.(github\.io|gitlab\.io|hf\.space)$")


def host_of(url: str) -> str:
    """A URL's host, lower case, without ``www.``: what a code link's label depends on.
    Project pages (``someone.github.io``) are one host, ``github.io``: a list labels them
    alike ("Project", "Page"), whoever's page it is."""
    try:
        host = urlsplit(url.strip()).netloc.lower()
    except ValueError:  # ``https://[Github].com/a/b``: a list's typo, no host to read
        return ""
    host = host[4:] if host.startswith("www.") else host
    pages = _PAGES_RE.match(host)
    return pages.group(1) if pages else host


def written_code_label(entry: Entry) -> str | None:
    """The label of an entry's code link as written (``Github``); the last link to the code
    URL is the code link (a title may link the same repository first)."""
    if not entry.code_url:
        return None
    if entry.parts is not None:
        return _label_before(entry.raw, entry.code_url)
    return _row_label(entry.raw, entry.code_url, entry.columns)


@functools.lru_cache(maxsize=4096)
def _row_label(raw: str, url: str, columns: tuple[Column, ...]) -> str | None:
    """The label in a row's code cell (another cell may link the same URL: a demo)."""
    cells = split_row(raw)

    def column(k: int) -> Column:
        return columns[k] if k < len(columns) else Column.OTHER

    for k in sorted(range(len(cells)), key=lambda k: column(k) is not Column.CODE):
        if column(k) is not Column.TITLE:
            found = _label_before(cells[k], url)
            if found is not None:
                return found
    return None


@functools.lru_cache(maxsize=4096)
def _label_before(raw: str, url: str) -> str | None:
    found = re.findall(r"\[([^\[\]]*)\]+\(\s*" + re.escape(url) + r"\s*\)", raw)
    return found[-1] if found else None


def _code_labels(
    entries: Sequence[Entry], fallback: tuple[tuple[str, str], ...] = ()
) -> tuple[tuple[str, str], ...]:
    """Each host's most common code label among ``entries`` (ties to the first seen), and
    the most common of all for host ``""``; hosts they never link keep ``fallback``'s."""
    by_host: dict[str, Counter[str]] = {}
    every: Counter[str] = Counter()
    for e in entries:
        label = written_code_label(e)
        if label is None or e.code_url is None:
            continue
        by_host.setdefault(host_of(e.code_url), Counter())[label] += 1
        every[label] += 1
    out = dict(fallback)
    for host, labels in by_host.items():
        habit = _habits(labels, host)
        if habit:
            out[host] = habit[0]
    habit = _habits(every)
    if habit:
        out[""] = habit[0]
    return tuple(sorted(out.items()))


def _habits(labels: Counter[str], host: str = "") -> list[str]:
    """The labels of ``labels`` that are the list's habit, the most common first: label-like
    (:func:`_label_like`), and, unless a plain label word or the host's name, written by a
    fifth of the code links at least. A list that labels each code link with its project's
    name (``[[FullSubNet]](u)``, WenzheLiu-Speech/awesome-speech-enhancement) has none, even
    where one project's name holds a framework's (``[[TensorFlow-SE]](u)``, once in 108)."""
    total = sum(labels.values())
    return [
        label
        for label, n in labels.most_common()
        if _label_like(label, n, host) and (n * 5 >= total or _plain_label(label, host))
    ]


def _plain_label(label: str, host: str) -> bool:
    """A label word (``Code``, ``GitHub``) or the link's host's name (``Hugging Face``)."""
    squeezed = re.sub(r"\W", "", label.casefold())
    named = bool(squeezed) and host.split(".")[0] == squeezed
    return label.replace("\\", "").strip("[]").casefold() in LABEL_WORDS or named


def _label_like(label: str, count: int, host: str = "") -> bool:
    """Whether a code link's label is the list's habit, not one entry's words for its link
    (``[Awesome Causal Inference](https://github.com/…)``, ``[DoWhy](…)``): a label word or
    a code's language or framework (``PyTorch(Author)``, ``Python``), the link's host
    (``Hugging Face`` for huggingface.co), or written so twice."""
    words = set(re.findall(r"[a-z+]+", label.casefold()))
    return count >= 2 or _plain_label(label, host) or bool(words & _CODE_WORDS)


_CODE_WORDS = frozenset(
    ("code", "github", "gitlab", "python", "pytorch", "tensorflow", "jax", "keras", "matlab",
     "julia", "r", "c++", "torch", "paddle", "mindspore", "caffe", "mxnet", "official",
     "unofficial", "implementation", "source", "repo", "repository", "stata", "sas", "java",
     "cpp", "scala", "rust", "octave")
)  # fmt: skip
"""Words of a code link's label that say code, however a list puts them."""


def _merge(parts: Sequence[Part]) -> tuple[Part, ...]:
    out: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return tuple(out) if out else ("",)


@functools.lru_cache(maxsize=8192)
def _shape(entry: Entry) -> Template:
    """An entry's template as styles compare them (see :func:`_trimmed`); kept, since the
    local style of every line of a list reads each neighbour's again."""
    return _trimmed(template_of(entry))


def template_of(entry: Entry) -> Template:
    if entry.parts is not None:
        return bullet_template(entry.parts)
    return row_template(entry)


# ---------------------------------------------------------------- learning


def learn(entries: Sequence[Entry], fallback: EntryStyle | None = None) -> EntryStyle:
    """The style of these entries (one section's, or a whole list's): the most common
    template with code and without, venue and date formats, escaping and order. With no
    entries, ``fallback`` (the list's dominant style) or the built-in default."""
    if not entries:
        return fallback or DEFAULT_STYLE
    et_al, et_al_full, et_al_form = _et_al_style(entries)
    widths = column_widths(entries) if entries[0].parts is None else ()
    templates = [(e, _unpadded(_shape(e)) if widths else _shape(e)) for e in entries]
    kind = Kind.BULLET if entries[0].parts is not None else Kind.TABLE
    templates = [(e, t) for e, t in templates if (e.parts is not None) == (kind is Kind.BULLET)]
    coded = Counter(t for e, t in templates if e.code_url and Field.PAPER in t.fields)
    plain = Counter(
        t for e, t in templates if not e.code_url and not e.code_note and Field.PAPER in t.fields
    )
    notes = Counter(t for e, t in templates if e.code_note and Field.PAPER in t.fields)
    noted = _common(notes) if notes and max(notes.values()) >= 2 else None
    # Another table's shapes fit this section's only with its columns (a list whose
    # datasets table links code, and its methods table not).
    own = _common(plain) or _common(coded)
    fits = (
        fallback is not None
        and fallback.kind is kind
        and (kind is Kind.BULLET or own is None or _cells(fallback.with_code) == _cells(own))
    )
    if noted is None and fallback is not None and fits:
        noted = fallback.noted
    with_code = _common(coded)
    if with_code is not None and _prose_between_links(with_code):
        with_code = None  # one entry's sentence around its links is no form for others
    if with_code is None and fallback is not None and fits and fallback.learned_from:
        with_code = fallback.with_code
    never_code = not coded  # these entries link no code: a paper with code is written alike
    if with_code is None:
        # A list that never links code: a paper's code link is left out, as the list does.
        with_code = _common(plain) or DEFAULT_STYLE.with_code
    # A paper without code is written like one with code, less the code link, when the
    # list writes that shape; else in the list's most common shape without code.
    derived = with_code.without_code(_placeholder(entries) if kind is Kind.TABLE else "-")
    plain_common = _common(plain)
    without_code = derived
    # ... unless the list writes that shape rarely, and another far more often (a quoted
    # title on most entries, a bare one on the few with code).
    if (
        plain_common is not None
        and plain[plain_common] >= 2
        and plain.get(derived, 0) * 2 < plain[plain_common]
    ):
        without_code = plain_common
    if Field.PAPER not in without_code.fields:
        without_code = derived
    venues = [e.venue for e in entries if e.venue]
    return EntryStyle(
        kind=kind,
        with_code=with_code,
        without_code=without_code,
        preprint_with_code=_preprint_form(templates, not never_code),
        preprint_without_code=_preprint_form(templates, False),
        column_widths=widths,
        escaping=_escaping(entries),
        preprint_venue=_venue_format(venues, preprint=True),
        published_venue=_venue_format(venues, preprint=False),
        preprint_names=_spellings(venues),
        date_format=_date_format([e.date for e in entries if e.date]),
        month_names=_month_names([e.date for e in entries if e.date]),
        order=learn_order(entries),
        empty_cells=_empty_cells(entries) if kind is Kind.TABLE else (),
        learned_from=len(entries),
        title_period=sum(e.title.endswith(".") for e in entries) * 2 > len(entries),
        details=_details(entries),
        blank_between=_blank_between(entries),
        paragraphs=_paragraphs(entries),
        trailing_spaces=_trailing_spaces(entries),
        code_labels=_code_labels(entries, fallback.code_labels if fallback else ()),
        noted=noted,
        placeholder=_placeholder(entries) if kind is Kind.TABLE else "-",
        arxiv_link=_arxiv_link(entries, fallback.arxiv_link if fallback else ARXIV_ABS),
        name_form=_name_form(entries),
        et_al=et_al,
        et_al_full=et_al_full,
        et_al_form=et_al_form,
        name_mark=_name_mark(entries),
    )


def row_authors(entry: Entry) -> str | None:
    """The authors a table row writes in its authors column (``| Title | Authors | Venue
    |``), as written; None for a row without that column or with nothing in it."""
    if Column.AUTHORS not in entry.columns:
        return None
    cells = split_row(entry.raw)
    at = entry.columns.index(Column.AUTHORS)
    text = cells[at].strip() if at < len(cells) else ""
    return text if re.search(r"[^\W\d_]", text) else None


def entry_authors(entry: Entry) -> str | None:
    """The authors an entry writes, as written (italic ones under or after its title, a
    citation's after its links, or a table row's authors column)."""
    parts = entry.parts
    if parts is None:
        return row_authors(entry)
    cited = citation_tail(parts)
    return (
        parts.authors or gap_authors(parts) or tail_authors(parts) or (cited[0] if cited else None)
    )


_ONE_ET_AL_RE = re.compile(r"([^,;*_]+?)(,?[ \t]+([*_]{0,2})et[ \t]+al\.?\3)")
"""One name and "et al." (``Zhu et al.``, ``Lei Wang, et al.``, ``Hu *et al.*``)."""


def _et_al_style(entries: Sequence[Entry]) -> tuple[bool, bool, str]:
    """How the entries write their authors, read once: (``et_al``) whether most that write
    authors write one name and "et al." (``Zhu et al.``), not several names before it
    (``Yang Liu, Ann Bo, et al.``); (``et_al_full``) whether most of those write that name
    whole (``Ajay Jain et al.``) rather than the surname alone (``Mildenhall et al.``); and
    (``et_al_form``) what most of them write after the name (`` et al.``, ``, et al.``)."""
    written = [a.strip() for a in map(entry_authors, entries) if a]
    ones = [m for a in written if (m := _ONE_ET_AL_RE.fullmatch(a))]
    short = bool(written) and len(ones) * 2 > len(written)
    full = sum(len(m.group(1).split()) > 1 for m in ones) * 2 > len(ones)
    forms = Counter(m.group(2) for m in ones)
    return short, full, forms.most_common(1)[0][0] if forms else " et al."


_CODE_FIELDS = frozenset((Field.CODE, Field.CODE_LABEL, Field.CODE_NOTE, Field.REPO, Field.OTHER))


def _cells(template: Template) -> tuple[frozenset[Field], ...]:
    """What each cell of a table row's template holds (its fields but the code's and the
    row's own): two tables share a shape only with the same columns in the same order."""
    cells: list[set[Field]] = [set()]
    for part in (p for seg in template.segments for p in seg.parts):
        if isinstance(part, Slot):
            cells[-1].add(part.field)
        else:
            cells.extend(set() for _ in re.findall(r"(?<!\\)\|", part))
    return tuple(frozenset(c - _CODE_FIELDS) for c in cells)


def _preprint_form(templates: Sequence[tuple[Entry, Template]], code: bool) -> Template | None:
    """How the entries linked on a preprint server are written (with code or without), when
    that is not how the others are: most of each group in its own shape, two at least
    (swagshaw/Awesome-Speech-and-Audio-Continual-Learning gives its arXiv papers a red badge
    and the others a blue one). None when the list writes them alike."""
    groups: tuple[Counter[Template], Counter[Template]] = (Counter(), Counter())
    for e, t in templates:
        if e.paper_url and (e.code_url is not None) == code and Field.PAPER in t.fields:
            groups[is_preprint_link(e.paper_url)][t] += 1
    shapes = [_untagged(g) for g in groups]
    if any(sum(g.values()) < 2 for g in shapes):
        return None
    best = [max(g, key=lambda t: g[t]) for g in shapes]
    if _paper_link_part(best[0]) == _paper_link_part(best[1]) or any(
        g[b] * 2 <= sum(g.values()) for g, b in zip(shapes, best, strict=True)
    ):
        return None  # alike, or apart only by chance in another part of the line
    return _common(groups[1])


def _paper_link_part(template: Template) -> tuple[Part, ...]:
    """The link to the paper as a line writes it (its segment or table cell, without the
    separator before it, which is the line's business, not the link's)."""
    parts = next((seg.parts for seg in template.segments if Field.PAPER in seg.fields), ())
    if parts and isinstance(parts[0], str):
        return (parts[0].lstrip(" \t,;.:|-–—"), *parts[1:])
    return parts


_LEAD_FORM_RE = re.compile(r"(\[?)(\*\*|__)?([^*_\[\]\n:()]+?)\2?(\]?)(:?[ \t]+)")
"""A name's decoration around it in a lead: ``**LaMDA**: ``, ``[**D1**] ``, ``Boltz-1: ``."""


def _name_form(entries: Sequence[Entry]) -> str:
    """The form most of the entries name their method in (see :attr:`EntryStyle.name_form`);
    "" unless half of the entries have a name, and half of those this one form."""
    forms: Counter[str] = Counter()
    for e in entries:
        m = _LEAD_FORM_RE.fullmatch(e.lead) if e.lead else None
        if m is not None and re.search(r"[^\W_]", m.group(3)):  # a name, not a mark (🌟)
            deco = m.group(2) or ""
            forms[m.group(1) + deco + "{name}" + deco + m.group(4) + m.group(5)] += 1
    if not forms:
        return ""
    form, n = forms.most_common(1)[0]
    named = sum(1 for e in entries if e.lead)
    return form if named * 2 >= len(entries) and n * 2 >= named else ""


_TITLE_NAME_RE = re.compile(r"([A-Za-z0-9][A-Za-z0-9.+-]*(?: [A-Za-z0-9.+-]+){0,2}): \S+ \S")
"""A name a title opens with: ``LLaDA2.1: Speeding Up ...``, ``Dream 7B: Diffusion ...``."""


def _name_mark(entries: Sequence[Entry]) -> str:
    """The emphasis most entries whose titles open with a name put around it, if most do
    (see :attr:`EntryStyle.name_mark`)."""
    marks = Counter(e.parts.title_mark for e in entries if e.parts and e.parts.title_mark)
    if not marks:
        return ""
    mark, n = marks.most_common(1)[0]
    return mark if n * 2 > sum(1 for e in entries if name_of(e.title)) else ""


def mark_name(escaped: str, mark: str) -> str:
    """An escaped title with its opening name in ``mark`` (``***InstantID:*** Zero-shot
    ...``), when it opens with one (:func:`name_of`)."""
    name = name_of(escaped) if mark else None
    if name is None or not escaped.startswith(name + ": "):
        return escaped
    return f"{mark}{name}:{mark} {escaped[len(name) + 2 :]}"


def name_of(title: str) -> str | None:
    """The method's name a paper's title opens with, if it does (a short name of plain
    letters, digits, dots and dashes, then a colon and two words or more: what lists that
    name their methods write before the title)."""
    m = _TITLE_NAME_RE.match(title)
    return m.group(1) if m and len(m.group(1)) <= 25 else None


def arxiv_link_form(url: str | None) -> str | None:
    """The form of an arXiv link, ``{id}`` for the paper's id and its version left out
    (``https://arxiv.org/pdf/2503.16419v2`` is ``https://arxiv.org/pdf/{id}``); None for any
    other link."""
    m = _ARXIV_LINK_RE.match(url or "")
    return f"{m.group(1)}{{id}}{m.group(4) or ''}" if m else None


def _arxiv_link(entries: Sequence[Entry], fallback: str) -> str:
    """The arXiv link form most of the entries' arXiv links take, if most take one."""
    forms = Counter(f for f in (arxiv_link_form(e.paper_url) for e in entries) if f)
    if not forms:
        return fallback
    form, count = forms.most_common(1)[0]
    return form if count * 2 > sum(forms.values()) else fallback


_PLACEHOLDER_RE = re.compile(r"^[-–—/?]+$|^n/?a$", re.I)


def _placeholder(entries: Sequence[Entry]) -> str:
    """The table's most common text for a cell it has nothing for (``-``, ``N/A``)."""
    cells = Counter(
        c.strip() for e in entries for c in split_row(e.raw) if _PLACEHOLDER_RE.match(c.strip())
    )
    return cells.most_common(1)[0][0] if cells else "-"


def _trailing_spaces(entries: Sequence[Entry], share: float = 0.5) -> int:
    """The most common number of spaces after an entry's text, when more than ``share`` of
    the entries end with it; else none."""
    counts = Counter(len(e.raw) - len(e.raw.rstrip(" ")) for e in entries)
    spaces, n = counts.most_common(1)[0]
    return spaces if n > share * len(entries) else 0


LOCAL_K = 5
"""How many neighbouring entries a local style is learnt from: measured with
``benchmarks/list_styles.py --k`` (see the README's list-model figures)."""


TRAILING_SHARE = 0.75
"""Trailing spaces are copied from the neighbours only when this share of them has them:
in the real lists they are mostly scattered (an editor's, not a habit), and a plain majority
of a few neighbours copies the noise (measured: benchmarks/list_styles.py)."""


def neighbours(entries: Sequence[Entry], at: int, k: int = LOCAL_K) -> list[Entry]:
    """The ``k`` entries nearest to position ``at`` of ``entries`` (nearest first, the one
    before winning a tie), leaving out the entry at ``at`` itself: the leave-one-out
    neighbourhood a line's local style is learnt from. ``at`` may be ``len(entries)`` or
    ``-1`` for a new entry after the last or before the first."""
    out: list[Entry] = []
    for step in range(1, len(entries) + 2):
        for i in (at - step, at + step):
            if 0 <= i < len(entries) and len(out) < k:
                out.append(entries[i])
        if len(out) >= k:
            break
    return out


def local(section: EntryStyle, entries: Sequence[Entry], at: int, k: int = LOCAL_K) -> EntryStyle:
    """The section's style with the shape of its lines (separators, labels, period before
    the links, optional cells such as "Coming soon", badges, trailing spaces) taken from the
    entries nearest to position ``at`` of the section's ``entries``, the entry at ``at``
    itself left out. Lists change habits over time and by contributor, and the variants come
    in runs (a stretch of TAB-separated entries, a stretch with trailing spaces), so the
    neighbours say better than the whole section how a line there is written. A paper with
    code is written like the nearest entries with code, one without like the nearest without
    (each is its own majority, ties to the nearest); without a shape half of them share the
    section's template stays. Venue and date formats, escaping and order stay the section's:
    they need many entries to tell."""
    same = [
        (i, e)
        for i, e in enumerate(entries)
        if (e.parts is not None) == (section.kind is Kind.BULLET)
    ]
    if not k or len(same) < 3:
        return section
    if 0 <= at < len(entries):
        # A list nested under a tool's card (``- **Paper:**`` over ``  - [Title](u)``) writes
        # its nested items its own way: they learn from each other, when there are enough.
        level = [(i, e) for i, e in same if e.indent == entries[at].indent]
        if len(level) >= 3 and len(level) < len(same):
            same = level

    padded = bool(section.column_widths)
    # A section that writes its preprints otherwise learns each form from its own kind.
    apart = section.preprint_with_code is not None or section.preprint_without_code is not None

    def nearest(code: bool, noted: bool = False, preprint: bool | None = None) -> list[Entry]:
        group = [
            (i, e)
            for i, e in same
            if (e.code_url is not None) == code
            and (code or (e.code_note is not None) == noted)
            and i != at
            and (preprint is None or is_preprint_link(e.paper_url) == preprint)
        ]
        group.sort(key=lambda ie: (abs(ie[0] - at), ie[0] > at))
        return [e for _, e in group[:k]]

    def common(group: list[Entry]) -> Template | None:
        shapes = (_unpadded(_shape(e)) if padded else _shape(e) for e in group)
        templates = Counter(t for t in shapes if Field.PAPER in t.fields)
        # Half of the neighbours, and two, must agree: a shape no run shares (a typo, a
        # one-off) leaves the section's template (measured: mllm-tables 66.0 -> 66.2%,
        # healthcare 85.4 -> 86.3% ignoring trailing spaces).
        if not templates or max(_untagged(templates).values()) < max(2, 0.5 * len(group)):
            return None
        return _common(templates)

    def tagged(near: Template | None, whole: Template) -> Template:
        """The neighbours' shape, tagged as the section tags it when the neighbours have
        none to show (a new paper at the top of a section whose tagged ones are older)."""
        if near is None:
            return whole
        return whole if near == _key(near) and _key(whole) == near else near

    others = False if apart else None
    coded, plain = nearest(True, preprint=others), nearest(False, preprint=others)
    with_code = tagged(common(coded), section.with_code)
    without_code = tagged(common(plain), section.without_code)

    def preprints(code: bool, whole: Template | None) -> Template | None:
        """The preprints near it, where the section writes them otherwise."""
        return None if whole is None else tagged(common(nearest(code, preprint=True)), whole)

    pre_coded = preprints(True, section.preprint_with_code)
    pre_plain = preprints(False, section.preprint_without_code)
    noted = common(nearest(False, noted=True)) or section.noted
    if not 0 <= at < len(entries) and "]()" in without_code.text():
        # A new entry does not promise what the bot cannot know: an empty link such as
        # "[Coming soon]()" says the authors announced code; the section's no-code form stays.
        without_code = section.without_code
    around = (
        [e for _, e in sorted(same, key=lambda ie: abs(ie[0] - at)) if e is not entries[at]][:k]
        if 0 <= at < len(entries)
        else [e for _, e in sorted(same, key=lambda ie: abs(ie[0] - at))][:k]
    )
    return replace(
        section,
        with_code=with_code,
        without_code=without_code,
        preprint_with_code=pre_coded if pre_coded not in (None, with_code) else None,
        preprint_without_code=pre_plain if pre_plain not in (None, without_code) else None,
        noted=noted,
        code_labels=_near_code_labels(same, at, k, section.code_labels),
        trailing_spaces=_trailing_spaces(around, TRAILING_SHARE)
        if around
        else section.trailing_spaces,
        column_widths=section.column_widths if _padded_near(around, section) else (),
    )


def _padded_near(around: Sequence[Entry], section: EntryStyle) -> bool:
    """Whether most of the rows near a place are padded to the section's column widths: a
    table padded by a formatter once, and its later rows added unpadded, is written as the
    rows around a new one are (itouchz/awesome-deep-time-series-representations)."""
    if not section.column_widths or not around:
        return bool(section.column_widths)
    padded = sum(pad_cells(e.raw.strip(), section.column_widths) == e.raw.strip() for e in around)
    return padded * 2 >= len(around)


def _near_code_labels(
    same: Sequence[tuple[int, Entry]], at: int, k: int, section: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """Each host's code label as the ``k`` nearest entries linking code there write it
    (their majority, ties to the nearest; the entry at ``at`` left out); the section's for a
    host no neighbour links, or when the neighbours do not agree. A list's label for a host
    changes over time ("Hugging Face", later "Huggingface") like its other habits."""
    near = sorted(
        ((i, e) for i, e in same if i != at and e.code_url),
        key=lambda ie: (abs(ie[0] - at), ie[0] > at),
    )
    by_host: dict[str, list[str]] = {}
    for _, e in near:
        label = written_code_label(e)
        if label is None or e.code_url is None:
            continue
        for host in (host_of(e.code_url), ""):
            group = by_host.setdefault(host, [])
            if len(group) < k:
                group.append(label)
    out = dict(section)
    for host, labels in by_host.items():
        label, n = Counter(labels).most_common(1)[0]
        # As for the templates: half of the neighbours, and two, must agree, else the
        # section's label (a one-off "project" for a repository is no habit).
        if n >= max(2, 0.5 * len(labels)) or (host not in out and _label_like(label, n, host)):
            out[host] = label
    return tuple(sorted(out.items()))


_DETAIL_RE = re.compile(
    r"^(?P<lead>\s+[*_])(?P<authors>[^*_]+?)(?P<mid>\.?[*_]\s*)(?P<venue>\S.*?)\s*$"
)


def detail_template(entry: Entry) -> tuple[tuple[Part, ...], ...]:
    """An entry's detail lines with the authors and venue as slots (blank lines as "")."""
    out: list[tuple[Part, ...]] = []
    for line in entry.details:
        m = _DETAIL_RE.match(line)
        if not line.strip():
            out.append(("",))
        elif m:
            venue = m.group("venue")
            out.append(
                (m.group("lead"), Slot(Field.AUTHORS), m.group("mid"), Slot(Field.VENUE))
                if entry.venue == venue
                else (m.group("lead"), Slot(Field.AUTHORS), m.group("mid") + venue)
            )
        else:
            out.append((line,))
    return tuple(out)


def _details(entries: Sequence[Entry]) -> tuple[tuple[Part, ...], ...]:
    """The most common detail block, when most entries have one with authors in it."""
    blocks = Counter(detail_template(e) for e in entries if e.details)
    if not blocks or sum(blocks.values()) * 2 <= len(entries):
        return ()
    best = blocks.most_common(1)[0][0]
    return best if any(Slot(Field.AUTHORS) in line for line in best) else ()


def _blank_between(entries: Sequence[Entry]) -> bool:
    """Whether entries with details, or written as paragraphs, are followed by a blank line
    before the next entry."""
    gaps = [
        e.last_line_no + 1 < nxt.line_no
        for e, nxt in itertools.pairwise(entries)
        if e.details or e.paragraph
    ]
    return bool(gaps) and sum(gaps) * 2 > len(gaps)


def _paragraphs(entries: Sequence[Entry]) -> bool:
    """Whether most of the entries are paragraphs (:attr:`EntryStyle.paragraphs`)."""
    return sum(e.paragraph for e in entries) * 2 > len(entries)


_NUMBER_RE = re.compile(r"^\d{1,9}(?=[.)])")


def _trimmed(template: Template) -> Template:
    """The template without an entry's own extra links (a blog, a demo: the entry's, not the
    style's), without trailing spaces (stray whitespace at a line's end is no style), and
    with an item's number as 1 (``3. "Title"`` has the shape of ``1. "Title"``; the list
    numbers a new entry where it goes)."""
    kept = tuple(s for s in template.segments if s.role is not Role.OTHER)
    template = Template(kept) if kept else template
    head = template.segments[0]
    first = head.parts[0] if head.parts else ""
    if head.role is Role.HEAD and isinstance(first, str) and _NUMBER_RE.match(first):
        numbered = Segment(Role.HEAD, (_NUMBER_RE.sub("1", first), *head.parts[1:]))
        template = Template((numbered, *template.segments[1:]))
    last = template.segments[-1]
    if last.role is Role.TAIL and isinstance(last.parts[-1], str):
        parts = (*last.parts[:-1], last.parts[-1].rstrip())
        return Template((*template.segments[:-1], Segment(Role.TAIL, parts)))
    return template


def _one_space(text: str) -> str:
    """``text`` with a run of two spaces or more at its end as one."""
    return text.rstrip(" ") + " " if text.endswith("  ") else text


def _unpadded(template: Template) -> Template:
    """A padded table's row template with each cell's padding as one space: the spaces are
    the column's, not the row's shape (:func:`column_widths` keeps the widths, and
    :func:`pad_cells` puts them back)."""
    return Template(
        tuple(
            Segment(s.role, (*s.parts[:-1], _one_space(s.parts[-1])))
            if s.role is Role.CELL and s.parts and isinstance(s.parts[-1], str)
            else s
            for s in template.segments
        )
    )


def _common(counter: Counter[Template]) -> Template | None:
    """The most common template, ties to the earliest seen (Counter keeps insertion order)
    that writes no words between its links.

    A venue tag is optional (``"Title" [2024-03] [ACL 2024]`` and ``"Title" [2024-03]`` are
    one shape, :func:`_untagged`): a list that tags its published papers only writes its
    preprints without one, and the shape is theirs together. The template returned is the
    tagged one when any entry of the shape has a tag (the most common of those), so that a
    published paper gets its tag and a preprint the shape less it
    (:meth:`Template.without_venue_tag`)."""
    if not counter:
        return None
    shapes = _untagged(counter)
    best = max(shapes.values())
    ties = [t for t, n in shapes.items() if n == best]
    shape = next((t for t in ties if not _prose_between_links(t)), ties[0])
    tagged = Counter({t: n for t, n in counter.items() if t != shape and _key(t) == shape})
    if not tagged:
        return shape
    most = max(tagged.values())
    return next(t for t, n in tagged.items() if n == most)


def _prose_between_links(template: Template) -> bool:
    """Whether a shape writes words before one of its links (``[causal-learn](u) and the
    [Awesome Causal Inference](u)``, CHAI-UK/Awesome-Time-Series-Causal-Discovery): an
    entry's own sentence, never a new entry's form (neither the form with code, nor the
    winner of a tie between shapes)."""
    for seg in template.segments:
        if seg.role in (Role.HEAD, Role.TAIL, Role.DATED) or not seg.parts:
            continue
        first = seg.parts[0]
        if isinstance(first, str) and re.search(r"[^\W\d_]{2}", re.split(r"[\[!<]", first)[0]):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _key(template: Template) -> Template:
    return template.without_venue_tag()


def _untagged(counter: Counter[Template]) -> Counter[Template]:
    """The counts by shape, an optional venue tag left out (see :func:`_common`)."""
    out: Counter[Template] = Counter()
    for t, n in counter.items():
        out[_key(t)] += n
    return out


MINIMAL_ESCAPES = frozenset("\\`*_[]<>~$@")
"""What a list line must escape in a title whatever the list's habit: links and images need
a bracket, emphasis a star or underscore, code a backtick, HTML an angle bracket, math a
dollar, strikethrough a tilde; a mention an at sign. Parentheses, ``!`` and ``#`` mid-line
open nothing once the brackets are escaped."""


def _escaping(entries: Sequence[Entry]) -> Escaping:
    """FULL when the list escapes what it need not (``Run\\!``, ``\\(2024\\)``): it escapes
    every punctuation mark; an escaped ``*`` (``A\\*-Thought``) is needed by any list."""
    escaped = {
        m.group(1) for e in entries for m in re.finditer(r"\\([!-/:-@\[-`{-~])", e.title_raw)
    }
    return Escaping.FULL if escaped - MINIMAL_ESCAPES else Escaping.MINIMAL


_VENUE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<name>.*?)\s*'(?P<yy>\d{2})$"), "{name}'{yy}"),
    (re.compile(r"^(?P<name>.*?)\s*’(?P<yy>\d{2})$"), "{name}’{yy}"),
    (re.compile(r"^(?P<name>.*?) (?P<yyyy>\d{4})\.(?P<mm>\d{2})$"), "{name} {yyyy}.{mm}"),
    (re.compile(r"^(?P<name>.*?) (?P<yyyy>\d{4})-(?P<mm>\d{2})$"), "{name} {yyyy}-{mm}"),
    (re.compile(r"^(?P<name>.*?) (?P<yyyy>\d{4})/(?P<mm>\d{2})$"), "{name} {yyyy}/{mm}"),
    (re.compile(r"^(?P<name>.*?), (?P<yyyy>\d{4})$"), "{name}, {yyyy}"),
    (re.compile(r"^(?P<name>.*?) \((?P<yyyy>\d{4})\)$"), "{name} ({yyyy})"),
    (re.compile(r"^(?P<name>.*?) (?P<yyyy>\d{4})$"), "{name} {yyyy}"),
    (re.compile(r"^(?P<name>.*?)(?P<yyyy>\d{4})$"), "{name}{yyyy}"),
)


def venue_form(venue: str) -> tuple[str, str]:
    """(name, format) of a venue tag: ``arXiv 2023.05`` is ("arXiv", "{name} {yyyy}.{mm}")."""
    for pattern, form in _VENUE_FORMS:
        m = pattern.match(venue.strip())
        if m and m.group("name").strip():
            return m.group("name").strip(), form
    return venue.strip(), "{name}"


def is_preprint_venue(venue: str | None) -> bool:
    if not venue:
        return False
    return _server_key(venue_form(venue)[0]) in (*PREPRINT_SERVERS, "preprint", "corr")


def _server_key(name: str) -> str:
    """The preprint server a venue's name says (``arXiv preprint`` is ``arxiv``), or the
    name itself, folded."""
    words = name.casefold().split()
    if len(words) > 1 and words[0] in PREPRINT_SERVERS and set(words[1:]) <= _PREPRINT_WORDS:
        return words[0]
    return name.casefold()


_PREPRINT_WORDS = frozenset(("preprint", "e-print", "e-prints"))


def _venue_format(venues: Sequence[str], *, preprint: bool) -> str:
    forms = Counter(venue_form(v)[1] for v in venues if is_preprint_venue(v) == preprint)
    if not forms and preprint:
        forms = Counter(venue_form(v)[1] for v in venues)
    return forms.most_common(1)[0][0] if forms else "{name}"


def _spellings(venues: Sequence[str]) -> tuple[tuple[str, str], ...]:
    names = Counter(venue_form(v)[0] for v in venues if is_preprint_venue(v))
    out: dict[str, str] = {}
    for name, _ in names.most_common():
        out.setdefault(_server_key(name), name)  # ``arXiv preprint`` spells arXiv
    return tuple(sorted(out.items()))


def _month_form(text: str) -> str | None:
    """A month-named date's form: ``Mar., 2023`` is ``{mon}., {yyyy}``, ``10 Jun 2019``
    ``{d} {mon} {yyyy}`` (``{dd}`` for ``05 Jun 2019``)."""
    m = MONTH_DATE_RE.match(text.strip())
    if m is None or month_date(text) is None:
        return None
    day = ""
    if m.group(1) is not None:  # a day of two digits says nothing of its padding: ``{D}``
        day = "{D}" if int(m.group(1)) >= 10 else ("{dd}" if m.group(1).startswith("0") else "{d}")
    if day and re.match(r"\s*\d{1,2}(?:st|nd|rd|th)\s", text):
        day += "{ord}"  # ``07th Aug., 2025``
    return day + (" " if day else "") + "{mon}" + m.group(3) + "{yyyy}"


def _month_names(dates: Sequence[str]) -> tuple[str, ...]:
    """Each month's most common spelling in the list's month-named dates."""
    seen: dict[int, Counter[str]] = {}
    for text in dates:
        found = month_date(text)
        if found is not None:
            named = MONTH_DATE_RE.match(text.strip())
            if named is not None:
                seen.setdefault(found[1], Counter())[named.group(2)] += 1
    if not seen:
        return ()
    return tuple(
        seen[k].most_common(1)[0][0] if k in seen else MONTH_NAMES[k - 1][:3].capitalize()
        for k in range(1, 13)
    )


def _date_format(dates: Sequence[str]) -> str:
    """The list's date format; a month or day below 10 says whether it is zero-padded."""
    named = Counter(f for f in map(_month_form, dates) if f)
    if named and sum(named.values()) * 2 > len(dates):
        # Days below 10 say whether the list pads them (``07th``, ``5 Jun``); the others
        # are written alike either way.
        pads = sum(n for f, n in named.items() if "{dd}" in f)
        bare = sum(n for f, n in named.items() if "{d}" in f)
        day = "{dd}" if pads > bare else "{d}"
        merged: Counter[str] = Counter()
        for form, n in named.items():
            merged[form.replace("{D}", day).replace("{dd}", day).replace("{d}", day)] += n
        return merged.most_common(1)[0][0]
    seps: Counter[str] = Counter()
    parts: Counter[int] = Counter()
    padded = {2: 0, 3: 0}
    unpadded = {2: 0, 3: 0}
    for text in dates:
        m = re.match(r"^(\d{4})(?:([./-])(\d{1,2})(?:[./-](\d{1,2}))?)?$", text.strip())
        if not m:
            continue
        parts[1 + bool(m.group(3)) + bool(m.group(4))] += 1
        if m.group(2):
            seps[m.group(2)] += 1
        for k, group in ((2, m.group(3)), (3, m.group(4))):
            if group and int(group) < 10:
                (padded if len(group) == 2 else unpadded)[k] += 1
    if not parts:
        return "{yyyy}-{mm}-{dd}"
    count = parts.most_common(1)[0][0]
    sep = seps.most_common(1)[0][0] if seps else "-"
    month = "{m}" if unpadded[2] > padded[2] else "{mm}"
    day = "{d}" if unpadded[3] > padded[3] else "{dd}"
    return sep.join(["{yyyy}", month, day][:count])


def _empty_cells(entries: Sequence[Entry]) -> tuple[str, ...]:
    """Each column's most common cell among rows without code (a new row's other cells):
    a placeholder (``-``) or what nearly every row says; an empty cell where the rows say
    each their own (a "Category" column), so that a new row never files the paper under
    another's words."""
    rows = [split_row(e.raw) for e in entries if e.parts is None]
    width = max((len(r) for r in rows), default=0)
    out: list[str] = []
    for k in range(width):
        cells = Counter(r[k] for r in rows if len(r) > k)
        if not cells:
            out.append(" - ")
            continue
        cell, n = cells.most_common(1)[0]
        if re.search(r"\w", cell) and n < 0.75 * cells.total():
            cell = " " if cell.startswith(" ") else ""
        out.append(cell)
    return tuple(out)


def column_widths(entries: Sequence[Entry]) -> tuple[int | None, ...]:
    """Each column's width, when the rows are padded to their columns' widths, as a
    formatter aligns them: cells of different contents, as long as each other (``| NIPS 2017
    |`` and ``| KDD ’18     |``); None for a column that is not; () when no column is. A
    cell longer than its column (a long title) is not padded, and few are shorter. Fixed
    margins (``|   arXiv'25     |``, ``|   OpenAI'25     |``) are no padding."""
    rows = [split_row(e.raw) for e in entries if e.parts is None]
    if len(rows) < 2:
        return ()
    widths: list[int | None] = []
    for k in range(max(len(r) for r in rows)):
        cells = [r[k] for r in rows if len(r) > k]
        width, n = Counter(len(c) for c in cells).most_common(1)[0]
        contents = {len(c.strip()) for c in cells if len(c) == width}
        # Rows added later without the formatter (JindongGu/Awesome-Prompting-on-Vision-
        # Language-Model) leave a few cells short: a third of the cells exactly as wide, most
        # of those padded on the right beyond one space (not centred), and three in four at
        # least as wide is padding too.
        wide = sum(len(c) >= width for c in cells)
        spaced = sum(
            len(c) == width and len(c) - len(c.rstrip()) > 1 and len(c) - len(c.lstrip()) < 2
            for c in cells
        )
        most = n * 3 >= len(cells) and spaced * 2 >= n and wide * 4 >= len(cells) * 3
        aligned = n >= 2 and len(contents) >= 2 and (wide == len(cells) or most)
        widths.append(width if aligned else None)
    return tuple(widths) if any(widths) else ()


def pad_cells(line: str, widths: Sequence[int | None]) -> str:
    """A table row with each cell padded with spaces to its column's width (see
    :func:`column_widths`); a cell already as wide, or wider, stays as it is."""
    if not widths:
        return line
    body = line.rstrip("\n")
    indent = body[: len(body) - len(body.lstrip())]
    stripped = body.strip()
    cells = list(split_row(stripped))
    for k, cell in enumerate(cells):
        width = widths[k] if k < len(widths) else None
        if width and len(cell) < width:
            cells[k] = cell + " " * (width - len(cell))
    lead = "|" if stripped.startswith("|") else ""
    end = "|" if stripped.endswith("|") and not stripped.endswith("\\|") else ""
    return indent + lead + "|".join(cells) + end


def entry_month(entry: Entry) -> tuple[int, int] | None:
    """(year, month) of an entry, for ordering: its arXiv id's, else its date or venue tag's."""
    aid = entry.keys.arxiv_id
    if aid and re.match(r"^\d{4}\.", aid):
        return 2000 + int(aid[:2]), int(aid[2:4])
    named = month_date(entry.date) if entry.date else None
    if named is not None:
        return named
    for text in (entry.date, entry.venue):
        if text:
            year, month = venue_date(text)
            if year:
                return year, month or 0
    return None


def learn_order(entries: Sequence[Entry]) -> Order:
    """Whether the entries run newest or oldest first and keep preprints after published
    papers; a clear majority of neighbouring pairs decides, else there is no date order."""
    kinds = [is_preprint_venue(e.venue) for e in entries if e.venue]
    preprints_last = _preprints_last(kinds)
    # Where preprints come last, their own order is what places a new preprint.
    dated = [e for e in entries if is_preprint_venue(e.venue)] if preprints_last else entries
    groups: dict[int | None, list[Entry]] = {}
    for e in dated:
        groups.setdefault(e.year, []).append(e)
    up = down = 0
    for group in groups.values():
        months = [m for m in (entry_month(e) for e in group) if m is not None]
        for a, b in itertools.pairwise(months):
            if b > a:
                up += 1
            elif b < a:
                down += 1
    direction = Direction.NONE
    if up + down >= 2:
        if up >= 0.75 * (up + down):
            direction = Direction.OLDEST_FIRST
        elif down >= 0.75 * (up + down):
            direction = Direction.NEWEST_FIRST
    year_groups = any(e.year is not None for e in entries)
    return Order(direction, preprints_last, year_groups)


def _preprints_last(kinds: Sequence[bool]) -> bool:
    """Whether preprints (True) come after published papers, but for a stray few: the pairs
    (preprint, then published) are at most 5% of all preprint/published pairs."""
    published = kinds.count(False)
    preprints = kinds.count(True)
    if published < 2 or preprints < 2:
        return False
    wrong = 0
    seen_pre = 0
    for is_pre in kinds:
        if is_pre:
            seen_pre += 1
        else:
            wrong += seen_pre
    return wrong <= 0.05 * published * preprints


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True, slots=True)
class Values:
    """What fills a template's slots (already escaped where the list would escape)."""

    title: str
    paper: str | None
    venue: str | None = None
    date: str | None = None
    code: str | None = None
    others: tuple[str, ...] = ()
    """An existing entry's own extra links or cells, by position."""
    authors: str | None = None
    repo: str | None = None
    """``owner/name`` a stars badge shows, when it is not the code's repository (an
    existing entry's badge); None: the code's."""
    code_label: str = "Code"
    """The code link's label (:meth:`EntryStyle.code_label` of the code's URL)."""
    code_note: str | None = None
    """An existing row's note in place of a code link (``Coming soon``)."""
    empty: str | None = None
    """A table cell's text for a venue or date the entry lacks (an existing row that says
    "-"); None: a missing venue or date raises, as for a new paper the style needs it of."""
    own: str = ""
    """An existing row's own words after its title (:data:`Field.OWN`); a new entry's none."""
    lead: str = ""
    """An existing entry's own name before its title (:data:`Field.LEAD`); a new entry's
    none."""
    mark: str = ""
    """An existing entry's own mark before its tags (:data:`Field.MARK`); a new entry's
    none."""
    page: str | None = None
    """An existing entry's own page its title links (:data:`Field.PAGE`); a new entry's
    title links its paper."""
    arxiv_id: str | None = None
    """The paper's arXiv id (or its own id, for a paper of another server)."""
    key: str | None = None
    """The entry's citation key (:data:`Field.KEY`)."""


class MissingField(ValueError):
    """The template needs a value these fields do not have."""


def fill(template: Template, values: Values) -> str:
    """The template with its slots filled; badges and extra links without a value are left
    out with their separator, and so is a table cell the row does not have; a table's venue
    or date an existing row lacks is the table's placeholder (``values.empty``); a missing
    paper link, title or venue raises otherwise, but for an entry that links only its code
    (``- [Github] Title. [[Code]](u)``): the code link takes the paper link's place and the
    text before it. A title ending in ``?`` or ``!`` takes no period after it."""
    repo = _repo_pair(values.repo) or repo_of(values.code)
    out: list[str] = []
    after_title = False
    carry: str | None = None
    """The text before a missing paper link, for the code link that takes its place."""
    for seg in template.segments:
        text: list[str] = []
        try:
            for part in seg.parts:
                if isinstance(part, str):
                    text.append(part)
                    continue
                try:
                    text.append(_value(part, values, repo))
                except MissingField:
                    if (
                        values.empty is not None
                        and seg.role is Role.CELL
                        and part.field in (Field.VENUE, Field.DATE)
                    ):
                        text.append(values.empty)
                        continue
                    raise
        except MissingField as err:
            if seg.role is Role.PAPER and err.args == (Field.PAPER.value,) and values.code:
                carry = _lead(seg.parts[0]) if isinstance(seg.parts[0], str) else ""
                continue
            if seg.role in (Role.BADGE, Role.OTHER, Role.CODE):
                continue
            if seg.role is Role.CELL and err.args == (Field.OTHER.value,):
                continue
            raise
        if carry is not None and seg.role is Role.CODE and isinstance(seg.parts[0], str):
            text[0] = carry + text[0][len(_lead(text[0])) :]
            carry = None
        for k, part in enumerate(seg.parts):
            if after_title and text[k]:
                if isinstance(part, str) and part.startswith("."):
                    text[k] = text[k][1:]
                after_title = False
            if isinstance(part, Slot) and part.field is Field.TITLE:
                after_title = values.title.endswith(("?", "!"))
        out.append("".join(text))
    if carry is not None:
        raise MissingField(Field.PAPER.value)
    return "".join(out)


def _lead(text: str) -> str:
    """The separator a link segment starts with: its text up to the link."""
    m = re.match(r"[^\[!<]*", text)
    return m.group(0) if m else ""


def _value(slot: Slot, v: Values, repo: tuple[str, str] | None) -> str:
    found: str | None
    if slot.field is Field.TITLE:
        found = v.title
    elif slot.field is Field.PAPER:
        found = v.paper
    elif slot.field is Field.VENUE:
        found = v.venue
    elif slot.field is Field.DATE:
        found = v.date
    elif slot.field is Field.CODE:
        found = v.code
    elif slot.field is Field.REPO:
        found = f"{repo[0]}/{repo[1]}" if repo else None
    elif slot.field is Field.VENUE_BADGE:
        found = badge_encoded(v.venue) if v.venue is not None else None
    elif slot.field is Field.AUTHORS:
        found = v.authors
    elif slot.field is Field.CODE_LABEL:
        found = v.code_label
    elif slot.field is Field.CODE_NOTE:
        found = v.code_note
    elif slot.field is Field.OWN:
        found = v.own
    elif slot.field is Field.LEAD:
        found = v.lead
    elif slot.field is Field.MARK:
        found = v.mark
    elif slot.field is Field.PAGE:
        found = v.page or v.paper
    elif slot.field is Field.ARXIV_ID:
        found = v.arxiv_id
    elif slot.field is Field.KEY:
        found = v.key
    else:
        found = v.others[slot.index] if slot.index < len(v.others) else None
    if found is None:
        raise MissingField(slot.field.value)
    return found


def fill_details(style: EntryStyle, values: Values) -> tuple[str, ...]:
    """The style's detail lines for a new entry; none when the paper has no authors."""
    if not style.details or not values.authors:
        return ()
    return tuple(
        "".join(p if isinstance(p, str) else _value(p, values, None) for p in line)
        for line in style.details
    )


def format_venue(
    style: EntryStyle, name: str, date: dt.date | None, year: int | None = None
) -> str:
    """A venue tag in the list's format: ``arXiv 2025.10``, ``MICCAI'25``, ``[arXiv]``; a
    published venue's year is ``year`` (the venue's own, when the paper says it) or the
    paper's date's."""
    preprint = name.casefold() in PREPRINT_SERVERS
    names = dict(style.preprint_names)
    # A list that tags every preprint "Preprint" says so for an arXiv paper too.
    spelled = (names.get(name.casefold()) or names.get("preprint") or name) if preprint else name
    form = style.preprint_venue if preprint else style.published_venue
    if date is None and form != "{name}":
        return spelled
    day = date or dt.date.today()
    y = year if year is not None and not preprint else day.year
    return form.format(name=spelled, yyyy=f"{y:04d}", yy=f"{y % 100:02d}", mm=f"{day.month:02d}")


def format_date(style: EntryStyle, date: dt.date) -> str:
    names = style.month_names or tuple(n[:3].capitalize() for n in MONTH_NAMES)
    return style.date_format.format(
        mon=names[date.month - 1],
        yyyy=f"{date.year:04d}",
        mm=f"{date.month:02d}",
        m=str(date.month),
        dd=f"{date.day:02d}",
        d=str(date.day),
        ord=_ordinal(date.day),
    )


def _ordinal(day: int) -> str:
    """The English ordinal's ending of a day: ``st`` of 1 and 21, ``th`` of 11 and 7."""
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def other_values(entry: Entry) -> tuple[str, ...]:
    """An existing entry's extra links (bullets, with the text before each) or cells (tables),
    as its template's OTHER slots number them."""
    if entry.parts is not None:
        found = roles(entry.parts)
        repo = _repo_pair(entry.badge_repo) or repo_of(found.code.url if found.code else None)
        out = []
        for link in entry.parts.links:
            if link is found.paper or link is found.code:
                continue
            if link.is_badge and repo and f"{repo[0]}/{repo[1]}" in link.raw:
                continue
            out.append(link.raw)
        return tuple(out)
    return split_row(entry.raw)


def with_style_order(style: EntryStyle, order: Order) -> EntryStyle:
    """A list's style with a small section's own order (its year groups, its date order)."""
    return replace(style, order=order)


__all__ = [
    "DEFAULT_STYLE",
    "MINIMAL_ESCAPES",
    "Direction",
    "EntryStyle",
    "Escaping",
    "Field",
    "Kind",
    "Order",
    "Segment",
    "Slot",
    "Template",
    "Values",
    "fill",
    "format_date",
    "format_venue",
    "learn",
    "learn_order",
    "local",
    "name_of",
    "neighbours",
    "template_of",
]
