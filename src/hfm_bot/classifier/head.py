"""The encoder stage's stored head: a linear opinion on the sentence embedding, how it is
blended with the TF-IDF stage's, and its file (``encoder_head.json``) beside the TF-IDF model.

Every paper is scored by the TF-IDF + logistic-regression model (fast, explainable). Papers
at or above the shortlist floor are also embedded by the sentence encoder
(:mod:`hfm_bot.classifier.encoder`) and scored by this head. The two opinions are z-scored
logits, blended ``weight`` to ``1 - weight``, and the blend's logistic, Platt-scaled, is the
paper's score; a paper under the floor keeps the encoder's average opinion (z = 0), so it
ranks by its TF-IDF score alone. The encoder's opinion may also weigh the paper's nearest
labelled neighbours (:class:`Neighbours`, stored in ``encoder_neighbours.npz``). How the
floor, weight and threshold are chosen is :mod:`hfm_bot.classifier.encoder_stage`'s business;
this module only stores and applies them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hfm_bot.classifier.encoder import EncoderSpec, Float32Array
from hfm_bot.classifier.model import BoolArray, FloatArray, ModelError
from hfm_bot.classifier.night_share import ListScope, ScopeError
from hfm_bot.files import atomic_binary_writer, atomic_write_text, sha256_file

HEAD_FILE = "encoder_head.json"
NEIGHBOURS_FILE = "encoder_neighbours.npz"
FORMAT = "hfm-bot-encoder-head"
FORMAT_VERSION = 1
NEIGHBOURS_VERSION = 2
"""A head with neighbours is version 2, so a bot that predates them refuses it (retrain)
rather than scoring with half of its opinion."""
AGED_NEIGHBOURS_VERSION = 3
"""... and version 3 when its neighbours are weighted by age: a version-2 bot would read
the references and silently leave their weights out."""


def logit(p: FloatArray) -> FloatArray:
    """Log-odds, clipped so a probability of exactly 0 or 1 stays finite (and blendable)."""
    q = np.clip(p, 1e-12, 1 - 1e-12)
    out: FloatArray = np.log(q / (1 - q))
    return out


def sigmoid(z: FloatArray) -> FloatArray:
    """The logistic, clipped so a huge logit gives 0 or 1 without an overflow warning."""
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
    return out


def knn_similarity(
    x: Float32Array | FloatArray,
    references: Float32Array,
    relevant: BoolArray,
    k: int,
    weights: Float32Array | None = None,
) -> FloatArray:
    """Mean cosine similarity of each row of ``x`` to its k nearest relevant references,
    minus that to its k nearest other references (all unit vectors). A linear head draws one
    boundary through the embedding space; the field's small clusters (a new kind of
    foundation model, a modality the list holds a handful of) sit on its wrong side until
    they outnumber the rest, while their nearest labelled neighbours already say relevant.
    With ``weights`` (one per reference, by age), each similarity is scaled by its
    reference's weight before the nearest are taken: an old reference counts as farther."""
    sims = x.astype(np.float32) @ references.T
    if weights is not None:
        sims = sims * weights[None, :]
    out = np.zeros(len(x))
    for side, sign in ((relevant, 1.0), (~relevant, -1.0)):
        part = sims[:, side]
        kk = min(k, part.shape[1])
        if kk:
            out += sign * np.partition(part, -kk, axis=1)[:, -kk:].mean(axis=1)
    return out


def as_stored(references: Float32Array) -> Float32Array:
    """References as the model stores them (float16, half the bytes; their similarities move
    by about 1e-4), so training measures exactly what the stored model will score."""
    out: Float32Array = references.astype(np.float16).astype(np.float32)
    return out


