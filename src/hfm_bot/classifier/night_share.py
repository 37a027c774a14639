"""How much of a night a new list's first model proposes, estimated from the night itself.

A cold start has no judged day, so nothing says where its threshold belongs. A fixed share of
the background (5%) is 5 to 25 times too much for a narrow list (mixture-of-experts papers:
0.2% to 1% of a night) and too little for a broad one (reasoning papers: 5% to 7%), and a
share estimated once from the background at training time was 2 to 10 times too high on
three real lists. What does tell the two kinds of list apart is how tightly the list's own
entries sit together in the encoder's space: the entries of a narrow list are each other's
close neighbours, those of a broad list are spread out. So the list's entries set a bar, the
similarity to their nearest fellow entries that most of them reach (a low quantile of each
entry's leave-one-out nearest-neighbour similarity), and tonight's papers that reach the same
bar against the list are counted: that count is how many the night proposes, the best by the
model's score. The bar adapts to the list (tight list, high bar), the count to the night (a
night with many papers on the topic proposes more).

Both sides are titles read by the encoder: a list's entries are titles only, and a title
compared with a title and an abstract reads as less similar than it is.

The functions are pure; :class:`ListScope` is what training stores with an encoder head
(``list_scope.npz``) and the nightly reads back.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hfm_bot.files import atomic_binary_writer

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SCOPE_FILE = "list_scope.npz"


class ScopeError(ValueError):
    """A stored list scope that cannot be used (damaged, edited or of another shape)."""


def unit_rows(vectors: npt.NDArray[np.floating]) -> FloatArray:
    """Each row scaled to length 1 (a zero row stays zero), so a dot product is a cosine."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"expected a 2-d array of vectors, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: FloatArray = x / np.where(norms == 0.0, 1.0, norms)
    return out


def _top_mean(similarity: FloatArray, k: int) -> FloatArray:
    """The mean of each row's ``k`` largest values (all of them when a row has fewer)."""
    if similarity.shape[1] == 0:
        return np.full(similarity.shape[0], -np.inf)
    k = max(1, min(k, similarity.shape[1]))
    top = np.partition(similarity, similarity.shape[1] - k, axis=1)[:, -k:]
    out: FloatArray = top.mean(axis=1)
    return out


def nearest_similarity(queries: FloatArray, entries: FloatArray, k: int) -> FloatArray:
    """How close each query sits to the list: the mean cosine similarity to its ``k`` nearest
    entries (rows unit length). A mean of a few, not the single nearest, so one entry whose
    title happens to share words with a paper does not vouch for it alone."""
    return _top_mean(queries @ entries.T, k)


def leave_one_out_similarity(entries: FloatArray, k: int) -> FloatArray:
    """Each entry's :func:`nearest_similarity` to the *other* entries: how tightly the list
    holds together, measured as a night's paper will be (an entry is never its own
    neighbour)."""
    similarity = entries @ entries.T
    np.fill_diagonal(similarity, -np.inf)
    return _top_mean(similarity, min(k, max(1, len(entries) - 1)))


@dataclass(frozen=True, slots=True)
class ListScope:
    """The list's entries (title embeddings, unit length) and the bar a night's paper must
    reach to count as in the list's scope."""

    entries: FloatArray
    k: int
    level: float
    """The ``quantile`` of the entries' leave-one-out similarity."""
    quantile: float

    def similarity(self, titles: npt.NDArray[np.floating]) -> FloatArray:
        """Each title's :func:`nearest_similarity` to the list."""
        if len(titles) == 0:
            return np.zeros(0)
        return nearest_similarity(unit_rows(titles), self.entries, self.k)

    def in_scope(self, titles: npt.NDArray[np.floating]) -> BoolArray:
        """Which titles sit as close to the list as most of its own entries do."""
        out: BoolArray = self.similarity(titles) >= self.level
        return out

    def save(self, directory: Path) -> str:
        """Write ``list_scope.npz`` atomically; returns its sha256, which the head that uses
        it records (an edited or swapped file is then refused, as a model's are)."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            entries=self.entries.astype(np.float32),
            k=np.array(self.k),
            level=np.array(self.level),
            quantile=np.array(self.quantile),
        )
        data = buffer.getvalue()
        with atomic_binary_writer(directory / SCOPE_FILE) as handle:
            handle.write(data)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, directory: Path, sha256: str) -> ListScope:
        """The scope saved beside a head whose header records ``sha256``."""
        path = directory / SCOPE_FILE
        retrain = "retrain with `hfm-bot train`"
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ScopeError(f"{path}: missing or unreadable ({err}); {retrain}") from err
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ScopeError(f"{path}: edited, damaged or not this model's; {retrain}")
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                entries = np.asarray(arrays["entries"], dtype=np.float64)
                k, level = int(arrays["k"]), float(arrays["level"])
                quantile = float(arrays["quantile"])
        except (OSError, ValueError, KeyError) as err:
            raise ScopeError(f"{path}: damaged ({err}); {retrain}") from err
        if entries.ndim != 2 or k < 1 or not np.isfinite(entries).all():
            raise ScopeError(f"{path}: values out of range; {retrain}")
        return cls(entries, k, level, quantile)


def list_scope(entries: npt.NDArray[np.floating], k: int, quantile: float) -> ListScope:
    """The scope of a list from its entries' title embeddings: the bar is the ``quantile``
    of their leave-one-out similarity (a low one: most entries reach it, and so do the
    night's papers that sit among them). A list of one entry has no neighbours to measure;
    its bar is then its entry itself (similarity 1), so only near-copies count."""
    if not 0.0 <= quantile <= 1.0:
        raise ValueError(f"quantile must be in [0, 1], got {quantile}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    unit = unit_rows(entries)
    if len(unit) < 2:
        return ListScope(unit, k, 1.0, quantile)
    level = float(np.quantile(leave_one_out_similarity(unit, k), quantile))
    return ListScope(unit, k, level, quantile)


def night_threshold(scores: FloatArray, count: int) -> float:
    """The score threshold that proposes the ``count`` best of a night's ``scores`` (ties at
    the cut all pass, as at any threshold); with ``count`` 0, a threshold above every score,
    so nothing is proposed and the best papers become the near misses."""
    if len(scores) == 0:
        return 1.0
    ranked = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
    if count <= 0:
        return float(np.nextafter(ranked[0], np.inf))
    return float(ranked[min(count, len(ranked)) - 1])
