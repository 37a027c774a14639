"""The second stage: the TF-IDF model's shortlist re-scored by a sentence encoder's head.

Every paper is scored by the TF-IDF + logistic-regression model (fast, explainable). Papers
at or above the shortlist floor (a TF-IDF probability that keeps 98% of the relevant judged
papers out of fold, about an eighth of a day) are also embedded by the sentence encoder
(:mod:`hfm_bot.classifier.encoder`) and scored by a logistic regression on the embedding. The
two opinions are z-scored logits, blended ``weight`` to ``1 - weight``, and the blend's
logistic is the paper's score; a paper under the floor keeps the encoder's average opinion
(z = 0), so it ranks by its TF-IDF score alone and says so. The floor, the weight and the
threshold are chosen from out-of-fold scores of the judged days, on the same day-whole folds
that choose the TF-IDF threshold, and stored in ``encoder_head.json`` beside the TF-IDF model.
When the encoder cannot run, the bot says so once and uses the TF-IDF model with its own
stored threshold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hfm_bot.classifier.encoder import (
    Encoder,
    EncoderError,
    EncoderSpec,
    Float32Array,
    encoder_text,
)
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.model import (
    BoolArray,
    FloatArray,
    IndexArray,
    Model,
    ModelError,
    ObjectArray,
)
from hfm_bot.classifier.night_share import ListScope, ScopeError, night_threshold
from hfm_bot.files import atomic_write_text
from hfm_bot.labelled import Kind
from hfm_bot.prediction import Prediction

if TYPE_CHECKING:
    from hfm_bot.classifier.training import Example
    from hfm_bot.paper import Paper

log = logging.getLogger(__name__)

HEAD_FILE = "encoder_head.json"
FORMAT = "hfm-bot-encoder-head"
FORMAT_VERSION = 1
HEAD_C = 10.0
"""The head's inverse regularisation: 1, 10 and 100 were measured on the dev days (leave one
day out, blend F1 0.815 / 0.812 / 0.805, average precision 0.882 / 0.890 / 0.890)."""
SHORTLIST_RECALL = 0.98
MIN_SCORED = 20
"""Fewest shortlisted judged papers scored out of fold that can choose a blend."""
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
"""Blend weights of the TF-IDF opinion tried; the best out-of-fold F1 wins."""

STAGE_TFIDF = "tfidf"
STAGE_BLEND = "tfidf+encoder"
STAGE_FALLBACK = "tfidf (encoder unavailable)"


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    out: FloatArray = np.log(q / (1 - q))
    return out


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
    return out


@dataclass(frozen=True, slots=True)
class SecondOpinion:
    """The encoder head and how its opinion is blended with the TF-IDF model's."""

    spec: EncoderSpec
    coef: FloatArray
    intercept: float
    weight: float
    """Weight of the TF-IDF opinion; the encoder's is ``1 - weight``."""
    tfidf_mean: float
    tfidf_std: float
    encoder_mean: float
    encoder_std: float
    floor: float
    """TF-IDF probability from which a paper is shortlisted (re-scored by the encoder)."""
    threshold: float
    """On the blended score: a paper at or above it is proposed."""
    scale: float = 1.0
    offset: float = 0.0
    """Platt scaling of the blended logit, fitted on the judged days' out-of-fold rows, so
    the score reads as a probability (it does not change the ranking)."""
    scope: ListScope | None = None
    """A cold start's list scope: when set, the nightly proposes as many of the night's
    papers as it counts in scope (:mod:`hfm_bot.classifier.night_share`), not those above
    :attr:`threshold`."""

    def encoder_logit(self, embeddings: Float32Array | FloatArray) -> FloatArray:
        out: FloatArray = embeddings.astype(np.float64) @ self.coef + self.intercept
        return out

    def blend(self, tfidf_p: FloatArray, encoder_logit: FloatArray | None) -> FloatArray:
        """The final score; ``encoder_logit`` NaN (or None) where the encoder did not run."""
        zt = (_logit(tfidf_p) - self.tfidf_mean) / self.tfidf_std
        ze = np.zeros_like(zt)
        if encoder_logit is not None:
            ze = np.nan_to_num((encoder_logit - self.encoder_mean) / self.encoder_std, nan=0.0)
        return _sigmoid(self.scale * (self.weight * zt + (1.0 - self.weight) * ze) + self.offset)

    def save(self, directory: Path) -> None:
        header: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "encoder": self.spec.to_json(),
            "coef": [float(c) for c in self.coef],
            "intercept": self.intercept,
            "weight": self.weight,
            "tfidf_mean": self.tfidf_mean,
            "tfidf_std": self.tfidf_std,
            "encoder_mean": self.encoder_mean,
            "encoder_std": self.encoder_std,
            "floor": self.floor,
            "threshold": self.threshold,
            "scale": self.scale,
            "offset": self.offset,
        }
        if self.scope is not None:
            header["list_scope_sha256"] = self.scope.save(directory)
        header["sha256"] = _checksum(header)
        atomic_write_text(directory / HEAD_FILE, json.dumps(header, indent=1) + "\n")

    @classmethod
    def load(cls, directory: Path) -> SecondOpinion | None:
        """The head stored with a model, or None for a model trained without one."""
        path = directory / HEAD_FILE
        retrain = "retrain with `hfm-bot train`"
        if not path.exists():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelError(f"{path}: damaged ({err}); {retrain}") from err
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ModelError(f"{path}: not an hfm-bot encoder head; {retrain}")
        if raw.get("format_version") != FORMAT_VERSION or raw.get("sha256") != _checksum(raw):
            raise ModelError(f"{path}: edited, damaged or of another version; {retrain}")
        try:
            scope_sha = raw.get("list_scope_sha256")
            head = cls(
                spec=EncoderSpec.from_json(raw["encoder"]),
                coef=np.array(raw["coef"], dtype=np.float64),
                **{k: float(raw[k]) for k in _NUMBERS},
                scope=None if scope_sha is None else ListScope.load(directory, str(scope_sha)),
            )
        except ScopeError as err:
            raise ModelError(str(err)) from err
        except (KeyError, TypeError, ValueError) as err:
            raise ModelError(f"{path}: damaged ({err}); {retrain}") from err
        if not (
            0 <= head.threshold <= 1 and 0 <= head.weight <= 1 and np.isfinite(head.coef).all()
        ):
            raise ModelError(f"{path}: values out of range; {retrain}")
        return head