@dataclass(frozen=True, slots=True)
class Neighbours:
    """The k-nearest-neighbour part of the encoder's opinion: the labelled papers the head
    learnt from (embeddings and verdicts), and how their similarity is mixed in."""

    references: Float32Array
    relevant: BoolArray
    k: int
    mix: float
    """Weight of the z-scored similarity; the z-scored logistic regression has ``1 - mix``."""
    lr_mean: float
    lr_std: float
    knn_mean: float
    knn_std: float
    weights: Float32Array | None = None
    """Each reference's weight by its age (see
    :attr:`~hfm_bot.classifier.recipe.TrainingConfig.neighbour_half_life`); None: alike."""

    def opinion(self, lr_logit: FloatArray, embeddings: Float32Array | FloatArray) -> FloatArray:
        """The mixed opinion of rows whose logistic-regression logit is ``lr_logit``."""
        knn = knn_similarity(embeddings, self.references, self.relevant, self.k, self.weights)
        return self.mixed(lr_logit, knn)

    def mixed(self, lr_logit: FloatArray, knn: FloatArray) -> FloatArray:
        zl = (lr_logit - self.lr_mean) / self.lr_std
        zk = (knn - self.knn_mean) / self.knn_std
        out: FloatArray = (1.0 - self.mix) * zl + self.mix * zk
        return out

    def header(self, directory: Path) -> dict[str, Any]:
        """Write the references beside the head; what the head's file says of them."""
        path = directory / NEIGHBOURS_FILE
        with atomic_binary_writer(path) as handle:
            references = self.references.astype(np.float16)
            relevant = self.relevant.astype(bool)
            if self.weights is None:
                np.savez(handle, references=references, relevant=relevant)
            else:
                weights = self.weights.astype(np.float32)
                np.savez(handle, references=references, relevant=relevant, weights=weights)
        return {
            "k": self.k,
            "mix": self.mix,
            "lr_mean": self.lr_mean,
            "lr_std": self.lr_std,
            "knn_mean": self.knn_mean,
            "knn_std": self.knn_std,
            "sha256": sha256_file(path),
        }

    @classmethod
    def load(cls, directory: Path, raw: Any, width: int) -> Neighbours:
        """The references the head's file names, checked against its SHA-256."""
        path = directory / NEIGHBOURS_FILE
        retrain = "retrain with `hfm-bot train`"
        if not isinstance(raw, dict):
            raise ModelError(f"{directory / HEAD_FILE}: neighbours damaged; {retrain}")
        try:
            actual = sha256_file(path)
        except OSError as err:
            raise ModelError(f"{path}: cannot read ({err.strerror}); {retrain}") from err
        if actual != raw.get("sha256"):
            raise ModelError(f"{path}: edited, damaged or not this head's; {retrain}")
        try:
            with np.load(path, allow_pickle=False) as arrays:
                references = arrays["references"].astype(np.float32)
                relevant = arrays["relevant"].astype(bool)
                weights = (
                    arrays["weights"].astype(np.float32) if "weights" in arrays.files else None
                )
            k = raw["k"]
            if isinstance(k, bool) or not isinstance(k, int) or k < 1:
                raise ValueError("k is not a positive integer")
            numbers = {
                n: float(raw[n]) for n in ("mix", "lr_mean", "lr_std", "knn_mean", "knn_std")
            }
        except (OSError, KeyError, TypeError, ValueError) as err:
            raise ModelError(f"{path}: damaged ({err}); {retrain}") from err
        if references.ndim != 2 or references.shape[1] != width or len(relevant) != len(references):
            raise ModelError(f"{path}: does not fit the head's {width} dimensions; {retrain}")
        if weights is not None and weights.shape != relevant.shape:
            raise ModelError(f"{path}: one weight per reference expected; {retrain}")
        return cls(references, relevant, k, **numbers, weights=weights)


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
    neighbours: Neighbours | None = None
    """With it, the encoder's opinion mixes the similarity to the nearest labelled papers
    into the logistic regression's (see :class:`Neighbours`)."""

    def encoder_logit(self, embeddings: Float32Array | FloatArray) -> FloatArray:
        out: FloatArray = embeddings.astype(np.float64) @ self.coef + self.intercept
        if self.neighbours is not None:
            return self.neighbours.opinion(out, embeddings)
        return out

    def blend(self, tfidf_p: FloatArray, encoder_logit: FloatArray | None) -> FloatArray:
        """The final score; ``encoder_logit`` NaN (or None) where the encoder did not run."""
        zt = (logit(tfidf_p) - self.tfidf_mean) / self.tfidf_std
        ze = np.zeros_like(zt)
        if encoder_logit is not None:
            ze = np.nan_to_num((encoder_logit - self.encoder_mean) / self.encoder_std, nan=0.0)
        return sigmoid(self.scale * (self.weight * zt + (1.0 - self.weight) * ze) + self.offset)

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
        if self.neighbours is not None:
            header["format_version"] = (
                NEIGHBOURS_VERSION if self.neighbours.weights is None else AGED_NEIGHBOURS_VERSION
            )
            header["neighbours"] = self.neighbours.header(directory)
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
        version = raw.get("format_version")
        versions = (FORMAT_VERSION, NEIGHBOURS_VERSION, AGED_NEIGHBOURS_VERSION)
        if version not in versions or raw.get("sha256") != _checksum(raw):
            raise ModelError(f"{path}: edited, damaged or of another version; {retrain}")
        try:
            scope_sha = raw.get("list_scope_sha256")
            head = cls(
                spec=EncoderSpec.from_json(raw["encoder"]),
                coef=np.array(raw["coef"], dtype=np.float64),
                **{k: float(raw[k]) for k in _NUMBERS},
                scope=None if scope_sha is None else ListScope.load(directory, str(scope_sha)),
                neighbours=None
                if version == FORMAT_VERSION
                else Neighbours.load(directory, raw.get("neighbours"), len(raw["coef"])),
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
