"""The encoder stage's fit: which papers the sentence encoder reads (the TF-IDF stage's
shortlist), the head on their embeddings, and the blend with the TF-IDF opinion.

With judged days (:func:`fit`), the shortlist floor, the head, the blend weight and the
threshold are chosen from out-of-fold scores of the judged days, on the same day-whole folds
that choose the TF-IDF threshold. Without them (:func:`fit_without_judged_days`: a new list,
or one with only the maintainers' reviews), the head is the list's direction in the
embedding space and its threshold proposes a share of the background. Either way the result is
a :class:`~hfm_bot.classifier.head.SecondOpinion`, stored and scored alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from hfm_bot.classifier import defining_terms, night_share
from hfm_bot.classifier.cross_validation import OutOfFold
from hfm_bot.classifier.defining_terms import DefiningTerms
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.encoder import Encoder, EncoderSpec, Float32Array, encoder_text
from hfm_bot.classifier.features import title_of
from hfm_bot.classifier.figures import best_f1_threshold
from hfm_bot.classifier.head import (
    Neighbours,
    SecondOpinion,
    as_stored,
    knn_similarity,
    logit,
    sigmoid,
)
from hfm_bot.classifier.model import BoolArray, FloatArray, IndexArray, Model, ObjectArray
from hfm_bot.classifier.recipe import ColdStart, TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix
from hfm_bot.classifier.training_data import AGED_KINDS, Example, TrainingData
from hfm_bot.labelled import Kind


@dataclass(frozen=True, slots=True)
class HeadRows:
    """What the head learns from and is scored on, as indices into the training examples."""

    train: IndexArray
    """Rows the head may learn from: the list's titles, and labelled papers that are not
    judged or whose TF-IDF score reaches the floor (the nightly's shortlist region)."""
    embeddings: Float32Array
    """One row per training example (zeros where not embedded)."""
    weights: Float32Array | None = None
    """One per training example: its weight as a neighbour, by its age (None: alike; see
    :func:`reference_weights`)."""


def reference_weights(
    examples: Sequence[Example], relevant: BoolArray, config: TrainingConfig
) -> Float32Array | None:
    """Each row's weight as a neighbour: halved per ``neighbour_half_life`` days between its
    date and the newest labelled date (the training's "now"), on the relevant rows or on
    both sides (``neighbour_sides``); undated rows and the other side count 1. The field
    moves: a paper close to last month's kept papers is likelier in scope than one close
    only to last year's. None without a half-life."""
    half_life = config.neighbour_half_life
    if half_life is None:
        return None
    labelled = [ex.date for ex in examples if ex.date and ex.kind in AGED_KINDS]
    if not labelled:
        return None
    newest = dt.date.fromisoformat(max(labelled)).toordinal()
    age = np.array(
        [newest - dt.date.fromisoformat(ex.date).toordinal() if ex.date else 0 for ex in examples],
        dtype=np.float64,
    )
    weights = 0.5 ** (np.clip(age, 0, None) / half_life)
    if config.neighbour_sides != "both":
        weights = np.where(relevant, weights, 1.0)
    out: Float32Array = weights.astype(np.float32)
    return out


def shortlisted(tfidf_oof: FloatArray, floor: float) -> BoolArray:
    """Rows with a TF-IDF out-of-fold score (not NaN) at or above the floor."""
    return ~np.isnan(tfidf_oof) & (np.nan_to_num(tfidf_oof, nan=-1.0) >= floor)


def shortlist_floor(y: BoolArray, tfidf: FloatArray, recall: float) -> float:
    """The TF-IDF probability above which ``recall`` of the relevant papers lie."""
    positives = tfidf[y]
    if not len(positives):
        return 0.0
    return float(np.quantile(positives, 1.0 - recall))


def head_rows(
    examples: Sequence[Example],
    kinds: ObjectArray,
    tfidf_oof: FloatArray,
    floor: float,
    encoder: Encoder,
    cache: EmbeddingCache,
    weights: Float32Array | None = None,
) -> HeadRows:
    """Embed the rows the head needs (through the cache); ``weights``: each row's as a
    neighbour (:func:`reference_weights`)."""
    evaluable = np.array([ex.evaluable for ex in examples])
    listed = evaluable & (kinds == Kind.LIST)
    scored = ~np.isnan(tfidf_oof)
    short = shortlisted(tfidf_oof, floor)
    train = listed | (scored & ((kinds != Kind.JUDGED) | short))
    # Shortlisted rows of any kind are scored out of fold, so they are embedded too.
    embed = [int(i) for i in np.flatnonzero(train | short)]
    vectors = cache.embed(
        encoder,
        [examples[i].paper_id or f"list:{i}" for i in embed],
        [examples[i].encoder_text or examples[i].text for i in embed],
    )
    embeddings = np.zeros((len(examples), encoder.width), dtype=np.float32)
    embeddings[embed] = vectors
    return HeadRows(np.flatnonzero(train), embeddings, weights)


def _fit_head(x: Float32Array, y: BoolArray, c: float) -> tuple[FloatArray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(x, y)
    return np.asarray(clf.coef_[0], dtype=np.float64), float(clf.intercept_[0])


def _fold_pairs(
    rows: HeadRows, relevant: BoolArray, folds: Sequence[BoolArray], targets: BoolArray
) -> Iterator[tuple[IndexArray, BoolArray]]:
    """For each fold, the ``targets`` rows it holds out and the head's training rows outside
    it; a fold with nothing to score, or whose rest has one verdict only, is skipped."""
    train = np.zeros(len(relevant), dtype=bool)
    train[rows.train] = True
    for held in folds:
        test = np.flatnonzero(held & targets)
        fit = train & ~held
        if len(test) and len(np.unique(relevant[fit])) == 2:
            yield test, fit


def head_out_of_fold(
    rows: HeadRows,
    relevant: BoolArray,
    folds: Sequence[BoolArray],
    targets: BoolArray,
    c: float,
) -> FloatArray:
    """The head's logit for each ``targets`` row (a boolean mask), from a head (inverse
    regularisation ``c``) fitted without that row's fold; NaN elsewhere."""
    out = np.full(len(relevant), np.nan)
    for test, fit in _fold_pairs(rows, relevant, folds, targets):
        coef, intercept = _fit_head(rows.embeddings[fit], relevant[fit], c)
        out[test] = rows.embeddings[test].astype(np.float64) @ coef + intercept
    return out


def neighbours_out_of_fold(
    rows: HeadRows,
    relevant: BoolArray,
    folds: Sequence[BoolArray],
    targets: BoolArray,
    ks: Sequence[int],
) -> dict[int, FloatArray]:
    """For each k, the :func:`~hfm_bot.classifier.head.knn_similarity` of each ``targets``
    row to the head's training rows outside its fold (as stored); NaN elsewhere."""
    out = {k: np.full(len(relevant), np.nan) for k in ks}
    for test, fit in _fold_pairs(rows, relevant, folds, targets):
        references = as_stored(rows.embeddings[fit])
        weights = None if rows.weights is None else rows.weights[fit]
        for k in ks:
            out[k][test] = knn_similarity(
                rows.embeddings[test], references, relevant[fit], k, weights
            )
    return out


def opinion_out_of_fold(
    rows: HeadRows,
    relevant: BoolArray,
    folds: Sequence[BoolArray],
    targets: BoolArray,
    c: float,
    neighbours: Neighbours | None,
) -> FloatArray:
    """The encoder's out-of-fold opinion as a head with these ``neighbours`` (their k, mix
    and scales; None: the logistic regression alone) forms it, each part fitted without the
    row's fold: what leave-one-day-out blends with the shipped head's scales."""
    lr = head_out_of_fold(rows, relevant, folds, targets, c)
    if neighbours is None:
        return lr
    knn = neighbours_out_of_fold(rows, relevant, folds, targets, [neighbours.k])
    return neighbours.mixed(lr, knn[neighbours.k])


@dataclass(frozen=True, slots=True)
class Fitted:
    """The head fitted on the judged days, and the blended out-of-fold scores that chose it."""

    head: SecondOpinion
    score: FloatArray
    """The blended out-of-fold score of every row that has a TF-IDF out-of-fold score."""


def fit(
    examples: Sequence[Example],
    kinds: ObjectArray,
    relevant: BoolArray,
    tfidf_oof: FloatArray,
    folds: Sequence[BoolArray],
    judged: BoolArray,
    encoder: Encoder,
    cache: EmbeddingCache,
    config: TrainingConfig,
) -> Fitted | None:
    """Choose the floor, fit the head out of fold, choose its neighbours' k and mix (or
    none), the blend weight and the threshold on the judged rows' out-of-fold scores, then
    fit the head on every row. None when the
    judged days cannot measure a blend (no fold leaves both relevant and other papers to
    learn from, or too few shortlisted papers were scored out of fold)."""
    scored = ~np.isnan(tfidf_oof)
    recall = config.shortlist_recall
    floor = shortlist_floor(relevant[judged & scored], tfidf_oof[judged & scored], recall)
    weights = reference_weights(examples, relevant, config)
    rows = head_rows(examples, kinds, tfidf_oof, floor, encoder, cache, weights)
    return fit_rows(rows, relevant, tfidf_oof, folds, judged, floor, encoder.spec, config)


def fit_rows(
    rows: HeadRows,
    relevant: BoolArray,
    tfidf_oof: FloatArray,
    folds: Sequence[BoolArray],
    judged: BoolArray,
    floor: float,
    spec: EncoderSpec,
    config: TrainingConfig,
) -> Fitted | None:
    """:func:`fit` once the floor is chosen and the rows embedded (the benchmark of what
    the encoder reads gives its own embeddings here)."""
    scored = ~np.isnan(tfidf_oof)
    short = shortlisted(tfidf_oof, floor)
    lr = head_out_of_fold(rows, relevant, folds, short, config.head_c)
    basis = judged & short & ~np.isnan(lr)
    if basis.sum() < config.min_scored or len(np.unique(relevant[basis])) < 2:
        return None
    knn = neighbours_out_of_fold(rows, relevant, folds, short, config.neighbour_ks)
    tl = logit(np.nan_to_num(tfidf_oof, nan=0.5))
    y = relevant[judged & scored]
    train = np.zeros(len(relevant), dtype=bool)
    train[rows.train] = True

    def spread(v: FloatArray) -> tuple[float, float]:
        return float(v[basis].mean()), float(v[basis].std() or 1.0)

    # The logistic regression alone, then each k and mix of the neighbours: the best
    # out-of-fold F1 (at its own best blend weight and threshold) wins, the first of equals.
    best: tuple[float, Neighbours | None, float, float] | None = None
    for k, mix in [(0, 0.0)] + [
        (k, m) for k in config.neighbour_ks for m in config.neighbour_mixes
    ]:
        neighbours = None
        if mix > 0:
            neighbours = Neighbours(
                as_stored(rows.embeddings[train]), relevant[train], k, mix, *spread(lr),
                *spread(knn[k]), None if rows.weights is None else rows.weights[train],
            )  # fmt: skip
        enc = lr if neighbours is None else neighbours.mixed(lr, knn[k])
        stats = (*spread(tl), *spread(enc))
        f1, weight, threshold = _best_blend(
            y, tfidf_oof[judged & scored], enc[judged & scored], spec, stats, floor,
            config.blend_weights,
        )  # fmt: skip
        if best is None or f1 > best[0] + 1e-12:
            best = (f1, neighbours, weight, threshold)
    assert best is not None
    _, neighbours, weight, raw_threshold = best
    enc = lr if neighbours is None else neighbours.mixed(lr, knn[neighbours.k])
    stats = (*spread(tl), *spread(enc))
    tfidf_judged, enc_judged = tfidf_oof[judged & scored], enc[judged & scored]
    coef, intercept = _fit_head(rows.embeddings[train], relevant[train], config.head_c)
    raw = dataclasses.replace(
        _head(spec, coef, intercept, weight, stats, floor, 0.5), neighbours=neighbours
    )
    head = _platt_scaled(raw, y, tfidf_judged, enc_judged, raw_threshold)
    score = np.full(len(relevant), np.nan)
    score[scored] = head.blend(tfidf_oof[scored], enc[scored])
    return Fitted(head, score)


def _best_blend(
    y: BoolArray,
    tfidf: FloatArray,
    enc: FloatArray,
    spec: EncoderSpec,
    stats: tuple[float, float, float, float],
    floor: float,
    weights: Sequence[float],
) -> tuple[float, float, float]:
    """The blend weight (of the TF-IDF opinion) with the best out-of-fold F1 at its own
    F1-best threshold: that F1, the weight and the threshold; the first of equals wins."""
    best: tuple[float, float, float] | None = None
    for weight in weights:
        trial = _head(spec, np.zeros(1), 0.0, weight, stats, floor, 0.5)
        final = trial.blend(tfidf, enc)
        threshold = best_f1_threshold(y, final)
        chosen = final >= threshold
        tp = float((chosen & y).sum())
        f1 = 2 * tp / max(float(chosen.sum() + y.sum()), 1.0)
        if best is None or f1 > best[0] + 1e-12:
            best = (f1, weight, threshold)
    assert best is not None
    return best


def _platt_scaled(
    raw: SecondOpinion, y: BoolArray, tfidf: FloatArray, enc: FloatArray, threshold: float
) -> SecondOpinion:
    """Platt scaling on the chosen blend (fitted on the judged rows' out-of-fold scores, so
    the score reads as a probability), and the same threshold on the calibrated scale (the
    scaling is monotone: the ranking and the proposals do not change)."""
    from sklearn.linear_model import LogisticRegression

    z = logit(raw.blend(tfidf, enc))
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(z[:, None], y)
    scale, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    calibrated = float(sigmoid(np.array([scale * logit(np.array([threshold]))[0] + offset]))[0])
    return dataclasses.replace(raw, threshold=calibrated, scale=scale, offset=offset)


@dataclass(frozen=True, slots=True)
class TopicFit:
    """The list's topic as a linear head on the encoder's embedding, and what it says of the
    background."""

    coef: FloatArray
    intercept: float
    share: float
    """The estimated share of the background in the list's scope (unclipped)."""
    list_scores: FloatArray
    """Each list entry's score by a head fitted without its fold."""
    background_scores: FloatArray
    """Each background title's score by a head fitted without its fold."""


def topic_fit(
    listed: Float32Array, background: Float32Array, c: float, folds: int, anchor: float
) -> TopicFit:
    """A logistic regression of the list's titles against the background's titles (classes
    balanced), and the share of the background in the list's scope, estimated from the same
    head out of fold (positive-unlabelled learning, the list standing for the papers in scope):
    the share of background titles scoring at least the ``anchor`` quantile of the list's own
    entries, divided by the ``1 - anchor`` of the list above it. The papers out of scope
    rarely score like the list's entries, so this counts the in-scope ones; it assumes tonight's
    in-scope papers score as the list's entries do, which holds for a list of its field's
    papers (a list of landmarks would make it low)."""
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([listed, background]).astype(np.float64)
    y = np.r_[np.ones(len(listed), dtype=bool), np.zeros(len(background), dtype=bool)]
    fold = np.r_[np.arange(len(listed)) % folds, np.arange(len(background)) % folds]

    def fitted(rows: BoolArray) -> LogisticRegression:
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        return clf.fit(x[rows], y[rows])

    oof = np.zeros(len(y))
    for f in range(folds):
        held = fold == f
        if held.any() and len(np.unique(y[~held])) == 2:
            oof[held] = fitted(~held).decision_function(x[held])
    clf = fitted(np.ones(len(y), dtype=bool))
    list_scores, background_scores = oof[: len(listed)], oof[len(listed) :]
    level = float(np.quantile(list_scores, anchor)) if len(list_scores) else np.inf
    share = float((background_scores >= level).mean() / (1.0 - anchor)) if len(background) else 0.0
    return TopicFit(
        np.asarray(clf.coef_[0], dtype=np.float64),
        float(clf.intercept_[0]),
        share,
        list_scores,
        background_scores,
    )


def cold_head(
    direction: tuple[FloatArray, float],
    background_ids: Sequence[str],
    background_texts: Sequence[str],
    background_tfidf: FloatArray,
    encoder: Encoder,
    cache: EmbeddingCache,
    share: float,
    shortlist: float,
    weight: float,
) -> SecondOpinion:
    """The encoder's opinion for a list with no judged days: a linear head (``direction``:
    coefficients and intercept) on the embeddings of the TF-IDF stage's ``shortlist`` share of
    the background, blended ``weight`` to ``1 - weight`` with the TF-IDF logit, both z-scored
    on that shortlist; the threshold proposes the top ``share`` of the background. Stored and
    scored as any other head."""
    coef, intercept = direction
    floor = float(np.quantile(background_tfidf, 1.0 - shortlist))
    short = np.flatnonzero(background_tfidf >= floor)
    vectors = cache.embed(
        encoder,
        [background_ids[int(i)] for i in short],
        [background_texts[int(i)] for i in short],
    )
    opinion = vectors.astype(np.float64) @ coef + intercept
    tfidf_logit = logit(background_tfidf[short])
    stats = (
        float(tfidf_logit.mean()),
        float(tfidf_logit.std() or 1.0),
        float(opinion.mean()),
        float(opinion.std() or 1.0),
    )
    head = _head(encoder.spec, coef, intercept, weight, stats, floor, 0.5)
    encoder_logit = np.full(len(background_tfidf), np.nan)
    encoder_logit[short] = opinion
    final = head.blend(background_tfidf, encoder_logit)
    return dataclasses.replace(head, threshold=float(np.quantile(final, 1.0 - share)))


def rocchio(
    listed: Float32Array, kept: Float32Array, deleted: Float32Array, deleted_weight: float
) -> FloatArray:
    """The direction of a list with reviews: the mean embedding of the list's entries and the
    papers maintainers kept, leaning away from those they deleted (see
    :attr:`~hfm_bot.classifier.recipe.TrainingConfig.deleted_weight`)."""
    toward: FloatArray = np.vstack([listed, kept]).astype(np.float64).mean(axis=0)
    if len(deleted):
        toward = toward - deleted_weight * deleted.astype(np.float64).mean(axis=0)
    return toward


def similarity_out_of_fold(
    head: SecondOpinion,
    listed: Float32Array,
    kept: Float32Array,
    kept_fold: IndexArray,
    deleted: Float32Array,
    deleted_fold: IndexArray,
    held: Float32Array,
    held_fold: IndexArray,
    held_tfidf: FloatArray,
    deleted_weight: float,
) -> FloatArray:
    """The blend of a :func:`rocchio` head on held-out papers, each scored by its similarity
    to the list and the decisions of the other folds only, so no paper vouches for itself."""
    out = np.empty(len(held_tfidf))
    for fold in np.unique(held_fold):
        rows = held_fold == fold
        kept_in, deleted_in = kept[kept_fold != fold], deleted[deleted_fold != fold]
        coef = rocchio(listed, kept_in, deleted_in, deleted_weight)
        tfidf = held_tfidf[rows]
        opinion = np.where(tfidf >= head.floor, held[rows].astype(np.float64) @ coef, np.nan)
        out[rows] = head.blend(tfidf, opinion)
    return out


def _head(
    spec: EncoderSpec,
    coef: FloatArray,
    intercept: float,
    weight: float,
    stats: tuple[float, float, float, float],
    floor: float,
    threshold: float,
) -> SecondOpinion:
    """A head from its parts; ``stats`` are the two opinions' means and deviations."""
    return SecondOpinion(spec, coef, intercept, weight, *stats, floor=floor, threshold=threshold)


# ---------------------------------------------------------------- no judged day


@dataclass(frozen=True, slots=True)
class ColdFit:
    """The encoder stage of a list with no judged day, and what it sets of the whole."""

    head: SecondOpinion
    tfidf_threshold: float
    """The TF-IDF stage's own threshold (its fallback): the same share of the background."""
    oof: OutOfFold
    """The blended out-of-fold scores the gate compares (the TF-IDF stage's, for a topic
    head, which has none of its own)."""
    source: str
    """How the threshold was chosen, in words (the model card's)."""


@dataclass(frozen=True, slots=True)
class _Unjudged:
    """What the head of a list with no judged day reads: the background the TF-IDF stage
    scored (ids, encoder texts, TF-IDF scores), the list's entries embedded, and the
    labelled papers with abstracts the maintainers kept and deleted (training rows)."""

    rows: list[Example]
    ids: list[str]
    texts: list[str]
    tfidf: FloatArray
    listed: Float32Array
    kept: IndexArray
    deleted: IndexArray


def fit_without_judged_days(
    model: Model,
    oof: OutOfFold,
    m: Matrix,
    data: TrainingData,
    background: IndexArray,
    fold_masks: Sequence[BoolArray],
    encoder: Encoder,
    cache: EmbeddingCache,
    cold_start: bool,
    config: TrainingConfig,
) -> ColdFit:
    """The second stage without judged days, on the TF-IDF stage's shortlist of the
    background. A cold start's head may be the list's topic (:func:`topic_fit`: the list's
    titles against the background's); otherwise it is the similarity to the papers the list
    holds and the maintainers kept, away from those they deleted (:func:`rocchio`), whose
    out-of-fold scores (the decisions, each fold's similarity taken to the papers kept in
    the other folds) are what the gate compares. Either way, the share of a night to propose
    is estimated from how much of the background the topic head puts among the list's own
    entries (unless ``cold.share`` fixes it), and both stages' thresholds propose that share
    of the background."""
    cold = config.cold
    seen = _unjudged(model, m, data, background, encoder, cache)
    topic_head = cold_start and cold.topic_head
    topic = (
        _topic_fit(data, m, seen, encoder, cache, config)
        if cold.share is None or topic_head
        else None
    )
    share, how = _share(cold, topic)
    if topic_head:
        assert topic is not None
        what = "the list's topic (its titles against the background's)"
        head = _cold_head((topic.coef, topic.intercept), seen, encoder, cache, share, cold)
        blended = oof  # the topic head has no out-of-fold scores of its own
    else:
        kept = _embed_rows(data, seen.kept, encoder, cache)
        deleted = _embed_rows(data, seen.deleted, encoder, cache)
        what = "the list" if cold_start else "the list and the kept papers, away from the deleted"
        direction = (rocchio(seen.listed, kept, deleted, config.deleted_weight), 0.0)
        head = _cold_head(direction, seen, encoder, cache, share, cold)
        blended = oof
        if len(oof.rows):
            folds = _Folds(m, fold_masks)
            score = similarity_out_of_fold(
                head, seen.listed, kept, folds.of(seen.kept), deleted, folds.of(seen.deleted),
                _embed_rows(data, oof.rows, encoder, cache), folds.of(oof.rows), oof.score,
                config.deleted_weight,
            )  # fmt: skip
            blended = OutOfFold(oof.rows, score, oof.section)
    threshold = float(np.quantile(seen.tfidf, 1 - share))
    if cold_start and cold.night_share:
        head, counted = _with_scope(head, data, seen, encoder, cache, config)
        how += counted
    source = (
        f"{'cold start: no negative labels yet' if cold_start else 'no judged day yet'}; "
        f"proposes the {share:.1%} of the background it scores highest ({how}); "
        f"the encoder's similarity to {what} on its shortlist"
    )
    return ColdFit(head, threshold, blended, source)


def _with_scope(
    head: SecondOpinion,
    data: TrainingData,
    seen: _Unjudged,
    encoder: Encoder,
    cache: EmbeddingCache,
    config: TrainingConfig,
) -> tuple[SecondOpinion, str]:
    """The head with the list's scope (:mod:`hfm_bot.classifier.night_share`), from the
    titles of the list's entries (and, for the contrast rule, of a seeded background
    sample), and what the model card says of it."""
    cold = config.cold
    titles = list(
        dict.fromkeys(
            encoder_text(title_of(ex.text), "") for ex in data.examples if ex.kind == Kind.LIST
        )
    )
    listed = cache.embed(encoder, [f"list:{t}" for t in titles], titles)
    sampled = 0
    if cold.scope_contrast:
        contrast_rows = np.sort(
            np.random.default_rng(config.seed).permutation(len(seen.rows))[: cold.contrast_titles]
        )
        sampled = len(contrast_rows)
        background = cache.embed(
            encoder,
            [f"title:{seen.ids[int(i)]}" for i in contrast_rows],
            [encoder_text(title_of(seen.rows[int(i)].text), "") for i in contrast_rows],
        )
        scope = night_share.contrast_scope(
            listed, background, cold.scope_k, cold.contrast_k,
            cold.contrast_quantile, cold.scope_quantile if cold.scope_both else None,
        )  # fmt: skip
    else:
        scope = night_share.list_scope(listed, cold.scope_k, cold.scope_quantile)
    both = (
        f", and the similarity alone at least {scope.list_level:.3f}"
        if scope.list_level is not None
        else ""
    )
    contrast = (
        f" minus that to the {cold.contrast_k} nearest of {sampled} background titles{both}"
        if scope.background is not None
        else ""
    )
    how = (
        f"; each night proposes as many as its titles within the list's scope "
        f"(similarity to the {cold.scope_k} nearest entries{contrast} at least "
        f"{scope.level:.3f}, reached by {1 - scope.quantile:.0%} of the entries), the best by "
        "score"
    )
    terms = _defining_terms(data, seen, cold)
    if terms is not None:
        scope = dataclasses.replace(scope, terms=terms)
        how += f"; only papers holding one of the list's defining words: {terms.describe()}"
    return dataclasses.replace(head, scope=scope), how


def _defining_terms(data: TrainingData, seen: _Unjudged, cold: ColdStart) -> DefiningTerms | None:
    """The list's defining words (:mod:`hfm_bot.classifier.defining_terms`): the
    maintainer's when set, else learnt from the list's entries (title and abstract where
    held) against the background's papers; None for no gate."""
    if cold.defining_terms is not None:
        return defining_terms.configured(cold.defining_terms) if cold.defining_terms else None
    if not cold.terms_gate:
        return None
    entries = list(dict.fromkeys(ex.text for ex in data.examples if ex.kind == Kind.LIST))
    return defining_terms.learn(
        entries, [ex.text for ex in seen.rows], coverage=cold.terms_coverage,
        max_background=cold.terms_background, max_terms=cold.terms_max,
        min_support=cold.terms_support, phrases=cold.terms_phrases, min_lift=cold.terms_lift,
        least_coverage=cold.terms_least,
    )  # fmt: skip


class _Folds:
    """Which fold holds each training row out (-1: none)."""

    def __init__(self, m: Matrix, fold_masks: Sequence[BoolArray]) -> None:
        self.fold = np.full(m.X.shape[0], -1)
        for f, mask in enumerate(fold_masks):
            self.fold[mask] = f

    def of(self, rows: IndexArray) -> IndexArray:
        out: IndexArray = self.fold[rows]
        return out


def _cold_head(
    direction: tuple[FloatArray, float],
    seen: _Unjudged,
    encoder: Encoder,
    cache: EmbeddingCache,
    share: float,
    cold: ColdStart,
) -> SecondOpinion:
    return cold_head(
        direction, seen.ids, seen.texts, seen.tfidf, encoder, cache, share, cold.shortlist,
        cold.weight,
    )  # fmt: skip


def _unjudged(
    model: Model,
    m: Matrix,
    data: TrainingData,
    background: IndexArray,
    encoder: Encoder,
    cache: EmbeddingCache,
) -> _Unjudged:
    """The background scored by the TF-IDF stage, the list embedded, and the reviews."""
    listed = list(
        dict.fromkeys(
            ex.encoder_text for ex in data.examples if ex.kind == Kind.LIST and ex.encoder_text
        )
    )
    # Labelled papers with abstracts: not the list's entries (``listed`` has them, once) and
    # not the background papers the self-training vouched for.
    real = m.evaluable & (m.kinds != Kind.SELF_TRAINED) & (m.kinds != Kind.LIST)
    rows = [data.examples[int(i)] for i in background]
    ids = [ex.paper_id or "" for ex in rows]
    tfidf = np.array([p.score for p in model.predict_texts(ids, [ex.text for ex in rows])])
    return _Unjudged(
        rows=rows,
        ids=ids,
        texts=[ex.encoder_text for ex in rows],
        tfidf=tfidf,
        listed=cache.embed(encoder, [f"list:{t}" for t in listed], listed),
        kept=np.flatnonzero(m.labelled & m.relevant & real),
        deleted=np.flatnonzero(m.labelled & ~m.relevant & real),
    )


def _embed_rows(
    data: TrainingData, rows: IndexArray, encoder: Encoder, cache: EmbeddingCache
) -> Float32Array:
    """The embeddings of training rows (title and abstract), through the cache."""
    return cache.embed(
        encoder,
        [data.examples[int(i)].paper_id or "" for i in rows],
        [data.examples[int(i)].encoder_text for i in rows],
    )


def _share(cold: ColdStart, topic: TopicFit | None) -> tuple[float, str]:
    """The share of a night to propose, and how it was had (in words)."""
    if cold.share is not None:
        return cold.share, "a fixed share"
    assert topic is not None
    low, high = cold.share_bounds
    share = float(np.clip(topic.share, low, high))
    return share, f"estimated: {topic.share:.2%} of the background scores as the list's entries do"


def _topic_fit(
    data: TrainingData,
    m: Matrix,
    seen: _Unjudged,
    encoder: Encoder,
    cache: EmbeddingCache,
    config: TrainingConfig,
) -> TopicFit:
    """The list's topic head (see :func:`topic_fit`): the list's titles and the kept papers'
    titles against a sample of the background's titles. Titles on both sides: the list's
    entries have nothing else, and fitted against papers with abstracts a head learns "has an
    abstract" (as the TF-IDF stage would)."""
    cold = config.cold
    sample = _title_sample(len(seen.rows), cold.background_titles, config.seed)
    titles = cache.embed(
        encoder,
        [seen.ids[int(i)] for i in sample],
        [encoder_text(title_of(seen.rows[int(i)].text), "") for i in sample],
    )
    kept_titles = cache.embed(
        encoder,
        [data.examples[int(i)].paper_id or "" for i in seen.kept],
        [encoder_text(title_of(m.texts[int(i)]), "") for i in seen.kept],
    )
    list_titles = list(
        dict.fromkeys(
            encoder_text(title_of(ex.text), "") for ex in data.examples if ex.kind == Kind.LIST
        )
    )
    listed = cache.embed(encoder, [f"list:{t}" for t in list_titles], list_titles)
    return topic_fit(np.vstack([listed, kept_titles]), titles, cold.head_c, cold.folds, cold.anchor)


def _title_sample(n: int, k: int, seed: int) -> IndexArray:
    """Up to k of n rows, seeded, in order: the background titles the topic head reads."""
    if n <= k:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, k, replace=False))