_NUMBERS = (
    "intercept",
    "weight",
    "tfidf_mean",
    "tfidf_std",
    "encoder_mean",
    "encoder_std",
    "floor",
    "threshold",
    "scale",
    "offset",
)


def _checksum(header: dict[str, Any]) -> str:
    body = {k: v for k, v in header.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------- embeddings, cached


def default_cache_dir() -> Path:
    """Where embeddings outlive a run (``$XDG_CACHE_HOME/hfm-bot``, else ``~/.cache/hfm-bot``):
    training, the nightly and the benchmarks share it, so a paper is encoded once."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hfm-bot"


class EmbeddingCache:
    """Embeddings by paper id and text hash, for one encoder: a retrain encodes only what is
    new. Kept outside the repository (its growth budget is for labels), in one ``.npz`` per
    encoder identity; deleting it only costs time."""

    def __init__(self, directory: Path | None, spec: EncoderSpec) -> None:
        self.path = None if directory is None else directory / f"embeddings-{spec.identity}.npz"
        self.vectors: dict[str, FloatArray] = {}
        self.added = 0
        if self.path is not None and self.path.exists():
            try:
                with np.load(self.path, allow_pickle=False) as arrays:
                    keys, matrix = arrays["keys"], arrays["vectors"]
                self.vectors = {str(k): matrix[i] for i, k in enumerate(keys)}
            except (OSError, ValueError, KeyError) as err:
                log.warning("%s: unreadable embedding cache, rebuilding it (%s)", self.path, err)

    @staticmethod
    def key(paper_id: str, text: str) -> str:
        return f"{paper_id}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"

    def embed(self, encoder: Encoder, ids: Sequence[str], texts: Sequence[str]) -> Float32Array:
        keys = [self.key(i, t) for i, t in zip(ids, texts, strict=True)]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items()
        )
        if missing:
            vectors = encoder.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                self.vectors[k] = v.astype(np.float32)
            self.added += len(missing)
        width = encoder.width
        return np.array([self.vectors[k] for k in keys], dtype=np.float32).reshape(-1, width)

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        from hfm_bot.files import atomic_binary_writer

        keys = sorted(self.vectors)
        with atomic_binary_writer(self.path) as handle:
            np.savez(
                handle,
                keys=np.array(keys, dtype=str),
                vectors=np.array([self.vectors[k] for k in keys]),
            )


# ---------------------------------------------------------------- fitting


@dataclass(frozen=True, slots=True)
class HeadRows:
    """What the head learns from and is scored on, as indices into the training examples."""

    train: IndexArray
    """Rows the head may learn from: the list's titles, and labelled papers that are not
    judged or whose TF-IDF score reaches the floor (the nightly's shortlist region)."""
    embeddings: Float32Array
    """One row per training example (zeros where not embedded)."""


def shortlisted(tfidf_oof: FloatArray, floor: float) -> BoolArray:
    """Rows with a TF-IDF out-of-fold score (not NaN) at or above the floor."""
    return ~np.isnan(tfidf_oof) & (np.nan_to_num(tfidf_oof, nan=-1.0) >= floor)


def shortlist_floor(y: BoolArray, tfidf: FloatArray) -> float:
    """The TF-IDF probability above which SHORTLIST_RECALL of the relevant papers lie."""
    positives = tfidf[y]
    if not len(positives):
        return 0.0
    return float(np.quantile(positives, 1.0 - SHORTLIST_RECALL))


def head_rows(
    examples: Sequence[Example],
    kinds: ObjectArray,
    tfidf_oof: FloatArray,
    floor: float,
    encoder: Encoder,
    cache: EmbeddingCache,
) -> HeadRows:
    """Embed the rows the head needs (through the cache)."""
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
    return HeadRows(np.flatnonzero(train), embeddings)


def _fit_head(x: Float32Array, y: BoolArray) -> tuple[FloatArray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=HEAD_C, max_iter=5000)
    clf.fit(x, y)
    return np.asarray(clf.coef_[0], dtype=np.float64), float(clf.intercept_[0])


def head_out_of_fold(
    rows: HeadRows,
    relevant: BoolArray,
    folds: Sequence[BoolArray],
    targets: BoolArray,
) -> FloatArray:
    """The head's logit for each ``targets`` row (a boolean mask), from a head fitted without
    that row's fold; NaN elsewhere."""
    out = np.full(len(relevant), np.nan)
    train = np.zeros(len(relevant), dtype=bool)
    train[rows.train] = True
    for held in folds:
        test = np.flatnonzero(held & targets)
        fit = train & ~held
        if not len(test) or len(np.unique(relevant[fit])) < 2:
            continue
        coef, intercept = _fit_head(rows.embeddings[fit], relevant[fit])
        out[test] = rows.embeddings[test].astype(np.float64) @ coef + intercept
    return out


@dataclass(frozen=True, slots=True)
class Fitted:
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
    best_f1_threshold: Callable[[BoolArray, FloatArray], float],
) -> Fitted | None:
    """Choose the floor, fit the head out of fold, choose the weight and the threshold on
    the judged rows' out-of-fold scores, then fit the head on every row. None when the
    judged days cannot measure a blend (no fold leaves both relevant and other papers to
    learn from, or too few shortlisted papers were scored out of fold)."""
    scored = ~np.isnan(tfidf_oof)
    floor = shortlist_floor(relevant[judged & scored], tfidf_oof[judged & scored])
    rows = head_rows(examples, kinds, tfidf_oof, floor, encoder, cache)
    short = shortlisted(tfidf_oof, floor)
    enc = head_out_of_fold(rows, relevant, folds, short)
    basis = judged & short & ~np.isnan(enc)
    if basis.sum() < MIN_SCORED or len(np.unique(relevant[basis])) < 2:
        return None
    tl = _logit(np.nan_to_num(tfidf_oof, nan=0.5))
    stats = (
        float(tl[basis].mean()),
        float(tl[basis].std() or 1.0),
        float(enc[basis].mean()),
        float(enc[basis].std() or 1.0),
    )
    y = relevant[judged & scored]
    best: tuple[float, float, float] | None = None
    for weight in WEIGHTS:
        trial = _head(encoder.spec, np.zeros(1), 0.0, weight, stats, floor, 0.5)
        final = trial.blend(tfidf_oof[judged & scored], enc[judged & scored])
        threshold = best_f1_threshold(y, final)
        chosen = final >= threshold
        tp = float((chosen & y).sum())
        f1 = 2 * tp / max(float(chosen.sum() + y.sum()), 1.0)
        if best is None or f1 > best[0] + 1e-12:
            best = (f1, weight, threshold)
    assert best is not None
    train = np.zeros(len(relevant), dtype=bool)
    train[rows.train] = True
    coef, intercept = _fit_head(rows.embeddings[train], relevant[train])
    # Platt scaling on the chosen blend, then the same threshold on the calibrated scale.
    from sklearn.linear_model import LogisticRegression

    raw = _head(encoder.spec, coef, intercept, best[1], stats, floor, 0.5)
    z = _logit(raw.blend(tfidf_oof[judged & scored], enc[judged & scored]))
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(z[:, None], y)
    scale, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    threshold = float(_sigmoid(np.array([scale * _logit(np.array([best[2]]))[0] + offset]))[0])
    head = dataclasses.replace(raw, threshold=threshold, scale=scale, offset=offset)
    score = np.full(len(relevant), np.nan)
    score[scored] = head.blend(tfidf_oof[scored], enc[scored])
    return Fitted(head, score)


DELETED_WEIGHT = 0.5
"""How far the head leans away from the papers maintainers deleted: its direction is the mean
embedding of the list and the kept papers minus this much of the deleted papers' mean (Rocchio's
relevance feedback). The deleted papers lie close to the kept ones (the bot proposed them all),
so a little goes far: replaying the judged days (benchmarks/feedback_replay.py), with the
decisions of nights 1-20, average precision on nights 21-36 was 0.674 without it and 0.713,
0.753, 0.697, 0.523 with 0.25, 0.5, 0.75, 1."""


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
    tfidf_logit = _logit(background_tfidf[short])
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


def rocchio(listed: Float32Array, kept: Float32Array, deleted: Float32Array) -> FloatArray:
    """The direction of a list with reviews: the mean embedding of the list's entries and the
    papers maintainers kept, leaning away from those they deleted (see
    :data:`DELETED_WEIGHT`)."""
    toward: FloatArray = np.vstack([listed, kept]).astype(np.float64).mean(axis=0)
    if len(deleted):
        toward = toward - DELETED_WEIGHT * deleted.astype(np.float64).mean(axis=0)
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
) -> FloatArray:
    """The blend of a :func:`rocchio` head on held-out papers, each scored by its similarity
    to the list and the decisions of the other folds only, so no paper vouches for itself."""
    out = np.empty(len(held_tfidf))
    for fold in np.unique(held_fold):
        rows = held_fold == fold
        coef = rocchio(listed, kept[kept_fold != fold], deleted[deleted_fold != fold])
        tfidf = held_tfidf[rows]
        logit = np.where(tfidf >= head.floor, held[rows].astype(np.float64) @ coef, np.nan)
        out[rows] = head.blend(tfidf, logit)
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
    return SecondOpinion(spec, coef, intercept, weight, *stats, floor=floor, threshold=threshold)


