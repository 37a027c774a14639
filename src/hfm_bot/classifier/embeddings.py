"""The embedding cache: sentence embeddings by paper id and text hash, kept between runs.

Training, the nightly and the benchmarks share it, so a paper is encoded once.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hfm_bot.classifier.encoder import Encoder, EncoderSpec, Float32Array
from hfm_bot.classifier.model import FloatArray
from hfm_bot.files import atomic_binary_writer

log = logging.getLogger(__name__)


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
        keys = sorted(self.vectors)
        with atomic_binary_writer(self.path) as handle:
            np.savez(
                handle,
                keys=np.array(keys, dtype=str),
                vectors=np.array([self.vectors[k] for k in keys]),
            )
