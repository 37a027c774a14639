"""The syntax of one list entry: a bullet line or a table row, read into typed parts.

Awesome lists write a paper in many shapes: ``- [Venue] Title. [[Paper]](u) [[Code]](u)``,
``- (*NeurIPS'24*) Title [[paper](u)][[code](u)]![stars](badge)``, ``- **[Title](u)** [PDF](u)``,
``| [**Title**](u) | CVPR | 2024-05-01 | [Github](u) |``. Every shape is read into the same
parts: the venue or date written before the title, the title with its decoration, the links
with their labels and bracket shapes, badges, and the literal text between them. The parts
are a complete decomposition: joining them gives the line back, byte for byte, which is
what lets a style be learnt from a list (:mod:`hfm_bot.list_style`) and checked against it.
Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from enum import StrEnum

URL = r"(?:[^()\s]|\([^()\s]*\))*"
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation

PAPER_LABELS = frozenset(
    (
        "paper",
        "papers",
        "pdf",
        "arxiv",
        "preprint",
        "openreview",
        "doi",
        "link",
        "article",
        "publication",
        "abs",
        "abstract",
        "论文",
        "文章",
        "链接",
    )
)
"""Link labels that point at the paper itself (compared without case or decoration)."""
CODE_LABELS = frozenset(["code", "github", "gitlab", "repo", "repository", "代码", "项目"])
LABEL_WORDS = (
    PAPER_LABELS
    | CODE_LABELS
    | frozenset(
        (
            "project",
            "page",
            "website",
            "homepage",
            "home",
            "demo",
            "blog",
            "dataset",
            "data",
            "model",
            "models",
            "video",
            "slides",
            "poster",
            "huggingface",
            "hf",
            "bib",
            "bibtex",
            "url",
            "site",
            "weights",
            "checkpoint",
            "主页",
            "数据",
            "模型",
            "视频",
        )
    )
)
"""Short words that name a link rather than a paper: a ``[Code](u)`` at the title's place is a
link label, a ``[MedSAM](u)`` there is a linked title."""

FIELD_NAMES = (LABEL_WORDS - PAPER_LABELS) | frozenset(
    (
        "docs",
        "documentation",
        "web server",
        "server",
        "approach",
        "method",
        "authors",
        "author",
        "venue",
        "year",
        "date",
        "note",
        "notes",
        "summary",
        "tl;dr",
        "tldr",
        "keywords",
        "tags",
        "status",
        "license",
    )
)
"""Names of a bullet's field other than the paper (``- **Code:** https://...``, ``- **Docs:**
[Read more](docs/x)``): lists that describe each paper as a block of fields write one such line
per field, and none of them is a paper entry of its own."""
_FIELD_RE = re.compile(r"(\*\*|__)([^*_:\[\]\n]{1,30}?)(?::\1|\1\s?:)[ \t]*")
"""A field label opening a bullet: ``**Paper:** ``, ``**Paper**: ``, ``__Code:__ ``."""
_PLAIN_FIELD_RE = re.compile(r"([A-Za-z]+):[ \t]+")
"""An undecorated one: ``Paper: `` (read only for the paper's own labels: a title may well
open with a name and a colon)."""


def field_label(body: str) -> tuple[str, int] | None:
    """(the field's name, where its label ends) when a bullet's text opens with a bold field
    label (``**Paper:** [Title](url) (Nature, 2021)``: the paper field of a block that
    describes a tool by its paper, code and docs); None otherwise."""
    m = _FIELD_RE.match(body)
    if m is not None:
        return m.group(2).strip().casefold(), m.end()
    plain = _PLAIN_FIELD_RE.match(body)  # ``Paper: [Title](url)``: only a paper's own label
    if plain is not None and plain.group(1).casefold() in PAPER_LABELS:
        return plain.group(1).casefold(), plain.end()
    return None


_CODE_HOST_RE = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^/\s]+/[^/\s?#]+", re.I
)
_PAPER_HOST_RE = re.compile(
    r"arxiv\.org/|alphaxiv\.org/|huggingface\.co/papers/|doi\.org/|biorxiv\.org/|medrxiv\.org/"
    r"|openreview\.net/|aclanthology\.org/|proceedings\.|ieeexplore\.ieee\.org/|dl\.acm\.org/"
    r"|nature\.com/articles/|sciencedirect\.com/|springer\.com/|openaccess\.thecvf\.com/"
    r"|papers\.nips\.cc/|jmlr\.org/|ojs\.aaai\.org/|ijcai\.org/|mdpi\.com/|frontiersin\.org/"
    r"|wiley\.com/|tandfonline\.com/|academic\.oup\.com/|pnas\.org/|science\.org/doi/"
    r"|cell\.com/|iopscience\.iop\.org/|ncbi\.nlm\.nih\.gov/|semanticscholar\.org/paper/"
    r"|researchgate\.net/publication/|citeseerx\.ist\.psu\.edu/|scholarworks\.[a-z.]+/"
    r"|scholar\.google\.[a-z.]+/scholar\?(?:[^#\s]*&)?q="
    r"|\.pdf(?:$|[?#])",
    re.I,
)


def is_paper_host(url: str) -> bool:
    """Whether ``url`` is on a host that publishes papers (arXiv, a DOI, a publisher, a
    proceedings site), not a code host or a project page. A Google Scholar search for a
    paper is how some lists link a paper they have no page for (x-zheng16/
    Awesome-Embodied-AI-Safety, 458 of its papers)."""
    return _PAPER_HOST_RE.search(url) is not None


class Shape(StrEnum):
    """How a link is bracketed; each value is its template."""

    DOUBLE_OUT = "[[{label}]]({url})"
    """``[[Paper]](u)``, the healthcare list's shape."""
    DOUBLE_IN = "[[{label}]({url})]"
    """``[[paper](u)]``."""
    SINGLE = "[{label}]({url})"
    BADGE = "![{label}]({url})"
    """An image, such as a shields.io badge."""
    LINKED_BADGE = "[![{label}]({image})]({url})"
    HTML = '<a href="{url}">{label}</a>'


@dataclass(frozen=True, slots=True)
class LinkToken:
    """One link as written."""

    label: str
    """The link text with backslash escapes undone (the badge's alt text for badges)."""
    url: str
    shape: Shape
    raw: str
    image: str = ""
    """The image URL of a linked badge."""

    @property
    def word(self) -> str:
        """The label as a comparable word: no case, decoration or surrounding space."""
        return self.label.strip().strip("*_`[]").strip().casefold()

    @property
    def is_badge(self) -> bool:
        return self.shape in (Shape.BADGE, Shape.LINKED_BADGE)


@dataclass(frozen=True, slots=True)
class Prefix:
    """A venue or date tag before the title: ``[MICCAI]``, ``(*arXiv 2024.02*)``."""

    open: str
    text: str
    close: str
    """The closing mark with the spaces after it."""
    authors: bool = False
    """The paper's authors after its title (``[Title](u), Lee et al., CVPR 2022``), written
    as a tag is: a field of the entry, not a venue or a date."""


@dataclass(frozen=True, slots=True)
class BulletParts:
    """A bullet line split into parts; ``"".join`` of them (see :meth:`text`) is the line."""

    indent: str
    marker: str
    """The bullet and the spaces after it: ``"- "``."""
    prefixes: tuple[Prefix, ...]
    title_open: str
    """The title's decoration before it (``**``, ``*``, ``[``, ``**[``), as written."""
    title_raw: str
    """The title as written, escapes and all."""
    title_close: str
    """The decoration after it; for a linked title it includes ``](url)``."""
    title_url: str | None
    """The URL of a linked title."""
    gap: str
    """The text between the title and the first link (``". "``, ``" "``, ``""``)."""
    links: tuple[LinkToken, ...]
    separators: tuple[str, ...]
    """The text after each link: ``separators[i]`` follows ``links[i]``; the last is the tail."""
    suffixes: tuple[Prefix, ...] = ()
    """Date or venue tags after an unlinked title, before the links (``"Title" [2024-03]
    [ACL 2024] [[paper](u)]``); each one's ``open`` holds the spaces before it."""
    lead: str = ""
    """The name of the entry's method before its title, as written with its colon and
    spaces (``Boltz-1: [Title](u)``, ``**LaMDA**: "Title"``), or a mark (``🌟 **Title**``):
    the entry's own, as its title is, and no part of the title."""
    title_mark: str = ""
    """The emphasis around the name a title opens with (``***`` of ``***InstantID:***
    Zero-shot ...``), written inside :attr:`title_raw`; the name is the title's own."""
    mark: str = ""
    """A maintainer's mark before the entry's tags (``⭐⭐`` of ``⭐⭐(NeurIPS 2023) **Title**``):
    the entry's own, never the list's style for a new entry."""

    @property
    def tags(self) -> tuple[Prefix, ...]:
        """The entry's date and venue tags, before and after its title (not its citation
        key, :attr:`key`)."""
        return tuple(
            p for p in self.prefixes + self.suffixes if not is_cite_key(p.text) and not p.authors
        )

    @property
    def authors(self) -> str | None:
        """The authors the entry names after its title, before its links (``**Title**, Ann
        Lee et al. [[Paper](u)]``), as written; None when it names none there."""
        return next((p.text for p in self.prefixes + self.suffixes if p.authors), None)

    @property
    def key(self) -> str | None:
        """The citation key the entry is tagged with (``[Dou2020] Title``), if any."""
        return next((p.text for p in self.prefixes if is_cite_key(p.text)), None)

    @property
    def title(self) -> str:
        """The title as read: escapes undone, runs of spaces one space."""
        raw = self.title_raw.replace(self.title_mark, "", 2) if self.title_mark else self.title_raw
        return " ".join(unescape_markdown(raw).split())

    def text(self) -> str:
        """The line again, from its parts."""
        out = [self.indent, self.marker, self.mark]
        out.extend(p.open + p.text + p.close for p in self.prefixes)
        out.extend((self.lead, self.title_open, self.title_raw, self.title_close))
        out.extend(p.open + p.text + p.close for p in self.suffixes)
        out.append(self.gap)
        for link, sep in zip(self.links, self.separators, strict=True):
            out.extend((link.raw, sep))
        return "".join(out)


_ITEM_RE = re.compile(r"^(\s*)((?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))(.*)$")
"""A list item: a bullet (``-``, ``*``, ``+``) or a number (``1.``, ``2)``)."""
_PARAGRAPH_RE = re.compile(r"^( {0,3})([^\s#>|<].*)$")
"""A line of a paragraph: up to three spaces, then text that opens no heading, quote, table
row or HTML block (a list item is matched first)."""
_LINK_RES: tuple[tuple[Shape, re.Pattern[str]], ...] = (
    (Shape.LINKED_BADGE, re.compile(rf"\[!\[([^\[\]]*)\]\(({URL})\)\]\(({URL})\)")),
    (Shape.BADGE, re.compile(rf"!\[([^\[\]]*)\]\(({URL})\)")),
    (Shape.DOUBLE_OUT, re.compile(rf"\[\[((?:[^\[\]\\]|\\.)*)\]\]\(({URL})\)")),
    (Shape.DOUBLE_IN, re.compile(rf"\[\[((?:[^\[\]\\]|\\.)*)\]\(({URL})\)\]")),
    (Shape.SINGLE, re.compile(rf"\[((?:`[^`\n]*`|[^\[\]\\]|\\.)*)\]\(({URL})\)")),
    (Shape.HTML, re.compile(r"<a\s+href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.I)),
)
_PREFIX_RES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("(*", "*)", re.compile(r"\(\*([^*()\[\]]+)\*\)")),
    ("**[", "]**", re.compile(r"\*\*\[([^\[\]]+)\]\*\*")),
    ("**(", ")**", re.compile(r"\*\*\(([^()]+)\)\*\*")),
    ("[", "]", re.compile(r"\[([^\[\]]+)\](?![(\[])")),
    ("`", "`", re.compile(r"`([^`]+)`")),
    ("(", ")", re.compile(r"\(((?:[^()]*?)(?:\d{4}|'\d{2})[^()]*)\)")),
)
_DECORATIONS = ("**", "__", "*", "_", '"', "“")
DATE_RE = re.compile(r"^(\d{4})(?:([./-])(\d{1,2})(?:\2(\d{1,2}))?)?$")
"""A date as lists write it: ``2024``, ``2024.05``, ``2024/05``, ``2024-05-13``."""


def unescape_markdown(text: str) -> str:
    """Undo backslash escapes (``\\[`` to ``[``), so an escaped title reads back as written."""
    return _ESCAPE_RE.sub(r"\1", text)


def links_in(text: str) -> list[tuple[int, int, LinkToken]]:
    """Every link, badge and linked badge of ``text`` as (start, end, token), left to right;
    a backslash-escaped bracket starts nothing."""
    out: list[tuple[int, int, LinkToken]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "[!<":
            for shape, pattern in _LINK_RES:
                m = pattern.match(text, i)
                if not m:
                    continue
                if shape is Shape.LINKED_BADGE:
                    token = LinkToken(m.group(1), m.group(3).strip(), shape, m.group(0), m.group(2))
                elif shape is Shape.HTML:
                    label = re.sub(r"(?<!\\)</?[A-Za-z][^<>]*>", "", m.group(2))
                    token = LinkToken(label, m.group(1).strip(), shape, m.group(0))
                else:
                    token = LinkToken(
                        unescape_markdown(m.group(1)), m.group(2).strip(), shape, m.group(0)
                    )
                out.append((i, m.end(), token))
                i = m.end()
                break
            else:
                i += 1
            continue
        i += 1
    return out


def is_label(token: LinkToken) -> bool:
    """Whether a link names a resource (``[Code]``) rather than being a linked title."""
    return token.shape in (Shape.DOUBLE_OUT, Shape.DOUBLE_IN) or token.word in LABEL_WORDS


def _real(token: LinkToken) -> bool:
    """A link to somewhere: not an in-page anchor, not empty."""
    return bool(token.url) and not token.url.startswith("#")


_TAGS_MARK_RE = re.compile(
    r"^(\s*(?:[-*+]|\d{1,9}[.)])[ \t]+)([^\x00-\x7f\w\s“]{1,8}[ \t]*)(?=[(\[`])"
)
"""A mark right before an item's tags: ``* ⭐⭐(NeurIPS 2023) ...``, an emoji or another
symbol beyond ASCII (an ASCII ``-`` there opens a nested list)."""


def parse_bullet(line: str, paragraph: bool = False) -> BulletParts | None:
    """The parts of a bullet line with at least one link; None for anything else (see
    :func:`_parse_bullet`). A maintainer's mark before the tags (``⭐⭐(NeurIPS 2023)``) is
    the entry's own, set apart."""
    m = _TAGS_MARK_RE.match(line)
    if m is None:
        return _parse_bullet(line, paragraph)
    parts = _parse_bullet(m.group(1) + line[m.end() :], paragraph)
    if parts is None or not parts.prefixes:
        return _parse_bullet(line, paragraph)
    return replace(parts, mark=m.group(2))


def _parse_bullet(line: str, paragraph: bool = False) -> BulletParts | None:
    """The parts of a bullet line with at least one link; None for anything else.

    ``line`` may go on over more lines (``\n``-joined): an entry that writes its title on
    the item's line and its authors and links on the next (``- **Title**␠␠⏎  *A, B*.
    [[pdf](u)], 2025.03.``) is one entry, its title the first line's text. With
    ``paragraph``, a line that is no list item is read the same way, its marker empty: a
    list that writes each paper as a paragraph of its own (``[Title](u), ICLR 2023``)."""
    first, newline, more = line.partition("\n")
    m = _ITEM_RE.match(first)
    if m:
        indent, marker, body = m.group(1), m.group(2), m.group(3) + newline + more
    elif paragraph and (p := _PARAGRAPH_RE.match(first)):
        indent, marker, body = p.group(1), "", p.group(2) + newline + more
    else:
        return None
    found = links_in(body)
    if not found or not any(_real(t) for _, _, t in found):
        return None
    prefixes: list[Prefix] = []
    pos = 0
    first_link = found[0][0]
    for _ in range(2):
        for open_, close, pattern in _PREFIX_RES:
            pm = pattern.match(body, pos)
            if pm and pm.end() <= first_link:
                if open_ == "[" and _BRACKET_MARK_RE.fullmatch(pm.group(0)):
                    break  # ``[💬 3D] **Title**``: the entry's own mark, not a tag
                if open_ == "[" and body[pm.end() :].startswith(":"):
                    break  # ``[R2R]: Title``: the name of the entry's method, not a tag
                spaces = re.match(r"\s*", body[pm.end() :])
                after = pm.end() + (spaces.end() if spaces else 0)
                if body[after:first_link].strip() == "" and not _title_link_at(found, after):
                    break  # the tag would leave no title: it is the title itself
                prefixes.append(Prefix(open_, pm.group(1), close + body[pm.end() : after]))
                pos = after
                break
        else:
            break
    # A linked title: the first link, right after the prefixes (decoration aside) or a paper
    # field's label (``**Paper:** [Title](url)``, kept in the title's opening), not a label.
    head = body[pos:first_link]
    _, end, token = found[0]
    title_url: str | None = None
    field = field_label(head)
    if field is not None and field[0] in FIELD_NAMES:
        return None  # ``**Code:** [repo](url)``: a field of a paper, not one
    paper_field = field is not None and field[0] in PAPER_LABELS and head[field[1] :] == ""
    lead = ""
    venue_head = _HEAD_VENUE_RE.fullmatch(head)
    if (
        venue_head is not None
        and not prefixes
        and token.shape is Shape.SINGLE
        and not is_label(token)
        and _venue_words(venue_head.group(1))
    ):
        # ``1. NIPS 2018 Spotlight [Title](u)``: the venue in plain words before the title.
        prefixes.append(Prefix("", venue_head.group(1), venue_head.group(2)))
        head = ""
    if not paper_field and _NAME_LEAD_RE.fullmatch(head) and _titled(token, head):
        lead, head = head, ""  # ``Boltz-1: [Boltz-1: Democratizing ...](u)``
    elif (
        (_MARK_ONLY_RE.fullmatch(head) or _BRACKET_MARK_RE.fullmatch(head.rstrip(" \t")))
        and token.shape is Shape.SINGLE
        and not is_label(token)
    ):
        lead, head = head, ""  # ``🌟 [Title](u)``: a maintainer's mark, the entry's own
    elif (mark := _HTML_MARK_RE.match(head)) and not head[mark.end() :].strip(" *_"):
        # ``<img alt="new" …>&nbsp;**[Title](u)**``: an image before the title, the entry's own
        lead, head = mark.group(0), head[mark.end() :]
    bare = head.strip(" *_") == "" or paper_field
    # A label's word alone on a top-level item, or after a paper field's label, is a title
    # (a paper called "Code"); a nested ``  - [Paper](u)`` under an entry stays a label.
    alone = (paper_field or not indent) and _alone(body, found)
    if bare and token.shape is Shape.SINGLE and (not is_label(token) or alone):
        close_deco = re.match(r"[*_]*", body[end:])
        close_end = end + (close_deco.end() if close_deco else 0)
        inner = token.raw[1 : token.raw.rindex("](")]
        deco_open, title_raw, deco_close = undecorate(inner)
        title_open = head + "[" + deco_open
        title_close = deco_close + token.raw[token.raw.rindex("](") :] + body[end:close_end]
        title_url = token.url
        rest = found[1:]
        after_title = close_end
        next_start = rest[0][0] if rest else len(body)
        suffixes, gap = _linked_venue(body[after_title:next_start])
        if not rest:
            return BulletParts(
                indent, marker, tuple(prefixes), title_open, title_raw, title_close, title_url,
                gap, (), (), suffixes, lead,
            )  # fmt: skip
    else:
        rest = found
        cited = _cited_first(head) if not prefixes and not lead else None
        if cited is not None:  # ``Ann Lee, Bo Wu.<br />⏎  "Title." TIP (2025).⏎  [[paper](u)]``
            cited_mark, authors, title_open, title_raw, title_close, suffixes, gap = cited
            return BulletParts(
                indent, marker, (authors,), title_open, title_raw, title_close, None, gap,
                tuple(t for _, _, t in rest), _separators(body, rest), suffixes, "",
                mark=cited_mark,
            )  # fmt: skip
        own_line, newline, below = head.partition("\n")
        bracket = _BRACKET_MARK_RE.match(own_line) or _BRACKET_NAME_RE.match(own_line)
        if bracket is not None and own_line[bracket.end() :].strip(" \t"):
            lead, own_line = own_line[: bracket.end()], own_line[bracket.end() :]
        # ``Title, AAAI 2020  [[PDF](u), [Code](u)]``: one bracket around all the links.
        group = re.search(r"\s*(?<!\\)\[$", own_line) if body.rstrip().endswith("]") else None
        opened = ""
        if group is not None and not newline:
            own_line, opened = own_line[: group.start()], own_line[group.start() :]
        decorated, gap = _split_gap(own_line)
        gap += opened + newline + below  # the lines under a title, up to its links, are its gap
        marked = _NAME_MARK_RE.fullmatch(decorated)
        if marked is not None:  # ``***InstantID:*** Zero-shot ...``: the name emphasised
            return BulletParts(
                indent, marker, tuple(prefixes), "", decorated, "", None, gap,
                tuple(t for _, _, t in rest), _separators(body, rest), (), lead,
                marked.group(1),
            )  # fmt: skip
        early = _BOLD_NAME_RE.match(decorated)
        if early and _closed_title(decorated[early.end() :]):
            # ``**ManiCM**: "Title", *arXiv Jun 2024*``: the name first, then the venue
            lead, decorated = lead + early.group(0), decorated[early.end() :]
        decorated, suffixes = _suffix_tags(decorated)
        if not suffixes:
            decorated, suffixes = _venue_after(decorated)
        if not suffixes:
            decorated, suffixes = _venue_in(decorated)
        if not suffixes:
            decorated, suffixes = _plain_venue_after(decorated)
        if not suffixes:
            decorated, suffixes, gap = _authors_after(decorated, gap)
        if not suffixes:
            # ``**Title** Proposes a taxonomy of ...``: the words after a bold title are the
            # entry's own (a description), kept in the gap before its links.
            decorated, said = _said_after(decorated)
            gap = said + gap
        named = _BOLD_NAME_RE.match(decorated)
        if named and undecorate(decorated[named.end() :])[0]:  # ``**LaMDA**: "LaMDA: ..."``
            lead, decorated = lead + named.group(0), decorated[named.end() :]
        title_open, title_raw, title_close = undecorate(decorated)
        mark = _MARK_RE.match(decorated)
        if not title_open and mark and undecorate(mark.group(2))[0]:  # ``🌟 **Title**``
            # The mark is the entry's own (a maintainer's star for their own work), as a
            # name is: never the list's style for a new entry.
            title_open, title_raw, title_close = undecorate(mark.group(2))
            lead = lead + mark.group(1)
        spaces = re.match(r"\s*", title_raw)
        if spaces and spaces.end():
            title_open += title_raw[: spaces.end()]
            title_raw = title_raw[spaces.end() :]
    parts = BulletParts(
        indent, marker, tuple(prefixes), title_open, title_raw, title_close, title_url, gap,
        tuple(t for _, _, t in rest), _separators(body, rest), suffixes, lead,
    )  # fmt: skip
    return _named_not_tagged(parts)


_CITED_FIRST_RE = re.compile(
    r"(?P<name>\*\*[^*\n]+\*\*[ \t]*)?(?P<authors>[^\n\"<>\[\]*]+?)"
    r"(?P<br>\.?[ \t]*<br\s*/?>[ \t]*\n[ \t]*)"
    r"(?P<open>\")(?P<title>(?:[^\"\\\n]|\\.)+?)(?P<close>\.?\")"
    r"(?P<venue>[ \t]+[^\n]*?)?(?P<gap>[ \t]*\.?[ \t]*\n?[ \t]*)"
)


def _cited_first(
    head: str,
) -> tuple[str, Prefix, str, str, str, tuple[Prefix, ...], str] | None:
    """An entry written as a citation, its authors first (983632847/Awesome-Multimodal-
    Object-Tracking): ``[**Name:**] Ann Lee, Bo Wu.<br />``, then ``"Title." Venue
    (Year).`` on the next line, its links under it. (the name as the entry's mark, the
    authors as a tag before the title, the title's opening, the title, its closing, the
    venue after it, the gap); None for any other shape."""
    m = _CITED_FIRST_RE.fullmatch(head)
    if m is None or not reads_as_names(m.group("authors").strip()):
        return None
    authors = Prefix("", m.group("authors"), m.group("br"), authors=True)
    close = m.group("close")
    title = m.group("title")
    if close == '"' and title.endswith("."):  # ``"Title."``: the period is no part of it
        title, close = title[:-1], '."'
    venue = m.group("venue") or ""
    suffixes = (
        (Prefix(venue[: len(venue) - len(venue.lstrip())], venue.strip(), ""),)
        if venue.strip()
        else ()
    )
    return m.group("name") or "", authors, m.group("open"), title, close, suffixes, m.group("gap")


def _named_not_tagged(parts: BulletParts) -> BulletParts:
    """``- [XL-R2R] Title␠␠⏎arXiv 2019 [paper](u)``, ``- `VPT` **Title**. ECCV 2022.``: a
    bracket or code span without a year before the title of an entry that gives its venue
    with a year elsewhere (after the title, or on the line under it) names the entry's
    method; it is the entry's own, as a name is, not a second venue."""
    last = parts.prefixes[-1] if parts.prefixes else None
    if last is None or last.open not in ("[", "`") or venue_date(last.text)[0] is not None:
        return parts
    after = any(
        venue_date(p.text)[0] is not None and not is_date(p.text) and not p.authors
        for p in parts.suffixes
    )
    if is_date(last.text) or not (after or continuation_venue(parts) is not None):
        return parts
    return replace(
        parts, prefixes=parts.prefixes[:-1], lead=last.open + last.text + last.close + parts.lead
    )


def _separators(body: str, found: list[tuple[int, int, LinkToken]]) -> tuple[str, ...]:
    """The text after each link, up to the next one or the line's end."""
    return tuple(
        body[found[k][1] : (found[k + 1][0] if k + 1 < len(found) else len(body))]
        for k in range(len(found))
    )


_NAME_MARK_RE = re.compile(r"(\*{1,3}|_{1,3})([^*_\s][^*_\n]{0,39}?:)\1[ \t]+([^\s*_].*)", re.S)
"""A title whose name is emphasised, the colon inside the marks: ``***InstantID:***
Zero-shot Identity-Preserving Generation`` (AlonzoLeeeooo/awesome-text-to-image-studies)."""


_NAME_LEAD_RE = re.compile(
    r"(?:(\*\*|__)[^*_\[\]\n]{1,40}?\1:|[^\s*_\[\]():`][^*_\[\]\n():`]{0,39}:"
    r"|\[[^\[\]\n]{1,40}\]:"
    r"|\((?![^()]*\d{4})[^\s()\[\]*_][^()\[\]\n*_]{0,29}\))[ \t]+"
)
"""A method's name before a linked title: with a colon (``Boltz-1: ``, ``**Boltz-1**: ``,
``[R2R]: ``) or in brackets (``(SCAND) ``; a bracket with a year is a venue, ``(CVPR 2020)
``)."""
_HEAD_VENUE_RE = re.compile(r"([^\W\d_][^*_\"“\[\]()<>|:\n]{1,40}?)([ \t]+)")


def _venue_words(text: str) -> bool:
    """Whether a few plain words before a linked title are its venue: a capital first, a
    year, five words at most, no names (``NIPS 2018 Spotlight``, ``ICML 2019``)."""
    words = text.split()
    return (
        text[0].isupper()
        and len(words) <= 5
        and re.search(r"\b(?:19|20)\d{2}\b", text) is not None
        and "et al" not in text
        and not is_date(text)
    )


_BOLD_NAME_RE = re.compile(r"(\*\*|__)[^*_\[\]\n:]{1,40}?\1(?:[ \t]+\([^()\n:]{1,30}\))?:[ \t]+")
"""A bold name and a colon before a quoted or emphasised title: ``**LaMDA**: ``, with what
it was built on: ``**Codex** (GPT-3): ``."""


def _alone(body: str, found: list[tuple[int, int, LinkToken]]) -> bool:
    """Whether the first link's words are the only ones before the next link: then it is
    the linked title even when its words are a label's (a paper titled "Code" or
    "Checkpoint": ``+ [Code](u) (Oct., 2025)``), not a label beside a title of its own
    (``- [PDF](u) Title [Code](u)``)."""
    end = found[0][1]
    after = body[end : found[1][0] if len(found) > 1 else len(body)]
    after = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>", " ", after)
    return re.search(r"[^\W\d_]{2,}", after) is None


def _titled(token: LinkToken, name: str) -> bool:
    """Whether a link after a name reads as the paper's title: a link of its own words (not
    a label such as ``[paper]``), longer than the name, of three words or more."""
    words = token.label.split()
    return (
        token.shape is Shape.SINGLE
        and not is_label(token)
        and len(words) >= 3
        and len(token.label) > len(name.strip(" *_:\t"))
    )


_SUFFIX_TAG_RE = re.compile(r"^(.*\S)(\s*\[)([^\[\]]+)(\])$", re.S)


def _suffix_tags(decorated: str) -> tuple[str, tuple[Prefix, ...]]:
    """(the title as written, the date and venue tags after it): ``"Title" [2024-03] [ACL
    2024]`` is ``"Title"`` and two tags. A bracket that holds no date or year is the
    title's own (``Title [Re]``)."""
    tags: list[Prefix] = []
    while m := _SUFFIX_TAG_RE.match(decorated):
        text = m.group(3)
        if not (is_date(text) or venue_date(text)[0] is not None):
            break
        tags.insert(0, Prefix(m.group(2), text, m.group(4)))
        decorated = m.group(1)
    return decorated, tuple(tags)


_VENUE_AFTER_RE = re.compile(
    r"([ \t]*[.,;]?[ \t]+|[.,;])([^\s*_\"“\[\]()<>|][^*_\"“\[\]<>|\n]{0,39}\S)"
)


def _closed_title(
    decorated: str, decorations: tuple[str, ...] = _DECORATIONS
) -> tuple[str, str] | None:
    """(a decorated title, what follows its closing mark) of ``**Title** more``; None when the
    text opens with none of ``decorations`` or its last closing mark closes no title."""
    for deco in decorations:
        closing = "”" if deco == "“" else deco
        at = decorated.rfind(closing)
        if decorated.startswith(deco) and at > len(deco):
            title = decorated[: at + len(closing)]
            return (title, decorated[len(title) :]) if undecorate(title)[0] == deco else None
    return None


def _venue_after(decorated: str) -> tuple[str, tuple[Prefix, ...]]:
    """(the title as written, its venue after it) of a bold or italic title followed by its
    venue in plain words: ``**Title.** NeurIPS 2022``, ``**Title**. ICLR 2019``, ``*Title*,
    arxiv 2020`` (the ``. `` before the links is the gap, already split off). The words
    must hold a year and be few: a venue, not a description (``**Title**, a model for ...
    2020`` stays the title's). The tag keeps what comes before it (``. ``), so the line is
    written back as it was; a new entry takes the section's form of it."""
    closed = _closed_title(decorated)
    m = _VENUE_AFTER_RE.fullmatch(closed[1]) if closed else None
    if closed is not None and m is None:
        return _emphasised_venue_after(closed)
    if closed is None or m is None:
        return decorated, ()
    venue = m.group(2)
    if len(venue.split()) > 5 or venue_date(venue)[0] is None:
        return decorated, ()
    # ``"Title", 2019-04, EBBT 2019`` or ``2023-01, arXiv``: a date and a venue, a tag each.
    pieces = re.split(r"(,[ \t]*)", venue)
    texts, opens = pieces[::2], [m.group(1), *pieces[1::2]]
    if len(texts) > 1 and (is_date(texts[0]) or all(venue_date(t)[0] for t in texts)):
        return closed[0], tuple(Prefix(o, t, "") for o, t in zip(opens, texts, strict=True))
    return closed[0], (Prefix(m.group(1), venue, ""),)


_EMPHASISED_VENUE_RE = re.compile(
    r"(,[ \t]+)([*_])([^\W\d_][^*_\"“\[\]<>|,\n]{0,39}?)"
    r"(?:(,?[ \t]+)([A-Za-z]{3,9}\.?,?[ \t]+\d{4}))?\2"
)
"""A venue, and its month, in emphasis after a quoted title: ``"Title", *arXiv, Oct 2024*``,
``*arXiv Feb 2024*``, ``*TCYB 2021*`` (zubair-irshad/Awesome-Robotics-3D)."""


def _emphasised_venue_after(closed: tuple[str, str]) -> tuple[str, tuple[Prefix, ...]]:
    """(the title as written, its venue and date) of ``"Title", *arXiv, Oct 2024*``; the
    words as they were when they are no venue and month."""
    m = _EMPHASISED_VENUE_RE.fullmatch(closed[1])
    if m is None or len(m.group(3).split()) > 5:
        return closed[0] + closed[1], ()
    if m.group(5) is None:  # ``*TCYB 2021*``: a venue and its year
        if venue_date(m.group(3))[0] is None:
            return closed[0] + closed[1], ()
        return closed[0], (Prefix(m.group(1) + m.group(2), m.group(3), m.group(2)),)
    if month_date(m.group(5)) is None:
        return closed[0] + closed[1], ()
    venue = Prefix(m.group(1) + m.group(2), m.group(3), "")
    return closed[0], (venue, Prefix(m.group(4), m.group(5), m.group(2)))


_LINKED_VENUE_RE = re.compile(
    r"([ \t]*[,;][ \t]*|[ \t]+)"
    r"((?:\d(?=[A-Za-z]))?[^\W\d_][^*_\"“\[\]()<>|,;\n]{0,39}?(?:\d{4}(?:\.\d{1,2})?|['’]\d{2}))"
    r"([ \t]*[.,;|]?[ \t]*)"
)
"""A venue in plain words after a linked title: ``, ICLR 2023 ``, ``, arXiv 2021.``, ``,
3DV 2018 | `` (before a link the list sets apart with a bar; a venue may open with a digit)."""

_NAME_WORD = r"(?:[^\W\d_a-z][\w'’.-]*|(?:van|von|der|den|de|da|di|du|la|le|del|dos)(?=[ \t]))"
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,4}}"
_AUTHORS = (
    rf"{_NAME}(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+){_NAME})*"
    r"(?:,?[ \t]+et[ \t]+al\.?)?"
)
_SPACE = "[ \t\u00a0]"  # names copied from a publisher's page keep its no-break spaces
_LOOSE_NAME_WORD = _NAME_WORD.replace("[ \t]", _SPACE)
_LOOSE_NAME = rf"{_LOOSE_NAME_WORD}(?:{_SPACE}+{_LOOSE_NAME_WORD}){{0,4}}"
_NAMES_RE = re.compile(
    rf"{_LOOSE_NAME}(?:(?:{_SPACE}*[,;]{_SPACE}*(?:and{_SPACE}+)?|{_SPACE}+(?:and|&){_SPACE}+)"
    rf"{_LOOSE_NAME})*(?:,?{_SPACE}+et{_SPACE}+al\.?)?"
)
"""People's names as :func:`reads_as_names` reads them: separated by commas, semicolons
(``Ding Ma; Zexu Zhang``) or "and", spaces that may be no-break ones."""
_AUTHORS_THEN_RE = re.compile(rf"([ \t]*,[ \t]*)({_AUTHORS})(?=[ \t]*,)")
"""Authors after a linked title, before its venue: ``, Ann Lee et al.`` of ``[Title](u),
Ann Lee et al., CVPR 2022 | [code](u)``."""


def reads_as_names(text: str) -> bool:
    """Whether ``text`` reads as people's names (``Ann Lee et al.``, ``Dellaert and
    Yen-Chen``, ``Ali Borji``), not a venue or one word (``CVPR``, ``Arxiv``): "et al.",
    two names or more, or one of two words at least."""
    if _NAMES_RE.fullmatch(text) is None:
        return False
    if re.search(r"\bet[ \t]+al\b", text):
        return True
    return len(re.split(r"\s*[,;]\s*|\s+(?:and|&)\s+", text)) > 1 or len(text.split()) > 1


def plain_venue(text: str) -> tuple[str, str, str] | None:
    """(what comes before it, the venue, what follows) when ``text`` is a venue in a few
    plain words with a year and punctuation around it (``, ICLR 2023 ``, ``, arXiv
    2021.``); None for anything else: a description with a year (``, trained on 2019
    data``), authors (``by Liu et al. 2021``), news (``was accepted at NeurIPS'24``)."""
    m = _LINKED_VENUE_RE.fullmatch(text)
    if m is None:
        return None
    venue = m.group(2)
    first = venue.split()[0].rstrip(".,'’").lower()
    named = venue.lstrip("0123456789")[0].isupper() or first in _PREPRINT_WORDS  # 3DV 2018
    if not named or len(venue.split()) > 5 or is_date(venue) or "et al" in venue:
        return None
    return m.group(1), venue, m.group(3)


_BRACKETED_VENUE_RE = re.compile(
    r"([ \t]*(?:\[|\()(?:\*\*|__|\*|_)?)([^\[\]()*_\n]{2,60}?)((?:\*\*|__|\*|_)?(?:\]|\)))"
    r"([ \t]*)"
)
"""A venue in brackets after a linked title: `` [**CVPR 2024**] ``, `` (ICLR 2023)``."""


def _linked_venue(gap: str) -> tuple[tuple[Prefix, ...], str]:
    """(the venue tag, the gap left) of what a linked title is followed by, up to its next
    link or the line's end, when that is its venue in plain words (:func:`plain_venue`):
    ``[Title](u), ICLR 2023 [[code]](u)``, ``[Title](u), arXiv 2021``, or in brackets:
    ``[**Title**](u) [**CVPR 2024**] [[**Github**](u)]``. The tag keeps the comma or the
    bracket before it; the rest (spaces, a period) stays the gap."""
    found = plain_venue(gap)
    if found is not None:
        return (Prefix(found[0], found[1], ""),), found[2]
    # ``[Title](u), Ann Lee et al., CVPR 2022 | [code](u)``: the authors, then the venue.
    named = _AUTHORS_THEN_RE.match(gap)
    if named is not None and reads_as_names(named.group(2)):
        found = plain_venue(gap[named.end() :])
        if found is not None:
            authors = Prefix(named.group(1), named.group(2), "", authors=True)
            return (authors, Prefix(found[0], found[1], "")), found[2]
    m = _BRACKETED_VENUE_RE.fullmatch(gap)
    if m is None or plain_venue(" " + m.group(2)) is None:
        return (), gap
    return (Prefix(m.group(1), m.group(2), m.group(3)),), m.group(4)


def tail_plain_venue(parts: BulletParts) -> str | None:
    """The venue an entry writes in plain words after its last link (``[Title](u),
    [website](u), ICRA 2010.``), if it does (see :func:`plain_venue`)."""
    if not parts.links:
        return None
    found = plain_venue(parts.separators[-1])
    return found[1] if found else None


_VENUE_IN_RE = re.compile(
    r"(?P<title>.*\S)(?P<open>[ \t]+in[ \t]+\*)(?P<venue>[^*\n]{1,40}?)(?P<close>\*)"
    r"(?:(?P<sep>,?[ \t]*)(?P<year>\d{4}))?"
)
"""A plain title and its venue in italics after "in": ``Title in *CIKM*, 2020``."""


def _venue_in(decorated: str) -> tuple[str, tuple[Prefix, ...]]:
    """(the title as written, its venue and year) of a plain title that ends in its venue
    in italics: ``Title in *CIKM*, 2020`` (mala-lab/Awesome-Deep-Graph-Anomaly-Detection).
    The tags keep what comes before them, so the line is written back as it was."""
    if undecorate(decorated)[0]:
        return decorated, ()
    m = _VENUE_IN_RE.fullmatch(decorated)
    if m is None:
        return decorated, ()
    tags = [Prefix(m.group("open"), m.group("venue"), m.group("close"))]
    if m.group("year"):
        tags.append(Prefix(m.group("sep"), m.group("year"), ""))
    return m.group("title"), tuple(tags)


def _authors_after(decorated: str, gap: str) -> tuple[str, tuple[Prefix, ...], str]:
    """(the title as written, its authors, the gap) of a bold or italic title followed by
    its authors: ``**Title**, Jinlu Zhang et al. [[Paper](u)]`` (Yutong-Zhou-cv/
    Awesome-Text-to-Image). The period after "et al" is the authors', the rest the gap's."""
    closed = _closed_title(decorated)
    m = re.fullmatch(r"([ \t]*,[ \t]*)(.+)", closed[1], re.S) if closed else None
    if closed is None or m is None or not reads_as_names(m.group(2)):
        return decorated, (), gap
    authors = m.group(2)
    if authors.endswith("et al") and gap.startswith("."):
        authors, gap = authors + ".", gap[1:]
    return closed[0], (Prefix(m.group(1), authors, "", authors=True),), gap


_PLAIN_VENUE_AFTER_RE = re.compile(r"(.*\S)(,[ \t]+)([^,]+)")


def _plain_venue_after(decorated: str) -> tuple[str, tuple[Prefix, ...]]:
    """(the title, its venue) of a plain title followed by a comma and its venue in a few
    words with a year: ``Graph Contrastive Learning Automated, ICML 2021`` (SXKDZ/awesome-
    self-supervised-learning-for-graphs); a title's own words after a comma stay its own
    (``Fast and Slow``, ``Part 2``)."""
    if undecorate(decorated)[0]:
        return decorated, ()
    m = _PLAIN_VENUE_AFTER_RE.fullmatch(decorated)
    if m is None or plain_venue(m.group(2) + m.group(3)) is None:
        return decorated, ()
    return m.group(1), (Prefix(m.group(2), m.group(3), ""),)


def _said_after(decorated: str) -> tuple[str, str]:
    """(a bold title, the words after it) when words follow the title's closing mark
    (``**Title** Proposes a taxonomy ...``); (``decorated``, "") otherwise."""
    closed = _closed_title(decorated, ("**", "__"))
    if closed is not None and re.match(r"[ \t]+[^\W\d_]", closed[1]):
        return closed
    return decorated, ""


_HTML_MARK_RE = re.compile(r"(?:<img\b[^<>]*>(?:&nbsp;|[ \t])*)+")
"""Images before a linked title (a "new" badge), with the spaces after them."""
_MARK_ONLY_RE = re.compile(r"[^\w\s*_\[(\"“'`\\]+[ \t]+|[^\x00-\x7f\w\s“]+")
"""A mark alone before a linked title: symbols, then a space (``🌟 ``), or symbols beyond
ASCII with none (``🔥[Title](u)``, zhengxuJosh/Awesome-RAG-Vision)."""
_MARK_RE = re.compile(r"^([^\w\s*_\[(\"“'`\\]+[ \t]+|[^\x00-\x7f\w\s“]+)(.+)$")
"""A mark before a decorated title (``🌟 **Title**``): symbols, then a space (none after an
emoji: ``⭐⭐**Title**``)."""
_BRACKET_NAME_RE = re.compile(r"\[[^\[\]\n]{1,40}\]:[ \t]+")
"""A method's name in brackets and a colon before a title: ``[R2R]: ``
(eric-ai-lab/awesome-vision-language-navigation)."""
_BRACKET_MARK_RE = re.compile(r"\[(?![^\[\]]*\d{4})[^\w\s\[\]()*_\\][^\[\]\n]{0,40}\][ \t]*")
"""A mark in brackets before a title, a symbol first and no year (``[💬 3D] ``): the
entry's own topic, as a list marks it, never a venue."""


def _split_gap(head: str) -> tuple[str, str]:
    """(title as written, the punctuation and spaces before the links): ``Title. `` gives
    ("Title", ". "); an escaped period (``\\.``) is the title's own. A backslash that ends
    the line is a hard line break (``**Title** \\``, then the links on the next line:
    wangkai930418/awesome-diffusion-categorized), no part of the title."""
    body = head.rstrip()
    gap = head[len(body) :]
    broken = re.search(r"[ \t]*\\$", body)
    if broken is not None and (len(body) - len(body.rstrip("\\"))) % 2 == 1:
        body, gap = body[: broken.start()], body[broken.start() :] + gap
    m = re.search(r"(\s*)(?:([.,;:])|(\s[-|:]))$", body)
    if m:
        at = m.start()
        if m.group(2):
            slashes = len(body[: at + len(m.group(1))]) - len(
                body[: at + len(m.group(1))].rstrip("\\")
            )
            if slashes % 2 == 0:
                return body[:at], body[at:] + gap
        else:
            return body[:at], body[at:] + gap
    return body, gap


def _title_link_at(found: list[tuple[int, int, LinkToken]], pos: int) -> bool:
    return any(start == pos and not is_label(t) for start, _, t in found)


def undecorate(text: str) -> tuple[str, str, str]:
    """(opening decoration, title, closing decoration) of ``**Title**`` and the like."""
    for deco in _DECORATIONS:
        closing = "”" if deco == "“" else deco
        if len(text) > 2 * len(deco) and text.startswith(deco) and text.endswith(closing):
            inner = text[len(deco) : -len(closing)]
            escaped_end = (len(inner) - len(inner.rstrip("\\"))) % 2 == 1
            if deco not in inner.replace("\\" + deco[0], "") and not escaped_end:
                return deco, inner, closing
    return "", text, ""


def venue_date(text: str) -> tuple[int | None, int | None]:
    """(year, month) written in a venue or date tag: ``arXiv 2023.05``, ``NeurIPS'24``,
    ``2024-12-13``, ``CVPR 2024``; (None, None) when it has none."""
    text = text.strip()
    m = DATE_RE.match(text) or re.search(r"(?<!\d)(\d{4})(?:([./-])(\d{1,2}))?(?!\d)", text)
    if m and 1900 <= int(m.group(1)) <= 2100:
        month = int(m.group(3)) if m.group(3) and 1 <= int(m.group(3)) <= 12 else None
        return int(m.group(1)), month
    m = re.search(r"['‘’](\d{2})(?!\d)", text)
    if m:
        return 2000 + int(m.group(1)), None
    return None, None


_CITE_KEY_RE = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*\d{4}[a-z]?")
"""A citation key: a first author's surname and the year (``Dou2020``, ``Li2025b``); a
venue with its year is written in capitals (``CVPR2020``, ``NeurIPS2023``)."""


def is_cite_key(text: str) -> bool:
    return _CITE_KEY_RE.fullmatch(text.strip()) is not None


def cite_key(authors: Sequence[str], year: int) -> str | None:
    """A new paper's citation key, as lists write them: its first author's surname and its
    year (``Lee2025``); None without authors."""
    first = next((a for a in authors if a.strip()), None)
    if first is None:
        return None
    words = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", first)
    return f"{words[-1]}{year}" if words else None


def is_dated(text: str) -> bool:
    """Whether a tag is a date: numbers (``2024.05``) or with its month's name (``Oct
    2024``)."""
    return is_date(text) or month_date(text) is not None


def is_date(text: str) -> bool:
    return bool(DATE_RE.match(text.strip())) or month_date(text) is not None


MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_DATE_RE = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})(\.?,?\s+)(\d{4})$")
"""A date written with its month's name: ``Mar., 2023``, ``July 2025``, ``Sept. 2024``, and
with its day first, as arXiv writes it: ``10 Jun 2019``, or as an ordinal: ``07th Aug.,
2025``."""


