"""The trained model as data: vocabulary, idf and coefficients, and the scorer that uses them.

A model is stored as ``model.json`` (vocabulary, labels, threshold, intercepts) and
``weights.npz`` (arrays, loaded with ``allow_pickle=False``), so loading one can never run
code. Scoring reproduces the scikit-learn pipeline it was exported from (TF-IDF, then
logistic regression for relevance and for the section) without importing scikit-learn, so
the exported arrays are the model: loading checks hfm-bot's own format version and two
checksums (the weights, and the header itself, so a hand-edited threshold or vocabulary is
caught), never the installed scikit-learn's version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hfm_bot.classifier.features import paper_text, title_of, tokenize
from hfm_bot.errors import HfmBotError
from hfm_bot.jsontypes import JSON, JSONObject
from hfm_bot.prediction import Prediction

if TYPE_CHECKING:
    from hfm_bot.paper import Paper

FORMAT = "hfm-bot-tfidf-lr"
FORMAT_VERSION = 3
READABLE_VERSIONS = (2, 3)
"""Format 2 (before the header checksum) is still read, so a retrain can compare against it."""
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.npz"
STORED_FILES = (MODEL_FILE, WEIGHTS_FILE)
WHY_TERMS = 3

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
"""A mask over rows."""
IndexArray = npt.NDArray[np.intp]
"""Row numbers."""
ObjectArray = npt.NDArray[np.object_]
"""Strings (labels, kinds, groups) per row."""


class ModelError(HfmBotError):
    """The model cannot be used (missing, damaged, or made by another library version)."""


def installed_sklearn_version() -> str | None:
    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return None


def header_checksum(header: Mapping[str, object]) -> str:
    """SHA-256 of the header's canonical JSON, without the checksum itself."""
    body = {k: v for k, v in header.items() if k != "header_sha256"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, allow_nan=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class TermLookup:
    """The vocabulary as integer tables, so scoring hashes each word once instead of every
    unigram and bigram string: words get ids, a unigram's column is an array lookup, and a
    bigram's column is found by binary search over sorted (first, second) word-id keys."""

    word_ids: dict[str, int]
    unigram_cols: npt.NDArray[np.int64]
    """Column of each word as a unigram term, or -1."""
    pair_keys: npt.NDArray[np.int64]
    """first * n_words + second for every bigram term, sorted."""
    pair_cols: npt.NDArray[np.int64]

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> TermLookup:
        word_ids: dict[str, int] = {}
        for term in terms:
            for word in term.split(" "):
                word_ids.setdefault(word, len(word_ids))
        n_words = max(len(word_ids), 1)
        unigram_cols = np.full(n_words, -1, dtype=np.int64)
        keys: list[int] = []
        cols: list[int] = []
        for col, term in enumerate(terms):
            first, _, second = term.partition(" ")
            if second:
                keys.append(word_ids[first] * n_words + word_ids[second])
                cols.append(col)
            else:
                unigram_cols[word_ids[first]] = col
        key_array = np.array(keys, dtype=np.int64)
        order = np.argsort(key_array)
        return cls(word_ids, unigram_cols, key_array[order], np.array(cols, dtype=np.int64)[order])

    def columns(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(paper index, column) of every term occurrence in the texts that is in the
        vocabulary: the tokens of :func:`~hfm_bot.classifier.features.tokenize` and their
        adjacent pairs, uncounted."""
        tokens: list[str] = []
        per_doc: list[int] = []
        for text in texts:
            found = tokenize(text)
            tokens.extend(found)
            per_doc.append(len(found))
        ids = np.fromiter(
            map(self.word_ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens)
        )
        doc = np.repeat(np.arange(len(texts), dtype=np.int64), per_doc)
        known = ids >= 0
        uni = self.unigram_cols[ids[known]]
        uni_doc = doc[known]
        keep = uni >= 0
        n_words = max(len(self.word_ids), 1)
        pair = known[:-1] & known[1:] & (doc[:-1] == doc[1:])
        keys = ids[:-1][pair] * n_words + ids[1:][pair]
        pos = np.searchsorted(self.pair_keys, keys)
        pos[pos == len(self.pair_keys)] = 0
        hit = self.pair_keys[pos] == keys if len(self.pair_keys) else np.zeros(len(keys), bool)
        return (
            np.concatenate([uni_doc[keep], doc[:-1][pair][hit]]),
            np.concatenate([uni[keep], self.pair_cols[pos[hit]]]),
        )


@dataclass(frozen=True, slots=True)
class Conjunctions:
    """The pair block of a linear model (see :func:`~hfm_bot.classifier.features.conjunctions`)
    as a quadratic form: a paper whose selected terms are the 0/1 vector v adds
    ``scale / sqrt(n_pairs) * sum over i < j of W[i, j] v_i v_j`` to each output, which is
    ``scale / sqrt(n_pairs) * v.S.v / 2`` with S symmetric and zero on the diagonal.

    The sum runs over each paper's own present terms (a dozen or two), gathered for the
    whole batch at once. A dense (papers x K) @ (K x K) product was tried first: in the
    forked workers of ``classify`` the BLAS thread pools of two processes fought over two
    cores (7,258 papers/s; 9,152 with one BLAS thread each; this way, without BLAS, 9,929)."""

    columns: npt.NDArray[np.int64]
    """Vocabulary column of each selected term (K), ascending."""
    weights: FloatArray
    """Shape (outputs, K, K): symmetric, zero diagonal."""
    scale: float

    @classmethod
    def from_pair_coef(
        cls, columns: npt.NDArray[np.int64], pair_coef: FloatArray, scale: float
    ) -> Conjunctions:
        """From a linear model's coefficients of the pair columns, shape (outputs, K(K-1)/2)."""
        k = len(columns)
        i, j = np.triu_indices(k, 1)
        weights = np.zeros((pair_coef.shape[0], k, k))
        weights[:, i, j] = pair_coef
        weights[:, j, i] = pair_coef
        return cls(np.asarray(columns, dtype=np.int64), weights, float(scale))

    def apply(
        self, doc: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], n_docs: int
    ) -> tuple[FloatArray, FloatArray]:
        """For the distinct (paper, column) entries of a batch, sorted by paper: each paper's
        added score per output (n_docs, outputs), and each entry's share of the first output
        (half of every pair it is in), so explanations can name the terms of a conjunction."""
        outputs, k = self.weights.shape[0], len(self.columns)
        if k == 0:
            return np.zeros((n_docs, outputs)), np.zeros(len(cols))
        pos = np.minimum(np.searchsorted(self.columns, cols), k - 1)  # columns are sorted
        hit = np.flatnonzero(self.columns[pos] == cols)
        d, p = doc[hit], pos[hit]
        n = np.bincount(d, minlength=n_docs)
        # Every ordered pair (e, f) of a paper's selected entries: e repeated n[paper] times
        # against the run of its paper's entries. The zero diagonal drops e == f.
        start = np.cumsum(n) - n
        reps = n[d]
        left = np.repeat(np.arange(len(d)), reps)
        first_of_run = np.cumsum(reps) - reps
        right = np.arange(len(left)) - np.repeat(first_of_run, reps) + np.repeat(start[d], reps)
        n_pairs = n * (n - 1) / 2.0
        factor = np.divide(self.scale, np.sqrt(n_pairs), out=np.zeros(n_docs), where=n_pairs > 0)
        added = np.empty((n_docs, outputs))
        share = np.zeros(len(cols))
        for o in range(outputs):
            sv = np.bincount(left, weights=self.weights[o, p[left], p[right]], minlength=len(d))
            half = 0.5 * factor[d] * sv
            added[:, o] = np.bincount(d, weights=half, minlength=n_docs)
            if o == 0:
                share[hit] = half
        return added, share


@dataclass(frozen=True, slots=True)
class TitleRule:
    """The section of a paper that says what kind of paper it is: a title with one of
    ``words`` (whole words, any case), or a title or abstract with one of ``abstract_phrases``
    (whole phrases, any case), goes to section ``label``.

    Why a rule beside the section model: the list files a survey under its survey section
    whatever its modality, while the section model learns modality from the words of title
    and abstract, so a survey of medical vision-language models reads as MFM to it. Half the
    judged surveys were filed by modality that way; "survey", "review" or "overview" is in the
    title of 17 of the 24. Why phrases as well: a review titled "Advances in Large Language
    Models for Medicine" says what it is in its abstract ("This paper systematically reviews
    ..."), and such self-descriptions ("this survey", "we review") are specific where the
    bare words are not ("review" is in the abstracts of 19 of the 697 other relevant judged
    papers, "this review" in none). The rule is the list's own (``[survey]`` in
    hfm-bot.toml)."""

    label: str
    words: tuple[str, ...]
    abstract_phrases: tuple[str, ...] = ()

    def pattern(self) -> re.Pattern[str]:
        return _whole(self.words)

    def sections(self, texts: Sequence[str], predicted: Sequence[str]) -> list[str]:
        """The predicted sections, with the rule's label where a text's title (or, for the
        phrases, its title or abstract) matches. Texts are :func:`paper_text`'s."""
        if not self.words and not self.abstract_phrases:
            return list(predicted)
        in_title = _whole(self.words) if self.words else None
        phrases = [" ".join(p.lower().split()) for p in self.abstract_phrases]
        anywhere = _whole(phrases) if phrases else None

        def says(text: str) -> bool:
            # Substring tests first (in C), the whole-word pattern only on a hit: the pattern
            # alone over every abstract cost 30 times the title test; white space is
            # collapsed only in the rare text that needs it (a split and join of every
            # abstract cost twice the tests).
            if anywhere is None:
                return False
            flat = text.lower()
            if "  " in flat or "\n" in flat or "\t" in flat or "\r" in flat:
                flat = " ".join(flat.split())
            return any(p in flat for p in phrases) and bool(anywhere.search(flat))

        return [
            self.label
            if (in_title is not None and in_title.search(title_of(text))) or says(text)
            else section
            for text, section in zip(texts, predicted, strict=True)
        ]

    def to_json(self) -> JSONObject:
        """As ``model.json`` and ``meta.json`` store it (the phrases only when there are
        some, so a rule of title words alone is stored as before they existed)."""
        out: JSONObject = {"label": self.label, "words": list[JSON](self.words)}
        if self.abstract_phrases:
            out["abstract_phrases"] = list[JSON](self.abstract_phrases)
        return out


def _whole(phrases: Sequence[str]) -> re.Pattern[str]:
    """Any of the phrases as whole words, any case; the spaces within a phrase match any run
    of white space (abstracts wrap)."""
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Model:
    """A trained relevance + section model, ready to score."""

    idf: FloatArray
    relevance_coef: FloatArray
    relevance_intercept: float
    section_labels: tuple[str, ...]
    section_coef: FloatArray
    """Shape (labels, terms)."""
    section_intercept: FloatArray
    threshold: float
    sklearn_version: str | None
    """Provenance only: which scikit-learn fitted it (scoring does not use scikit-learn)."""
    terms: tuple[str, ...]
    """Vocabulary in index order, for explanations."""
    lookup: TermLookup
    relevance_pairs: Conjunctions
    section_pairs: Conjunctions
    title_rule: TitleRule | None = None
    """A section by the kind of paper its title names (surveys); None: the model alone."""

    def with_threshold(self, threshold: float) -> Model:
        return dataclasses.replace(self, threshold=threshold)

    def predict_texts(self, ids: Sequence[str], texts: Sequence[str]) -> list[Prediction]:
        """Score prepared texts (see :func:`paper_text`), a batch at a time.

        The Python part is only tokenising and vocabulary look-ups; the TF-IDF weights, the
        norms, both models and the explanations are computed for the whole batch at once
        with numpy (one segment of the flat arrays per paper)."""
        doc_of, found = self.lookup.columns(texts)
        n_docs = len(texts)
        n_terms = len(self.terms)
        # Count each (paper, term) pair: unique keys of paper * n_terms + term, in order.
        keys, counts = np.unique(
            doc_of * n_terms + found,
            return_counts=True,
        )
        doc = keys // n_terms
        cols = keys % n_terms
        vals = (1.0 + np.log(counts.astype(np.float64))) * self.idf[cols]
        norms = np.sqrt(np.bincount(doc, weights=vals * vals, minlength=n_docs))
        norms[norms == 0] = 1.0
        vals /= norms[doc]
        contrib = vals * self.relevance_coef[cols]
        rel_pairs, share = self.relevance_pairs.apply(doc, cols, n_docs)
        z = np.bincount(doc, weights=contrib, minlength=n_docs) + self.relevance_intercept
        z += rel_pairs[:, 0]
        contrib = contrib + share
        score = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
        n_labels = len(self.section_labels)
        sec_z = np.empty((n_docs, n_labels))
        for k in range(n_labels):
            sec_z[:, k] = np.bincount(
                doc, weights=vals * self.section_coef[k, cols], minlength=n_docs
            )
        sec_z += self.section_intercept
        sec_z += self.section_pairs.apply(doc, cols, n_docs)[0]
        sec_p = np.exp(sec_z - sec_z.max(axis=1, keepdims=True))
        sec_p /= sec_p.sum(axis=1, keepdims=True)
        sec_order = np.argsort(-sec_p, axis=1)
        # Explanations: the terms with the largest positive contribution in each paper.
        positive = np.flatnonzero(contrib > 0)
        order = positive[np.lexsort((cols[positive], -contrib[positive], doc[positive]))]
        pos_lengths = np.bincount(doc[positive], minlength=n_docs)
        starts = np.concatenate(([0], np.cumsum(pos_lengths)[:-1]))
        labels = self.section_labels
        terms = self.terms
        best = [labels[k] for k in sec_order[:, 0]]
        chosen = self.title_rule.sections(texts, best) if self.title_rule else best
        out: list[Prediction] = []
        for i in range(n_docs):
            seg = order[starts[i] : starts[i] + min(WHY_TERMS, pos_lengths[i])]
            why = tuple(terms[cols[t]] for t in seg)
            section_scores = tuple((labels[k], float(sec_p[i, k])) for k in sec_order[i])
            p = float(score[i])
            out.append(
                Prediction(
                    paper_id=ids[i],
                    score=p,
                    propose=p >= self.threshold,
                    section=chosen[i],
                    section_scores=section_scores,
                    why=why,
                )
            )
        return out

    def predict(self, papers: Sequence[Paper]) -> list[Prediction]:
        return self.predict_texts(
            [p.id for p in papers], [paper_text(p.title, p.abstract) for p in papers]
        )

    # ------------------------------------------------------------ storage

    def save(self, directory: Path) -> None:
        """Write ``model.json`` and ``weights.npz``; nothing in them can execute on load."""
        from hfm_bot.files import atomic_write_text

        directory.mkdir(parents=True, exist_ok=True)
        weights = directory / WEIGHTS_FILE
        tmp = directory / (WEIGHTS_FILE + ".tmp.npz")
        np.savez_compressed(
            tmp,
            idf=self.idf.astype(np.float32),
            relevance_coef=self.relevance_coef.astype(np.float32),
            section_coef=self.section_coef.astype(np.float32),
            section_intercept=self.section_intercept,
            unigram_cols=self.lookup.unigram_cols,
            pair_keys=self.lookup.pair_keys,
            pair_cols=self.lookup.pair_cols,
            relevance_pair_columns=self.relevance_pairs.columns,
            relevance_pair_weights=self.relevance_pairs.weights.astype(np.float32),
            section_pair_columns=self.section_pairs.columns,
            section_pair_weights=self.section_pairs.weights.astype(np.float32),
        )
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        tmp.replace(weights)
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "sklearn_version": self.sklearn_version,
            "threshold": self.threshold,
            "relevance_intercept": self.relevance_intercept,
            "section_labels": list(self.section_labels),
            "weights_sha256": digest,
            "relevance_pair_scale": self.relevance_pairs.scale,
            "section_pair_scale": self.section_pairs.scale,
            "terms": list(self.terms),
            "words": list(self.lookup.word_ids),
            "title_rule": None if self.title_rule is None else self.title_rule.to_json(),
        }
        header["header_sha256"] = header_checksum(header)
        atomic_write_text(directory / MODEL_FILE, json.dumps(header, ensure_ascii=False))


