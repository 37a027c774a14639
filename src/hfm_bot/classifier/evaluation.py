"""Measuring a model on labelled days: per judged day and overall.

``cross_validated`` retrains with each judged day held out (the other dated groups in a few
folds), so no day scores itself, and applies the threshold stored with the shipped model:
that is the number a maintainer can expect on a new day. ``direct`` scores the shipped model
as it is, for labelled days it never saw (the held-out period).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from hfm_bot.classifier import encoder_stage, figures
from hfm_bot.classifier.cross_validation import OutOfFold, cross_validate, folds
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.figures import (
    CROSS_VALIDATED_MODE,
    SHIPPED_MODE,
    Evaluation,
    LearningPoint,
    Report,
    Scored,
    figure,
)
from hfm_bot.classifier.model import BoolArray, TitleRule
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix, check_trainable, vectorise
from hfm_bot.classifier.training_data import Example, TrainingData, weighted_by_age
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.labelled import Kind


def scored_from_oof(m: Matrix, oof: OutOfFold) -> Scored:
    """The out-of-fold scores of a training run, with their rows' labels."""
    rows = oof.rows
    return Scored(
        kind=m.kinds[rows],
        group=m.groups[rows],
        relevant=m.relevant[rows],
        section=m.sections[rows],
        score=oof.score,
        predicted_section=oof.section.astype(object),
    )


def report(scored: Scored, threshold: float) -> Report:
    """Per judged day and overall figures, plus the recall of curated positives (see
    :func:`hfm_bot.classifier.figures.report`)."""
    return figures.report(scored, threshold)


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
    _, m = vectorise(weighted_by_age(data, config.label_half_life), config)
    fold_masks = folds(m, None, extra_folds)
    return m, cross_validate(m, fold_masks, labels, config, title_rule), fold_masks


def cross_validated(
    data: TrainingData,
    labels: Sequence[str],
    shipped: Classifier | None = None,
    cache: EmbeddingCache | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> Scored:
    """Leave one day out: the scores of the system the nightly runs (see
    :func:`cross_validated_stages`)."""
    return cross_validated_stages(data, labels, shipped, cache, config)[0]


def cross_validated_stages(
    data: TrainingData,
    labels: Sequence[str],
    shipped: Classifier | None = None,
    cache: EmbeddingCache | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> tuple[Scored, Scored | None]:
    """Leave one day out. With a shipped two-stage classifier, the encoder head is refitted
    on the same folds and blended with the shipped floor, weight and scales, so the figures
    are those of the system the nightly runs, at its stored threshold (and its sections with
    the shipped model's title rule); the TF-IDF stage's own scores on the same folds come
    second (None for a one-stage model), as they cost nothing more."""
    rule = shipped.tfidf.title_rule if shipped is not None else None
    m, oof, fold_masks = leave_one_day_out(data, labels, title_rule=rule, config=config)
    return blended_stages(data, m, oof, fold_masks, shipped, cache, config)


def blended_stages(
    data: TrainingData,
    m: Matrix,
    oof: OutOfFold,
    fold_masks: Sequence[BoolArray],
    shipped: Classifier | None,
    cache: EmbeddingCache | None,
    config: TrainingConfig,
) -> tuple[Scored, Scored | None]:
    """:func:`cross_validated_stages` once the TF-IDF stage's leave-one-day-out scores are
    had (:func:`leave_one_day_out`): apart, so a benchmark can score many heads on one run
    of the slow part."""
    if shipped is None or shipped.head is None or shipped.encoder is None:
        return scored_from_oof(m, oof), None
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
        encoder_stage.reference_weights(data.examples, m.relevant, config),
    )
    short = encoder_stage.shortlisted(tfidf, head.floor)
    enc = encoder_stage.opinion_out_of_fold(
        rows, m.relevant, fold_masks, short, config.head_c, head.neighbours
    )
    final = head.blend(oof.score, enc[oof.rows])
    blended = scored_from_oof(m, OutOfFold(oof.rows, final, oof.section))
    return blended, scored_from_oof(m, oof)


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
) -> tuple[LearningPoint, ...]:
    """What more judged days are worth: for each size n, n of the judged days (nested, a
    seeded order) with everything else, each day scored leave one day out (see
    :class:`~hfm_bot.classifier.figures.LearningPoint`). ``full`` reuses a run on all
    days."""
    days = sorted({ex.group for ex in data.examples if ex.kind == Kind.JUDGED})
    order = [days[i] for i in np.random.default_rng(LEARNING_SEED).permutation(len(days))]
    out = []
    for n in sorted({min(size, len(days)) for size in sizes}):
        if n == len(days) and full is not None:
            scored = full
        else:
            scored = cross_validated(with_judged_days(data, set(order[:n])), labels, shipped, cache)
        out.append(figures.learning_point(scored, n))
    return tuple(out)


def evaluate(
    model: Classifier,
    data: TrainingData,
    labels: Sequence[str],
    command: str,
    *,
    cross_validate: bool = True,
    curve_sizes: Sequence[int] | None = None,
    cache: EmbeddingCache | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> Evaluation:
    """What ``hfm-bot evaluate`` measures: leave one day out (or the shipped model as it
    is), each stage at its own stored threshold, and the learning curve when sizes are
    given."""
    if not cross_validate:
        scored = direct(model, data)
        return Evaluation(SHIPPED_MODE, command, report(scored, model.threshold))
    scored, alone = cross_validated_stages(data, labels, model, cache, config)
    curve = (
        learning_curve(data, labels, curve_sizes, full=scored, shipped=model, cache=cache)
        if curve_sizes is not None
        else ()
    )
    return Evaluation(
        CROSS_VALIDATED_MODE,
        command,
        report(scored, model.threshold),
        tfidf_alone=None if alone is None else report(alone, model.tfidf.threshold),
        learning_curve=curve,
    )


def direct(model: Classifier, data: TrainingData) -> Scored:
    """Scores of the shipped model on the labelled papers of ``data`` (no retraining)."""
    rows = [ex for ex in data.examples if ex.evaluable and ex.kind in (Kind.JUDGED, Kind.CURATED)]
    return scored_rows(model, rows)


def scored_rows(model: Classifier, rows: Sequence[Example]) -> Scored:
    """A model's scores and sections of labelled rows, with their labels."""
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


def format_table(result: Report) -> str:
    """The report as a plain-text table for the terminal."""
    lines = [
        f"{'day':<12}{'papers':>7}{'relevant':>9}{'proposed':>9}"
        f"{'P':>7}{'R':>7}{'F1':>7}{'AP':>7}{'section':>9}"
    ]
    for d in result.days:
        f = d.figures
        lines.append(
            f"{d.day:<12}{f.papers:>7}{f.relevant:>9}{f.proposals:>9}"
            f"{figure(f.precision):>7}{figure(f.recall):>7}{figure(f.f1):>7}"
            f"{figure(f.average_precision):>7}{figure(f.section_accuracy):>9}"
        )
    o = result.overall
    if o is None:
        return "\n".join([*lines, "", "no judged day to measure"])
    lines.append("")
    overall: tuple[tuple[str, float | None], ...] = (
        ("threshold", o.threshold),
        ("precision", o.precision),
        ("recall", o.recall),
        ("f1", o.f1),
        ("mean_daily_f1", o.mean_daily_f1),
        ("average_precision", o.average_precision),
        ("proposals_per_day", o.proposals_per_day),
        ("section_accuracy", o.section_accuracy),
        ("curated_recall", o.curated_recall),
    )
    lines += [f"{name:<20}{figure(value)}" for name, value in overall if value is not None]
    return "\n".join(lines)
