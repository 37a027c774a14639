"""Paper identity: the keys by which two records are the same paper.

A paper has up to three keys: its arXiv id (without version), its DOI (lower case), and its
normalised title. Links in a list are untidy (``/abs/``, ``/pdf/….pdf``, ``/html/…v2``,
bioRxiv content URLs with ``.full``), so everything that names a paper goes through here.
Pure functions only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hfm_bot.text import GREEK

# New-style ids (0704.0001 onwards; five digits after the dot since 2015) and old-style
# ids (archive[.SUBJ]/YYMMNNN).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID_RE = re.compile(rf"^(?:arxiv:)?({_NEW_ID}|{_OLD_ID})(v\d+)?$", re.IGNORECASE)
_ARXIV_URL_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format|ps)/(?:arxiv:)?"
    rf"|alphaxiv\.org/(?:abs|overview|pdf)/|huggingface\.co/papers/)"
    rf"({_NEW_ID}|{_OLD_ID})(v\d+)?(?:\.pdf)?(?=$|[/?#.)]|\s)",
    re.IGNORECASE,
)
_ARXIV_DOI_RE = re.compile(rf"^10\.48550/arxiv\.({_NEW_ID}|{_OLD_ID})$", re.IGNORECASE)

# A DOI is "10.<registrant>/<suffix>"; in URLs it ends at whitespace, a quote or a bracket.
_DOI_IN_TEXT_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>\]\[)(]+(?:\([^\s)]*\)[^\s\"'<>\]\[)(]*)*)")
# bioRxiv/medRxiv DOIs: 10.1101/2023.10.11.561938 (since 2019-12) or 10.1101/123456 (before).
_RXIV_SUFFIX = r"(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}"
_RXIV_CONTENT_RE = re.compile(
    rf"(?:bio|med)rxiv\.org/content/(?:early/\d{{4}}/\d{{2}}/\d{{2}}/)?(?:10\.1101/)?({_RXIV_SUFFIX})",
    re.IGNORECASE,
)
_NATURE_RE = re.compile(r"nature\.com/articles/(s\d{5}-\d{3}-\d{4,5}-[0-9a-z]|[a-z]+\d+)", re.I)


@dataclass(frozen=True, slots=True)
class PaperKeys:
    """The identity of a paper: any shared non-empty key means "the same paper"."""

    arxiv_id: str | None = None
    """arXiv id without version, e.g. ``2304.12306`` or ``math/0211159``."""
    doi: str | None = None
    """DOI in lower case, without a resolver prefix."""
    title: str = ""
    """The normalised title (see :func:`normalise_title`); empty when unknown."""

    def as_strings(self) -> tuple[str, ...]:
        """Short, stable text forms (``arxiv:…``, ``doi:…``) for markers and records."""
        out = []
        if self.arxiv_id:
            out.append(f"arxiv:{self.arxiv_id}")
        if self.doi:
            out.append(f"doi:{self.doi}")
        return tuple(out)


def normalise_arxiv_id(text: str) -> str | None:
    """The versionless arXiv id in ``text`` (a bare id, ``arXiv:…``, a URL, an arXiv DOI)."""
    text = text.strip()
    match = _ARXIV_ID_RE.match(text)
    if match:
        return _canonical_arxiv(match.group(1))
    match = _ARXIV_URL_RE.search(text)
    if match:
        return _canonical_arxiv(match.group(1))
    doi = normalise_doi(text)
    if doi:
        match = _ARXIV_DOI_RE.match(doi)
        if match:
            return _canonical_arxiv(match.group(1))
    return None


def _valid_new_style(raw: str) -> bool:
    # YYMM.NNNN until 2014-12, YYMM.NNNNN from 2015-01: "2304.1230" is a truncated id.
    prefix, number = raw.split(".", 1)
    return (len(number) == 5) == (prefix >= "1501")


def _canonical_arxiv(raw: str) -> str | None:
    # Old-style archives are lower case ("math/0211159"); the subject class keeps its
    # capitals ("math.GT/0309136").
    if "/" in raw:
        archive, number = raw.split("/", 1)
        if "." in archive:
            name, subject = archive.split(".", 1)
            return f"{name.lower()}.{subject.upper()}/{number}"
        return f"{archive.lower()}/{number}"
    return raw if _valid_new_style(raw) else None


def arxiv_version(text: str) -> int | None:
    """The version number in an id or URL (``2304.12306v2`` gives 2), or None."""
    match = _ARXIV_ID_RE.match(text.strip()) or _ARXIV_URL_RE.search(text)
    if match and match.group(2):
        return int(match.group(2)[1:])
    return None


def normalise_doi(text: str) -> str | None:
    """The DOI named by ``text``: a bare DOI, a doi.org link, a bioRxiv/medRxiv content URL,
    a publisher URL with ``/doi/…``, or a nature.com article link."""
    text = text.strip()
    match = _RXIV_CONTENT_RE.search(text)
    if match:
        return f"10.1101/{match.group(1)}"
    match = _NATURE_RE.search(text)
    if match:
        return f"10.1038/{match.group(1).lower()}"
    match = _DOI_IN_TEXT_RE.search(text)
    if match:
        doi = match.group(1).rstrip(".,;")
        for suffix in (".full", ".pdf", ".abstract", ".full-text"):
            if doi.lower().endswith(suffix):
                doi = doi[: -len(suffix)]
        return doi.lower()
    return None


_LATEX_CMD_RE = re.compile(r"\\([A-Za-z]+)\s*")
_LATEX_ACCENT_RE = re.compile(r"\\[`'^\"~=.]\{?([A-Za-z])\}?")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")


def normalise_title(title: str) -> str:
    """A comparison form of a title: LaTeX, accents, case and punctuation folded away.

    "Segment Anything in Medical Images." and "Segment anything in medical images" become
    the same string, and so do ``$\\alpha$-Net`` and "α-Net"'s spelled-out form ``alpha net``.
    """
    text = _LATEX_ACCENT_RE.sub(r"\1", title)
    text = _LATEX_CMD_RE.sub(lambda m: f" {m.group(1)} ", text)
    text = text.replace("{", "").replace("}", "").replace("$", "")  # LaTeX grouping, not words
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    text = "".join(_SPELLED.get(ch, ch) for ch in text)
    return _NON_WORD_RE.sub(" ", text).strip()


_SPELLED = {
    letter: f" {name} "
    for name, letter in GREEK.items()
    if name.islower() and not name.startswith("var")
}
"""Greek letters spelled out (from the one LaTeX table, :data:`hfm_bot.text.GREEK`), so "α"
and "$\\alpha$" fold to the same word; capitals are case-folded to these first."""


def keys_from(title: str, urls: tuple[str, ...] | list[str]) -> PaperKeys:
    """The keys of a paper known by its title and any links to it (first match wins)."""
    arxiv_id = None
    doi = None
    for url in urls:
        if arxiv_id is None:
            arxiv_id = normalise_arxiv_id(url)
        if doi is None and not _ARXIV_URL_RE.search(url):
            found = normalise_doi(url)
            if found and not _ARXIV_DOI_RE.match(found):
                doi = found
    return PaperKeys(arxiv_id=arxiv_id, doi=doi, title=normalise_title(title))


def arxiv_ids_in(urls: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Every distinct arXiv id the URLs name, in order (an entry linking two versions of a
    paper under two ids, or a paper and its companion, is known by both)."""
    out: list[str] = []
    for url in urls:
        aid = normalise_arxiv_id(url)
        if aid and aid not in out:
            out.append(aid)
    return tuple(out)
