"""The defining-words gate on dev data: which words each dev list learns, and what the gate
keeps of its judged days, for a grid of the learner's two bars.

The dev lists are the healthcare list whole and its four sections taken as lists (as
``benchmarks/cold_start.py --sections``), learnt from their entries (titles: the healthcare
list's entries have no abstract) against the background seed without the judged papers, as
``hfm-bot train`` would. On the 36 judged days it prints, for each (coverage, background bar):
the words (or "no gate"), the share of the days' papers the gate keeps, and the share of the
relevant papers it keeps (the recall the gate leaves; the rest of the cold start can only
lose more). A gate is worth having where it keeps nearly all relevant papers and few others.
No encoder, no training: seconds. ``--support``, ``--lift``, ``--least`` and ``--phrases``
add the learner's other settings to the grid (``ColdStart.terms_*``); the F1 each gate
gives the night share is ``benchmarks/cold_start.py --night-share --terms-support ...``.

    python benchmarks/defining_terms.py [--coverage 0.9 0.95] [--background 0.1 0.15 0.2]
                                        [--support 0.01 0.03] [--lift 0 2] [--least 0.7]
                                        [--phrases on|off|both]
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hfm_bot import labelled
from hfm_bot.classifier.defining_terms import greedy_cover, learn
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.recipe import DEFAULT_TRAINING
from hfm_bot.config import load as load_settings
from hfm_bot.stream import BadLine, iter_json_lines, read_papers

DATA = Path("labeled_data")
DEV_LISTS: tuple[tuple[str, ...], ...] = ((), ("LFM",), ("MFM",), ("BFM",), ("VFM",))


def _broken(bad: BadLine) -> None:
    raise SystemExit(f"labeled_data is damaged: {bad}")


def main(argv: Sequence[str] | None = None) -> None:
    cold = DEFAULT_TRAINING.cold
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coverage", type=float, nargs="+", default=[cold.terms_coverage])
    parser.add_argument("--background", type=float, nargs="+", default=[cold.terms_background])
    parser.add_argument("--max-terms", type=int, default=cold.terms_max)
    parser.add_argument("--support", type=float, nargs="+", default=[cold.terms_support])
    parser.add_argument("--lift", type=float, nargs="+", default=[cold.terms_lift])
    parser.add_argument("--least", type=float, nargs="+", default=[cold.terms_least])
    parser.add_argument(
        "--phrases", choices=["on", "off", "both"], default="on" if cold.terms_phrases else "off"
    )
    args = parser.parse_args(argv)
    phrasings = {"on": [True], "off": [False], "both": [False, True]}[args.phrases]
    settings = load_settings(Path("hfm-bot.toml"))
    sections = [s.label for s in settings.sections]
    entries = [r for _, r in iter_json_lines(DATA / "list.jsonl", _broken)]
    verdicts = [
        lp
        for lp in labelled.read(DATA / "labelled.jsonl.gz", set(sections), _broken)
        if lp.kind is labelled.Kind.JUDGED
    ]
    judged_ids = {lp.paper.id for lp in verdicts}
    background = [
        paper_text(p.title, p.abstract)
        for p in read_papers(DATA / "background" / "seed.jsonl.gz", _broken)
        if p.id not in judged_ids
    ]
    day_texts = [paper_text(lp.paper.title, lp.paper.abstract) for lp in verdicts]
    print(f"{len(background)} background papers; {len(verdicts)} judged papers on 36 days\n")
    print(
        "| dev list | relevant | coverage | background bar | support | phrases | lift | least "
        "| words | night kept | relevant kept |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |")
    for chosen in DEV_LISTS:
        name = "+".join(chosen) or "all entries"
        mine = [
            paper_text(str(r["title"]), str(r.get("abstract") or ""))
            for r in entries
            if not chosen or r.get("section") in chosen
        ]
        relevant = np.array(
            [lp.relevant and (not chosen or lp.section in chosen) for lp in verdicts]
        )
        cover = greedy_cover(
            mine, background, coverage=max(args.coverage), max_terms=args.max_terms,
            min_support=min(args.support), phrases=max(phrasings),
        )  # fmt: skip
        path = ", ".join(
            f"{t} {e:.2f}/{b:.2f}"
            for t, e, b in zip(cover.terms, cover.entries, cover.background, strict=True)
        )
        print(f"<!-- {name}: greedy cover (entries/background): {path} -->")
        grid = itertools.product(
            args.coverage, args.background, args.support, phrasings, args.lift, args.least
        )
        for coverage, bar, support, phrases, lift, least in grid:
            terms = learn(
                mine, background, coverage=coverage, max_background=bar,
                max_terms=args.max_terms, min_support=support, phrases=phrases,
                min_lift=lift, least_coverage=min(least, coverage),
            )  # fmt: skip
            setting = (
                f"| {name} | {int(relevant.sum())} | {coverage} | {bar} | {support} | "
                f"{'yes' if phrases else 'no'} | {lift} | {min(least, coverage)} |"
            )
            if terms is None:
                print(f"{setting} no gate | 1.00 | 1.00 |")
                continue
            kept = np.array([terms.admits(t) for t in day_texts])
            print(
                f"{setting} {', '.join(terms.terms)} | {kept.mean():.3f} | "
                f"{kept[relevant].mean():.2f} |"
            )


if __name__ == "__main__":
    main()