# ---------------------------------------------------------------- scoring


class Classifier:
    """What the nightly and ``classify`` use: the TF-IDF model, and the encoder's second
    opinion on its shortlist when a head was trained and the encoder can run."""

    def __init__(
        self,
        tfidf: Model,
        head: SecondOpinion | None = None,
        encoder: Encoder | None = None,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.tfidf = tfidf
        self.head = head if encoder is not None else None
        self.encoder = encoder if head is not None else None
        self.fallback = head is not None and encoder is None
        self.cache = cache
        """Embeddings already made (by training, or an earlier run of the same papers) are
        read from it instead of encoded again; the caller saves it."""

    @property
    def threshold(self) -> float:
        return self.head.threshold if self.head is not None else self.tfidf.threshold

    def with_threshold(self, threshold: float) -> Classifier:
        if self.head is None:
            return Classifier(self.tfidf.with_threshold(threshold))
        import dataclasses

        head = dataclasses.replace(self.head, threshold=threshold)
        return Classifier(self.tfidf, head, self.encoder, self.cache)

    def night_threshold(
        self, scored: Sequence[tuple[Paper, Prediction]], stored: float
    ) -> tuple[float, int | None]:
        """Tonight's threshold and how many papers the list's scope counted: with a cold
        start's scope (:mod:`hfm_bot.classifier.night_share`), the score of the last of the
        ``scored`` papers that proposes as many as tonight's titles in scope (the best by
        score, so the near misses are the next best by the same score); otherwise the
        ``stored`` threshold and None. ``scored`` are the night's candidates (the papers not
        yet known that reach the near-miss floor): a paper under the floor is not counted,
        as it could not be proposed."""
        if self.head is None or self.head.scope is None or self.encoder is None:
            return stored, None
        if not scored:
            return stored, 0
        ids = [f"title:{paper.id}" for paper, _ in scored]
        titles = [encoder_text(paper.title, "") for paper, _ in scored]
        vectors = (
            self.cache.embed(self.encoder, ids, titles)
            if self.cache is not None
            else self.encoder.encode(titles)
        )
        count = int(self.head.scope.in_scope(vectors).sum())
        scores = np.array([pred.score for _, pred in scored])
        return night_threshold(scores, count), count

    def predict(self, papers: Sequence[Paper]) -> list[Prediction]:
        return self.predict_texts(
            [p.id for p in papers],
            [paper_text(p.title, p.abstract) for p in papers],
            [encoder_text(p.title, p.abstract) for p in papers],
        )

    def predict_texts(
        self, ids: Sequence[str], texts: Sequence[str], encoder_texts: Sequence[str]
    ) -> list[Prediction]:
        first = self.tfidf.predict_texts(ids, texts)
        if self.head is None or self.encoder is None:
            return self.predict_stage(first)
        return self.second(first, encoder_texts)

    def predict_stage(self, first: Sequence[Prediction]) -> list[Prediction]:
        """First-stage predictions labelled with the stage that decided them (no encoder)."""
        stage = STAGE_FALLBACK if self.fallback else STAGE_TFIDF
        return [_restaged(p, stage) for p in first]

    def second(self, first: Sequence[Prediction], encoder_texts: Sequence[str]) -> list[Prediction]:
        """Re-score the shortlisted predictions of the first stage with the encoder."""
        assert self.head is not None and self.encoder is not None
        tfidf = np.array([p.score for p in first])
        short = np.flatnonzero(tfidf >= self.head.floor)
        enc = np.full(len(first), np.nan)
        if len(short):
            texts = [encoder_texts[int(i)] for i in short]
            vectors = (
                self.cache.embed(self.encoder, [first[int(i)].paper_id for i in short], texts)
                if self.cache is not None
                else self.encoder.encode(texts)
            )
            enc[short] = self.head.encoder_logit(vectors)
        final = self.head.blend(tfidf, enc)
        out = []
        for i, p in enumerate(first):
            encoded = not np.isnan(enc[i])
            out.append(
                Prediction(
                    paper_id=p.paper_id,
                    score=float(final[i]),
                    propose=bool(final[i] >= self.head.threshold),
                    section=p.section,
                    section_scores=p.section_scores,
                    why=p.why,
                    stage=STAGE_BLEND if encoded else STAGE_TFIDF,
                    tfidf_score=p.score,
                    encoder_score=float(_sigmoid(np.array([enc[i]]))[0]) if encoded else None,
                )
            )
        return out


def _restaged(p: Prediction, stage: str) -> Prediction:
    import dataclasses

    return dataclasses.replace(p, stage=stage, tfidf_score=p.score)


def _head_expected(directory: Path) -> bool:
    """Whether a model without its encoder head has lost it: the card (``meta.json``,
    written with every trained model) records ``second_stage: null`` when training made no
    head (``--no-encoder``, or too few judged days to measure one), and only then is the
    TF-IDF stage alone what was meant. A deleted head or a missing card is not."""
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return True
    return not (isinstance(meta, dict) and meta.get("second_stage", True) is None)


def load(
    directory: Path,
    *,
    use_encoder: bool = True,
    encoder_dir: Path | None = None,
    on_warning: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> Classifier:
    """The model in ``directory`` with its encoder stage when it has one and the encoder
    can run; otherwise the TF-IDF model alone, and a warning (once) saying why. With
    ``cache_dir``, embeddings are kept there (see :class:`EmbeddingCache`)."""
    from hfm_bot.classifier import model as model_module

    tfidf = model_module.load(directory)
    head = SecondOpinion.load(directory)
    if head is None and use_encoder and on_warning is not None and _head_expected(directory):
        on_warning(
            f"the encoder stage cannot run ({directory / HEAD_FILE} is missing, and "
            f"{directory / 'meta.json'} does not say the model was trained without it); "
            f"falling back to the TF-IDF model and its own threshold {tfidf.threshold:.4f}"
        )
    if head is None or not use_encoder:
        return Classifier(tfidf)
    try:
        encoder = Encoder.load(head.spec, encoder_dir)
    except EncoderError as err:
        message = (
            f"the encoder stage cannot run ({err}); falling back to the TF-IDF model and its "
            f"own threshold {tfidf.threshold:.4f}"
        )
        if on_warning is not None:
            on_warning(message)
        return Classifier(tfidf, head, None)
    cache = None if cache_dir is None else EmbeddingCache(cache_dir, encoder.spec)
    return Classifier(tfidf, head, encoder, cache)
