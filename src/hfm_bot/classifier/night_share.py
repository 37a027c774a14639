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

On a narrow list whose subject is a conjunction ("mixture of experts *for LLMs*"), closeness
to the list alone overshoots 4 to 15 times: every entry is "<X> for LLMs", so a generic LLM
paper sits as close to the list as its entries sit to each other. The contrast rule
(``background`` set) asks instead how much closer a title is to the list than to the
field's generic papers: d(p) = s_list(p) - s_background(p), the mean similarity to its
``k`` nearest entries minus that to its ``background_k`` nearest background titles. A generic
LLM paper has many close background neighbours and falls under the bar; a paper on the
list's own subject has few. The bar is again set by the entries, each measured the same way
(left out of the list side, against the same background).

Neither rule reads words, and on that list the count still overshot 3 to 15 times; a
scope may carry the list's defining words (:mod:`hfm_bot.classifier.defining_terms`), and
a paper holding none of them is then neither counted nor proposed (the classifier scores it
0, so it never reaches the candidates the count is taken over).

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

from hfm_bot.classifier.defining_terms import DefiningTerms, TermsError
from hfm_bot.files import PinnedFileError, atomic_binary_writer, read_pinned

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


def contrast_similarity(
    queries: FloatArray, entries: FloatArray, background: FloatArray, k: int, background_k: int
) -> FloatArray:
    """How much closer each query sits to the list than to the background's generic papers:
    :func:`nearest_similarity` to the entries minus that to the ``background_k`` nearest
    background titles (rows unit length). A mean over many background neighbours, so the
    few papers of the list's own topic that any background holds do not decide it."""
    return nearest_similarity(queries, entries, k) - nearest_similarity(
        queries, background, background_k
    )


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
    background: FloatArray | None = None
    """With it, the contrast rule: a title's similarity is :func:`contrast_similarity`
    against these background titles (unit length), and so is the entries' bar."""
    background_k: int = 10
    list_level: float | None = None
    """With the contrast rule, a title must also reach this plain bar (closeness to the list
    alone; both views): the contrast alone overshoots where the list's field holds many
    near-misses of its own kind that the background lacks, the plain bar where the field is
    full of generic papers; a paper past both is past either's overshoot."""
    terms: DefiningTerms | None = None
    """The list's defining words (:mod:`hfm_bot.classifier.defining_terms`): a night's paper
    holding none of them is neither counted nor proposed. Stored beside the scope as JSON,
    its sha256 recorded in the scope's file."""

    def similarity(self, titles: npt.NDArray[np.floating]) -> FloatArray:
        """Each title's :func:`nearest_similarity` to the list (minus its similarity to the
        background, with the contrast rule)."""
        if len(titles) == 0:
            return np.zeros(0)
        unit = unit_rows(titles)
        if self.background is None:
            return nearest_similarity(unit, self.entries, self.k)
        return contrast_similarity(unit, self.entries, self.background, self.k, self.background_k)

    def in_scope(self, titles: npt.NDArray[np.floating]) -> BoolArray:
        """Which titles sit as close to the list as most of its own entries do (and reach
        :attr:`list_level` too, when set)."""
        out: BoolArray = self.similarity(titles) >= self.level
        if self.list_level is not None and len(titles):
            out &= nearest_similarity(unit_rows(titles), self.entries, self.k) >= self.list_level
        return out

    def save(self, directory: Path) -> str:
        """Write ``list_scope.npz`` atomically; returns its sha256, which the head that uses
        it records (an edited or swapped file is then refused, as a model's are)."""
        buffer = io.BytesIO()
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "entries": self.entries.astype(np.float32),
            "k": np.array(self.k),
            "level": np.array(self.level),
            "quantile": np.array(self.quantile),
        }
        if self.background is not None:
            arrays["background"] = self.background.astype(np.float32)
            arrays["background_k"] = np.array(self.background_k)
        if self.list_level is not None:
            arrays["list_level"] = np.array(self.list_level)
        if self.terms is not None:
            arrays["terms_sha256"] = np.array(self.terms.save(directory))
        np.savez(buffer, allow_pickle=False, **arrays)
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
            data = read_pinned(path, sha256)
        except PinnedFileError as err:
            raise ScopeError(f"{err}; {retrain}") from err
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                entries = np.asarray(arrays["entries"], dtype=np.float64)
                k, level = int(arrays["k"]), float(arrays["level"])
                quantile = float(arrays["quantile"])
                background = (
                    np.asarray(arrays["background"], dtype=np.float64)
                    if "background" in arrays
                    else None
                )
                background_k = int(arrays["background_k"]) if "background_k" in arrays else 10
                list_level = float(arrays["list_level"]) if "list_level" in arrays else None
                terms_sha = str(arrays["terms_sha256"]) if "terms_sha256" in arrays else None
        except (OSError, ValueError, KeyError) as err:
            raise ScopeError(f"{path}: damaged ({err}); {retrain}") from err
        if entries.ndim != 2 or k < 1 or not np.isfinite(entries).all():
            raise ScopeError(f"{path}: values out of range; {retrain}")
        if background is not None and (
            background.ndim != 2
            or background.shape[1] != entries.shape[1]
            or background_k < 1
            or not np.isfinite(background).all()
        ):
            raise ScopeError(f"{path}: background out of range; {retrain}")
        try:
            terms = None if terms_sha is None else DefiningTerms.load(directory, terms_sha)
        except TermsError as err:
            raise ScopeError(str(err)) from err
        return cls(entries, k, level, quantile, background, background_k, list_level, terms)


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


