"""Training: the two stages fitted, measured out of fold and exported, in one call.

:func:`train` orchestrates the modules that each hold one responsibility: the TF-IDF stage
(:mod:`~hfm_bot.classifier.tfidf_stage`), its cross-validation and threshold
(:mod:`~hfm_bot.classifier.cross_validation`) and the encoder stage
(:mod:`~hfm_bot.classifier.encoder_stage`), all reading one recipe
(:class:`~hfm_bot.classifier.recipe.TrainingConfig`) from the data
(:mod:`~hfm_bot.classifier.training_data`). It reads no file and writes none.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hfm_bot.classifier import encoder_stage
from hfm_bot.classifier.cross_validation import OutOfFold, cross_validate, folds
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.encoder import Encoder
from hfm_bot.classifier.figures import best_f1_threshold
from hfm_bot.classifier.head import SecondOpinion
from hfm_bot.classifier.model import (
    BoolArray,
    FloatArray,
    IndexArray,
    Model,
    ObjectArray,
    TitleRule,
)
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.classifier.tfidf_stage import (
    LinearFit,
    Matrix,
    check_trainable,
    export,
    fit_relevance,
    fit_section,
    self_train,
    vectorise,
)
from hfm_bot.classifier.training_data import TrainingData, weighted_by_age
from hfm_bot.labelled import Kind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrainResult:
    """A trained model and everything the gate and the model card read of its training."""

    model: Model
    oof: OutOfFold
    """Out-of-fold scores of the shipped system: the blend when there is a second stage."""
    matrix: Matrix
    data: TrainingData
    threshold_rows: str
    """Which out-of-fold rows chose the threshold."""
    head: SecondOpinion | None = None
    tfidf_oof: OutOfFold | None = None
    """The TF-IDF model's own out-of-fold scores (its fallback threshold comes from them)."""
    cold_start: bool = False
    """Trained with no negative labels (see :func:`~hfm_bot.classifier.tfidf_stage.self_train`):
    nothing measured it."""
    config: TrainingConfig = DEFAULT_TRAINING
    """The recipe it was trained with."""

    @property
    def threshold(self) -> float:
        """The shipped system's threshold: the blend's, or the TF-IDF model's alone."""
        return self.head.threshold if self.head is not None else self.model.threshold


@dataclass(frozen=True, slots=True)
class TfidfFit:
    """The TF-IDF stage trained: the exported model, its out-of-fold scores on the folds
    that chose its threshold, and what the encoder stage reads of it."""

    model: Model
    oof: OutOfFold
    matrix: Matrix
    fold_masks: list[BoolArray]
    source: str
    has_judged: bool
    judged_relevant: bool
    """Some judged paper scored out of fold is relevant (a blend can be measured)."""
    cold_start: bool
    unlabelled: IndexArray | None
    """The background rows, when the list's self-training drew positives from them."""


def train(
    data: TrainingData,
    labels: Sequence[str],
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    title_rule: TitleRule | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
) -> TrainResult:
    """Fit, choose the threshold from out-of-fold scores, refit on everything, export; with
    an encoder, also fit its head on the TF-IDF shortlist and choose the blend (see
    :mod:`hfm_bot.classifier.encoder_stage`) on the same folds. ``config`` is the recipe
    (``config.cold``: how a list with no judged day learns)."""
    data = weighted_by_age(data, config.label_half_life)
    tfidf = train_tfidf(data, labels, title_rule, config)
    return with_encoder_stage(data, tfidf, encoder, cache, config)


def with_encoder_stage(
    data: TrainingData,
    tfidf: TfidfFit,
    encoder: Encoder | None,
    cache: EmbeddingCache | None,
    config: TrainingConfig,
) -> TrainResult:
    """:func:`train` once the TF-IDF stage is fitted (on ``data`` already weighted by age):
    the encoder stage, the blend and the threshold. Apart, so a benchmark of the encoder
    stage's levers can keep one TF-IDF fit and try its recipes on it in seconds."""
    m, oof = tfidf.matrix, tfidf.oof

    def result(**kw: Any) -> TrainResult:
        return TrainResult(data=data, matrix=m, config=config, **kw)

    if encoder is not None and tfidf.unlabelled is not None:
        cold = encoder_stage.fit_without_judged_days(
            tfidf.model, oof, m, data, tfidf.unlabelled, tfidf.fold_masks, encoder,
            cache or EmbeddingCache(None, encoder.spec), tfidf.cold_start, config,
        )  # fmt: skip
        model = tfidf.model.with_threshold(cold.tfidf_threshold)
        return result(
            model=model, oof=cold.oof, threshold_rows=cold.source, head=cold.head,
            tfidf_oof=oof, cold_start=tfidf.cold_start,
        )  # fmt: skip
    plain = result(
        model=tfidf.model, oof=oof, threshold_rows=tfidf.source, cold_start=tfidf.cold_start
    )
    if encoder is None or not tfidf.has_judged or not tfidf.judged_relevant:
        return plain
    tfidf_oof = np.full(m.X.shape[0], np.nan)
    tfidf_oof[oof.rows] = oof.score
    judged = np.zeros(m.X.shape[0], dtype=bool)
    judged[oof.rows] = m.kinds[oof.rows] == Kind.JUDGED
    fitted = encoder_stage.fit(
        data.examples, m.kinds, m.relevant, tfidf_oof, tfidf.fold_masks, judged, encoder,
        cache or EmbeddingCache(None, encoder.spec), config,
    )  # fmt: skip
    if fitted is None:
        log.warning(
            "the encoder stage was not trained: the judged days leave too few papers to "
            "measure it out of fold; the model is the TF-IDF stage alone"
        )
        return result(model=tfidf.model, oof=oof, threshold_rows=tfidf.source)
    blended = OutOfFold(oof.rows, fitted.score[oof.rows], oof.section)
    head = fitted.head
    if config.threshold_recent_days is not None:
        recent = recent_threshold(
            m.kinds[oof.rows], m.groups[oof.rows], m.relevant[oof.rows], blended.score,
            config.threshold_recent_days,
        )  # fmt: skip
        if config.threshold_lower_of_both:
            recent = min(recent, head.threshold)  # the head's own: all judged days'
        head = dataclasses.replace(head, threshold=recent)
    return result(
        model=tfidf.model, oof=blended, threshold_rows=tfidf.source, head=head, tfidf_oof=oof
    )


