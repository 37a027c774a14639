"""The TF-IDF stage's fit: the design matrix, the relevance and section models, self-training
for a list with no judged day, and the export to a :class:`~hfm_bot.classifier.model.Model`.

Stock scikit-learn estimators do the fitting (TfidfVectorizer, LogisticRegression); the result
is exported to plain arrays, so the saved model needs neither pickle nor scikit-learn. Every
number comes from the recipe (:class:`~hfm_bot.classifier.recipe.TrainingConfig`); seeds are
fixed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from hfm_bot.classifier.features import build_vectorizer, conjunctions, paper_text, title_of
from hfm_bot.classifier.model import (
    BoolArray,
    Conjunctions,
    FloatArray,
    IndexArray,
    Model,
    ObjectArray,
    TermLookup,
    TitleRule,
    installed_sklearn_version,
)
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.training_data import TrainingData
from hfm_bot.errors import InputError
from hfm_bot.labelled import Kind

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

log = logging.getLogger(__name__)


@dataclass
class Matrix:
    """The vectorised training set and its row attributes, built once per training run."""

    X: csr_matrix
    present: csr_matrix
    """Which terms each row has (0/1), for choosing and building conjunctions."""
    relevant: BoolArray
    labelled: BoolArray
    weight: FloatArray
    groups: ObjectArray
    sections: ObjectArray
    evaluable: BoolArray
    kinds: ObjectArray
    ids: list[str | None] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def vectorise(data: TrainingData, config: TrainingConfig) -> tuple[TfidfVectorizer, Matrix]:
    """Fit the vocabulary on every row's text and build the matrix the fits read; with the
    recipe's ``vocabulary_recent_days`` the recent rows count more in that fit, with its
    ``idf_recent_days`` the idf is counted on the recent rows alone (see
    :class:`~hfm_bot.classifier.recipe.TrainingConfig`). Both are fixed by the data and the
    recipe, so a retrain on the same files rebuilds the same vocabulary and idf."""
    vectorizer = build_vectorizer(config.vocabulary)
    texts = [ex.text for ex in data.examples]
    extra: list[str] = []
    if config.vocabulary_recent_days is not None and config.vocabulary_recent_copies > 1:
        recent = recent_rows(data, config.vocabulary_recent_days)
        again = [t for t, r in zip(texts, recent, strict=True) if r]
        extra = again * (config.vocabulary_recent_copies - 1)
    X = vectorizer.fit_transform(texts + extra)[: len(texts)]
    if config.idf_recent_days is not None:
        X = _recent_idf(vectorizer, X, recent_rows(data, config.idf_recent_days))
    m = matrix(data, X)
    return vectorizer, m


def recent_rows(data: TrainingData, days: int) -> BoolArray:
    """The rows dated within ``days`` days of the newest dated row (none when no row has a
    date): what the field has been writing lately, as far as this training knows."""
    dates = [ex.date for ex in data.examples]
    known = [d for d in dates if d]
    if not known:
        return np.zeros(len(dates), dtype=bool)
    since = (dt.date.fromisoformat(max(known)) - dt.timedelta(days=days)).isoformat()
    return np.array([bool(d) and d > since for d in dates])


def _recent_idf(vectorizer: TfidfVectorizer, X: csr_matrix, recent: BoolArray) -> csr_matrix:
    """The rows re-weighted with an idf counted on the ``recent`` rows alone (scikit-learn's
    smoothed formula, so a term absent from them weighs most); the vectorizer is given that
    idf, so the exported model scores as it was trained. Unchanged when no row is recent.

    Each row of ``X`` is the l2-normalised product of its term frequencies and the old idf:
    scaling its columns by new/old idf and normalising again gives exactly the row the new
    idf would have made, without reading the texts twice."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    n = int(recent.sum())
    if n == 0:
        return X
    df = np.bincount(X[recent].indices, minlength=X.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    scaled = X @ sp.diags(idf / vectorizer.idf_)
    vectorizer.idf_ = idf
    out: csr_matrix = sp.csr_matrix(normalize(scaled, norm="l2"))
    return out


def matrix(data: TrainingData, X: csr_matrix) -> Matrix:
    """The training rows' labels and attributes beside their vectors ``X`` (one row per
    example, in order): what the fits and the folds read."""
    present = X.copy()
    present.data[:] = 1.0
    return Matrix(
        X=X,
        present=present,
        relevant=np.array([bool(ex.relevant) for ex in data.examples]),
        labelled=np.array([ex.relevant is not None for ex in data.examples]),
        weight=np.array([ex.weight for ex in data.examples], dtype=np.float64),
        groups=np.array([ex.group for ex in data.examples], dtype=object),
        sections=np.array([ex.section or "" for ex in data.examples], dtype=object),
        evaluable=np.array([ex.evaluable for ex in data.examples]),
        kinds=np.array([ex.kind for ex in data.examples], dtype=object),
        ids=[ex.paper_id for ex in data.examples],
        texts=[ex.text for ex in data.examples],
    )


def check_trainable(data: TrainingData) -> None:
    """Refuse, before any fitting, a training set that has only one class."""
    pos = sum(1 for ex in data.examples if ex.relevant)
    neg = sum(1 for ex in data.examples if not ex.relevant)
    if pos == 0 or neg == 0:
        raise InputError(
            f"cannot train on one class: {pos} relevant and {neg} other examples; "
            "add the list's labels and background papers (--background) or rejected decisions"
        )


def _informative_terms(
    m: Matrix, rows: BoolArray, target: BoolArray | ObjectArray, k: int
) -> IndexArray:
    """The k terms (vocabulary columns, ascending) most associated with the target on the
    given rows, by chi-squared (scikit-learn's SelectKBest scorer)."""
    from sklearn.feature_selection import chi2

    scores, _ = chi2(m.present[rows], target)
    scores = np.nan_to_num(scores, nan=0.0)
    return np.sort(np.argsort(-scores, kind="stable")[: min(k, m.X.shape[1])])


@dataclass(frozen=True, slots=True)
class LinearFit:
    """A fitted linear model over TF-IDF columns plus a conjunction block.

    ``columns`` are the TF-IDF columns it reads (the section model is fitted on the columns
    its training rows use: the same model, as the others would get zero weight, at a fifth
    of the time); ``pair_terms`` are the vocabulary columns whose pairs it reads, each pair
    row scaled to ``scale``."""

    clf: LogisticRegression
    columns: IndexArray | None
    pair_terms: IndexArray
    scale: float

    def design(self, m: Matrix, rows: BoolArray | IndexArray) -> csr_matrix:
        return _design(m, rows, self.columns, self.pair_terms, self.scale)


def _design(
    m: Matrix,
    rows: BoolArray | IndexArray,
    columns: IndexArray | None,
    pair_terms: IndexArray,
    scale: float,
) -> csr_matrix:
    import scipy.sparse as sp

    X = m.X[rows]
    if columns is not None:
        X = X[:, columns]
    return sp.hstack([X, conjunctions(m.present[rows][:, pair_terms], scale)], format="csr")


def self_train(vectorizer: TfidfVectorizer, m: Matrix, config: TrainingConfig) -> IndexArray | None:
    """No judged day yet (a new list, or one that has only the maintainers' reviews): teach
    the relevance model with background papers the list itself vouches for.

    The list's entries are titles; the background papers have abstracts. Fitted as they are,
    a model learns "has an abstract" as the sign of an irrelevant paper and proposes nothing
    (average precision 0.149 on the judged days). So: fit the labelled titles (the list and
    the papers maintainers kept, against the papers they deleted) against background titles,
    which look alike; take the background papers that model scores highest, with their
    abstracts, as positives (self-training, once); the rest stay negatives, at full weight.
    A few nights of decisions alone teach less than this (benchmarks/feedback_replay.py: the
    candidate trained without it ranked the decisions at average precision 0.77 against the
    cold model's 0.88, and the gate refused it). Measured by benchmarks/cold_start.py.
    Returns the background rows (for the threshold), or None when there are judged days."""
    from sklearn.linear_model import LogisticRegression

    background = np.flatnonzero(~m.labelled)
    positives = np.flatnonzero(m.labelled & m.relevant)
    negatives = np.flatnonzero(m.labelled & ~m.relevant)
    if (m.kinds == Kind.JUDGED).any() or not len(background) or not len(positives):
        return None
    rows = (*positives, *negatives, *background)
    X = vectorizer.transform([paper_text(title_of(m.texts[i]), "") for i in rows])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives) + len(background))]
    clf = LogisticRegression(C=config.relevance_c, max_iter=3000, solver="liblinear").fit(X, y)
    score = clf.predict_proba(m.X[background])[:, 1]
    share = config.cold.self_trained
    vouched = background[np.argsort(-score, kind="stable")[: int(len(background) * share)]]
    m.relevant[vouched] = True
    m.labelled[vouched] = True
    m.weight[background] = 1.0  # the negatives the list has: weighed as such
    m.kinds[vouched] = Kind.SELF_TRAINED
    return background


