"""How a night's model ranks a whole judged day, and how its dry run fared: the scorer behind
the "Third session" tables of ``benchmarks/lists/results.md`` (cold-start knobs measured on
whole days, issue #23).

    python benchmarks/lists/rank_day.py SLUG DATE SCORES.jsonl      # hfm-bot classify -o
    python benchmarks/lists/rank_day.py SLUG DATE PROPOSALS.jsonl --proposals

SCORES is ``hfm-bot classify``'s output for every paper of the day (``first_night.py SLUG
DATE --keep DIR --ranks`` writes ``DIR/scores.jsonl``; after ``[training.cold]`` knobs are
added to ``DIR/bot/hfm-bot.toml`` and ``hfm-bot train`` is run again, classify the day's
``DIR/day.jsonl`` anew). It prints the average precision over the whole day and precision and
recall at the top 10, 20, 30 and 50, with how many of those were never judged (counted as not
relevant). With ``--proposals`` (a dry run's ``proposals.jsonl``) it prints the night's
precision and recall. The relevant papers are those of ``judged/DATE.jsonl`` and
``first-night/extra-verdicts.jsonl``. Measurements, not assertions.

Since 5204f0b ``hfm-bot classify`` scores a paper without the list's defining words 0, as
the night does; the "Third session" figures were taken before, on the model's scores
without that gate (the ranking the knobs change, not the night's).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

LISTS = Path(__file__).resolve().parent


def _rows(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def verdicts(slug: str, day: str) -> tuple[set[str], set[str]]:
    """(relevant ids, judged ids) of the day: the judged file and the extra verdicts."""
    rows = _rows(LISTS / slug / "judged" / f"{day}.jsonl")
    extra = LISTS / slug / "first-night" / "extra-verdicts.jsonl"
    if extra.exists():
        rows += [r for r in _rows(extra) if r["date"] == day]
    return {str(r["id"]) for r in rows if r["relevant"]}, {str(r["id"]) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("slug")
    parser.add_argument("date")
    parser.add_argument("path", type=Path)
    parser.add_argument("--proposals", action="store_true", help="PATH is a dry run's")
    args = parser.parse_args()
    relevant, judged = verdicts(args.slug, args.date)
    rows = _rows(args.path)
    if args.proposals:
        ids = [str(r["id"]) for r in rows]
        hits = sum(i in relevant for i in ids)
        print(
            f"{args.slug} {args.date}: {len(ids)} proposals, {hits} relevant, "
            f"{sum(i not in judged for i in ids)} unjudged; precision "
            f"{hits / max(1, len(ids)):.2f}, recall {hits / max(1, len(relevant)):.2f}"
        )
        return
    ranked = [str(r["id"]) for r in sorted(rows, key=lambda r: -float(str(r["score"])))]
    hits, ap = 0, 0.0
    for k, pid in enumerate(ranked, 1):
        if pid in relevant:
            hits += 1
            ap += hits / k
    out = [f"{args.slug} {args.date}: {len(ranked)} papers, {len(relevant)} relevant, "
           f"AP {ap / max(1, len(relevant)):.3f}"]  # fmt: skip
    for k in (10, 20, 30, 50):
        top = ranked[:k]
        found = sum(i in relevant for i in top)
        out.append(
            f"@{k}: P {found / k:.2f} R {found / max(1, len(relevant)):.2f} "
            f"(unjudged {sum(i not in judged for i in top)})"
        )
    print("; ".join(out))


if __name__ == "__main__":
    main()
