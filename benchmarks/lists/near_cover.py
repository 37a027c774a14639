"""A second defining-words cover against the near background: measured, not built (issue #23).

A list whose subject is a conjunction (reasoning *and* efficiency) gets defining words for
one side only. This tries the other side: the background papers that hold the first cover's
terms stand for the list's near side, and a second greedy cover of the entries against them
looks for the words that set the list apart there. It prints both covers and, on the list's
judged days, how many relevant and other screen candidates each gate (the first; both)
lets through. Results: ``benchmarks/lists/results.md`` (2026-12-05, second).

    python benchmarks/lists/near_cover.py SLUG BOT_DIR [--shared ../shared]

BOT_DIR is the ``bot`` folder a first night's ``init`` wrote (``first_night.py --keep DIR``:
``DIR/bot``), whose labelled entries and background the cover reads.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from hfm_bot.classifier import defining_terms as dt
from hfm_bot.classifier.recipe import ColdStart

LISTS = Path(__file__).resolve().parent
DAYS = ("2025-11-18", "2026-02-10", "2026-04-21")


def _screen() -> ModuleType:
    """``screen.py`` beside this script (a script of its own, not a package's module)."""
    spec = importlib.util.spec_from_file_location("screen", LISTS / "screen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screen"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _texts(bot: Path) -> tuple[list[str], list[str]]:
    rows = [json.loads(x) for x in (bot / "labeled_data" / "list.jsonl").open(encoding="utf-8")]
    entries = list(dict.fromkeys(f"{r['title']} {r.get('abstract') or ''}" for r in rows))
    with gzip.open(bot / "labeled_data" / "background" / "seed.jsonl.gz", "rt") as fh:
        background = [f"{r['title']} {r.get('abstract') or ''}" for r in map(json.loads, fh)]
    return entries, background


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("slug")
    parser.add_argument("bot", type=Path)
    parser.add_argument("--shared", type=Path, default=LISTS.parents[2] / "shared")
    args = parser.parse_args()
    cold = ColdStart()
    screen = _screen()
    entries, background = _texts(args.bot)
    first = dt.learn(
        entries, background, coverage=cold.terms_coverage, max_background=cold.terms_background,
        max_terms=cold.terms_max, min_support=cold.terms_support, min_lift=cold.terms_lift,
        least_coverage=cold.terms_least,
    )  # fmt: skip
    print("first cover:", first.describe() if first else "none (no gate)")
    if first is None:
        return
    near = [t for t in background if first.admits(t)]
    inside = [t for t in entries if first.admits(t)]
    print(f"near background: {len(near)} of {len(background)}; entries in it {len(inside)}")
    days = {}
    for day in DAYS:
        path = LISTS / args.slug / "judged" / f"{day}.jsonl"
        judged = {r["id"]: r["relevant"] for r in map(json.loads, path.open(encoding="utf-8"))}
        texts = {
            c.id: f"{c.title} {c.abstract}" for c in screen.candidates(args.shared, args.slug, day)
        }
        days[day] = [(texts[i], rel) for i, rel in judged.items()]
    for support in (0.05, 0.1):
        for lift in (2.0, 3.0):
            c = dt.greedy_cover(
                inside, near, coverage=cold.terms_coverage, max_terms=cold.terms_max,
                min_support=support, min_lift=lift,
            )  # fmt: skip
            second = dt.DefiningTerms(c.terms, 0.0, 0.0) if c.terms else None
            counts = []
            for day, rows in days.items():
                a = [(t, r) for t, r in rows if first.admits(t)]
                b = [(t, r) for t, r in a if second is not None and second.admits(t)]
                counts.append(
                    f"{day}: first {sum(r for _, r in a)}/{sum(not r for _, r in a)}, "
                    f"both {sum(r for _, r in b)}/{sum(not r for _, r in b)}"
                )
            covered = c.entries[-1] if c.entries else 0.0
            share = c.background[-1] if c.background else 0.0
            print(
                f"second cover (support {support}, lift {lift}): {list(c.terms)}, "
                f"{covered:.0%} of the entries, {share:.0%} of the near background; "
                "relevant/other candidates let through: " + "; ".join(counts)
            )


if __name__ == "__main__":
    main()
