"""Training data: what the bot learns from, read from the files once.

Two facts of the data shape it:

* The list's entries have titles only, while new papers have abstracts. Every labelled paper
  with an abstract is therefore also shown title-only (at a lower weight, the recipe's
  ``title_only_weight``), so "has no abstract" carries no information about relevance.
* Background papers (a day's listing) are unlabelled, not negative: about one in twenty is
  relevant. They count as weak negatives at a small weight (``background_weight``), so they
  teach the vocabulary of everything else without outvoting the labels. (A two-step
  positive-unlabelled filter, dropping the background papers a first model scored highest,
  was measured on the dev days and did not help: F1 0.675 with it, 0.690 without.)

A paper labelled twice keeps its newest verdict (see :func:`load_training_data`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hfm_bot import decisions as decisions_file
from hfm_bot import labelled as labelled_files
from hfm_bot.classifier.encoder import encoder_text
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.decisions import POSITIVE, Status
from hfm_bot.errors import InputError
from hfm_bot.files import sha256_file
from hfm_bot.labelled import Kind
from hfm_bot.paper import Paper
from hfm_bot.stream import iter_json_lines, read_papers


@dataclass(frozen=True, slots=True)
class Example:
    """One row of training data."""

    text: str
    relevant: bool | None
    """None for unlabelled background."""
    section: str | None
    weight: float
    group: str
    """Cross-validation group (the announcement date); "" means always in training."""
    kind: Kind
    paper_id: str | None = None
    evaluable: bool = False
    """A real paper with an abstract whose out-of-fold score may be measured."""
    encoder_text: str = ""
    """What the sentence encoder reads (title, then abstract), on evaluable rows and the
    background (a cold start reads it there)."""
    date: str = ""
    """When the paper became known (ISO), "" when nothing dates it. Forward evaluation
    trains each day's model only on rows dated before that day, so a row must carry its date
    even where its cross-validation group does not (background and list rows train always)."""


@dataclass(frozen=True, slots=True)
class TrainingData:
    examples: tuple[Example, ...]
    inputs: tuple[tuple[str, str, int], ...]
    """(path, sha256, records used) for each input file."""
    warnings: tuple[str, ...] = ()
    conflicts: int = 0
    """Papers labelled twice with different verdicts (the newest won)."""

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for ex in self.examples:
            key = f"{ex.kind}:{'bg' if ex.relevant is None else 'pos' if ex.relevant else 'neg'}"
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))


def _with_title_copy(
    title: str,
    abstract: str,
    relevant: bool,
    section: str | None,
    title_only_weight: float,
    **kw: Any,
) -> list[Example]:
    """The paper, and (when it has an abstract) its title alone at ``title_only_weight``."""
    rows = [
        Example(
            paper_text(title, abstract),
            relevant,
            section,
            1.0,
            evaluable=True,
            encoder_text=encoder_text(title, abstract),
            **kw,
        )
    ]
    if abstract:
        rows.append(Example(paper_text(title, ""), relevant, section, title_only_weight, **kw))
    return rows


def load_training_data(
    *,
    list_labels: Path | None,
    decisions: Path | None,
    labelled: Sequence[Path],
    background: Sequence[Path],
    sections: Sequence[str],
    until: dt.date | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
    on_warning: Callable[[str], None] | None = None,
) -> TrainingData:
    """Gather every example; the paths are read here and nowhere else in training.

    A paper labelled twice keeps its newest verdict: a maintainer's decision outranks the
    seed labels, and a later line of the same file an earlier one. Conflicting verdicts are
    counted (the model card shows them). A broken decisions line stops training (file:line):
    it is the bot's own memory, and a retrain must not quietly forget a maintainer's review.
    The recipe gives the weights, and how many background papers are sampled."""
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        if on_warning:
            on_warning(message)

    known_sections = set(sections)
    refuse_foreign_sections([p for p in (list_labels, *labelled) if p is not None], sections)
    examples: list[Example] = []
    inputs: list[tuple[str, str, int]] = []
    if list_labels is not None:
        examples.extend(_list_examples(list_labels, known_sections, config, warn))
        inputs.append((str(list_labels), sha256_file(list_labels), len(examples)))
    verdicts = _Verdicts()  # seed files first, then decisions: the newest verdict wins
    for path in labelled:
        n = verdicts.add_all(_labelled(path, known_sections, until, warn))
        inputs.append((str(path), sha256_file(path), n))
    if decisions is not None and decisions.exists():
        n = verdicts.add_all(_decided(decisions, known_sections, warn))
        inputs.append((str(decisions), sha256_file(decisions), n))
    title_only = config.title_only_weight
    examples.extend(ex for v in verdicts.by_id.values() for ex in v.examples(title_only))
    unlabelled = _background(background, set(verdicts.by_id), until, config, warn)
    for path, n in unlabelled.counts:
        inputs.append((str(path), sha256_file(path), n))
    examples.extend(unlabelled.examples)
    return TrainingData(tuple(examples), tuple(inputs), tuple(warnings), verdicts.conflicts)


def refuse_foreign_sections(paths: Sequence[Path], sections: Sequence[str]) -> None:
    """Stop when a labelled file names sections the configuration does not have.

    Labels belong to one list's configuration: a new list started beside the healthcare
    labels (or a renamed section) would otherwise train on them quietly, as relevant papers
    of no section. Naming the file and the labels lets the maintainer move the file away or
    add the sections."""
    known = set(sections)
    for path in paths:
        foreign: set[str] = set()
        for _, rec in iter_json_lines(path, lambda bad: None):
            if not isinstance(rec, dict) or rec.get("relevant") is False:
                continue
            section = rec.get("section", rec.get("category"))
            if isinstance(section, str) and section not in known:
                foreign.add(section)
        if foreign:
            raise InputError(
                f"{path}: labelled sections not in [sections]: {', '.join(sorted(foreign))} "
                f"(configured: {', '.join(sections)}); these labels belong to another list's "
                "configuration: move the file out of the labelled data, or add the sections"
            )


class _Verdicts:
    """Labelled papers by id: a paper labelled twice keeps its newest verdict (added last),
    and a changed verdict is counted as a conflict."""

    def __init__(self) -> None:
        self.by_id: dict[str, _Verdict] = {}
        self.conflicts = 0

    def add_all(self, verdicts: Iterable[_Verdict]) -> int:
        n = 0
        for verdict in verdicts:
            old = self.by_id.pop(verdict.paper.id, None)
            if old is not None and old.relevant != verdict.relevant:
                self.conflicts += 1
            self.by_id[verdict.paper.id] = verdict
            n += 1
        return n


def _labelled(
    path: Path, sections: set[str], until: dt.date | None, warn: Callable[[str], None]
) -> Iterator[_Verdict]:
    for lp in labelled_files.read(path, sections, lambda bad: warn(str(bad))):
        if not (until and lp.paper.date and lp.paper.date >= until):
            yield _Verdict(lp.paper, lp.relevant, lp.section, lp.kind)


def _decided(path: Path, sections: set[str], warn: Callable[[str], None]) -> Iterator[_Verdict]:
    """The maintainers' verdicts in the memory: kept or ticked (positive, in the section
    they ended in) and deleted (negative); a proposal still open or a near miss is none."""
    for record in decisions_file.load(path):
        if record.status not in POSITIVE and record.status is not Status.REJECTED:
            continue
        accepted = record.status in POSITIVE
        if accepted and record.section not in sections:
            warn(f"{path}: {record.id}: skipped: section {record.section!r} is not configured")
            continue
        section = record.section if accepted else None
        yield _Verdict(record.paper, accepted, section, Kind.DECISION)


@dataclass(frozen=True, slots=True)
class _Unlabelled:
    examples: list[Example]
    counts: list[tuple[Path, int]]
    """Papers used from each file."""


def _background(
    paths: Sequence[Path],
    labelled: set[str],
    until: dt.date | None,
    config: TrainingConfig,
    warn: Callable[[str], None],
) -> _Unlabelled:
    """The unlabelled papers, each once and none that has a verdict, sampled (seeded) down to
    the recipe's ``background_max``: the weak negatives."""
    rows: list[Paper] = []
    seen: set[str] = set(labelled)
    counts: list[tuple[Path, int]] = []
    for path in paths:
        n = 0
        for paper in read_papers(path, lambda bad: warn(str(bad))):
            if (until and paper.date and paper.date >= until) or paper.id in seen:
                continue
            seen.add(paper.id)
            rows.append(paper)
            n += 1
        if n == 0:
            warn(f"{path}: no background papers in it")
        counts.append((path, n))
    most = config.background_max
    if most is not None and len(rows) > most:
        rng = np.random.default_rng(config.seed)
        keep = np.sort(rng.choice(len(rows), most, replace=False))
        rows = [rows[int(i)] for i in keep]
    examples = [
        Example(
            paper_text(p.title, p.abstract),
            None,
            None,
            config.background_weight,
            "",
            Kind.BACKGROUND,
            p.id,
            encoder_text=encoder_text(p.title, p.abstract),
            date=p.date.isoformat() if p.date else "",
        )
        for p in rows
    ]
    return _Unlabelled(examples, counts)


