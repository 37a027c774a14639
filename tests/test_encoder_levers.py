"""Issue #24's encoder levers: reading a long text in pooled windows, and the spec that
says so (stored with a model, naming its own embedding cache); the encoder head's nearest
labelled neighbours beside its logistic regression, chosen by training, stored and checked."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score as average_precision

from hfm_bot.classifier import encoder_stage
from hfm_bot.classifier.encoder import MINILM, Encoder, EncoderSpec, pool_windows
from hfm_bot.classifier.head import HEAD_FILE, NEIGHBOURS_FILE, SecondOpinion, knn_similarity
from hfm_bot.classifier.model import ModelError
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig

LONG = "Segment anything in medical images. " + " ".join(
    f"We adapt SAM to organ number {i} in CT, MRI and ultrasound." for i in range(40)
)


@pytest.fixture(scope="module")
def minilm() -> Encoder:
    return Encoder.load(MINILM)


@pytest.fixture(scope="module")
def two_windows() -> Encoder:
    return Encoder.load(dataclasses.replace(MINILM, windows=2))


def test_two_windows_pool_the_first_cut_and_the_next(minilm: Encoder, two_windows: Encoder) -> None:
    encoding = minilm.tokenizer.encode(LONG)
    assert len(encoding.ids) == 256 and encoding.overflowing  # the text is cut at 256
    second = encoding.overflowing[0].ids
    assert second[0] == encoding.ids[0] and second[-1] == encoding.ids[-1]  # [CLS] ... [SEP]
    first_vec, second_vec = minilm.encode_ids([encoding.ids, second])
    expected = 256 * first_vec + len(second) * second_vec
    got = two_windows.encode([LONG, "Only a title"])
    np.testing.assert_allclose(got[0], expected / np.linalg.norm(expected), atol=1e-5)
    # A text within one window reads the same either way.
    np.testing.assert_allclose(got[1], minilm.encode(["Only a title"])[0], atol=1e-6)
    # The windows see what one cut did not: the pooled embedding differs from the cut one.
    assert float(got[0] @ minilm.encode([LONG])[0]) < 0.999


def test_pooling_weighs_windows_by_their_wordpieces() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    got = pool_windows(vectors, np.array([3, 1, 5]), np.array([0, 0, 1]), 2)
    np.testing.assert_allclose(got, [[0.9486833, 0.3162278], [0.6, 0.8]], atol=1e-6)


def test_windows_name_their_own_cache_and_are_stored() -> None:
    assert MINILM.identity.endswith("-256")  # one window: the caches already made stay valid
    two = dataclasses.replace(MINILM, windows=2)
    assert two.identity.endswith("-256x2")
    assert "windows" not in MINILM.to_json()  # stored as before
    assert EncoderSpec.from_json(two.to_json()) == two
    assert EncoderSpec.from_json(MINILM.to_json()) == MINILM
    for bad in (0, -1, True, "2", 1.5):
        with pytest.raises(TypeError, match=r"encoder\.windows"):
            EncoderSpec.from_json({**two.to_json(), "windows": bad})


# ---------------------------------------------------------------- the head's neighbours

DIM = 8


def _clusters(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in four tight clusters: relevant around +e0 and -e0, others around +e1
    and -e1. No hyperplane through the origin's side parts them (each class sits on both
    sides of every direction), but every paper's nearest neighbours share its verdict."""
    centres = np.eye(DIM)[[0, 0, 1, 1]] * np.array([1, -1, 1, -1])[:, None]
    which = np.arange(n) % 4
    x = centres[which] + 0.15 * rng.standard_normal((n, DIM))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), which < 2


def _fit(config: TrainingConfig) -> encoder_stage.Fitted:
    rng = np.random.default_rng(7)
    x, relevant = _clusters(rng, 400)
    tfidf = rng.uniform(0.3, 0.7, 400)  # no opinion of its own: the encoder must decide
    folds = [np.arange(400) // 7 % 4 == f for f in range(4)]  # every cluster in every fold
    rows = encoder_stage.HeadRows(np.arange(400), x)
    fitted = encoder_stage.fit_rows(
        rows, relevant, tfidf, folds, np.ones(400, dtype=bool), 0.1, MINILM, config
    )
    assert fitted is not None
    return fitted


def test_the_neighbours_win_where_a_line_cannot_part_the_papers() -> None:
    config = dataclasses.replace(DEFAULT_TRAINING, blend_weights=(0.0, 0.5), min_scored=5)
    with_knn = _fit(config)
    alone = _fit(dataclasses.replace(config, neighbour_mixes=()))
    assert alone.head.neighbours is None
    knn = with_knn.head.neighbours
    assert knn is not None and knn.mix > 0 and len(knn.references) == 400
    y = _clusters(np.random.default_rng(7), 400)[1]
    assert average_precision(y, with_knn.score) > 0.95 > 0.7 > average_precision(y, alone.score)


def test_knn_similarity_is_the_nearest_relevant_minus_the_nearest_others() -> None:
    refs = np.array([[1, 0], [0.8, 0.6], [0, 1], [-1, 0]], dtype=np.float32)
    relevant = np.array([True, True, False, False])
    got = knn_similarity(np.array([[1.0, 0.0]]), refs, relevant, 1)
    np.testing.assert_allclose(got, [1.0 - 0.0])
    got = knn_similarity(np.array([[1.0, 0.0]]), refs, relevant, 2)
    np.testing.assert_allclose(got, [(1.0 + 0.8) / 2 - (0.0 - 1.0) / 2])


def test_a_head_keeps_its_neighbours_and_refuses_them_edited(tmp_path: Path) -> None:
    head = _fit(dataclasses.replace(DEFAULT_TRAINING, blend_weights=(0.0,), min_scored=5)).head
    assert head.neighbours is not None
    head = dataclasses.replace(head, coef=np.zeros(DIM))  # opinion from the neighbours alone
    head.save(tmp_path)
    loaded = SecondOpinion.load(tmp_path)
    assert loaded is not None and loaded.neighbours is not None
    x = _clusters(np.random.default_rng(8), 12)[0]
    np.testing.assert_allclose(loaded.encoder_logit(x), head.encoder_logit(x))
    assert json.loads((tmp_path / HEAD_FILE).read_text())["format_version"] == 2
    path = tmp_path / NEIGHBOURS_FILE
    original = path.read_bytes()
    path.write_bytes(original[:-8] + b"\0" * 8)
    with pytest.raises(ModelError, match="edited, damaged"):
        SecondOpinion.load(tmp_path)
    path.unlink()
    with pytest.raises(ModelError, match="cannot read"):
        SecondOpinion.load(tmp_path)
