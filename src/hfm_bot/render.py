"""Rendering: list entries in the list's own style, and the pull request's body.

An entry is written in the style learnt from the list (:mod:`hfm_bot.list_style`); a user's
``entry.md.j2`` in ``proposing.templates_dir`` overrides it. The PR body is a jinja2 template
(``templates/pr_body.md.j2``), overridable the same way. Paper text is hostile input: a title
may hold markdown, HTML, a mention, newlines or LaTeX. In the list it becomes one line in
which nothing can open a link, an image, a heading or a second item (a list that escapes its
titles gets every markdown character escaped, one that never does only what could open
markup); in the PR body, HTML is escaped and mentions are broken so nobody is pinged.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hfm_bot.entry_syntax import cite_key, reads_as_names, repo_of, undecorate
from hfm_bot.errors import InputError
from hfm_bot.ids import normalise_arxiv_id
from hfm_bot.list_style import (
    ARXIV_ABS,
    DEFAULT_STYLE,
    MINIMAL_ESCAPES,
    EntryStyle,
    Escaping,
    Field,
    Kind,
    MissingField,
    Role,
    Slot,
    Values,
    arxiv_link_form,
    fill,
    fill_details,
    format_date,
    format_venue,
    is_preprint_link,
    is_preprint_venue,
    mark_name,
    name_of,
    pad_cells,
)
from hfm_bot.paper import Origin, Paper
from hfm_bot.prediction import Prediction
from hfm_bot.text import latex_to_unicode
from hfm_bot.venues import venue_from, venue_year

NEAR_MISS_MARKER = "hfm-bot:near-miss"
"""The hidden comment that names a near miss's paper on its task-list line, so a tick is read
by key, whatever a maintainer did to the line's order or text."""
BODY_LIMIT = 65_536
"""GitHub's limit on a pull request body, in characters."""

_MD_SPECIAL = set("\\`*_[]()!|<>~&@$")
"""Characters that can start markdown or HTML anywhere in a line (a link, an image, emphasis,
code, a table cell, a tag or entity, math, a mention or an e-mail autolink)."""
_AUTOLINK_RE = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
_SEPARATOR_RE = re.compile(r"(?:(?<=\s)|^)([,;])(?=\s|$)")
_CODE_URL_RE = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)/[^\s<>\"'{}|\\^`\[\]]+", re.I
)
_TRAILING_RE = re.compile(r"[.,;:!?)\]}'\"]+$")


def one_line(text: str) -> str:
    """Readable Unicode, control characters gone, all whitespace collapsed to single spaces.

    Invisible format characters (Unicode category Cf) go too: zero-width spaces and joiners,
    the bidirectional marks, overrides and isolates (U+200E-U+200F, U+202A-U+202E,
    U+2066-U+2069), the BOM, soft hyphens and tag characters. A title is read by people, in
    the list and the PR body, and these show nothing or show the text reversed (U+202E), so
    a title could look other than it is. The one kept is the zero-width joiner between two
    emoji (a woman and a staff of Aesculapius joined are one picture, a health worker); a
    joiner anywhere else (between letters, as in some Indic spellings) goes."""
    text = latex_to_unicode(text)
    out = []
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)
        if kind in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif kind != "Cf" or (ch == "\u200d" and _joins_emoji(text, i)):
            out.append(ch)
    return " ".join("".join(out).split())


