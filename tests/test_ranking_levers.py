"""Issue #24's ranking levers after the TF-IDF stage: the neighbours' references weighted
by age, and the blend as a logistic regression over the opinions (stored in the head's own
form). Measured in ``benchmarks/results/forward.md``; these check what the code does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from hfm_bot.classifier import encoder_stage
from hfm_bot.classifier.encoder import MINILM
from hfm_bot.classifier.head import HEAD_FILE, SecondOpinion, knn_similarity
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.classifier.training_data import Example
from hfm_bot.labelled import Kind

DIM = 8


def test_an_old_reference_counts_as_farther() -> None:
    refs = np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32)
    relevant = np.array([True, True, False])
    x = np.array([[1.0, 0.0]])
    # Alike, the nearest relevant reference is the first (similarity 1).
    np.testing.assert_allclose(knn_similarity(x, refs, relevant, 1), [1.0 - 0.0])
    # Aged to a quarter, it is nearer only as 0.25: the recent one (0.8) is the nearest now.
    weights = np.array([0.25, 1.0, 1.0], dtype=np.float32)
    np.testing.assert_allclose(knn_similarity(x, refs, relevant, 1, weights), [0.8 - 0.0])


def _example(date: str, kind: Kind = Kind.JUDGED) -> Example:
    return Example("t", True, None, 1.0, date, kind, date=date)


def test_references_are_weighted_by_age_on_the_sides_asked() -> None:
    examples = [
        _example("2025-09-30"),
        _example("2025-06-02"),  # 120 days older: half at a half-life of 120 days
        _example("2025-09-30"),
        _example("2025-06-02"),
        _example(""),  # undated: counts in full
        _example("2026-12-31", Kind.LIST),  # the list's year's end is no labelled date
    ]
    relevant = np.array([True, True, False, False, True, True])
    assert encoder_stage.reference_weights(examples, relevant, DEFAULT_TRAINING) is None
    config = dataclasses.replace(DEFAULT_TRAINING, neighbour_half_life=120.0)
    got = encoder_stage.reference_weights(examples, relevant, config)
    assert got is not None
    # The newest labelled date is 2025-09-30; the list entry dated after it is not aged.
    np.testing.assert_allclose(got, [1.0, 0.5, 1.0, 1.0, 1.0, 1.0])
    both = dataclasses.replace(config, neighbour_sides="both")
    got = encoder_stage.reference_weights(examples, relevant, both)
    assert got is not None
    np.testing.assert_allclose(got, [1.0, 0.5, 1.0, 0.5, 1.0, 1.0])


def _clusters(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in four noisy clusters, relevant around e0 and e2, others around e1
    and e3: the neighbours and the regression each know part of it."""
    centres = np.eye(DIM)[[0, 2, 1, 3]]
    which = np.arange(n) % 4
    x = centres[which] + 0.6 * rng.standard_normal((n, DIM))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), which < 2


def _world(n: int = 600) -> tuple[encoder_stage.HeadRows, np.ndarray, np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(11)
    x, relevant = _clusters(rng, n)
    # A TF-IDF opinion that knows something too.
    tfidf = 1 / (1 + np.exp(-(1.2 * relevant - 0.6 + rng.standard_normal(n))))
    folds = [np.arange(n) // 7 % 4 == f for f in range(4)]
    return encoder_stage.HeadRows(np.arange(n), x), relevant, tfidf, folds


def _fit(config: TrainingConfig) -> encoder_stage.Fitted:
    rows, relevant, tfidf, folds = _world()
    fitted = encoder_stage.fit_rows(
        rows, relevant, tfidf, folds, np.ones(len(relevant), dtype=bool), 0.0, MINILM, config
    )
    assert fitted is not None
    return fitted


def test_aged_neighbours_are_stored_and_scored_alike(tmp_path: Path) -> None:
    head = _fit(dataclasses.replace(DEFAULT_TRAINING, blend_weights=(0.0,), min_scored=5)).head
    assert head.neighbours is not None
    n = len(head.neighbours.references)
    weights = np.linspace(0.2, 1.0, n).astype(np.float32)
    neighbours = dataclasses.replace(head.neighbours, weights=weights)
    aged = dataclasses.replace(head, neighbours=neighbours)
    aged.save(tmp_path)
    # A bot that reads version 2 would drop the weights silently: version 3 makes it refuse.
    assert json.loads((tmp_path / HEAD_FILE).read_text())["format_version"] == 3
    loaded = SecondOpinion.load(tmp_path)
    assert loaded is not None and loaded.neighbours is not None
    assert loaded.neighbours.weights is not None
    x = _clusters(np.random.default_rng(3), 20)[0]
    np.testing.assert_allclose(loaded.encoder_logit(x), aged.encoder_logit(x), rtol=1e-6)
    assert not np.allclose(aged.encoder_logit(x), head.encoder_logit(x))


def test_a_variant_of_a_field_read_at_load_time_is_refused() -> None:
    """``benchmarks/ranking_levers.py`` loads the data once, with the configured recipe; a
    variant of a field read then (the background's weight) would silently measure the base
    recipe again, as one did, so it is refused with where to give it instead."""
    from benchmarks import ranking_levers

    assert ranking_levers.parse_variant("c30:relevance_c=30.0;neighbour_sides='both'") == (
        "c30",
        {"relevance_c": 30.0, "neighbour_sides": "both"},
    )
    with pytest.raises(SystemExit, match=r"background_weight is read when the data is loaded"):
        ranking_levers.parse_variant("bg05:background_weight=0.05")