@dataclass(frozen=True, slots=True)
class _Verdict:
    paper: Paper
    relevant: bool
    section: str | None
    kind: Kind

    def examples(self, title_only_weight: float) -> list[Example]:
        """The paper as training reads it (with its title-only copy), grouped by its date."""
        group = self.paper.date.isoformat() if self.paper.date else self.paper.id
        return _with_title_copy(
            self.paper.title,
            self.paper.abstract,
            self.relevant,
            self.section,
            title_only_weight,
            group=group,
            kind=self.kind,
            paper_id=self.paper.id,
            date=self.paper.date.isoformat() if self.paper.date else "",
        )


def _list_examples(
    path: Path, known_sections: set[str], config: TrainingConfig, warn: Callable[[str], None]
) -> list[Example]:
    """The list's own entries: positives of their section, title only unless an abstract
    was filled in."""
    out: list[Example] = []
    for line_no, rec in iter_json_lines(path, lambda line: warn(str(line))):
        title = rec.get("title") if isinstance(rec, dict) else None
        section = rec.get("section") if isinstance(rec, dict) else None
        if not isinstance(title, str) or not title.strip():
            warn(f"{path}:{line_no}: skipped: no title")
            continue
        if section not in known_sections:
            warn(f"{path}:{line_no}: skipped: section {section!r} is not configured")
            continue
        abstract = rec.get("abstract") or ""
        year = rec.get("year")
        # An entry knows its year only: dated at the year's end, so forward evaluation never
        # trains a day's model on an entry that may have been added after that day.
        date = f"{year:04d}-12-31" if isinstance(year, int) and not isinstance(year, bool) else ""
        out.extend(
            _with_title_copy(
                title,
                abstract,
                True,
                section,
                config.title_only_weight,
                group="",
                kind=Kind.LIST,
                date=date,
            )
        )
    return out


