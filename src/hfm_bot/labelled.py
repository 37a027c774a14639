"""Labelled papers with their text: the training set the repository carries.

A label file names papers by id (a judged day: ``{id, date, relevant, category}``; curated
positives: ``{id, date, categories}``; or ``{id, relevant, section}``). Training needs their
title and abstract too, and the stream they came from is not part of the repository, so
``hfm-bot labels import`` joins the labels with the papers' text once and writes records
that stand alone (``labeled_data/labelled.jsonl.gz``): the stream format plus ``relevant``,
``section`` and ``kind``. A clone can then retrain with nothing beside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_gzip_lines
from hfm_bot.jsontypes import JSONObject
from hfm_bot.paper import Origin, Paper, RecordError, from_record
from hfm_bot.stream import BadLine, iter_json_lines, read_papers


class Kind(StrEnum):
    """Where a training example's verdict comes from (written as its value)."""

    JUDGED = "judged"
    """A paper of a fully judged announcement day."""
    CURATED = "curated"
    """A positive from elsewhere."""
    LABELLED = "labelled"
    """Any other verdict of a label file."""
    DECISION = "decision"
    """A maintainer's review of the bot's proposal or near miss."""
    LIST = "list"
    """An entry of the list itself (title only)."""
    BACKGROUND = "background"
    """An unlabelled paper of the stream: a weak negative."""
    SELF_TRAINED = "self-trained"
    """A background paper the list vouches for (see ``tfidf_stage.self_train``)."""


KINDS = (Kind.JUDGED, Kind.CURATED, Kind.LABELLED)
"""The kinds a label file may hold."""


@dataclass(frozen=True, slots=True)
class Label:
    """What a label file says of one paper, before its text is known."""

    paper_id: str
    date: dt.date | None
    relevant: bool
    section: str | None
    kind: Kind


@dataclass(frozen=True, slots=True)
class LabelledPaper:
    """A paper with a maintainer's (or annotator's) verdict."""

    paper: Paper
    relevant: bool
    section: str | None
    """The section it belongs in; None for a paper that is not relevant (or not known)."""
    kind: Kind
    """judged (a fully judged announcement day), curated (a positive from elsewhere) or
    labelled (any other verdict)."""

    def to_record(self) -> JSONObject:
        return {
            **self.paper.training_record(),
            "relevant": self.relevant,
            "section": self.section,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class LabelImport:
    papers: tuple[LabelledPaper, ...]
    without_text: dict[str, int]
    """Per label file: how many of its ids no text file holds (they are left out)."""
    conflicts: int
    """Ids labelled twice with different verdicts (a judged day's verdict wins)."""


def _label(rec: object, known_sections: set[str]) -> Label:
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str) or not rec["id"].strip():
        raise RecordError("field 'id' is missing or empty")
    try:
        paper_id = from_record({"id": rec["id"]}).id
    except RecordError:
        paper_id = rec["id"].strip()
    date = None
    if rec.get("date") is not None:
        try:
            date = dt.date.fromisoformat(str(rec["date"])[:10])
        except ValueError as err:
            raise RecordError(f"field 'date' is not a date: {rec['date']!r}") from err
    if "relevant" in rec:
        if not isinstance(rec["relevant"], bool):
            raise RecordError("field 'relevant' must be true or false")
        relevant = rec["relevant"]
        section = rec.get("category", rec.get("section")) if relevant else None
        kind = Kind.JUDGED if "judged" in rec or "category" in rec else Kind.LABELLED
    elif "categories" in rec:
        cats = rec["categories"]
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise RecordError("field 'categories' must be a list of section labels")
        relevant, section, kind = True, (cats[0] if cats else None), Kind.CURATED
    else:
        raise RecordError("neither 'relevant' nor 'categories'")
    if section is not None and section not in known_sections:
        # Not dropped to "no section": a file in other labels (or other case) than the
        # configuration would otherwise teach relevance alone, without a word.
        same = [s for s in known_sections if str(section).casefold() == s.casefold()]
        raise InputError(
            f"section {section!r} is not a label of [sections] "
            f"({', '.join(sorted(known_sections))})"
            + (f"; labels are case-sensitive: {same[0]!r}?" if same else "")
        )
    return Label(paper_id, date, relevant, section, kind)