def fit_relevance(m: Matrix, rows: BoolArray, config: TrainingConfig) -> LinearFit:
    """Logistic regression on the given rows (a boolean mask); background rows are the
    weak negatives, at their low weight. The conjunction terms are chosen on the labelled
    rows, as the background's labels are not known; a new list with no decisions yet has
    only positives labelled, and then the background stands in for the negatives here too."""
    from sklearn.linear_model import LogisticRegression

    basis = rows & m.labelled
    if len(np.unique(m.relevant[basis])) < 2:
        basis = rows
    k = config.relevance_conjunction_terms
    terms = _informative_terms(m, basis, m.relevant[basis], k)
    clf = LogisticRegression(
        C=config.relevance_c, max_iter=3000, random_state=config.seed, solver="liblinear"
    )
    scale = config.conjunction_scale
    clf.fit(_design(m, rows, None, terms, scale), m.relevant[rows], sample_weight=m.weight[rows])
    return LinearFit(clf, None, terms, scale)


def fit_section(
    m: Matrix, rows: BoolArray, labels: Sequence[str], config: TrainingConfig
) -> LinearFit | None:
    """The section model; None for a list of one section (every paper goes there)."""
    from sklearn.linear_model import LogisticRegression

    if len(labels) == 1:
        return None
    mask = rows & m.labelled & m.relevant & (m.sections != "")
    present = set(m.sections[mask])
    if len(present) < 2:
        raise InputError(
            f"cannot train the section model: labelled positives cover {sorted(present)} only"
        )
    y = m.sections[mask].astype(str)
    columns = np.unique(m.X[mask].indices)
    terms = _informative_terms(m, mask, y, config.section_conjunction_terms)
    clf = LogisticRegression(C=config.section_c, max_iter=3000, random_state=config.seed)
    judged = np.where(m.kinds[mask] == Kind.JUDGED, config.judged_section_weight, 1.0)
    scale = config.conjunction_scale
    clf.fit(_design(m, mask, columns, terms, scale), y, sample_weight=m.weight[mask] * judged)
    missing = [label for label in labels if label not in clf.classes_]
    if missing:
        log.warning("no training example for section(s) %s; they will never be predicted", missing)
    return LinearFit(clf, columns, terms, scale)


