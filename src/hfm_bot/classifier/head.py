"""The encoder stage's stored head: a linear opinion on the sentence embedding, how it is
blended with the TF-IDF stage's, and its file (``encoder_head.json``) beside the TF-IDF model.

Every paper is scored by the TF-IDF + logistic-regression model (fast, explainable). Papers
at or above the shortlist floor are also embedded by the sentence encoder
(:mod:`hfm_bot.classifier.encoder`) and scored by this head. The two opinions are z-scored
logits, blended ``weight`` to ``1 - weight``, and the blend's logistic, Platt-scaled, is the
paper's score; a paper under the floor keeps the encoder's average opinion (z = 0), so it
ranks by its TF-IDF score alone. How the floor, weight and threshold are chosen is
:mod:`hfm_bot.classifier.encoder_stage`'s business; this module only stores and applies them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hfm_bot.classifier.encoder import EncoderSpec, Float32Array
from hfm_bot.classifier.model import FloatArray, ModelError
from hfm_bot.classifier.night_share import ListScope, ScopeError
from hfm_bot.files import atomic_write_text

HEAD_FILE = "encoder_head.json"
FORMAT = "hfm-bot-encoder-head"
FORMAT_VERSION = 1


def logit(p: FloatArray) -> FloatArray:
    """Log-odds, clipped so a probability of exactly 0 or 1 stays finite (and blendable)."""
    q = np.clip(p, 1e-12, 1 - 1e-12)
    out: FloatArray = np.log(q / (1 - q))
    return out


def sigmoid(z: FloatArray) -> FloatArray:
    """The logistic, clipped so a huge logit gives 0 or 1 without an overflow warning."""
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
