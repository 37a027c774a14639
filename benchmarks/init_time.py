"""The README's "Use it for your list", timed: `hfm-bot init` on the seed list from the
replayed stream (its background from the dev period), then the first dry run of a day after
it, each as a whole process, with a cold embedding cache (a fresh XDG_CACHE_HOME) and the
set-up written to a temporary folder. Prints each command's wall time, init's own steps, and
the total against the 5-minute budget; nothing here is a test assertion.

    python benchmarks/init_time.py [--keep DIR] [--no-encoder]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HFM_SHARED", REPO.parent / "shared")).resolve()
LIST = SHARED / "awesome-list" / "README.seed.md"
STREAM = SHARED / "benchmark" / "stream"
BUDGET = 300.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str, str]:
    """Wall time and CPU time (user + system, every thread) of one whole command: on a
    machine shared with other work the CPU time is what the command itself cost."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        [sys.executable, "-m", "hfm_bot", *argv], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"hfm-bot {' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, _cpu() - cpu, done.stdout, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", metavar="DIR", help="set up here (kept) instead of a temp dir")
    parser.add_argument("--no-encoder", action="store_true", help="the TF-IDF stage alone")
    args = parser.parse_args()
    if not STREAM.is_dir():
        sys.exit(f"needs the recorded stream at {STREAM} (set HFM_SHARED)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp) / "bot"
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}  # a cold cache
        config = str(root / "hfm-bot.toml")
        encoder = ["--no-encoder"] if args.no_encoder else []
        init_s, init_cpu, out, err = _run(
            ["--config", config, "init", str(LIST),
             "--repository", "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare",
             "--source", f"replay:{STREAM}", "--until", "2025-09-30", *encoder],
            env,
        )  # fmt: skip
        run_s, run_cpu, _, run_err = _run(
            ["--config", config, "run", "--dry-run", "--list", str(LIST),
             "--source", f"replay:{STREAM}", "--date", "2025-10-08",
             "--output", str(root / "hfm-bot-out"), *encoder],
            env,
        )  # fmt: skip
    print(f"cpus: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"hfm-bot init (seed list, replayed stream to 2025-09-30): {init_s:.1f} s "
        f"(CPU {init_cpu:.1f} s)"
    )
    for line in err.splitlines():
        if line.startswith("init: ["):
            print("   " + line)
    for line in out.splitlines():
        if line.startswith(("watching", "trained", "wrote")):
            print("   " + line[:160])
    proposed = re.search(r"- proposed: .*", run_err)
    print(f"hfm-bot run --dry-run --date 2025-10-08: {run_s:.1f} s (CPU {run_cpu:.1f} s)", end="")
    print(f" ({proposed.group(0)[2:]})" if proposed else "")
    total = init_s + run_s
    verdict = "within" if total <= BUDGET else "OVER"
    print(
        f"total: {total:.1f} s wall ({verdict} the {BUDGET:.0f} s budget), "
        f"{init_cpu + run_cpu:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
