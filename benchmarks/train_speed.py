"""Timings of `hfm-bot --help` (start-up: heavy libraries are imported lazily) and of
`hfm-bot train` from the repository's own labeled_data/ (the model card's command), written
to a temporary folder so model/ is left alone.

    python benchmarks/train_speed.py
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
    parser.parse_args()
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hfm_bot", "--help"], check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    print(f"hfm-bot --help: best {min(runs):.3f} s, median {sorted(runs)[2]:.3f} s (5 runs)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "hfm_bot", "train", "-o", str(Path(tmp) / "model")],
            check=True,
            capture_output=True,
        )
        print(f"hfm-bot train (labeled_data/, 36 judged days): {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