def train_tfidf(
    data: TrainingData,
    labels: Sequence[str],
    title_rule: TitleRule | None,
    config: TrainingConfig,
) -> TfidfFit:
    """The TF-IDF stage: self-training when there is no judged day, out-of-fold scores, the
    threshold, and the models refitted on every row and exported."""
    check_trainable(data)
    vectorizer, m = vectorise(data, config)
    has_judged = bool((m.kinds == Kind.JUDGED).any())
    cold_start = not (m.labelled & ~m.relevant).any()
    # No judged day: the background rows, which the list's self-training drew positives from.
    unlabelled = self_train(vectorizer, m, config)
    rest_folds = config.rest_folds if has_judged else config.threshold_folds
    fold_masks = folds(m, config.threshold_folds, rest_folds)
    oof = cross_validate(m, fold_masks, labels, config, title_rule)
    everything = np.ones(m.X.shape[0], dtype=bool)
    relevance = fit_relevance(m, everything, config)
    threshold, source = _threshold(m, oof, relevance, unlabelled, has_judged, cold_start, config)
    section = fit_section(m, everything, labels, config)
    model = export(vectorizer, relevance, section, labels, threshold, title_rule)
    judged = m.kinds[oof.rows] == Kind.JUDGED
    judged_relevant = bool(m.relevant[oof.rows][judged].any()) if has_judged else False
    return TfidfFit(
        model, oof, m, fold_masks, source, has_judged, judged_relevant, bool(cold_start),
        unlabelled,
    )  # fmt: skip


def _threshold(
    m: Matrix,
    oof: OutOfFold,
    relevance: LinearFit,
    unlabelled: IndexArray | None,
    has_judged: bool,
    cold_start: bool,
    config: TrainingConfig,
) -> tuple[float, str]:
    """The TF-IDF stage's threshold and which rows chose it (in words): the F1-best on the
    judged days' out-of-fold scores (or on the labelled papers' without judged days), or, for
    a list that self-trained, the share of the background it scores highest."""
    if unlabelled is not None:
        # Decisions are no sample of a night: the bot chose them, so the F1-best threshold on
        # them proposes nearly everything above the lowest kept paper (0.03 after two nights).
        # With the encoder, the share is estimated there and this threshold set again.
        cold = config.cold
        share = cold.share_without_encoder if cold.share is None else cold.share
        scores = relevance.clf.predict_proba(relevance.design(m, unlabelled))[:, 1]
        source = (
            f"{'cold start: no negative labels yet' if cold_start else 'no judged day yet'}; "
            f"proposes the {share:.1%} of the background it scores highest ("
            f"{'a fixed share' if cold.share is not None else 'no encoder to estimate it'})"
        )
        return float(np.quantile(scores, 1 - share)), source
    kinds = m.kinds[oof.rows]
    use = kinds == Kind.JUDGED if has_judged else np.ones(len(oof.rows), dtype=bool)
    recent = config.threshold_recent_days if has_judged else None
    if recent is not None and len(set(m.groups[oof.rows][kinds == Kind.JUDGED])) <= recent:
        recent = None  # a young list: all its days are recent
    if recent is not None:
        use &= _recent_days(kinds, m.groups[oof.rows], recent)
    y = m.relevant[oof.rows][use]
    if use.any() and y.any() and not y.all():
        source = "judged days" if has_judged else "labelled papers"
        threshold = best_f1_threshold(y, oof.score[use])
        if recent is not None:
            source = f"the {recent} most recent judged days"
            if config.threshold_lower_of_both:
                every = kinds == Kind.JUDGED
                threshold = min(
                    threshold, best_f1_threshold(m.relevant[oof.rows][every], oof.score[every])
                )
                # Phrased to end as the card's other window does ("chosen as the maximum
                # F1 on out-of-fold scores of ...").
                source = f"the lower cut: all judged days or the {recent} most recent judged days"
        return threshold, source
    return 0.5, "none (too few labelled papers with abstracts: default 0.5)"


def _recent_days(kinds: ObjectArray, groups: ObjectArray, days: int) -> BoolArray:
    """The rows of the ``days`` most recent judged days."""
    judged = kinds == Kind.JUDGED
    latest = sorted({str(g) for g in groups[judged]})[-days:]
    mask: BoolArray = judged & np.isin(groups, latest)
    return mask


def recent_threshold(
    kinds: ObjectArray, groups: ObjectArray, relevant: BoolArray, score: FloatArray, days: int
) -> float:
    """The F1-best threshold on the out-of-fold scores (``score``, with their rows' kinds,
    days and labels) of the ``days`` most recent judged days: the recipe's
    ``threshold_recent_days``, as a model's latest days say best where tomorrow's papers
    will score. All judged days when the recent ones hold no relevant paper or nothing
    else."""
    use = _recent_days(kinds, groups, days)
    if not (relevant[use].any() and not relevant[use].all()):
        use = kinds == Kind.JUDGED
    return best_f1_threshold(relevant[use], score[use])