def export(
    vectorizer: TfidfVectorizer,
    relevance: LinearFit,
    section: LinearFit | None,
    labels: Sequence[str],
    threshold: float,
    title_rule: TitleRule | None = None,
) -> Model:
    """The scikit-learn estimators as a :class:`Model` (plain arrays)."""
    vocab: dict[str, int] = vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for term, index in vocab.items():
        terms[index] = term
    n_terms = len(terms)
    sec_coef, sec_b, sec_terms, sec_pairs = _section_arrays(section, labels, n_terms)
    rel_coef = np.asarray(relevance.clf.coef_[0], dtype=np.float64)
    return Model(
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        relevance_coef=rel_coef[:n_terms],
        relevance_intercept=float(relevance.clf.intercept_[0]),
        section_labels=tuple(labels),
        section_coef=sec_coef,
        section_intercept=sec_b,
        threshold=threshold,
        sklearn_version=installed_sklearn_version(),
        terms=tuple(terms),
        lookup=TermLookup.from_terms(terms),
        relevance_pairs=Conjunctions.from_pair_coef(
            relevance.pair_terms, rel_coef[None, n_terms:], relevance.scale
        ),
        section_pairs=Conjunctions.from_pair_coef(
            sec_terms, sec_pairs, relevance.scale if section is None else section.scale
        ),
        title_rule=title_rule,
    )


def _section_arrays(
    section: LinearFit | None, labels: Sequence[str], n_terms: int
) -> tuple[FloatArray, FloatArray, IndexArray, FloatArray]:
    """The section model's term weights, intercepts, pair terms and pair weights, one row per
    label; a list of one section (``section`` None) has all zeros: its one label always wins."""
    if section is None:
        n = len(labels)
        return np.zeros((n, n_terms)), np.zeros(n), np.zeros(0, dtype=np.int64), np.zeros((n, 0))
    assert section.columns is not None  # the section model reads the columns it was fitted on
    n_sec_cols = len(section.columns)
    classes = [str(c) for c in section.clf.classes_]
    sec_coef = np.zeros((len(labels), n_terms))
    sec_b = np.full(len(labels), -1e3)  # a label never seen in training is never chosen
    k = len(section.pair_terms)
    sec_pairs = np.zeros((len(labels), k * (k - 1) // 2))
    raw_coef = section.clf.coef_
    raw_b = section.clf.intercept_
    if raw_coef.shape[0] == 1:  # binary LogisticRegression keeps one row for classes_[1]
        raw_coef = np.vstack([-raw_coef[0] / 2, raw_coef[0] / 2])
        raw_b = np.array([-raw_b[0] / 2, raw_b[0] / 2])
    for row, label in enumerate(classes):
        i = list(labels).index(label)
        sec_coef[i, section.columns] = raw_coef[row, :n_sec_cols]
        sec_pairs[i] = raw_coef[row, n_sec_cols:]
        sec_b[i] = raw_b[row]
    return sec_coef, sec_b, section.pair_terms, sec_pairs