def month_date(text: str) -> tuple[int, int] | None:
    """(year, month) of a date written with its month's name or its abbreviation."""
    m = MONTH_DATE_RE.match(text.strip())
    if m is None or (m.group(1) and not 1 <= int(m.group(1)) <= 31):
        return None
    word = m.group(2).casefold()
    month = next((k for k, name in enumerate(MONTH_NAMES, 1) if name.startswith(word)), None)
    return (int(m.group(4)), month) if month is not None else None


_NOT_CODE_LABELS = frozenset(
    ("slides", "video", "poster", "bib", "bibtex", "blog", "dataset", "data", "视频", "数据")
)
"""Labels that say a link on GitHub is no code: ``[[Slides]](https://github.com/a/b/blob/
main/Slides/x.pdf)`` (huiyang-yi/Awesome-Causality-and-ML-Papers), a dataset's repository."""


def code_link(links: tuple[LinkToken, ...]) -> LinkToken | None:
    """The code link: labelled code/GitHub, else the first link to a GitHub or GitLab repo
    that is not labelled a paper, slides, a video or data."""
    return _labelled_or_hosted(
        links, CODE_LABELS, PAPER_LABELS | _NOT_CODE_LABELS, lambda u: _CODE_HOST_RE.match(u)
    )


def paper_link(links: tuple[LinkToken, ...]) -> LinkToken | None:
    """The paper link: labelled paper/PDF/arXiv, else the first link to a paper host."""
    return _labelled_or_hosted(links, PAPER_LABELS, CODE_LABELS, is_paper_host)


