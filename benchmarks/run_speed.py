"""End-to-end run timings: one replayed announcement day, and backfilling 2025, in dry run.

    python benchmarks/run_speed.py [--shared ../shared]

Each run is a separate `hfm-bot run` process (so the figures include start-up, loading the
model and the list, reading the replayed stream, classifying, rendering and writing the
dry-run folder); wall time and the process's peak memory are printed.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--day", default="2025-06-05")
    args = parser.parse_args()
    shared = Path(args.shared)
    base = [sys.executable, "-m", "hfm_bot", "run", "--dry-run", "--source",
            f"replay:{shared / 'benchmark/stream'}", "--list",
            str(shared / "awesome-list/README.seed.md")]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        day, day_mem = timed([*base, "--date", args.day, "--output", f"{tmp}/day"])
        print(f"replayed day {args.day}, end to end: {day:.2f} s, peak {day_mem:.0f} MiB")
        year, year_mem = timed(
            [*base, "--since", "2025-01-01", "--until", "2025-12-31", "--output", f"{tmp}/year"]
        )
        print(f"backfill of 2025 (53 weekly slices): {year:.1f} s, peak {year_mem:.0f} MiB")
        print("(ru_maxrss of children is a running maximum: the second figure covers both runs)")


if __name__ == "__main__":
    main()