_RETRAIN = "retrain with `hfm-bot train`"


def load(directory: Path) -> Model:
    """Load a model; any problem is a :class:`ModelError` that says to retrain."""
    header = _header(directory / MODEL_FILE)
    data = _weights(directory / WEIGHTS_FILE, header)
    try:
        loaded = _from_stored(header, data)
    except (KeyError, ValueError, TypeError, OSError) as err:
        raise ModelError(f"{directory}: damaged model ({err}); {_RETRAIN}") from err
    _check(loaded, directory)
    return loaded


def _header(header_path: Path) -> dict[str, Any]:
    """``model.json``, refused unless it is an hfm-bot model of a readable version whose
    checksum matches (an edited header could point the weights anywhere)."""
    retrain = _RETRAIN
    try:
        header = json.loads(header_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ModelError(f"{header_path}: no model here; {retrain}") from err
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{header_path}: damaged model file ({err}); {retrain}") from err
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelError(f"{header_path}: not an hfm-bot model; {retrain}")
    if header.get("format_version") not in READABLE_VERSIONS:
        raise ModelError(
            f"{header_path}: model format {header.get('format_version')} is not "
            f"{FORMAT_VERSION}; {retrain}"
        )
    if header["format_version"] >= 3 and header.get("header_sha256") != header_checksum(header):
        raise ModelError(
            f"{header_path}: edited or damaged (its checksum does not match); {retrain}"
        )
    return header


def _weights(weights_path: Path, header: dict[str, Any]) -> bytes:
    """``weights.npz`` as bytes, refused unless its checksum is the header's."""
    try:
        data = weights_path.read_bytes()
    except OSError as err:
        raise ModelError(f"{weights_path}: cannot read the weights; {_RETRAIN}") from err
    if hashlib.sha256(data).hexdigest() != header.get("weights_sha256"):
        raise ModelError(f"{weights_path}: weights do not match model.json (damaged?); {_RETRAIN}")
    return data


def _from_stored(header: dict[str, Any], data: bytes) -> Model:
    """The model from its header and weights (no pickle: plain arrays only)."""
    import io

    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        lookup = TermLookup(
            {w: i for i, w in enumerate(header["words"])},
            arrays["unigram_cols"].astype(np.int64),
            arrays["pair_keys"].astype(np.int64),
            arrays["pair_cols"].astype(np.int64),
        )
        rel_pairs, sec_pairs = (
            Conjunctions(
                arrays[f"{name}_pair_columns"].astype(np.int64),
                arrays[f"{name}_pair_weights"].astype(np.float64),
                float(header[f"{name}_pair_scale"]),
            )
            for name in ("relevance", "section")
        )
        rule = header.get("title_rule")
        return Model(
            idf=arrays["idf"].astype(np.float64),
            relevance_coef=arrays["relevance_coef"].astype(np.float64),
            relevance_intercept=float(header["relevance_intercept"]),
            section_labels=tuple(header["section_labels"]),
            section_coef=arrays["section_coef"].astype(np.float64),
            section_intercept=arrays["section_intercept"].astype(np.float64),
            threshold=float(header["threshold"]),
            sklearn_version=header.get("sklearn_version"),
            terms=tuple(header["terms"]),
            lookup=lookup,
            relevance_pairs=rel_pairs,
            section_pairs=sec_pairs,
            title_rule=(
                None
                if rule is None
                else TitleRule(
                    str(rule["label"]),
                    tuple(str(w) for w in rule["words"]),
                    tuple(str(p) for p in rule.get("abstract_phrases", ())),
                )
            ),
        )


def _check(model: Model, directory: Path) -> None:
    """Refuse arrays that disagree with each other or are not finite: a damaged model must
    say so, not score nonsense."""
    retrain = _RETRAIN
    header_path, weights_path = directory / MODEL_FILE, directory / WEIGHTS_FILE
    terms, labels, title_rule = model.terms, model.section_labels, model.title_rule
    idf, rel, sec, sec_b = (
        model.idf,
        model.relevance_coef,
        model.section_coef,
        model.section_intercept,
    )
    if not (len(terms) == idf.shape[0] == rel.shape[0] == sec.shape[1]) or sec.shape[0] != len(
        labels
    ):
        raise ModelError(f"{directory}: model arrays disagree in shape; {retrain}")
    if title_rule is not None and title_rule.label not in labels:
        raise ModelError(f"{header_path}: title rule's section is not a label; {retrain}")
    if not 0.0 <= model.threshold <= 1.0 or not np.isfinite(model.relevance_intercept):
        raise ModelError(f"{header_path}: threshold or intercept out of range; {retrain}")
    if not all(np.isfinite(a).all() for a in (idf, rel, sec, sec_b)):
        raise ModelError(f"{weights_path}: weights are not finite numbers; {retrain}")
    for pairs, outputs in ((model.relevance_pairs, 1), (model.section_pairs, len(labels))):
        k = len(pairs.columns)
        if (
            pairs.weights.shape != (outputs, k, k)
            or (k and not 0 <= pairs.columns[0] <= pairs.columns[-1] < len(terms))
            or np.any(np.diff(pairs.columns) <= 0)
        ):
            raise ModelError(f"{directory}: conjunction arrays disagree in shape; {retrain}")
