"""Text features: one definition of what the model reads, shared by training and scoring.

Training uses scikit-learn's stock ``TfidfVectorizer``; scoring uses :func:`analyze`, a
replica of that vectorizer's analyzer for the parameters below, so the saved model needs
neither pickle nor scikit-learn to run. ``tests/test_classifier.py`` checks the replica
against scikit-learn on real papers.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from typing import Any

TOKEN_PATTERN = r"(?u)\b\w\w+\b"
NGRAM_RANGE = (1, 2)
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_FAST_TOKEN_RE = re.compile(r"\w\w+")
"""Same matches as TOKEN_PATTERN under findall (a maximal run of word characters is
bounded by \b on both sides), without the boundary checks."""

VECTORIZER_PARAMS: dict[str, Any] = {
    "lowercase": True,
    "token_pattern": TOKEN_PATTERN,
    "ngram_range": NGRAM_RANGE,
    "min_df": 2,
    "max_df": 0.5,
    "max_features": 200_000,
    "sublinear_tf": True,
    "norm": "l2",
    "use_idf": True,
    "smooth_idf": True,
}
"""The vectorizer's parameters; :func:`analyze` must agree with the analysis ones."""


def paper_text(title: str, abstract: str) -> str:
    """The text a paper is judged on. The title counts twice: it is the densest summary,
    and the list's own entries have nothing else."""
    return f"{title} . {title} . {abstract}"


def analyze(text: str) -> Counter[str]:
    """Term counts exactly as the vectorizer's analyzer makes them (lower case, tokens of
    two or more word characters, then unigrams and bigrams)."""
    tokens = _TOKEN_RE.findall(text.lower())
    counts = Counter(tokens)
    counts.update([f"{a} {b}" for a, b in pairwise(tokens)])
    return counts


def tokenize(text: str) -> list[str]:
    """The unigram tokens of the vectorizer's analyzer, in order."""
    return _FAST_TOKEN_RE.findall(text.lower())


def build_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(**VECTORIZER_PARAMS)