def _labelled_or_hosted(
    links: tuple[LinkToken, ...],
    labels: AbstractSet[str],
    other_labels: AbstractSet[str],
    hosted: Callable[[str], object],
) -> LinkToken | None:
    """A link labelled as wanted; failing that, the first to a host of that kind that is
    not labelled as the other kind (a ``[paper]`` link to GitHub stays the paper's)."""
    for link in links:
        if link.word in labels and link.url and not link.is_badge:
            return link
    for link in links:
        if not link.is_badge and link.url and hosted(link.url) and link.word not in other_labels:
            return link
    return None


@dataclass(frozen=True, slots=True)
class Roles:
    """Which of a bullet's links is the paper and which the code."""

    paper: LinkToken | None
    """The paper link among ``links`` (None when the linked title is the paper)."""
    title_is_paper: bool
    code: LinkToken | None

    def paper_url(self, parts: BulletParts) -> str | None:
        if self.title_is_paper:
            return parts.title_url
        return self.paper.url if self.paper else None


def roles(parts: BulletParts) -> Roles:
    """A link labelled paper/PDF/arXiv is the paper; else a linked title is; else the first
    link to a paper host; else a lone link named for no resource (``[[MICCAI 2024]](u)``).
    The code is labelled code/GitHub, else the first other link to a repository."""
    usable = tuple(t for t in parts.links if t.url and not t.is_badge)
    code = next((t for t in usable if t.word in CODE_LABELS), None)
    paper = next((t for t in usable if t.word in PAPER_LABELS), None)
    title_is_paper = paper is None and parts.title_url is not None
    if paper is None and not title_is_paper:
        rest = tuple(t for t in usable if t is not code)
        # A lone link named for no resource, to somewhere else: a relative link
        # (``[Foundations](papers/00.md)``) is a page of the list's own repository.
        named = (t for t in rest if t.word not in LABEL_WORDS and _ABSOLUTE_RE.match(t.url))
        paper = paper_link(rest) or next(named, None)
    if paper is None and not title_is_paper:  # ``[![Paper](badge)](https://arxiv.org/…)``
        paper = next(
            (t for t in parts.links if t.shape is Shape.LINKED_BADGE and is_paper_host(t.url)),
            None,
        )
    if code is None:
        code = code_link(tuple(t for t in usable if t is not paper))
    if code is None:  # a stars badge that links its repository
        code = next(
            (
                t
                for t in parts.links
                if t.shape is Shape.LINKED_BADGE and _CODE_HOST_RE.match(t.url)
            ),
            None,
        )
    return Roles(paper, title_is_paper, code)