def read_labels(
    path: Path, known_sections: set[str], on_bad: Callable[[BadLine], None]
) -> Iterator[Label]:
    """The labels of one file; a line that is not a label goes to ``on_bad`` with its number,
    a section the configuration does not know stops the import (exit 2) at its line."""
    for line_no, rec in iter_json_lines(path, on_bad):
        try:
            label = _label(rec, known_sections)
        except RecordError as err:
            on_bad(BadLine(str(path), line_no, str(err)))
            continue
        except InputError as err:
            raise InputError(f"{path}:{line_no}: {err}") from err
        yield label


_RANK = {Kind.JUDGED: 2, Kind.LABELLED: 1, Kind.CURATED: 0}


def join(
    label_files: Sequence[Path],
    text_files: Sequence[Path],
    known_sections: set[str],
    on_bad: Callable[[BadLine], None],
    until: dt.date | None = None,
) -> LabelImport:
    """Labels joined with their papers' text. A fully judged day's verdict outranks any other
    label of the same paper (a curated mention is a weaker claim); between equals the later
    file wins. Ids found in no text file are counted per label file and left out."""
    chosen: dict[str, Label] = {}
    per_file: dict[str, set[str]] = {}
    conflicts = 0
    for path in label_files:
        ids = per_file.setdefault(str(path), set())
        for label in read_labels(path, known_sections, on_bad):
            if until and label.date and label.date >= until:
                continue
            ids.add(label.paper_id)
            old = chosen.get(label.paper_id)
            if old is not None:
                if old.relevant != label.relevant:
                    conflicts += 1
                if _RANK[old.kind] > _RANK[label.kind]:
                    continue
            chosen[label.paper_id] = label
    found: dict[str, Paper] = {}
    for path in text_files:
        for paper in read_papers(path, on_bad):
            if paper.id in chosen and paper.id not in found:
                found[paper.id] = paper
    papers = []
    for paper_id, label in chosen.items():
        text = found.get(paper_id)
        if text is None:
            continue
        if text.date is None and label.date is not None:
            text = dataclasses.replace(text, date=label.date)
        papers.append(LabelledPaper(text, label.relevant, label.section, label.kind))
    papers.sort(key=lambda lp: (lp.paper.date or dt.date.min, lp.paper.id))
    without = {name: len(ids - found.keys()) for name, ids in per_file.items()}
    return LabelImport(tuple(papers), without, conflicts)


def from_labelled_record(record: object, known_sections: set[str]) -> LabelledPaper:
    """A record of ``labelled.jsonl.gz`` (the stream format plus the verdict)."""
    paper = from_record(record, source=Origin.LABELLED)
    if not isinstance(record, dict):  # from_record refused it already; this tells mypy
        raise RecordError("a record must be a JSON object")
    relevant = record.get("relevant")
    if not isinstance(relevant, bool):
        raise RecordError("field 'relevant' must be true or false")
    raw = record.get("kind", Kind.LABELLED)
    if raw not in KINDS:
        raise RecordError(f"field 'kind' must be one of {', '.join(KINDS)}, not {raw!r}")
    kind = Kind(raw)
    section = record.get("section")
    if section is not None and not isinstance(section, str):
        raise RecordError("field 'section' must be a string or null")
    if not relevant or section not in known_sections:
        section = None
    return LabelledPaper(paper, relevant, section, kind)


def read(
    path: Path, known_sections: set[str], on_bad: Callable[[BadLine], None]
) -> Iterator[LabelledPaper]:
    for line_no, record in iter_json_lines(path, on_bad):
        try:
            yield from_labelled_record(record, known_sections)
        except RecordError as err:
            on_bad(BadLine(str(path), line_no, str(err)))


def write_gzip(path: Path, papers: Iterable[LabelledPaper]) -> int:
    """Compressed and byte-stable, through a temporary file (see files.atomic_write_gzip_lines)."""
    records = [json.dumps(lp.to_record(), ensure_ascii=False, sort_keys=True) for lp in papers]
    atomic_write_gzip_lines(path, records)
    return len(records)


def require_text(result: LabelImport, label_files: Sequence[Path]) -> None:
    """Stop when no labelled paper has text: nothing useful would be written."""
    if not result.papers and label_files:
        names = ", ".join(str(p) for p in label_files)
        raise InputError(
            f"{names}: none of the labelled ids is in the text files given with --text; "
            "pass the stream files (JSON Lines) that hold these papers"
        )
