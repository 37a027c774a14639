"""Labelled examples from the list itself: one record per paper in a mapped section.

The list is the bot's first teacher: every entry in a method or survey section is a positive
example of its section. Records carry the paper's keys so later steps (abstract lookup,
decisions on PRs) can join on them. Pure: the CLI reads and writes the files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, Entry, Problem
from hfm_bot.config import Settings
from hfm_bot.errors import InputError


@dataclass(frozen=True, slots=True)
class ListLabel:
    """One labelled paper from the list."""

    entry: Entry
    label: str
    abstract: str | None = None
    """The paper's abstract, when its record was found (``hfm-bot init`` looks it up)."""
    date: dt.date | None = None

    def to_json(self) -> str:
        keys = self.entry.keys
        record: dict[str, object] = {
            "keys": {"arxiv_id": keys.arxiv_id, "doi": keys.doi, "title": keys.title},
            "title": self.entry.title,
            "section": self.label,
            "year": self.entry.year,
            "venue": self.entry.venue,
            "paper_url": self.entry.paper_url,
            "code_url": self.entry.code_url,
            "links": [{"label": link.label, "url": link.url} for link in self.entry.links],
            "line": self.entry.line_no,
            "abstract": self.abstract,
        }
        if self.date is not None:
            record["date"] = self.date.isoformat()
        return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class ListImport:
    labels: tuple[ListLabel, ...]
    counts: dict[str, int]
    problems: tuple[Problem, ...]
    """Items in the mapped sections that could not be read as entries."""


def import_list(doc: AwesomeList, settings: Settings) -> ListImport:
    """Label every entry of the sections named in ``[sections]``.

    A mapped heading missing from the list is an error: the configuration and the list
    disagree, and silently learning nothing for a section would be worse."""
    labels: list[ListLabel] = []
    for mapping in settings.sections:
        try:
            doc.section(mapping.heading)
        except InputError as err:
            raise InputError(
                f"{err} (named by sections.{mapping.label} in {settings.source})"
            ) from err
    for entry in doc.entries:
        label = label_of(doc, entry, settings)
        if label is not None:
            labels.append(ListLabel(entry, label))
    counts = Counter(label.label for label in labels)
    mapped_headings = {m.heading.casefold() for m in settings.sections}
    problems = tuple(p for p in doc.problems if p.section.casefold() in mapped_headings)
    return ListImport(
        labels=tuple(labels),
        counts={m.label: counts.get(m.label, 0) for m in settings.sections},
        problems=problems,
    )


def label_of(doc: AwesomeList, entry: Entry, settings: Settings) -> str | None:
    """The entry's section label: its own heading's, else the nearest enclosing heading's
    that ``[sections]`` names (a ``###`` subsection belongs to its ``##`` section)."""
    above = [s for s in doc.sections if s.line_no <= entry.line_no]
    path = above[-1].path if above else (entry.section,)
    for heading in reversed(path):
        label = settings.label_for(heading)
        if label is not None:
            return label
    return None
