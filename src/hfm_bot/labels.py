"""Labelled examples from the list itself: one record per paper in a mapped section.

The list is the bot's first teacher: every entry in a method or survey section is a positive
example of its section. Records carry the paper's keys so later steps (abstract lookup,
decisions on PRs) can join on them. Pure: the CLI reads and writes the files.
"""

from __future__ import annotations

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

    def to_json(self) -> str:
        keys = self.entry.keys
        record = {
            "keys": {"arxiv_id": keys.arxiv_id, "doi": keys.doi, "title": keys.title},
            "title": self.entry.title,
            "section": self.label,
            "year": self.entry.year,
            "venue": self.entry.venue,
            "paper_url": self.entry.paper_url,
            "code_url": self.entry.code_url,
            "links": [{"label": link.label, "url": link.url} for link in self.entry.links],
            "line": self.entry.line_no,
            "abstract": None,
        }
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
        label = settings.label_for(entry.section)
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