_ABSOLUTE_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
"""A URL with a scheme (``https:``, ``doi:``), not a path inside the list's repository."""
_TAIL_DATE_RE = re.compile(r"^[\s,;:|–—-]*\(?(\d{4}(?:([./-])\d{1,2}(?:\2\d{1,2})?)?)\)?\.?\s*$")


def label_venue(parts: BulletParts, found: Roles) -> str | None:
    """The venue written as the paper link's label (``[[ICLR 2024]](u)``), when the label is
    no resource word."""
    link = found.paper
    if link is None or link.word in LABEL_WORDS or not link.label.strip():
        return None
    if _ARXIV_ID_RE.search(link.label):
        return None  # ``[arXiv:2501.00001](u)``: the paper's id, not its venue
    year, _ = venue_date(link.label)
    return link.label.strip() if year or len(link.label.split()) <= 3 else None


_ARXIV_ID_RE = re.compile(r"(?<!\d)\d{4}\.\d{4,5}(?!\d)")
"""A new-style arXiv id in text (``arXiv:2501.00001``)."""
_VENUE_LABEL_RE = re.compile(r"[^\W\d_][\w .&'’-]*")


def row_label_venue(label: str) -> str | None:
    """The venue a table writes as its paper link's label (``| [ICML 2025](u) |``, ``|
    [Nature](u), [bioRxiv](u) |``), as :func:`label_venue` reads a bullet's: no resource
    word, and a year or a few words; plain words only (``arxiv:2503.01875`` is no venue)."""
    text = label.strip()
    if not _VENUE_LABEL_RE.fullmatch(text) or text.casefold() in LABEL_WORDS:
        return None
    return text if venue_date(text)[0] or len(text.split()) <= 3 else None


