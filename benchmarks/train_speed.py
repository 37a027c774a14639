"""Timings of `hfm-bot --help` (start-up: heavy libraries are imported lazily) and of
`hfm-bot train` with the model card's own command (dev period of the benchmark).

    python benchmarks/train_speed.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    args = parser.parse_args()
    shared = Path(args.shared)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hfm_bot", "--help"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    print(f"hfm-bot --help: best {min(runs):.3f} s, median {sorted(runs)[2]:.3f} s (5 runs)")
    months = ["2024-12", *(f"2025-{m:02d}" for m in range(1, 10))]
    background = [str(shared / f"benchmark/stream/arxiv-{m}.jsonl.gz") for m in months]
    labels = [
        str(shared / "benchmark/labels/judged-dev.jsonl"),
        str(shared / "benchmark/labels/curated-dev.jsonl"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "hfm_bot", "train", "--labels", *labels, "--background",
             *background, "--until", "2025-10-01", "-o", tmp],
            check=True, capture_output=True,
        )  # fmt: skip
        print(
            f"hfm-bot train (dev period, model card command): {time.perf_counter() - start:.1f} s"
        )


if __name__ == "__main__":
    main()
