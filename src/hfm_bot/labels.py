"""Labelled examples from the list itself: one record per paper in a mapped section.

The list is the bot's first teacher: every entry in a method or survey section is a positive
example of its section. An entry belongs to the innermost configured heading above it, so a
configured ``## Heading`` collects the entries of its ``###`` subsections. Records carry the
paper's keys so later steps (abstract lookup, decisions on PRs) can join on them. Pure: the
CLI reads and writes the files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, Entry, Problem, unreadable_items
from hfm_bot.config import Settings
from hfm_bot.errors import InputError, ListFormatError


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
    """Items in the mapped sections that looked like entries but could not be read."""
    notes: tuple[Problem, ...] = ()
    """Entries read with a caveat (two arXiv links), for warnings."""


def import_list(doc: AwesomeList, settings: Settings) -> ListImport:
    """Label every entry under the headings named in ``[sections]``.

    A mapped heading missing from the list (or shared by two sections that both list papers)
    is an error: the configuration and the list disagree, and silently learning nothing for
    a section would be worse. So is a list whose mapped sections hold items but no entry the
    parser can read: the message shows the shapes it saw."""
    missing: list[str] = []
    for mapping in settings.sections:
        if not doc.matching(mapping.heading):
            missing.append(
                f"no heading {mapping.heading!r} in the list "
                f"(named by sections.{mapping.label} in {settings.source})"
            )
            continue
        try:
            doc.section(mapping.heading)
        except InputError as err:
            raise InputError(
                f"{err} (named by sections.{mapping.label} in {settings.source})"
            ) from err
    if missing:
        heads = ", ".join(repr(s.where if s.level > 2 else s.title) for s in doc.sections)
        raise ListFormatError(f"{doc.origin}: {'; '.join(missing)}; the list's headings: {heads}")
    labels: list[ListLabel] = []
    for entry in doc.entries:
        label = settings.label_for(entry.section_path or (entry.section,))
        if label is not None:
            labels.append(ListLabel(entry, label))
    mapped = [doc.section(m.heading) for m in settings.sections]
    spans = [(sec.line_no, doc.subtree_end(sec)) for sec in mapped]

    def in_mapped(line_no: int) -> bool:
        return any(start < line_no <= end for start, end in spans)

    if not labels:
        unreadable = unreadable_items(doc, mapped)
        if unreadable:
            raise ListFormatError(unreadable)
        raise ListFormatError(
            f"{doc.origin}: no entries under the mapped headings "
            f"({', '.join(repr(m.heading) for m in settings.sections)})"
        )
    counts = Counter(label.label for label in labels)
    return ListImport(
        labels=tuple(labels),
        counts={m.label: counts.get(m.label, 0) for m in settings.sections},
        problems=tuple(p for p in doc.problems if in_mapped(p.line_no)),
        notes=tuple(p for p in doc.notes if in_mapped(p.line_no)),
    )