def tail_date(parts: BulletParts) -> str | None:
    """A date written after the links (``…](u), 2025-6-16``) or a linked title (``](u)
    (2021) - a description``)."""
    badged = badged_date(parts)
    return last_date(parts) or (badged[1] if badged else None)


def last_date(parts: BulletParts) -> str | None:
    """A date written in the entry's last text: after its last link or its linked title."""
    if not parts.separators and not parts.title_url:
        return None
    form = tail_split(parts)[0]
    m = _TAIL_DATE_RE.match(form)
    if m:
        return m.group(1)
    named = _PLAIN_MONTH_RE.match(form)  # ``](u) 23 Feb 2024``
    if named and month_date(named.group(1)) is not None:
        return named.group(1)
    month = tail_month(parts)
    return month[0] if month else None


_PLAIN_MONTH_RE = re.compile(r"^[\s,;:|–—-]*(\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4})\.?\s*$")
"""A date with its day and month's name, alone after a title or link: `` 10 Jun 2019``."""


_TAIL_MONTH_RE = re.compile(
    r"^\s*\(\s*((?:\d{1,2}\s+)?[A-Za-z]{3,9}\.?,?\s+\d{4})\s*(?:\|\s*([^()|]*[^()|\s]))?\s*\)"
)
"""A month-named date in brackets after the links, and a venue after a bar: ``(Mar., 2023)``,
``(Dec., 2024 | CVPR 2025)``."""


