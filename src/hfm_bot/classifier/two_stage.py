"""The two-stage classifier everything scores with, and its loading.

The TF-IDF model scores every paper; when a head was trained and the sentence encoder can
run, the encoder re-scores the TF-IDF shortlist (:mod:`hfm_bot.classifier.head`). When the
encoder cannot run, the bot says so once and uses the TF-IDF model with its own stored
threshold.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hfm_bot.classifier import model as model_module
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.encoder import Encoder, EncoderError, encoder_text
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.head import HEAD_FILE, SecondOpinion, sigmoid
from hfm_bot.classifier.model import Model
from hfm_bot.classifier.night_share import night_threshold
from hfm_bot.prediction import Prediction

if TYPE_CHECKING:
    from hfm_bot.paper import Paper

STAGE_TFIDF = "tfidf"
STAGE_BLEND = "tfidf+encoder"
STAGE_FALLBACK = "tfidf (encoder unavailable)"


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
        self.terms = head.scope.terms if head is not None and head.scope is not None else None
        """A cold start's defining words: a paper holding none of them is scored 0, so it is
        neither proposed nor counted by the night share (kept when the encoder cannot run:
        the gate reads words, not embeddings)."""
        self.cache = cache
        """Embeddings already made (by training, or an earlier run of the same papers) are
        read from it instead of encoded again; the caller saves it."""

    @property
    def threshold(self) -> float:
        return self.head.threshold if self.head is not None else self.tfidf.threshold

    def with_threshold(self, threshold: float) -> Classifier:
        if self.head is None:
            out = Classifier(self.tfidf.with_threshold(threshold))
            out.terms = self.terms
            return out
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
            out = self.predict_stage(first)
        else:
            out = self.second(first, encoder_texts)
        if self.terms is None:
            return out
        return [p if self.terms.admits(t) else gate_out(p) for p, t in zip(out, texts, strict=True)]

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
                    encoder_score=float(sigmoid(np.array([enc[i]]))[0]) if encoded else None,
                )
            )
        return out


STAGE_GATED = "gated: none of the list's defining words"


def gate_out(p: Prediction) -> Prediction:
    """A paper the defining words keep out: score 0 (under every threshold and near-miss
    floor, so the night share does not count it), its stages' own scores kept to show."""
    tfidf = p.score if p.tfidf_score is None else p.tfidf_score
    return dataclasses.replace(p, score=0.0, propose=False, stage=STAGE_GATED, tfidf_score=tfidf)


def _restaged(p: Prediction, stage: str) -> Prediction:
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
