"""The figures of a model, each with one definition, and the tables made of them.

Every number the bot prints about a model (``train``, the promotion gate, ``evaluate``, the
model card, the README) is a field or property of :class:`Figures`, built by one function,
:func:`measure`, from scored labelled rows. Before, three modules each counted their own way
and the same model's card said 0.913 and 0.909 for "section accuracy" (one counted every
labelled row kind, the other the judged days). Now each figure says in its docstring which
rows it counts, and the card and the README render their tables from the values stored in
``meta.json`` (:class:`StoredFigures`), so a table cannot drift from the model it describes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hfm_bot.classifier.model import BoolArray, FloatArray, ObjectArray
from hfm_bot.errors import InputError
from hfm_bot.jsontypes import JSON
from hfm_bot.labelled import Kind


@dataclass(frozen=True, slots=True)
class Scored:
    """Scores of labelled papers: one row per paper with an abstract."""

    kind: ObjectArray
    group: ObjectArray
    """The announcement day of a judged paper (other kinds: their own dated group)."""
    relevant: BoolArray
    section: ObjectArray
    """The true section, "" when the label gives none."""
    score: FloatArray
    predicted_section: ObjectArray


@dataclass(frozen=True, slots=True)
class Counts:
    """Proposals against relevance on some rows: the confusion counts and what follows."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Relevant proposals over proposals (0 with no proposal)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Relevant proposals over relevant rows (0 with no relevant row)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall, 2tp / (2tp + fp + fn) (0 when both
        are 0)."""
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def prf(y: BoolArray, propose: BoolArray) -> Counts:
    """The counts of proposing ``propose`` where ``y`` is relevant."""
    return Counts(
        tp=int((y & propose).sum()), fp=int((~y & propose).sum()), fn=int((y & ~propose).sum())
    )


def best_f1_threshold(y: BoolArray, score: FloatArray) -> float:
    """The score threshold with the highest F1 (the stated target), midway between scores."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(y, score)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1]))
    return float(thresholds[best])


def average_precision(y: BoolArray, score: FloatArray) -> float | None:
    """Average precision of ranking by ``score`` (None with no relevant row: undefined)."""
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, score)) if y.any() else None