def tail_month(parts: BulletParts) -> tuple[str, str | None] | None:
    """(date, venue or None) of a month-named date in brackets after the entry's links."""
    if not parts.separators and not parts.title_url:
        return None
    m = _TAIL_MONTH_RE.match(tail_split(parts)[0])
    if m is None or month_date(m.group(1)) is None:
        return None
    return m.group(1), m.group(2)


def badged_date(parts: BulletParts) -> tuple[int, str] | None:
    """(which separator, date) of a date written after the last link but before the badges
    that end the entry (``[[pdf](u)], 2025.03. ![](…/Arxiv-orange)``): the badges are
    decoration, so the date is still the entry's tail."""
    plain = [k for k, t in enumerate(parts.links) if not t.is_badge]
    if not plain or plain[-1] == len(parts.links) - 1:
        return None
    m = _TAIL_DATE_RE.match(parts.separators[plain[-1]])
    return (plain[-1], m.group(1)) if m else None


_AUTHORS_RE = re.compile(r"\n[ \t]*([*_])(?!\1)([^*_\n]+?)\1")
"""Authors in italics opening a continuation line: ``⏎  *Ann Lee, Bo Wu*. [[pdf](u)]``."""
_BY_AUTHORS_RE = re.compile(r"\bby[ \t]+([*_])(?!\1)([^*_\n]+?)\1")
"""Authors in italics after "by" (``](u) (2023) by *Lee, A.* [code](u)``)."""


_PLAIN_AUTHORS_RE = re.compile(r"[ \t]*\\?\n[ \t]*([^\n*_\[\]<>]+?)[ \t]*\\?[ \t]*\n")
"""A line of its own under the title, before the lines that hold the venue or the links:
``**Title**␠␠⏎␠␠Hao Xue, Flora D Salim␠␠⏎␠␠IEEE TKDE, 2023.␠␠⏎␠␠[Paper](u)``
(TongjiFinLab/awesome-time-series-forecasting)."""


def gap_authors(parts: BulletParts) -> str | None:
    """The authors an entry writes before its links: in italics at the start of the line
    under its title (a two-line entry), after "by" behind a linked title, or in plain words
    on a line of their own under the title when the links are on a later line and the words
    read as names (not a venue: no year); as written. They are the entry's own, as its
    title is."""
    m = _AUTHORS_RE.search(parts.gap) or (
        _BY_AUTHORS_RE.search(parts.gap) if parts.title_url else None
    )
    if m:
        return m.group(2)
    plain = _PLAIN_AUTHORS_RE.match(parts.gap)
    if plain is None:
        return None
    names = plain.group(1)
    return names if reads_as_names(names) and venue_date(names)[0] is None else None


_CITATION_RE = re.compile(
    r"^\.?[ \t]+(?P<authors>[^*_\[\]()\n]+?)\.[ \t]+(?:\*(?P<venue>[^*\n]+)\*,[ \t]*)?"
    r"(?P<year>\d{4})\.?[ \t]*$"
)
"""A citation after the title or the links: ``. Zhu et al.. *arXiv 2605.04675*, 2026.``,
``. Huang et al.. 2025.``"""


