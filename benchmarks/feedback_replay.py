"""The review loop, replayed: the 36 judged days of labeled_data/ as 36 nights, in date order.

Each night the bot runs as it does in production (``hfm-bot run`` with a replay source, against
a GitHub served on 127.0.0.1 and read by the real PyGithub client): it plans, opens a pull
request with its hidden marker and its near-miss task list, and records its proposals and near
misses in ``decisions.jsonl``. The judged labels then play the maintainer, through the same
GitHub: relevant proposals are kept (and moved, line and all, to the judged section when the
bot chose another), the others deleted, and relevant near misses ticked in the description;
the pull request is merged; ``hfm-bot sync`` records the decisions; every ``k`` nights
``hfm-bot train`` retrains (with its promotion gate, so a worse candidate is refused as it
would be in production).

Before each night's review the current model scores all of that night's papers, and the row
records precision, recall and F1 at the model's threshold, average precision, the papers the
pull request proposed, and the labels gathered so far. Three starts:

- ``cold``: the list and the background only (``hfm-bot train`` makes a cold-start model);
- ``seeded``: the shipped seed labels without the replayed days (the curated positives, none of
  them from a replayed day), so nothing scores itself;
- ``no-review``: the cold model, never reviewed nor retrained: the baseline.

Run from the repository root (no network; about 11 minutes, most of it the retrains):

    python benchmarks/feedback_replay.py --every 3 --out benchmarks/results

It prints the table, writes ``feedback_replay.json`` and the plot ``feedback_replay.png``.
The judged papers never reach the background (the background seed is filtered), and the
shipped model's out-of-fold scores of the first night give the "no worse than shipped" line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script from a clone
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # testsupport is at the root

from testsupport import REPO
from testsupport.fakegithub import no_request_spacing
from testsupport.feedback import (
    Night,
    announced,
    load_judged,
    measure,
    run_start,
    stream_folder,
)

from hfm_bot.classifier import gate
from hfm_bot.labelled import LabelledPaper

STARTS = ("cold", "seeded", "no-review")


def shipped_first_night(night: str, judged: Sequence[LabelledPaper]) -> dict[str, float] | None:
    """The shipped model on the first night, by its own out-of-fold scores (each judged day
    scored by a model that did not see it): the line the seeded start must not fall below."""
    oof = gate.OutOfFoldScores.load(REPO / "model")
    meta = json.loads((REPO / "model" / "meta.json").read_text(encoding="utf-8"))
    if oof is None:
        return None
    by_id = dict(zip(oof.ids, oof.score, strict=True))
    papers = [j for j in judged if announced(j) == night and j.paper.id in by_id]
    score = np.array([by_id[j.paper.id] for j in papers])
    row = measure("shipped", 1, night, papers, score, float(meta["threshold"]))
    return {k: row[k] for k in ("precision", "recall", "f1", "average_precision")}


def summary(rows: Sequence[Night], after: int) -> dict[str, float]:
    """F1 and AP pooled per night over the nights after ``after``, and the labels by then."""
    later = [r for r in rows if r.night > after]
    at = next((r for r in rows if r.night == after + 1), rows[-1])
    return {
        "f1_after": float(np.mean([r.f1 for r in later])) if later else float("nan"),
        "ap_after": float(np.mean([r.average_precision for r in later])) if later else float("nan"),
        "labels": at.labelled,
    }


def plot(rows: Sequence[Night], path: Path, shipped: dict[str, float] | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True)
    for metric, ax in zip(("f1", "average_precision"), axes, strict=True):
        for start in STARTS:
            mine = [r for r in rows if r.start == start]
            if mine:
                ax.plot([r.night for r in mine], [getattr(r, metric) for r in mine], marker=".",
                        label=start)  # fmt: skip
        if shipped is not None:
            ax.axhline(shipped[metric], color="grey", linestyle=":",
                       label="shipped model, night 1 (out of fold)")  # fmt: skip
        ax.set_xlabel("night (judged day, in date order)")
        ax.set_ylabel("F1 at the threshold" if metric == "f1" else "average precision")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8)
    fig.suptitle("hfm-bot learning from reviews: 36 judged days replayed as nights")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(rows: Sequence[Night]) -> str:
    out = [
        "| night | day | cold F1 | cold AP | seeded F1 | seeded AP | no review F1 | no review AP "
        "| cold: kept / deleted / ticked so far |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    by = {(r.start, r.night): r for r in rows}
    nights = sorted({r.night for r in rows})
    for n in nights:
        cells = []
        day = next(r.day for r in rows if r.night == n)
        for start in STARTS:
            r = by.get((start, n))
            cells += [f"{r.f1:.2f}", f"{r.average_precision:.2f}"] if r else ["-", "-"]
        c = by.get(("cold", n))
        labels = f"{c.kept}/{c.deleted}/{c.ticked}" if c else "-"
        out.append(f"| {n} | {day} | " + " | ".join(cells) + f" | {labels} |")
    return "\n".join(out)


def replay_all(
    nights: int,
    every: int,
    starts: Sequence[str],
    encoder: bool = True,
    keep: Path | None = None,
) -> list[Night]:
    """Replay the first ``nights`` judged days for each start. ``keep``: the folder to work
    in and leave behind (each start's checkout and ``<start>.log``); default a temporary one."""
    judged_all = load_judged()
    days = sorted({announced(j) for j in judged_all})[:nights]
    judged = [j for j in judged_all if announced(j) in set(days)]
    all_ids = {j.paper.id for j in judged_all}  # no judged paper in any background
    rows: list[Night] = []
    with contextlib.ExitStack() as stack:
        stack.enter_context(no_request_spacing())
        if keep is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hfm-bot-replay-")))
        else:
            keep.mkdir(parents=True, exist_ok=False)
            work = keep
        stream = stream_folder(work / "stream", judged)
        for start in starts:
            rows += run_start(start, days, judged, stream, work, every, encoder, all_ids)
    return rows


def main_() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nights", type=int, default=36, help="replay the first N judged days")
    parser.add_argument("--every", type=int, default=3, help="retrain every K nights (3)")
    parser.add_argument("--starts", nargs="+", choices=STARTS, default=list(STARTS))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--no-encoder", action="store_true", help="the TF-IDF stage alone")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it (logs)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    rows = replay_all(args.nights, args.every, args.starts, not args.no_encoder, args.keep)
    shipped = shipped_first_night(rows[0].day, load_judged())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "feedback_replay.json").write_text(
        json.dumps({"rows": [asdict(r) for r in rows], "shipped_night_1": shipped}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    plot(rows, args.out / "feedback_replay.png", shipped)
    print()
    print(table(rows))
    print()
    if shipped:
        print(f"shipped model, night 1, out of fold: F1 {shipped['f1']:.2f}, "
              f"AP {shipped['average_precision']:.2f}")  # fmt: skip
    baseline = [r for r in rows if r.start == "no-review"]
    for start in args.starts:
        mine = [r for r in rows if r.start == start]
        s = summary(mine, 12)
        first = mine[0]
        at = next((r for r in mine if r.night == 13), mine[-1])
        trains = [r.train_seconds for r in mine if r.retrained]
        cost = f"; {len(trains)} retrains, {np.mean(trains):.0f} s each" if trains else ""
        gain = ""
        if baseline and start != "no-review" and len(mine) > 12:
            points = 100 * (s["f1_after"] - summary(baseline, 12)["f1_after"])
            gain = (
                f"; F1 {points:+.1f} points over no review on nights 13+, from {at.kept} kept, "
                f"{at.deleted} deleted, {at.ticked} ticked ({s['labels']} papers labelled): "
                f"{s['labels'] / points:.0f} labels per F1 point"
                if points > 0
                else f"; no F1 gain over no review ({points:+.1f} points)"
            )
        print(f"{start}: night 1 F1 {first.f1:.2f} AP {first.average_precision:.2f}; nights 13+: "
              f"mean F1 {s['f1_after']:.2f}, AP {s['ap_after']:.2f}{gain}{cost}")  # fmt: skip
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main_()