@dataclass(frozen=True, slots=True)
class Figures:
    """One model's figures on one set of rows, cut at one threshold.

    The rows are those of one kind (the judged days, or the maintainers' decisions), all
    of them or one day's: every figure but the curated recall counts these rows only."""

    threshold: float
    papers: int
    """Rows counted."""
    relevant: int
    counts: Counts
    days: int
    """Distinct days (groups) among the rows."""
    average_precision: float | None
    """Of the rows' scores, no threshold (None with no relevant row)."""
    mean_daily_f1: float | None
    """F1 of each day's rows, averaged over the days (None with no row)."""
    section_n: int
    """Rows proposed, relevant and with a true section: what section accuracy counts."""
    section_correct: int
    """Of those, filed in their true section."""
    curated_n: int = 0
    """Curated positives (rows of kind ``curated``, whatever the rows above): what curated
    recall counts; 0 for one day's figures."""
    curated_found: int = 0
    """Of those, proposed."""

    @property
    def proposals(self) -> int:
        return self.counts.tp + self.counts.fp

    @property
    def precision(self) -> float:
        return self.counts.precision

    @property
    def recall(self) -> float:
        return self.counts.recall

    @property
    def f1(self) -> float:
        return self.counts.f1

    @property
    def proposals_per_day(self) -> float | None:
        return self.proposals / self.days if self.days else None

    @property
    def section_accuracy(self) -> float | None:
        """Correct proposals filed in their true section, over correct proposals with one
        (the rows' kind only: a curated paper's section is no night's)."""
        return self.section_correct / self.section_n if self.section_n else None

    @property
    def curated_recall(self) -> float | None:
        """Curated positives proposed, over curated positives."""
        return self.curated_found / self.curated_n if self.curated_n else None

    def to_json(self) -> dict[str, JSON]:
        """The stored fields, and the :data:`DERIVED` figures beside them for a reader of the
        file (they are recomputed from the counts, never read back)."""
        return {
            "threshold": self.threshold,
            "papers": self.papers,
            "relevant": self.relevant,
            "tp": self.counts.tp,
            "fp": self.counts.fp,
            "fn": self.counts.fn,
            "days": self.days,
            "average_precision": self.average_precision,
            "mean_daily_f1": self.mean_daily_f1,
            "section_n": self.section_n,
            "section_correct": self.section_correct,
            "curated_n": self.curated_n,
            "curated_found": self.curated_found,
            **{name: value(self) for name, value in DERIVED.items()},
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> Figures:
        """The figures stored by :meth:`to_json`; a wrong field is an error naming ``where``
        and the field."""
        fields = _object(raw, where)
        return cls(
            threshold=_float(fields, "threshold", where),
            papers=_int(fields, "papers", where),
            relevant=_int(fields, "relevant", where),
            counts=Counts(
                _int(fields, "tp", where), _int(fields, "fp", where), _int(fields, "fn", where)
            ),
            days=_int(fields, "days", where),
            average_precision=_optional_float(fields, "average_precision", where),
            mean_daily_f1=_optional_float(fields, "mean_daily_f1", where),
            section_n=_int(fields, "section_n", where),
            section_correct=_int(fields, "section_correct", where),
            curated_n=_int(fields, "curated_n", where),
            curated_found=_int(fields, "curated_found", where),
        )


DERIVED: dict[str, Callable[[Figures], float | int | None]] = {
    "precision": lambda f: f.precision,
    "recall": lambda f: f.recall,
    "f1": lambda f: f.f1,
    "proposals": lambda f: f.proposals,
    "proposals_per_day": lambda f: f.proposals_per_day,
    "section_accuracy": lambda f: f.section_accuracy,
    "curated_recall": lambda f: f.curated_recall,
}
"""The figures that follow from the stored counts, by their name in ``meta.json``."""


def measure(
    scored: Scored, threshold: float, kind: Kind = Kind.JUDGED, day: str | None = None
) -> Figures | None:
    """The figures of the rows of ``kind`` (one ``day`` of them, or all), proposing at
    ``threshold``; None when there is no such row. The one place figures are computed."""
    rows = scored.kind == kind
    if day is not None:
        rows &= scored.group == day
    if not rows.any():
        return None
    propose = scored.score >= threshold
    y = scored.relevant[rows]
    groups = sorted({str(g) for g in scored.group[rows]})
    daily = [prf(y_d, p_d).f1 for y_d, p_d in _by_group(scored, rows, propose, groups)]
    sectioned = rows & propose & scored.relevant & (scored.section != "")
    curated = scored.kind == Kind.CURATED if day is None else np.zeros_like(rows)
    return Figures(
        threshold=threshold,
        papers=int(rows.sum()),
        relevant=int(y.sum()),
        counts=prf(y, propose[rows]),
        days=len(groups),
        average_precision=average_precision(y, scored.score[rows]),
        mean_daily_f1=float(np.mean(daily)) if daily else None,
        section_n=int(sectioned.sum()),
        section_correct=int(
            (scored.predicted_section[sectioned] == scored.section[sectioned]).sum()
        ),
        curated_n=int(curated.sum()),
        curated_found=int((curated & propose).sum()),
    )


def _by_group(
    scored: Scored, rows: BoolArray, propose: BoolArray, groups: Sequence[str]
) -> list[tuple[BoolArray, BoolArray]]:
    out = []
    for group in groups:
        m = rows & (scored.group == group)
        out.append((scored.relevant[m], propose[m]))
    return out


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Report:
    """A model's figures on the judged days: all of them, and each day's."""

    overall: Figures | None
    """None when the rows hold no judged day (a new list's cold start)."""
    days: tuple[DayFigures, ...]

    def to_json(self) -> dict[str, JSON]:
        return {
            "overall": None if self.overall is None else self.overall.to_json(),
            "days": {d.day: d.figures.to_json() for d in self.days},
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> Report:
        fields = _object(raw, where)
        overall = fields.get("overall")
        days = _object(fields.get("days", {}), f"{where}.days")
        return cls(
            overall=None if overall is None else Figures.from_json(overall, f"{where}.overall"),
            days=tuple(
                DayFigures(day, Figures.from_json(value, f"{where}.days.{day}"))
                for day, value in days.items()
            ),
        )


def report(scored: Scored, threshold: float) -> Report:
    """The judged days' figures, overall (with the curated positives' recall) and per day."""
    days = sorted({str(g) for g in scored.group[scored.kind == Kind.JUDGED]})
    per_day = []
    for day in days:
        figures = measure(scored, threshold, Kind.JUDGED, day)
        assert figures is not None  # the day has judged rows
        per_day.append(DayFigures(day, figures))
    return Report(measure(scored, threshold), tuple(per_day))


@dataclass(frozen=True, slots=True)
class LearningPoint:
    """The leave-one-day-out figures of a model trained with only some judged days."""

    days: int
    papers: int
    relevant: int
    average_precision: float
    best_f1: float
    """F1 at the best threshold of these days' out-of-fold scores (the ceiling a stored
    threshold approaches)."""

    def to_json(self) -> dict[str, JSON]:
        return {
            "days": self.days,
            "papers": self.papers,
            "relevant": self.relevant,
            "average_precision": self.average_precision,
            "best_f1": self.best_f1,
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> LearningPoint:
        fields = _object(raw, where)
        return cls(
            days=_int(fields, "days", where),
            papers=_int(fields, "papers", where),
            relevant=_int(fields, "relevant", where),
            average_precision=_float(fields, "average_precision", where),
            best_f1=_float(fields, "best_f1", where),
        )


def learning_point(scored: Scored, days: int) -> LearningPoint:
    """The learning curve's point of a leave-one-day-out run on ``days`` judged days."""
    judged = scored.kind == Kind.JUDGED
    y, score = scored.relevant[judged], scored.score[judged]
    ap = average_precision(y, score)
    return LearningPoint(
        days=days,
        papers=int(judged.sum()),
        relevant=int(y.sum()),
        average_precision=0.0 if ap is None else ap,
        best_f1=prf(y, score >= best_f1_threshold(y, score)).f1,
    )


SHIPPED_MODE = "shipped model"
CROSS_VALIDATED_MODE = "cross-validated, leave one judged day out"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What ``hfm-bot evaluate`` measured: the shipped system (both stages when it has
    two) and its TF-IDF stage alone at its own threshold, on the same rows."""

    mode: str
    """:data:`SHIPPED_MODE` or :data:`CROSS_VALIDATED_MODE`."""
    command: str
    report: Report
    tfidf_alone: Report | None = None
    """None for a model with one stage."""
    learning_curve: tuple[LearningPoint, ...] = ()

    def to_json(self) -> dict[str, JSON]:
        return {
            "mode": self.mode,
            "command": self.command,
            "report": self.report.to_json(),
            "tfidf_alone": None if self.tfidf_alone is None else self.tfidf_alone.to_json(),
            "learning_curve": [p.to_json() for p in self.learning_curve],
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> Evaluation:
        fields = _object(raw, where)
        alone = fields.get("tfidf_alone")
        curve = fields.get("learning_curve", [])
        if not isinstance(curve, list):
            raise InputError(f"{where}.learning_curve: not a list")
        return cls(
            mode=_str(fields, "mode", where),
            command=_str(fields, "command", where),
            report=Report.from_json(fields.get("report"), f"{where}.report"),
            tfidf_alone=None if alone is None else Report.from_json(alone, f"{where}.tfidf_alone"),
            learning_curve=tuple(
                LearningPoint.from_json(p, f"{where}.learning_curve[{i}]")
                for i, p in enumerate(curve)
            ),
        )


@dataclass(frozen=True, slots=True)
class ForwardBlock:
    """Judged days scored forward by one model (see :mod:`hfm_bot.classifier.forward`)."""

    days: tuple[str, ...]
    trained_days: int
    """Judged days the model was trained on (all dated before ``days[0]``)."""
    threshold: float
    """The threshold the model chose for itself, as ``train`` stores it."""
    threshold_rows: str
    """Which out-of-fold rows chose it (in words)."""
    two_stages: bool

    def to_json(self) -> dict[str, JSON]:
        return {
            "days": list(self.days),
            "trained_days": self.trained_days,
            "threshold": self.threshold,
            "threshold_rows": self.threshold_rows,
            "two_stages": self.two_stages,
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> ForwardBlock:
        fields = _object(raw, where)
        days = fields.get("days")
        if not isinstance(days, list) or not all(isinstance(d, str) for d in days):
            raise InputError(f"{where}: days is not a list of dates")
        two = fields.get("two_stages")
        if not isinstance(two, bool):
            raise InputError(f"{where}: two_stages is not true or false")
        return cls(
            days=tuple(str(d) for d in days),
            trained_days=_int(fields, "trained_days", where),
            threshold=_float(fields, "threshold", where),
            threshold_rows=_str(fields, "threshold_rows", where),
            two_stages=two,
        )


@dataclass(frozen=True, slots=True)
class ForwardEvaluation:
    """What ``hfm-bot evaluate --forward`` measured: each later judged day scored by a model
    trained only on what is dated before it, at that model's own threshold. The report cuts
    every row at :attr:`offset`: each block's scores were shifted by ``offset`` minus its
    model's threshold (see :mod:`hfm_bot.classifier.forward`)."""

    command: str
    report: Report
    blocks: tuple[ForwardBlock, ...]
    every: int
    """Days scored per training (1: a model per day)."""
    offset: float
    undated: int
    """Labelled papers left out because nothing dates them."""

    def to_json(self) -> dict[str, JSON]:
        return {
            "command": self.command,
            "report": self.report.to_json(),
            "blocks": [b.to_json() for b in self.blocks],
            "every": self.every,
            "offset": self.offset,
            "undated": self.undated,
        }

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> ForwardEvaluation:
        fields = _object(raw, where)
        blocks = fields.get("blocks")
        if not isinstance(blocks, list):
            raise InputError(f"{where}: blocks is not a list")
        return cls(
            command=_str(fields, "command", where),
            report=Report.from_json(fields.get("report"), f"{where}.report"),
            blocks=tuple(
                ForwardBlock.from_json(b, f"{where}.blocks[{i}]") for i, b in enumerate(blocks)
            ),
            every=_int(fields, "every", where),
            offset=_float(fields, "offset", where),
            undated=_int(fields, "undated", where),
        )


@dataclass(frozen=True, slots=True)
class StoredFigures:
    """The figures a model's ``meta.json`` carries (its ``figures`` key)."""

    cross_validated: Report
    """The shipped system's out-of-fold scores, on the folds that chose its threshold."""
    tfidf_alone: Figures | None = None
    """The TF-IDF stage alone at its own threshold, on the same folds (None with one
    stage)."""
    evaluation: Evaluation | None = None
    """Filled by ``hfm-bot evaluate --card``: a retrained model starts without it."""
    forward: ForwardEvaluation | None = None
    """Filled by ``hfm-bot evaluate --forward --card``: a retrained model starts without it."""

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {
            "cross_validated": self.cross_validated.to_json(),
            "tfidf_alone": None if self.tfidf_alone is None else self.tfidf_alone.to_json(),
            "evaluation": None if self.evaluation is None else self.evaluation.to_json(),
        }
        if self.forward is not None:  # absent rather than null: older cards stay byte-equal
            out["forward"] = self.forward.to_json()
        return out

    @classmethod
    def from_json(cls, raw: JSON, where: str) -> StoredFigures:
        fields = _object(raw, where)
        alone, evaluation = fields.get("tfidf_alone"), fields.get("evaluation")
        forward = fields.get("forward")
        return cls(
            cross_validated=Report.from_json(
                fields.get("cross_validated"), f"{where}.cross_validated"
            ),
            tfidf_alone=None if alone is None else Figures.from_json(alone, f"{where}.tfidf_alone"),
            evaluation=None
            if evaluation is None
            else Evaluation.from_json(evaluation, f"{where}.evaluation"),
            forward=None
            if forward is None
            else ForwardEvaluation.from_json(forward, f"{where}.forward"),
        )


META_FILE = "meta.json"


def read_meta(path: Path) -> dict[str, JSON]:
    """A model's ``meta.json`` as a JSON object (the typed parts are read from it)."""
    import json

    try:
        raw: JSON = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"{path}: cannot read the model's metadata ({err.strerror})") from err
    except ValueError as err:
        raise InputError(f"{path}: not JSON ({err})") from err
    return _object(raw, str(path))


def stored(meta: Mapping[str, JSON], where: str) -> StoredFigures:
    """The figures of a model's metadata; a model from before they were stored this way is
    an error that says to retrain."""
    if "figures" not in meta:
        raise InputError(f"{where}: no figures (a model card from an older hfm-bot; retrain)")
    return StoredFigures.from_json(meta["figures"], f"{where}: figures")


# ---------------------------------------------------------------- tables


def figure(value: float | int | None) -> str:
    """A figure as the tables show it: three decimals, "-" when there is none."""
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


FIGURES_HEADER = (
    "| model | F1 | precision | recall | average precision | proposals/day "
    "| section accuracy | curated recall |"
)


def figures_row(name: str, f: Figures) -> str:
    """One model's row: ratios to three decimals, proposals per day to one."""
    per_day = "-" if f.proposals_per_day is None else f"{f.proposals_per_day:.1f}"
    ratios = [figure(v) for v in (f.f1, f.precision, f.recall, f.average_precision)]
    rest = [figure(f.section_accuracy), figure(f.curated_recall)]
    return f"| {name} | " + " | ".join([*ratios, per_day, *rest]) + " |"


def figures_table(rows: Sequence[tuple[str, Figures | None]]) -> str:
    """Models' figures side by side, one row each (a model without figures left out)."""
    lines = [FIGURES_HEADER, "|" + " --- |" * 8]
    lines += [figures_row(name, f) for name, f in rows if f is not None]
    return "\n".join(lines)


FIRST_STAGE = "TF-IDF + conjunctions (first stage alone)"


def shipped_name(two_stages: bool) -> str:
    return "both stages (shipped)" if two_stages else "the TF-IDF stage (shipped)"


def evaluation_table(evaluation: Evaluation) -> str:
    """What ``hfm-bot evaluate`` measured: the first stage alone beside the shipped system."""
    alone = None if evaluation.tfidf_alone is None else evaluation.tfidf_alone.overall
    return figures_table(
        [(FIRST_STAGE, alone), (shipped_name(alone is not None), evaluation.report.overall)]
    )


def summary_table(figures: StoredFigures) -> str:
    """The model's headline table: leave-one-day-out when ``hfm-bot evaluate --card``
    measured it (the card shows the same table), else the training's cross-validated
    figures. The README holds this table between :data:`TABLE_START` and :data:`TABLE_END`,
    and a test keeps it equal to what the committed ``model/meta.json`` renders."""
    if figures.evaluation is not None:
        return evaluation_table(figures.evaluation)
    alone = figures.tfidf_alone
    return figures_table(
        [(FIRST_STAGE, alone), (shipped_name(alone is not None), figures.cross_validated.overall)]
    )


TABLE_START = "<!-- hfm-bot figures: start -->"
TABLE_END = "<!-- hfm-bot figures: end -->"


def between_markers(text: str, where: str) -> tuple[int, int]:
    """Where the generated table sits in ``text``: the offsets just after the start marker
    and at the end marker."""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        raise InputError(f"{where}: no place for the figures ({TABLE_START} ... {TABLE_END})")
    return start + len(TABLE_START), end


def with_table(text: str, table: str, where: str) -> str:
    """``text`` with the table between its markers replaced, every other byte kept."""
    start, end = between_markers(text, where)
    return text[:start] + "\n" + table + "\n" + text[end:]


# ---------------------------------------------------------------- typed JSON reading


def _object(raw: JSON, where: str) -> dict[str, JSON]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: not a JSON object")
    return raw


def _int(fields: Mapping[str, JSON], name: str, where: str) -> int:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: {name} is not an integer")
    return value


def _float(fields: Mapping[str, JSON], name: str, where: str) -> float:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: {name} is not a number")
    return float(value)


def _optional_float(fields: Mapping[str, JSON], name: str, where: str) -> float | None:
    return None if fields.get(name) is None else _float(fields, name, where)


def _str(fields: Mapping[str, JSON], name: str, where: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str):
        raise InputError(f"{where}: {name} is not a string")
    return value