AGED_KINDS = (Kind.JUDGED, Kind.CURATED, Kind.LABELLED, Kind.DECISION)
"""The rows whose weight falls with age: verdicts. The list's entries and the background
keep theirs (the list is the topic itself; the background teaches the vocabulary)."""


def weighted_by_age(data: TrainingData, half_life: float | None) -> TrainingData:
    """The data with each dated verdict's weight halved per ``half_life`` days of age, the
    age counted back from the newest verdict's date (so a model trained on any past counts
    its own latest labels in full); unchanged with None. A model ages by missing what the
    field turns to next (issue #24); recent labels are its best evidence of that."""
    if half_life is None:
        return data
    dates = [ex.date for ex in data.examples if ex.kind in AGED_KINDS and ex.date]
    if not dates:
        return data
    newest = dt.date.fromisoformat(max(dates))

    def aged(ex: Example) -> Example:
        if ex.kind not in AGED_KINDS or not ex.date:
            return ex
        age = (newest - dt.date.fromisoformat(ex.date)).days
        return dataclasses.replace(ex, weight=ex.weight * 0.5 ** (age / half_life))

    return dataclasses.replace(data, examples=tuple(aged(ex) for ex in data.examples))


def describe_inputs(data: TrainingData) -> list[dict[str, Any]]:
    """The inputs as the model card records them (path, checksum, records used)."""
    return [{"path": p, "sha256": h, "records": n} for p, h, n in data.inputs]
