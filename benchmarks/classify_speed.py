"""Classification speed: whole-process `hfm-bot classify` on half a year of the stream (the
TF-IDF stage: `--no-encoder`), and scikit-learn's bare transform + decision_function on the
same papers in the same run; then both stages on one month, with the encoder stage's time
reported apart (it runs only on the shortlist).

    python benchmarks/classify_speed.py [--shared ../shared] [--months 2025-04 ... 2025-09]

Prints papers per second for both and their ratio. The scikit-learn side is given its
best case: texts already in memory, one process, only the two calls timed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_MONTHS = ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--months", nargs="*", default=DEFAULT_MONTHS)
    parser.add_argument("--model", default="model")
    parser.add_argument("--encoder-month", default="2025-09")
    args = parser.parse_args()
    stream = Path(args.shared) / "benchmark" / "stream"
    with tempfile.TemporaryDirectory() as tmp:
        joined = Path(tmp) / "half-year.jsonl.gz"
        with gzip.open(joined, "wb") as out:
            for month in args.months:
                out.write(gzip.decompress((stream / f"arxiv-{month}.jsonl.gz").read_bytes()))
        with gzip.open(joined, "rt", encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle]
        n = len(records)
        predictions = Path(tmp) / "out.jsonl"
        cmd = [
            sys.executable,
            "-m",
            "hfm_bot",
            "classify",
            str(joined),
            "-o",
            str(predictions),
            "--model",
            args.model,
        ]
        start = time.perf_counter()
        subprocess.run([*cmd, "--no-encoder"], check=True, env={**os.environ})
        whole = time.perf_counter() - start
        assert sum(1 for _ in predictions.open()) == n
        month = stream / f"arxiv-{args.encoder_month}.jsonl.gz"
        cmd[4] = str(month)
        start = time.perf_counter()
        both = subprocess.run(cmd, check=True, capture_output=True, text=True)
        two_stage = time.perf_counter() - start

    # scikit-learn's own TF-IDF + logistic regression on the same texts, as a reference.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from hfm_bot.classifier.features import VECTORIZER_PARAMS, paper_text
    from hfm_bot.classifier.recipe import DEFAULT_TRAINING

    texts = [paper_text(r["title"], r["abstract"]) for r in records]
    vocabulary = DEFAULT_TRAINING.vocabulary
    vectorizer = TfidfVectorizer(**VECTORIZER_PARAMS, max_features=vocabulary).fit(texts[:20000])
    X = vectorizer.transform(texts[:2000])
    clf = LogisticRegression(max_iter=200).fit(X, [i % 2 for i in range(X.shape[0])])
    start = time.perf_counter()
    clf.decision_function(vectorizer.transform(texts))
    bare = time.perf_counter() - start
    print(f"papers: {n} ({', '.join(args.months)})")
    print(f"hfm-bot classify, whole process: {whole:.2f} s, {n / whole:,.0f} papers/s")
    print(f"scikit-learn transform + decision_function, one core: {bare:.2f} s, {n / bare:,.0f} /s")
    print(f"ratio: {bare / whole:.2f}x")
    print(f"both stages on {args.encoder_month}, whole process: {two_stage:.1f} s")
    print("  " + " ".join(line for line in both.stderr.splitlines() if line.startswith("time:")))


if __name__ == "__main__":
    main()
