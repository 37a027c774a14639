"""Issue #24's encoder levers: reading a long text in pooled windows, and the spec that
says so (stored with a model, naming its own embedding cache)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from hfm_bot.classifier.encoder import MINILM, Encoder, EncoderSpec, pool_windows

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
