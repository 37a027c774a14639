"""Measuring a model on labelled days: per judged day and overall.

``cross_validated`` retrains with each judged day held out (the other dated groups in a few
folds), so no day scores itself, and applies the threshold stored with the shipped model:
that is the number a maintainer can expect on a new day. ``direct`` scores the shipped model
as it is, for labelled days it never saw (the held-out period).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hfm_bot.classifier import encoder_stage
from hfm_bot.classifier.cross_validation import (
    OutOfFold,
    best_f1_threshold,
    cross_validate,
    folds,
)
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.model import BoolArray, FloatArray, ObjectArray, TitleRule
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix, check_trainable, vectorise
from hfm_bot.classifier.training_data import TrainingData
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.labelled import Kind


@dataclass(frozen=True, slots=True)
class Scored:
    """Scores of labelled papers: one row per paper with an abstract."""

    kind: ObjectArray
    group: ObjectArray
    relevant: BoolArray
    section: ObjectArray
    score: FloatArray
    predicted_section: ObjectArray

    @classmethod
    def from_oof(cls, m: Matrix, oof: OutOfFold) -> Scored:
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


def prf(y: BoolArray, propose: BoolArray) -> dict[str, Any]:
    """Precision, recall and F1 of proposing ``propose`` where ``y`` is relevant (0 where
    undefined), with the counts behind them."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    p, r, f1, _ = precision_recall_fscore_support(y, propose, average="binary", zero_division=0.0)
    (_, fp), (fn, tp) = confusion_matrix(y, propose, labels=[False, True])
    return {
        "precision": float(p),
        "recall": float(r),
        "f1": float(f1),
        "tp": int(tp),
        "fp": int(fp),
        "fn": int(fn),
    }


def figure(v: Any) -> str:
    """A metric as the tables show it: three decimals, "-" when there is none."""
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def _ap(y: BoolArray, score: FloatArray) -> float | None:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, score)) if y.any() else None


def report(scored: Scored, threshold: float) -> dict[str, Any]:
    """Per judged day and overall metrics, plus the recall of curated positives."""
    propose = scored.score >= threshold
    judged = scored.kind == Kind.JUDGED
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
    curated = scored.kind == Kind.CURATED
    if curated.any():
        overall["curated_recall"] = float(propose[curated].mean())
        overall["curated_n"] = int(curated.sum())
    return {"overall": overall, "days": days}


def leave_one_day_out(
    data: TrainingData,
    labels: Sequence[str],
    extra_folds: int = 4,
    title_rule: TitleRule | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> tuple[Matrix, OutOfFold, list[BoolArray]]:
    """Out-of-fold scores: each judged day held out alone, other dated groups in folds; with
    the training matrix their rows index into, and the folds."""
    check_trainable(data)
    _, m = vectorise(data, config)
    fold_masks = folds(m, None, extra_folds)
    return m, cross_validate(m, fold_masks, labels, config, title_rule), fold_masks


def cross_validated(
    data: TrainingData,
    labels: Sequence[str],
    shipped: Classifier | None = None,
    cache: EmbeddingCache | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> Scored:
    """Leave one day out. With a shipped two-stage classifier, the encoder head is refitted
    on the same folds and blended with the shipped floor, weight and scales, so the figures
    are those of the system the nightly runs, at its stored threshold (and its sections with
    the shipped model's title rule)."""
    rule = shipped.tfidf.title_rule if shipped is not None else None
    m, oof, fold_masks = leave_one_day_out(data, labels, title_rule=rule, config=config)
    if shipped is None or shipped.head is None or shipped.encoder is None:
        return Scored.from_oof(m, oof)
    head, encoder = shipped.head, shipped.encoder
    tfidf = np.full(m.X.shape[0], np.nan)
    tfidf[oof.rows] = oof.score
    rows = encoder_stage.head_rows(
        data.examples,
        m.kinds,
        tfidf,
        head.floor,
        encoder,
        cache or EmbeddingCache(None, head.spec),
    )
    short = encoder_stage.shortlisted(tfidf, head.floor)
    enc = encoder_stage.head_out_of_fold(rows, m.relevant, fold_masks, short, config.head_c)
    final = head.blend(oof.score, enc[oof.rows])
    return Scored.from_oof(m, OutOfFold(oof.rows, final, oof.section))


LEARNING_SEED = 20240405


def with_judged_days(data: TrainingData, days: set[str]) -> TrainingData:
    """The same training data with only the given judged days (everything else kept)."""
    kept = tuple(ex for ex in data.examples if ex.kind != Kind.JUDGED or ex.group in days)
    return dataclasses.replace(data, examples=kept)


def learning_curve(
    data: TrainingData,
    labels: Sequence[str],
    sizes: Sequence[int],
    full: Scored | None = None,
    shipped: Classifier | None = None,
    cache: EmbeddingCache | None = None,
) -> list[dict[str, Any]]:
    """What more judged days are worth: for each size n, n of the judged days (nested, a
    seeded order) with everything else, each day scored leave one day out. Average precision
    needs no threshold; F1 is at the best threshold of those n days' out-of-fold scores (the
    ceiling a stored threshold approaches). ``full`` reuses a run on all days."""
    from sklearn.metrics import average_precision_score

    days = sorted({ex.group for ex in data.examples if ex.kind == Kind.JUDGED})
    order = [days[i] for i in np.random.default_rng(LEARNING_SEED).permutation(len(days))]
    out = []
    for n in sorted({min(size, len(days)) for size in sizes}):
        if n == len(days) and full is not None:
            scored = full
        else:
            scored = cross_validated(with_judged_days(data, set(order[:n])), labels, shipped, cache)
        judged = scored.kind == Kind.JUDGED
        y, score = scored.relevant[judged], scored.score[judged]
        threshold = best_f1_threshold(y, score)
        row: dict[str, Any] = {"days": n, "relevant": int(y.sum()), "papers": int(judged.sum())}
        row["average_precision"] = float(average_precision_score(y, score))
        row["best_f1"] = prf(y, score >= threshold)["f1"]
        out.append(row)
    return out


def direct(model: Classifier, data: TrainingData) -> Scored:
    """Scores of the shipped model on the labelled papers of ``data`` (no retraining)."""
    rows = [ex for ex in data.examples if ex.evaluable and ex.kind in (Kind.JUDGED, Kind.CURATED)]
    preds = model.predict_texts(
        [ex.paper_id or "" for ex in rows],
        [ex.text for ex in rows],
        [ex.encoder_text for ex in rows],
    )
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

    lines.extend(
        f"{day:<12}{row['papers']:>7}{row['relevant']:>9}{row['proposals']:>9}"
        f"{figure(row['precision']):>7}{figure(row['recall']):>7}{figure(row['f1']):>7}"
        f"{figure(row['average_precision']):>7}{figure(row['section_accuracy']):>9}"
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
            lines.append(f"{key:<20}{figure(o[key])}")  # noqa: PERF401  (reads better as a loop)
    return "\n".join(lines)