NEAR_COPY = 0.98
"""Background titles at least this close to an entry are the entry itself (a list's paper
the background sample kept under another id): left out of the contrast set, or it would
pull its entry under the bar."""


def contrast_scope(
    entries: npt.NDArray[np.floating],
    background: npt.NDArray[np.floating],
    k: int,
    background_k: int,
    quantile: float,
    list_quantile: float | None = None,
) -> ListScope:
    """The contrast rule's scope: the bar is the ``quantile`` of the entries' own d, each
    entry's leave-one-out similarity to the list minus its similarity to the ``background_k``
    nearest ``background`` titles, so a night's paper counts when it stands out from the
    background as much as most entries do. With ``list_quantile``, a title must also reach
    the plain :func:`list_scope` bar at that quantile (both views). Without background
    titles it is the plain :func:`list_scope` (nothing to contrast with)."""
    if background_k < 1:
        raise ValueError(f"background_k must be at least 1, got {background_k}")
    plain = list_scope(entries, k, quantile if list_quantile is None else list_quantile)
    bg = unit_rows(background) if len(background) else np.zeros((0, plain.entries.shape[1]))
    if len(bg):
        bg = bg[(bg @ plain.entries.T).max(axis=1, initial=-1.0) < NEAR_COPY]
    if len(bg) == 0 or len(plain.entries) < 2:
        return plain
    d = leave_one_out_similarity(plain.entries, k) - nearest_similarity(
        plain.entries, bg, background_k
    )
    level = float(np.quantile(d, quantile))
    both = None if list_quantile is None else plain.level
    return ListScope(plain.entries, k, level, quantile, bg, background_k, both)


def pr_cap(per_night: float, bounds: tuple[int, int], margin: float = 2.0) -> int:
    """The PR's cap for a list whose rule proposes ``per_night`` papers on an average night:
    ``margin`` times that, so a busy night is not held back (on the dev days a night's
    relevant papers reached twice its 3 previous nights' mean one time in ten: see
    :attr:`hfm_bot.classifier.recipe.ColdStart.cap_margin`), within ``bounds``. A cap under the
    nightly flux makes a backlog that never clears."""
    low, high = bounds
    if not 1 <= low <= high:
        raise ValueError(f"cap bounds must satisfy 1 <= low <= high, got {bounds}")
    if not np.isfinite(per_night) or per_night < 0:
        raise ValueError(f"papers per night must be a non-negative number, got {per_night}")
    return int(np.clip(int(np.ceil(margin * per_night)), low, high))


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
