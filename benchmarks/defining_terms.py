"""The defining-words gate on dev data: which words each dev list learns, and what the gate
keeps of its judged days, for a grid of the learner's two bars.

The dev lists are the healthcare list whole and its four sections taken as lists (as
``benchmarks/cold_start.py --sections``), learnt from their entries (titles: the healthcare
list's entries have no abstract) against the background seed without the judged papers, as
``hfm-bot train`` would. On the 36 judged days it prints, for each (coverage, background bar):
the words (or "no gate"), the share of the days' papers the gate keeps, and the share of the
relevant papers it keeps (the recall the gate leaves; the rest of the cold start can only
lose more). A gate is worth having where it keeps nearly all relevant papers and few others.
No encoder, no training: seconds.

    python benchmarks/defining_terms.py [--coverage 0.9 0.95] [--background 0.1 0.15 0.2]
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args(argv)
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
        "| dev list | relevant | coverage | background bar | words | night kept | relevant kept |"
    )
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
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
            min_support=cold.terms_support,
        )  # fmt: skip
        path = ", ".join(
            f"{t} {e:.2f}/{b:.2f}"
            for t, e, b in zip(cover.terms, cover.entries, cover.background, strict=True)
        )
        print(f"<!-- {name}: greedy cover (entries/background): {path} -->")
        for coverage in args.coverage:
            for bar in args.background:
                terms = learn(
                    mine, background, coverage=coverage, max_background=bar,
                    max_terms=args.max_terms, min_support=cold.terms_support,
                )  # fmt: skip
                if terms is None:
                    print(
                        f"| {name} | {int(relevant.sum())} | {coverage} | {bar} | no gate "
                        "| 1.00 | 1.00 |"
                    )
                    continue
                kept = np.array([terms.admits(t) for t in day_texts])
                print(
                    f"| {name} | {int(relevant.sum())} | {coverage} | {bar} | "
                    f"{', '.join(terms.terms)} | {kept.mean():.2f} | "
                    f"{kept[relevant].mean():.2f} |"
                )


if __name__ == "__main__":
    main()
