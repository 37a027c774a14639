"""Measuring a model on labelled days: per judged day and overall.

``cross_validated`` retrains with each judged day held out (the other dated groups in a few
folds), so no day scores itself, and applies the threshold stored with the shipped model:
that is the number a maintainer can expect on a new day. ``direct`` scores the shipped model
as it is, for labelled days it never saw (the held-out period).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hfm_bot.classifier import training
from hfm_bot.classifier.model import Model


@dataclass(frozen=True, slots=True)
class Scored:
    """Scores of labelled papers: one row per paper with an abstract."""

    kind: np.ndarray[Any, Any]
    group: np.ndarray[Any, Any]
    relevant: np.ndarray[Any, Any]
    section: np.ndarray[Any, Any]
    score: np.ndarray[Any, Any]
    predicted_section: np.ndarray[Any, Any]

    @classmethod
    def from_oof(cls, m: training._Matrix, oof: training.OutOfFold) -> Scored:
        """The out-of-fold scores of a training run, with their rows' labels."""
        rows = oof.rows
        return cls(
            kind=m.kinds[rows],
            group=m.groups[rows],
            relevant=m.relevant[rows],
            section=m.sections[rows],
            score=oof.score,
            predicted_section=oof.section.astype(object),
        )


def prf(y: np.ndarray[Any, Any], propose: np.ndarray[Any, Any]) -> dict[str, Any]:
    tp = int((propose & y).sum())
    fp = int((propose & ~y).sum())
    fn = int((~propose & y).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _ap(y: np.ndarray[Any, Any], score: np.ndarray[Any, Any]) -> float | None:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, score)) if y.any() else None


def report(scored: Scored, threshold: float) -> dict[str, Any]:
    """Per judged day and overall metrics, plus the recall of curated positives."""
    propose = scored.score >= threshold
    judged = scored.kind == "judged"
    days: dict[str, Any] = {}
    for day in sorted(set(scored.group[judged])):
        m = judged & (scored.group == day)
        y = scored.relevant[m]
        row = prf(y, propose[m])
        row.update(papers=int(m.sum()), relevant=int(y.sum()), proposals=int(propose[m].sum()))
        row["average_precision"] = _ap(y, scored.score[m])
        correct = m & propose & scored.relevant & (scored.section != "")
        row["section_accuracy"] = (
            float((scored.predicted_section[correct] == scored.section[correct]).mean())
            if correct.any()
            else None
        )
        days[str(day)] = row
    overall: dict[str, Any] = {"threshold": threshold}
    if judged.any():
        y = scored.relevant[judged]
        overall.update(prf(y, propose[judged]))
        overall["average_precision"] = _ap(y, scored.score[judged])
        overall["judged_days"] = len(days)
        overall["proposals_per_day"] = float(propose[judged].sum()) / max(len(days), 1)
        overall["mean_daily_f1"] = float(np.mean([d["f1"] for d in days.values()]))
    correct = propose & scored.relevant & (scored.section != "")
    if correct.any():
        overall["section_accuracy"] = float(
            (scored.predicted_section[correct] == scored.section[correct]).mean()
        )
        overall["section_n"] = int(correct.sum())
    curated = scored.kind == "curated"
    if curated.any():
        overall["curated_recall"] = float(propose[curated].mean())
        overall["curated_n"] = int(curated.sum())
    return {"overall": overall, "days": days}


def leave_one_day_out(
    data: training.TrainingData, labels: Sequence[str], extra_folds: int = 4
) -> tuple[training._Matrix, training.OutOfFold]:
    """Out-of-fold scores: each judged day held out alone, other dated groups in folds; with
    the training matrix their rows index into."""
    training.check_trainable(data)
    _, m = training._vectorise(data)
    return m, training.cross_validate(m, training.folds(m, None, extra_folds), labels)


def cross_validated(data: training.TrainingData, labels: Sequence[str]) -> Scored:
    return Scored.from_oof(*leave_one_day_out(data, labels))


def direct(model: Model, data: training.TrainingData) -> Scored:
    """Scores of the shipped model on the labelled papers of ``data`` (no retraining)."""
    rows = [ex for ex in data.examples if ex.evaluable and ex.kind in ("judged", "curated")]
    preds = model.predict_texts([ex.paper_id or "" for ex in rows], [ex.text for ex in rows])
    return Scored(
        kind=np.array([ex.kind for ex in rows], dtype=object),
        group=np.array([ex.group for ex in rows], dtype=object),
        relevant=np.array([bool(ex.relevant) for ex in rows]),
        section=np.array([ex.section or "" for ex in rows], dtype=object),
        score=np.array([p.score for p in preds]),
        predicted_section=np.array([p.section for p in preds], dtype=object),
    )


def format_table(result: dict[str, Any]) -> str:
    """The report as a plain-text table for the terminal."""
    lines = [
        f"{'day':<12}{'papers':>7}{'relevant':>9}{'proposed':>9}"
        f"{'P':>7}{'R':>7}{'F1':>7}{'AP':>7}{'section':>9}"
    ]

    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    lines.extend(
        f"{day:<12}{row['papers']:>7}{row['relevant']:>9}{row['proposals']:>9}"
        f"{fmt(row['precision']):>7}{fmt(row['recall']):>7}{fmt(row['f1']):>7}"
        f"{fmt(row['average_precision']):>7}{fmt(row['section_accuracy']):>9}"
        for day, row in result["days"].items()
    )
    o = result["overall"]
    lines.append("")
    for key in (
        "threshold",
        "precision",
        "recall",
        "f1",
        "mean_daily_f1",
        "average_precision",
        "proposals_per_day",
        "section_accuracy",
        "curated_recall",
    ):
        if key in o:
            lines.append(f"{key:<20}{fmt(o[key])}")  # noqa: PERF401  (reads better as a loop)
    return "\n".join(lines)