def _joins_emoji(text: str, i: int) -> bool:
    """Whether the joiner at ``i`` sits between two pictographs (the one before may carry a
    skin-tone modifier, category Sk, or the emoji presentation selector U+FE0F)."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (
        bool(before)
        and bool(after)
        and (unicodedata.category(before) in ("So", "Sk") or before == "\ufe0f")
        and unicodedata.category(after) == "So"
    )


def escape_markdown(text: str) -> str:
    """Backslash-escape what could turn a title into markup in a list line, and no more, so
    the raw line stays readable: markdown and HTML characters, the ``:`` of ``http://`` and
    the ``.`` of ``www.`` (GitHub autolinks them), and a lone comma or semicolon (which the
    list's parser would read as a link separator)."""
    out = "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in text)
    out = _AUTOLINK_RE.sub(lambda m: "\\" + (m.group(1) or m.group(2)), out)
    return _SEPARATOR_RE.sub(lambda m: "\\" + m.group(1), out)


_ENTITY_RE = re.compile(r"&(?=#?\w+;)")
_END_PUNCT_RE = re.compile(r"(?:(?<=\s)[-|:]|[.,;:])$")


def escape_title(
    text: str,
    escaping: Escaping = Escaping.FULL,
    *,
    in_table: bool = False,
    guard_end: bool = False,
) -> str:
    """A title (or venue) escaped for a list line in the list's habit. MINIMAL escapes only
    what could open markup, an ``&`` that would start an entity, a ``(`` that would read as
    a venue tag at the title's start, a ``|`` in a table, autolinks, and a last character
    the parser would take for the punctuation before the links; the line stays readable."""
    if escaping is Escaping.FULL:
        out = escape_markdown(text)
    else:
        special = MINIMAL_ESCAPES | ({"|"} if in_table else set())
        out = "".join(f"\\{ch}" if ch in special else ch for ch in text)
        out = _ENTITY_RE.sub("\\&", out)
        out = _AUTOLINK_RE.sub(lambda m: "\\" + (m.group(1) or m.group(2)), out)
        if out.startswith("("):
            out = "\\" + out
    if guard_end and _END_PUNCT_RE.search(out):
        body = out[:-1]
        if (len(body) - len(body.rstrip("\\"))) % 2 == 0:
            out = body + "\\" + out[-1]
    return out


_BLOCK_START_RE = re.compile(r"^(?:(#{1,6}|[>|<])|([-+*])(?=[ \t]|$)|(\d{1,9})([.)])(?=[ \t]|$))")


def _continuations_kept(entry: str) -> str:
    """An entry written over lines with each line under its first kept in it: a paper's
    value that opens such a line (authors ``- 0, A. Person``, a title ``# 1``) would open
    a nested list or a heading there, so its first character is escaped."""
    first, *rest = entry.split("\n")
    kept = []
    for line in rest:
        body = line.lstrip(" \t")
        kept.append(line[: len(line) - len(body)] + paragraph_line(body))
    return "\n".join([first, *kept])


def paragraph_line(line: str) -> str:
    """A paragraph entry whose first characters would open another block (a title that
    starts the line: ``# 1 model``, ``- a``, ``1. Intro``, ``> b``), with that character
    escaped: the line stays a paragraph, and its title reads back as written."""
    m = _BLOCK_START_RE.match(line)
    if m is None:
        return line
    if m.group(3):  # ``1. Intro``: the number stays, its period is escaped
        return f"{m.group(3)}\\{m.group(4)}{line[m.end() :]}"
    return "\\" + line


def _escape_quotes(text: str) -> str:
    """``text`` with each double quote not yet escaped written ``\\"``: a title the list
    writes between quotes ends at its first bare one."""
    out: list[str] = []
    escaped = False
    for ch in text:
        if ch == '"' and not escaped:
            out.append("\\")
        out.append(ch)
        escaped = ch == "\\" and not escaped
    return "".join(out)


def _after_title(style: EntryStyle, has_code: bool) -> str:
    """The text the style writes right after the title (``". [[Paper]]("``, ``"**"``)."""
    parts = [p for seg in style.template(has_code).segments for p in seg.parts]
    for k, part in enumerate(parts):
        if isinstance(part, Slot) and part.field is Field.TITLE:
            rest = parts[k + 1 :]
            return rest[0] if rest and isinstance(rest[0], str) else ""
    return ""


def display_title(title: str) -> str:
    return one_line(title) or "Untitled"


def code_url(*texts: str | None) -> str | None:
    """The first GitHub, GitLab or Hugging Face link in the texts, trailing punctuation cut."""
    for text in texts:
        if not text:
            continue
        match = _CODE_URL_RE.search(text)
        if match:
            url = _TRAILING_RE.sub("", match.group(0))
            if url.count("/") >= 3:
                return url
    return None


def safe_url(url: str) -> str:
    """A URL that cannot end the markdown link early."""
    return "".join(f"%{ord(c):02X}" if c in " ()<>[]\"'`" else c for c in url)


def _code_separator(style: EntryStyle) -> str:
    """What the style writes between the paper and the code link (``" "``, ``", "``), for a
    user's template."""
    for seg in style.with_code.segments:
        if seg.role is Role.CODE and seg.parts and isinstance(seg.parts[0], str):
            lead = re.match(r"^[^\[!<]*", seg.parts[0])
            return lead.group(0) if lead else " "
    return " "


def body_text(text: object) -> str:
    """Paper text for the PR body: one line, HTML escaped, mentions and references broken."""
    escaped = html.escape(one_line(str(text)), quote=False)
    return escaped.replace("@", "@\u200b").replace("#", "#\u200b")


def shorten(text: str, limit: int | None) -> str:
    """At most ``limit`` characters, cut at a word (None: all of it; 0: nothing)."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …" if limit else ""


def table_cell(text: object) -> str:
    return body_text(text).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


@dataclass(frozen=True, slots=True)
class Proposal:
    """A paper the bot proposes (or nearly did), with what the PR shows about it."""

    paper: Paper
    prediction: Prediction
    section: str
    """Section label."""
    heading: str
    """The list heading of that section."""

    @property
    def title(self) -> str:
        return display_title(self.paper.title)

    @property
    def url(self) -> str:
        return safe_url(self.paper.url)

    @property
    def key(self) -> str:
        return self.paper.key

    @property
    def score(self) -> float:
        return self.prediction.score

    @property
    def section_probability(self) -> float:
        return dict(self.prediction.section_scores).get(self.section, 0.0)

    @property
    def why(self) -> tuple[str, ...]:
        return self.prediction.why

    @property
    def tfidf_score(self) -> float:
        p = self.prediction
        return p.score if p.tfidf_score is None else p.tfidf_score

    @property
    def encoder_score(self) -> float | None:
        return self.prediction.encoder_score

    @property
    def abstract(self) -> str:
        return self.paper.abstract

    @property
    def venue(self) -> str:
        return venue_from(self.paper.comment, self.paper.journal_ref, self.paper.source)

    @property
    def venue_year(self) -> int | None:
        """The venue's year as the paper states it (``AAAI 2026``), if it does."""
        return venue_year(self.paper.comment, self.paper.journal_ref)

    @property
    def code_url(self) -> str | None:
        return code_url(self.paper.comment, self.paper.abstract)


def _paper_link(proposal: Proposal, style: EntryStyle) -> str:
    """The paper's link as the list writes its arXiv links (its PDF, say), for an arXiv
    paper; its abstract page otherwise."""
    if arxiv_link_form(proposal.url) == ARXIV_ABS:  # from any source: the API, RSS, a replay
        return safe_url(style.arxiv_link.format(id=proposal.paper.id))
    return proposal.url


class Renderer:
    """Entries in a list's learnt style (or the user's ``entry.md.j2``), and the PR body from
    the jinja2 environment: the user's template folder first, then the package's."""

    def __init__(self, template_dir: Path | None = None) -> None:
        import jinja2

        loaders: list[jinja2.BaseLoader] = []
        if template_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(template_dir)))
        loaders.append(jinja2.PackageLoader("hfm_bot", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=False,
        )
        self.env.filters["text"] = body_text
        self.env.filters["cell"] = table_cell
        self.env.filters["shorten"] = shorten
        self.custom_entry = template_dir is not None and (template_dir / "entry.md.j2").is_file()
        """Whether the user's folder overrides the learnt style with an ``entry.md.j2``."""

    def entry(
        self, proposal: Proposal, style: EntryStyle = DEFAULT_STYLE, today: dt.date | None = None
    ) -> str:
        """The list line for the paper in the section's style (or the user's template);
        a single line, but for a list that writes its entries' links on the line under the
        title (``- **Title**␠␠⏎  *Authors*. [[pdf](u)]``): then the lines joined by ``\n``,
        the only line breaks, since every value is made one line. ``today`` dates a paper its
        source left undated."""
        url = proposal.code_url
        code = safe_url(url) if url else None
        date = proposal.paper.date or today
        if self.custom_entry:
            line = self.env.get_template("entry.md.j2").render(
                venue=escape_markdown(one_line(proposal.venue)),
                title=escape_markdown(proposal.title),
                url=proposal.url,
                code_url=code,
                separator=_code_separator(style),
            )
        else:
            table = style.kind is Kind.TABLE
            venue = format_venue(style, one_line(proposal.venue), date, proposal.venue_year)
            after = _after_title(style, code is not None)
            # A last "." or " -" before a space or a link would read as the text before
            # the links, not the title's own: it is escaped there.
            guard = not after or after[0].isspace() or after[0] in "[!<"
            title = proposal.title
            if style.title_period and not title.endswith((".", "?", "!")):
                title += "."
            escaped = escape_title(title, style.escaping, in_table=table, guard_end=guard)
            if after.lstrip(".?!").startswith('"'):  # ``"Title" [2024-03]``, ``"Title."``:
                # a quote in it would end it
                escaped = _escape_quotes(escaped)
            elif escaped.startswith('"') and undecorate(escaped)[0] == '"':
                # A title in quotes of its own (``"Why Should I Trust You?"``) would read back
                # as a quoted title's words, without them: its first quote is escaped.
                escaped = "\\" + escaped
            name = name_of(title) if style.name_form else None
            values = Values(
                title=mark_name(escaped, style.name_mark),
                lead=style.name_form.format(name=name) if name else "",
                paper=_paper_link(proposal, style),
                venue=escape_title(venue, style.escaping, in_table=table),
                date=format_date(style, date) if date else None,
                code=code,
                others=style.empty_cells,
                code_label=style.code_label(code),
                authors=self._authors(proposal, style, in_table=table),
                arxiv_id=normalise_arxiv_id(proposal.url) or proposal.paper.id,
                key=cite_key(proposal.paper.authors, date.year) if date else None,
            )
            template = style.template(
                code is not None, repo_of(code) is not None, preprint=is_preprint_link(proposal.url)
            )
            if (
                style.learned_from
                and not style.preprint_names
                and is_preprint_venue(proposal.venue)
            ):
                # The list tags published papers only (``[ACL 2024]``), never a preprint.
                template = template.without_venue_tag()
            if template.authors_first() and not reads_as_names(values.authors or ""):
                raise InputError(
                    f"the list's style opens each entry with its authors, and {proposal.key}'s"
                    " do not read as names"
                )
            if template.head_authors() and not reads_as_names(values.authors or ""):
                # ``**Title**, {authors}``: names that would read back as the title's words
                # (or none) are left out, with their comma, never written as the title's.
                template = template.without_authors()
            try:
                line = fill(template, values)
                if table:  # a padded table's cells aligned as the formatter aligns them
                    line = pad_cells(line, style.column_widths)
                if style.paragraphs:
                    line = paragraph_line(line)
                line += " " * style.trailing_spaces
            except MissingField as err:
                raise InputError(
                    f"the list's style needs the paper's {err}, which {proposal.key} lacks"
                ) from err
            if "\n" in template.text():
                return _continuations_kept(line.strip("\r\n"))
        line = line.strip("\r\n")
        if "\n" in line or "\r" in line:
            raise InputError(f"{self.where('entry.md.j2')}: must render one line, not several")
        return line

    @staticmethod
    def _authors(proposal: Proposal, style: EntryStyle, *, in_table: bool = False) -> str | None:
        """The paper's authors as one escaped line (``Ann Lee, Bo Wu``), if it has any; in a
        list that shortens them, their surnames (``Lee, Wu``), the first's and "et al." for
        more than three (``Lee et al.``), or the first's whole name (``Ann Lee et al.``)
        where the list writes it so. In a table's cell a ``|`` in a name is escaped, as in
        a title, so that it ends no cell."""
        names = [one_line(a) for a in proposal.paper.authors if one_line(a)]
        if style.et_al and names:
            short = names if style.et_al_full else [name.split()[-1] for name in names]
            if len(names) > 3:  # the list's own words after the name, as it writes them
                first = escape_title(short[0], style.escaping, in_table=in_table)
                return first + style.et_al_form
            names = short
        return escape_title(", ".join(names), style.escaping, in_table=in_table) if names else None

    def details(
        self, proposal: Proposal, style: EntryStyle, today: dt.date | None = None
    ) -> tuple[str, ...]:
        """The lines a list writes under each entry (``    *Authors.* Venue'25``), for a list
        whose entries have them; none with a user's template or a paper without authors."""
        if self.custom_entry or not style.details:
            return ()
        day = proposal.paper.date or today
        venue = format_venue(style, one_line(proposal.venue), day, proposal.venue_year)
        values = Values(
            title="",
            paper=None,
            venue=escape_title(venue, style.escaping),
            authors=self._authors(proposal, style),
        )
        return fill_details(style, values)

    def where(self, name: str) -> str:
        """The file a template came from (the user's folder or the package), for messages."""
        try:
            return self.env.get_template(name).filename or name
        except Exception:  # only for naming the template in a message; the render reports it
            return name

    def check(self, sections: Sequence[tuple[str, str]]) -> str:
        """Render both templates once with a hostile sample paper, so a broken template is
        reported (file, line) before a night's fetch, not after it.

        ``sections`` are the (label, heading) pairs of the configuration. Returns the sample's
        list line, for the list's own check of its shape."""
        import jinja2

        paper = Paper(
            id="2501.00001",
            source=Origin.ARXIV,
            title="A *sample* [title](x) with $\\alpha$, <b>HTML</b>, @someone\nand a newline",
            abstract="An abstract.",
        )
        label, heading = sections[0]
        prediction = Prediction(paper.id, 0.9, True, label, ((label, 1.0),), ("sample",))
        sample = Proposal(paper, prediction, label, heading)

        def guarded(name: str, render: Callable[[], object]) -> str:
            try:
                return str(render())
            except jinja2.TemplateSyntaxError as err:
                raise InputError(f"{err.filename or name}:{err.lineno}: {err.message}") from err
            except jinja2.TemplateError as err:
                raise InputError(f"{self.where(name)}: {err}") from err

        line = guarded("entry.md.j2", lambda: self.entry(sample))
        order = [lb for lb, _ in sections]
        guarded("pr_body.md.j2", lambda: self.pr_body([sample], [sample], order, "<!---->", 0, 0.5))
        return line

    def pr_body(
        self,
        proposals: Sequence[Proposal],
        near_misses: Sequence[Proposal],
        section_order: Sequence[str],
        marker: str,
        waiting: int,
        threshold: float,
        near_floor: float | None = None,
    ) -> str:
        """The PR body, kept under GitHub's limit by shortening abstracts, then dropping
        the near misses, then folding the abstracts away altogether (limit 0), then
        shortening the titles in the table, if it must. ``near_floor`` is the lowest score
        a near miss could have (for saying there are none)."""
        grouped = [[p for p in proposals if p.section == label] for label in section_order]
        sections = [{"heading": items[0].heading, "entries": items} for items in grouped if items]
        template = self.env.get_template("pr_body.md.j2")
        stages = (
            (None, near_misses, None),
            (600, near_misses, None),
            (200, (), None),
            (0, (), None),
            (0, (), 80),  # the titles in the table shortened too (the diff has them whole)
        )
        for limit, misses, title_limit in stages:
            body = template.render(
                proposals=proposals,
                sections=sections,
                near_misses=misses,
                marker=marker,
                waiting=waiting,
                threshold=threshold,
                near_floor=0.0 if near_floor is None else near_floor,
                near_miss_marker=NEAR_MISS_MARKER,
                shortened=bool(near_misses) and not misses,
                abstract_limit=limit,
                title_limit=title_limit,
            )
            if len(body) < BODY_LIMIT:
                return body
        raise InputError(
            f"{self.where('pr_body.md.j2')}: the PR body exceeds GitHub's limit even shortened"
        )