def citation_tail(parts: BulletParts) -> tuple[str, str | None, str] | None:
    """(authors, venue, year) an entry writes after its linked title or its last link as a
    citation does (``[Title](u). Li, Li, Zhang. *ICASSP*, 2025.``, x-zheng16/
    Awesome-Embodied-AI-Safety): the list's fields, not the entry's own words."""
    if not parts.links and not parts.title_url:
        return None
    m = _CITATION_RE.match(parts.separators[-1] if parts.links else parts.gap)
    return (m.group("authors"), m.group("venue"), m.group("year")) if m else None


_TAIL_AUTHORS_RE = re.compile(r"^\s*by[ \t]+([*_])(?!\1)([^*_\n]+?)\1[\s.,;]*$")


def tail_authors(parts: BulletParts) -> str | None:
    """The authors, when all an entry writes after its links or linked title is "by" and
    their names in italics (``](u) (2023) by *Lee, A.*``): a field, not a description."""
    m = _TAIL_AUTHORS_RE.match(tail_split(parts)[1])
    return m.group(2) if m else None


_GAP_DATE_RE = re.compile(r"^[\s,;:|–—-]*\((\d{4}(?:([./-])\d{1,2}(?:\2\d{1,2})?)?)\)")


def gap_date(parts: BulletParts) -> str | None:
    """A bracketed date right after a linked title, before the entry's other links
    (``[**Title**](u) (2023) by *Lee, A.* [code](u)``)."""
    if not parts.title_url or not parts.links:
        return None
    m = _GAP_DATE_RE.match(parts.gap)
    if m:
        return m.group(1)
    named = _PLAIN_MONTH_RE.match(parts.gap)  # ``[Title](u) 10 Jun 2019 [arxiv](u)``
    return named.group(1) if named and month_date(named.group(1)) is not None else None


_LINE_TAGS_RE = re.compile(r"\n[ \t]*\[([^\[\]\n]+)\][ \t]*\[([^\[\]\n]+)\][ \t]*\\?[ \t]*\n?$")
"""A line of two bracketed tags under the title, before the links: ``[07th Aug., 2025]
[arXiv, 2025] \\`` (amirhossein-kz/Awesome-Diffusion-Models-in-Medical-Imaging)."""


def line_tags(parts: BulletParts) -> tuple[str, str] | None:
    """(date, venue) an entry writes in brackets on a line of their own under its title,
    when one tag is a date and the other a venue with a year."""
    m = _LINE_TAGS_RE.search(parts.gap)
    if m is None:
        return None
    first, second = m.group(1).strip(), m.group(2).strip()
    for date, venue in ((first, second), (second, first)):
        if is_dated(date) and venue_date(venue)[0] and not is_dated(venue):
            return date, venue
    return None


_LINE_VENUE_RE = re.compile(r"\n[ \t]*(?:([*_])[^*_\n]+?\1[.,]?[ \t]*)?([^\n*_\[\]]*?)[\s.,;:]*$")
"""The text a continuation line writes before its first link, after its authors if any."""


def continuation_venue(parts: BulletParts) -> str | None:
    """The venue a two-line entry writes before its links on the line under its title
    (``⏎NeurIPS 2025, [Paper](u)``; after its authors, if it has them): text with a year."""
    m = _LINE_VENUE_RE.search(parts.gap)
    if m is None or not m.group(2).strip():
        return None
    text = m.group(2).strip()
    return text if venue_date(text)[0] is not None else None


_TAIL_VENUE_RE = re.compile(r"^\s*\(\s*([^(),\[\]]*[^(),\[\]\s])\s*,\s*(\d{4})\s*\)")
"""A venue and year written after the title or the links: ``](url) (Nature Methods, 2022)``."""


_OWN_WORDS_RE = re.compile(r"(?:[\s\-–—:;,|*_]|<(?!!--)[^<>]*>|\(@?|\[)*(?:[^\W\d_]|<!--)")
"""An entry's own words after its title or links: the spaces, dashes and tags (``<br>``)
before the first letter outside a tag or an HTML comment (``<!---Liu20neurips-->``, a key
the entry keeps for itself), and a bracket that opens them (``(@HKU)``, ``[arXiv:1606.06565]
— a description``: never a bracket left open in a new entry)."""
_TAG_OR_LETTER_RE = re.compile(r"(<!--)|<[^<>]*>|([^\W\d_])")


def own_words_start(text: str, start: int = 0) -> int | None:
    """Where an entry's own words (a description, its authors) start in what it writes
    after its title or links, from ``start``: at the separator before the first letter
    outside a tag; None when there is none (``" (2021) "``, ``") <br> "``)."""
    letter = next(
        (m.start() for m in _TAG_OR_LETTER_RE.finditer(text, start) if m.group(1) or m.group(2)),
        None,
    )
    if letter is None:
        return None
    at = next(m.start() for m in _OWN_WORDS_RE.finditer(text, start) if m.end() > letter)
    return _opening_tag_before(text, start, at)


_OPEN_TAG_RE = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")


def _opening_tag_before(text: str, start: int, at: int) -> int:
    """``at``, or the separator before an HTML tag or a strong emphasis opened before it and
    closed after it: the words of `` <sub>2026-07 · 1 citation</sub>`` and `` — **2025
    International Conference**`` (JXLiu-AI/Awesome-Medical-Reasoning) start with their
    opening, never half in the form and half the entry's own."""
    opened = None
    for m in _OPEN_TAG_RE.finditer(text, start, at):
        name = m.group(1).lower()
        closed_before = re.search(rf"</{name}\s*>", text[m.end() : at], re.I)
        if not closed_before and re.search(rf"</{name}\s*>", text[at:], re.I):
            opened = m.start()
            break
    if opened is None:
        for mark in ("**", "__"):
            before = text[start:at]
            if before.count(mark) % 2 == 1 and mark in text[at:]:
                opened = start + before.rindex(mark)
                break
    if opened is None:
        return at
    return max(start, len(text[:opened].rstrip(" \t-–—:;,|")))


def gap_own_words(parts: BulletParts) -> str:
    """What an entry writes of its own between its linked or decorated title and its first
    link (``**[Title](u)** (Xi et al., arXiv 2023) - *A seminal survey.* [[code](u)]``, ``-
    **Title** A description.``): its authors, a description, as written on the title's line,
    from the separator before its first letter; "" when there is none. A new entry has none:
    it never carries another entry's authors or words."""
    if not parts.links or (parts.title_url is None and not parts.title_open):
        return ""
    line = parts.gap.split("\n", 1)[0]  # the lines under a title are its form
    at = _own_start(line)
    return "" if at is None else line[at:].rstrip()


def tail_split(parts: BulletParts) -> tuple[str, str]:
    """(the tail's form, the entry's own words): the text after the title or the last link
    up to a bracketed date or venue right after it (``" (2021)"``, ``", 2025-6-16"``), and
    what follows from the first letter on (``" - Extends ROCKET with ..."``, a description
    each entry writes for itself, which a new entry must not copy from another)."""
    tail = parts.separators[-1] if parts.links else parts.gap
    at = _own_start(tail)
    return (tail, "") if at is None else (tail[:at], tail[at:])


def _own_start(text: str) -> int | None:
    """Where an entry's own words start in what it writes after its title or links: after a
    bracket that dates it (``(2021)``, ``(Mar., 2023)``), which is no words of its own, but
    a bracket of authors (``(Xi et al., arXiv 2023)``) is."""
    if plain_venue(text) is not None or _CITATION_RE.match(text):
        return None  # ``, ICRA 2010.``, ``. Lee et al.. *CVPR*, 2025.``: the list's fields
    named = _PLAIN_MONTH_RE.match(text)
    if named and month_date(named.group(1)) is not None:
        return None  # `` 23 Feb 2024``: a date
    bracket = re.match(r"\s*\(([^()]*)\)", text)
    if bracket is not None and not _dated(bracket.group(1)):
        bracket = None
    return own_words_start(text, bracket.end() if bracket else 0)


def _dated(inner: str) -> bool:
    """Whether a bracket after a title or its links dates it (``2021``, ``Mar., 2023``,
    ``Dec., 2024 | CVPR 2025``, ``Nature, 2021``, ``CVPR 2024``), rather than holding the
    entry's own words (``Xi et al., arXiv 2023``)."""
    first = inner.split("|")[0].strip()
    if "et al" in first:
        return False
    return (
        is_date(first)
        or month_date(first) is not None
        or re.fullmatch(r"[^(),\[\]]*[^(),\[\]\s],?\s*['’]?\d{2,4}", first) is not None
    )


def tail_venue(parts: BulletParts) -> tuple[str, str] | None:
    """(venue, year) written in brackets after the title or the last link (``(Nature,
    2021)``), which lists that describe a paper by a field line write; None without one."""
    tail, _ = tail_split(parts)
    m = _TAIL_VENUE_RE.match(tail)
    if m is None or not 1900 <= int(m.group(2)) <= 2100:
        return None
    if month_date(f"{m.group(1)} {m.group(2)}") is not None:
        return None  # ``(Mar., 2023)``: a month, not a venue
    return m.group(1), m.group(2)


