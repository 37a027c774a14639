"""The paper record every source produces and every later stage consumes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from hfm_bot.ids import PaperKeys, normalise_arxiv_id, normalise_doi, normalise_title
from hfm_bot.jsontypes import JSONObject
from hfm_bot.text import clean, latex_to_unicode


class Origin(StrEnum):
    """Where a paper record came from (written in records as its value)."""

    ARXIV = "arxiv"
    """The arXiv API."""
    RSS = "rss"
    """arXiv's RSS feeds."""
    BIORXIV = "biorxiv"
    MEDRXIV = "medrxiv"
    REPLAY = "replay"
    """A recorded stream file."""
    LABELLED = "labelled"
    """A labelled-papers file."""


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as a source saw it; text fields are cleaned (whitespace, entities)."""

    id: str
    """Canonical id: the arXiv id without version, or ``doi:<doi>`` for bioRxiv/medRxiv."""
    source: Origin
    title: str
    """The title with its LaTeX as written (see :attr:`title_text` for display)."""
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    date: dt.date | None = None
    """Announcement (arXiv) or posting (bioRxiv) date."""
    version: int | None = None
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    """The paper's DOI: the preprint's for bioRxiv, a journal's when the feed gives one."""
    fetched_from: str | None = None
    """The URL or file the record was read from."""

    @property
    def arxiv_id(self) -> str | None:
        return None if self.id.startswith("doi:") else self.id

    @property
    def key(self) -> str:
        """The key the bot's memory and its PR markers know the paper by: ``arxiv:<id>`` or
        ``doi:<doi>``."""
        return self.id if self.id.startswith("doi:") else f"arxiv:{self.id}"

    @property
    def url(self) -> str:
        """The abstract page, built from the id (feeds' own links are not trusted)."""
        if self.id.startswith("doi:"):
            doi = self.id[4:]
            server = "medrxiv" if self.source is Origin.MEDRXIV else "biorxiv"
            if doi.startswith("10.1101/"):
                return f"https://www.{server}.org/content/{doi}"
            return f"https://doi.org/{doi}"
        return f"https://arxiv.org/abs/{self.id}"

    @property
    def title_text(self) -> str:
        """The title for people to read: one line, LaTeX turned into Unicode."""
        return latex_to_unicode(self.title)

    @property
    def keys(self) -> PaperKeys:
        doi = self.id[4:] if self.id.startswith("doi:") else self.doi
        return PaperKeys(arxiv_id=self.arxiv_id, doi=doi, title=normalise_title(self.title))

    def training_record(self) -> JSONObject:
        """What training reads of a paper: the stream format trimmed to its text, kept small
        because labeled_data/ is committed."""
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "abstract": self.abstract,
            "categories": list(self.categories),
        }

    def to_record(self) -> JSONObject:
        """The benchmark stream's JSON shape, plus the fields only live sources have."""
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "comment": self.comment,
            "source": self.source,
            "version": self.version,
            "journal_ref": self.journal_ref,
            "doi": self.doi,
            "fetched_from": self.fetched_from,
        }


class RecordError(ValueError):
    """A JSON record that is not a paper; the message names the field."""


def _text_field(record: Mapping[str, object], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"field {name!r} must be a string, not {type(value).__name__}")
    return clean(value)


def _list_field(record: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = record.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"field {name!r} must be a list of strings")
    return tuple(clean(v) for v in value)


def from_record(
    record: object, source: Origin = Origin.REPLAY, fetched_from: str | None = None
) -> Paper:
    """A paper from a stream-format record; unknown fields are ignored."""
    if not isinstance(record, dict):
        raise RecordError(f"a record must be a JSON object, not {type(record).__name__}")
    raw_id = record.get("id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise RecordError("field 'id' is missing or empty")
    raw_id = raw_id.strip()
    if raw_id.startswith("doi:"):
        paper_id = "doi:" + raw_id[4:].lower()
    else:
        arxiv_id = normalise_arxiv_id(raw_id)
        doi = None if arxiv_id else normalise_doi(raw_id)
        paper_id = arxiv_id or (f"doi:{doi}" if doi else raw_id)
    date = None
    raw_date = record.get("date")
    if raw_date is not None:
        try:
            date = dt.date.fromisoformat(str(raw_date)[:10])
        except ValueError as err:
            raise RecordError(f"field 'date' is not a date: {raw_date!r}") from err
    categories = _list_field(record, "categories")
    primary = record.get("primary_category")
    version = record.get("version")
    origin = record.get("source") or source
    if origin not in set(Origin):
        raise RecordError(f"field 'source' must be one of {', '.join(Origin)}, not {origin!r}")
    return Paper(
        id=paper_id,
        source=Origin(origin),
        title=_text_field(record, "title"),
        abstract=_text_field(record, "abstract"),
        authors=_list_field(record, "authors"),
        categories=categories,
        primary_category=primary
        if isinstance(primary, str)
        else (categories[0] if categories else None),
        date=date,
        version=version if isinstance(version, int) else None,
        comment=_text_field(record, "comment") or None,
        journal_ref=_text_field(record, "journal_ref") or None,
        doi=_text_field(record, "doi").lower() or None,
        fetched_from=record.get("fetched_from") or fetched_from,
    )