def repo_of(url: str | None) -> tuple[str, str] | None:
    """(owner, name) of a GitHub repository URL."""
    if not url:
        return None
    m = re.match(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s?#]+)", url, re.I)
    if not m:
        return None
    name = m.group(2)
    return m.group(1), name[:-4] if name.endswith(".git") else name


_STAR_BADGE_RE = re.compile(
    r"^https?://img\.shields\.io/github/[a-z-]+/([^/\s?#]+)/([^/\s?#]+?)(?:\.svg)?(?:[?#].*)?$",
    re.I,
)


def star_repo(tokens: tuple[LinkToken, ...] | list[LinkToken]) -> str | None:
    """``owner/name`` of the repository a shields.io GitHub badge among ``tokens`` shows
    (stars, forks, last commit), as the badge writes it. Usually the code link's repository,
    but not always (a badge copied from the row above names that row's repository), so it
    is a field of its own: a list line written again shows the badge it had."""
    for token in tokens:
        if not token.is_badge:
            continue
        m = _STAR_BADGE_RE.match(token.image if token.shape is Shape.LINKED_BADGE else token.url)
        if m:
            return f"{m.group(1)}/{m.group(2)}"
    return None


_TEXT_BADGE_RE = re.compile(r"^https?://img\.shields\.io/badge/((?:[^-/?#]|--)+)-[A-Za-z0-9]+/?$")
"""A static shields.io badge with one text: ``https://img.shields.io/badge/TMLR2025-orange``."""
_PREPRINT_WORDS = frozenset(("arxiv", "biorxiv", "medrxiv", "preprint"))


def badge_text(token: LinkToken) -> str | None:
    """What a static one-text shields.io badge says (``ACL2025--industry`` says
    ``ACL2025-industry``: the badge escapes ``-`` as ``--``, ``_`` as ``__`` and writes a
    space ``_``); None for any other link."""
    m = _TEXT_BADGE_RE.match(token.url) if token.shape is Shape.BADGE else None
    if m is None:
        return None
    return re.sub(r"--|__|_", lambda c: {"--": "-", "__": "_", "_": " "}[c.group(0)], m.group(1))


def badge_encoded(text: str) -> str:
    """``text`` as a shields.io badge writes it in its path (see :func:`badge_text`)."""
    return text.replace("-", "--").replace("_", "__").replace(" ", "_")


def badge_venue(parts: BulletParts) -> tuple[int, str] | None:
    """(which link, venue) of a badge that names the paper's venue (``![](…/badge/
    NeurIPS2025-orange)``, ``…/badge/Arxiv-orange``): a badge with a year or a preprint
    server's name; badges that name the method (``…/badge/DAPO-blue``) are not venues."""
    for k, token in enumerate(parts.links):
        text = badge_text(token)
        if text and (text.casefold() in _PREPRINT_WORDS or venue_date(text)[0] is not None):
            return k, text
    return None


def own_badges(parts: BulletParts) -> str:
    """The badges that end an entry and are its own (the method's name: ``![](…/badge/
    DAPO-blue)``), with the spaces before each: neither its venue's badge nor a stars badge,
    so a new entry writes none of them."""
    paper = roles(parts).paper
    plain = [k for k, t in enumerate(parts.links) if not t.is_badge or t is paper]
    venue = badge_venue(parts)
    out: list[str] = []
    for k in range(plain[-1] + 1 if plain else 0, len(parts.links)):
        token = parts.links[k]
        if (venue is not None and k == venue[0]) or star_repo((token,)) is not None:
            continue
        before = parts.separators[k - 1] if k else ""
        out.append(before[len(before.rstrip()) :] + token.raw)
    return "".join(out)


# ---------------------------------------------------------------- tables


class Column(StrEnum):
    """What a table column holds, from its header."""

    TITLE = "title"
    VENUE = "venue"
    DATE = "date"
    CODE = "code"
    LINK = "link"
    AUTHORS = "authors"
    OTHER = "other"


_COLUMN_WORDS: tuple[tuple[Column, re.Pattern[str]], ...] = (
    (Column.CODE, re.compile(r"\b(code|github|repo|repository|implementation)\b|代码", re.I)),
    (Column.DATE, re.compile(r"\b(date|year|time|published|release)\b|日期|时间|年份", re.I)),
    (
        Column.VENUE,
        re.compile(r"\b(venue|conference|journal|publication|pub|source|where)\b|会议|期刊", re.I),
    ),
    (
        Column.TITLE,
        re.compile(r"\b(title|name|paper|method|model|work|article)\b|标题|论文|名称", re.I),
    ),
    (Column.LINK, re.compile(r"\b(link|links|pdf|url|arxiv)\b|链接", re.I)),
    # After the title's words: "| Title & Authors |" is the title's column.
    (Column.AUTHORS, re.compile(r"\b(authors?|author\(s\))\b|作者", re.I)),
)
_PAPER_COLUMN_RE = re.compile(r"\b(paper|papers|article)\b|论文", re.I)
"""A "Paper" column after the title column: it links the paper."""
_SEP_CELL_RE = re.compile(r"^\s*:?-{1,}:?\s*$")


def split_row(line: str) -> tuple[str, ...]:
    """The cells of a table row, ``\\|`` and pipes inside code spans kept in their cell."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    cur: list[str] = []
    i = 0
    in_code = False
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append(body[i : i + 2])
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur))
    return tuple(cells)


def is_separator_row(line: str) -> bool:
    cells = split_row(line)
    return bool(cells) and "-" in line and all(_SEP_CELL_RE.match(c) for c in cells)


def _header_words(cell: str) -> str:
    """A cell's words without HTML tags, emphasis or code marks (``**Year**``)."""
    return re.sub(r"<[^>]+>|[*_`]", " ", cell)


def column_roles(header: tuple[str, ...]) -> tuple[Column, ...]:
    """Each header cell's role; the first title-like column is the title, later ones OTHER."""
    roles: list[Column] = []
    for cell in header:
        text = _header_words(cell)
        role = next((c for c, p in _COLUMN_WORDS if p.search(text)), Column.OTHER)
        if role is Column.TITLE and role in roles and _PAPER_COLUMN_RE.search(text):
            role = Column.LINK  # "| Title | Venue | Paper | Code |": the paper's link
        if role in roles and role is not Column.LINK:
            role = Column.OTHER
        roles.append(role)
    return tuple(roles)


_WEAK_TITLE_RE = re.compile(r"\b(name|method|model|work)\b|名称", re.I)
_STRONG_TITLE_RE = re.compile(r"\b(title|paper|papers|article)\b|标题|论文", re.I)


def title_column(
    header: tuple[str, ...], roles: tuple[Column, ...], rows: Sequence[str]
) -> tuple[Column, ...]:
    """The roles with the paper's title where the rows write it: a table may name each
    method first (``| Model | Paper |``, ``| Name | Paper Title |``) and give the paper's
    title in a later column. The first title-like header is the title column unless it only
    names (name, method, model), a later one says title or paper, and most of the first
    rows hold a title there (four words or more, links' labels counted), not a journal's
    name (``| Paper |`` of ``[Nature](u), [bioRxiv](u)``)."""
    if Column.TITLE not in roles:
        return roles
    first = roles.index(Column.TITLE)
    named = _named_column(header, roles, rows, first)
    if named is not None:
        return named
    name = _header_words(header[first])
    if not _WEAK_TITLE_RE.search(name) or _STRONG_TITLE_RE.search(name):
        return roles
    sample = [split_row(r) for r in rows[:5]]
    for k in range(first + 1, len(header)):
        if not _STRONG_TITLE_RE.search(_header_words(header[k])):
            continue
        texts = [re.sub(r"\]\([^)]*\)|<[^>]+>|[\[\]*_`]", " ", r[k]) for r in sample if len(r) > k]
        titled = sum(len(re.findall(r"[^\W\d_]{2,}", t)) >= 4 for t in texts)
        if texts and titled * 2 > len(texts):
            out = list(roles)
            out[first], out[k] = Column.OTHER, Column.TITLE
            return tuple(out)
    return roles


_NAMES_HEADER_RE = re.compile(r"\b(names?|methods?|models?)\b|名称", re.I)


def _named_column(
    header: tuple[str, ...], roles: tuple[Column, ...], rows: Sequence[str], first: int
) -> tuple[Column, ...] | None:
    """The roles with the title in an earlier column of names (``| Methods | Paper |`` of
    ``| CoOp | [Link](u) |``, zhengli97/Awesome-Prompt-Adapter-Learning-for-VLMs) when the
    title column holds a link's label alone in most rows, not a title: the method's name
    is the row's title, the label its paper's link. None otherwise."""
    sample = [split_row(r) for r in rows[:5]]
    cells = [r[first].strip() for r in sample if len(r) > first]
    bare = 0
    for cell in cells:
        found = links_in(cell)
        bare += len(found) == 1 and found[0][2].raw == cell and is_label(found[0][2])
    if not cells or bare * 2 <= len(cells):
        return None
    before = [k for k in range(first) if _NAMES_HEADER_RE.search(_header_words(header[k]))]
    if not before:
        return None
    out = list(roles)
    out[before[0]], out[first] = Column.TITLE, Column.LINK
    return tuple(out)


def venue_column(roles: tuple[Column, ...], rows: Sequence[str]) -> tuple[Column, ...]:
    """The roles with a "date" column that holds venues (``| Published |`` of ``NIPS 2017``,
    ``KDD ’18``: Keytoyze/Awesome-RecSys-Fairness), or a column of no known name, as the
    venue column, when the table has none: most of the first rows name a venue there, not a
    date or a month."""
    if Column.VENUE in roles:
        return roles
    # The date column, else an unnamed one (``| Info |`` of ``TOG 2015``, awesome-physics/
    # awesome-neural-physics) when the table names a title column.
    if Column.DATE in roles:
        candidates = [roles.index(Column.DATE)]
    elif Column.TITLE in roles:
        candidates = [i for i, r in enumerate(roles) if r is Column.OTHER]
    else:
        candidates = []
    for k in candidates:
        cells = [_header_words(r[k]).strip() for r in map(split_row, rows[:5]) if len(r) > k]
        named = [
            c
            for c in cells
            if re.search(r"[^\W\d_]{2,}", c)
            and not is_date(c)
            and venue_date(c)[0]
            and len(c.split()) <= 5
        ]
        if cells and len(named) * 2 > len(cells):
            return tuple(Column.VENUE if i == k else r for i, r in enumerate(roles))
    return roles


def is_paper_table(roles: tuple[Column, ...]) -> bool:
    """A table of papers names a title column and a venue, date or code column; others (a
    dataset table) are read as rows whose links count as listed."""
    return Column.TITLE in roles and bool({Column.VENUE, Column.DATE, Column.CODE} & set(roles))
