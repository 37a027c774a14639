"""The review loop, replayed: judged days as nights, in date order, with the judged labels
playing the maintainer.

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
pull request proposed, and the labels gathered so far. The starts:

- ``cold``: the list and the background only (``hfm-bot train`` makes a cold-start model);
- ``seeded``: the shipped seed labels without the judged papers (the curated positives), so
  nothing scores itself;
- ``shipped``: a model folder copied in (``--model``, default the committed ``model/``),
  with the labelled papers of ``labeled_data/`` it could have learnt from (none of the
  replayed papers, none dated on or after the first replayed night) and the background seed
  up to that night; its retrains learn from those and the reviews;
- ``no-review`` and ``shipped-no-review``: the cold or the shipped model, never reviewed
  nor retrained: the baselines.

The period: by default the 36 judged days of ``labeled_data/``. With ``--labels`` any file in
the benchmark's judged-day format (``{id, date, relevant, category, ...}`` a line, every paper
of each day) is replayed, its text read from ``--streams`` (stream files
``arxiv-YYYY-MM.jsonl.gz``, or their folder), so the loop is measured on a period the model
never saw without changing code; ``--since``/``--until`` (inclusive) and ``--nights`` choose
the days. A judged id that no stream file holds has no text to replay: the script counts
them and names a few, then goes on without them (the nights are measured on the papers with
text, and it says so) or, with ``--strict``, stops with exit 2. A label without a date, or a
line that is no label, is reported (its id or line) and left out; a section the configuration
does not know, or a missing file or folder, is exit 2.

``--bands`` replays each reviewed start once per ``classifier.background_band`` (the share of
the threshold under which a night's paper may join its background sample; 1.0 is every paper
under the threshold, as before the band existed).

Run from the repository root (no network; the 36 days take about 11 minutes):

    python benchmarks/feedback_replay.py --every 3 --out benchmarks/results

    python benchmarks/feedback_replay.py --labels ../shared/benchmark/labels/judged-dev.jsonl \\
        --streams ../shared/benchmark/stream --since 2025-08-27 --until 2025-09-30 \\
        --starts shipped shipped-no-review --model /tmp/model-before-08-27 --bands 0.1 1.0 \\
        --name feedback_replay_last9

It prints the table, writes ``<name>.json`` and the plot ``<name>.png``. The judged papers
never reach the background (the background seed is filtered), and a shipped model's
out-of-fold scores of the first night, when it has them, give the "no worse than shipped"
line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
    Period,
    ReplayInputError,
    Start,
    announced,
    load_judged,
    load_period,
    measure,
    run_start,
    stream_folder,
)

from hfm_bot.classifier import gate
from hfm_bot.errors import InputError
from hfm_bot.labelled import LabelledPaper

STARTS = ("cold", "seeded", "shipped", "no-review", "shipped-no-review")


def shipped_first_night(
    model_dir: Path, night: str, judged: Sequence[LabelledPaper]
) -> dict[str, float] | None:
    """A shipped model on the first night, by its own out-of-fold scores (each judged day
    scored by a model that did not see it): the line the seeded start must not fall below.
    None when the model has no out-of-fold score of that night (it never saw the day)."""
    oof = gate.OutOfFoldScores.load(model_dir)
    if oof is None:
        return None
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    by_id = dict(zip(oof.ids, oof.score, strict=True))
    papers = [j for j in judged if announced(j) == night and j.paper.id in by_id]
    if not papers or not any(j.relevant for j in papers):
        return None
    score = np.array([by_id[j.paper.id] for j in papers])
    row = measure("shipped", 1, night, papers, score, float(meta["threshold"]))
    return {k: row[k] for k in ("precision", "recall", "f1", "average_precision")}


def summary(rows: Sequence[Night], after: int) -> dict[str, float]:
    """F1, AP and recall (pooled per night) over the nights after ``after``, and the labels
    by then."""
    later = [r for r in rows if r.night > after]
    at = next((r for r in rows if r.night == after + 1), rows[-1])

    def mean(values: list[float]) -> float:
        return float(np.mean(values)) if values else float("nan")

    found = sum(r.recall * r.relevant for r in later)
    return {
        "f1_after": mean([r.f1 for r in later]),
        "ap_after": mean([r.average_precision for r in later]),
        "recall_after": found / max(sum(r.relevant for r in later), 1),
        "precision_after": mean([r.precision for r in later]),
        "labels": at.labelled,
    }


def labels_of(rows: Sequence[Night]) -> list[str]:
    """The starts of the rows, in the order they ran."""
    return list(dict.fromkeys(r.start for r in rows))


def plot(rows: Sequence[Night], path: Path, shipped: dict[str, float] | None, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharex=True)
    for metric, ax in zip(("f1", "average_precision"), axes, strict=True):
        for start in labels_of(rows):
            mine = [r for r in rows if r.start == start]
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
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def table(rows: Sequence[Night]) -> str:
    starts = labels_of(rows)
    head = "| night | day | " + " | ".join(f"{s} F1 | {s} AP" for s in starts)
    reviewed = next((s for s in starts if "no-review" not in s), None)
    head += f" | {reviewed}: kept / deleted / ticked so far |" if reviewed else " |"
    out = [head, "| " + " | ".join(["---"] * (head.count("|") - 1)) + " |"]
    by = {(r.start, r.night): r for r in rows}
    for n in sorted({r.night for r in rows}):
        cells = []
        day = next(r.day for r in rows if r.night == n)
        for start in starts:
            r = by.get((start, n))
            cells += [f"{r.f1:.2f}", f"{r.average_precision:.2f}"] if r else ["-", "-"]
        line = f"| {n} | {day} | " + " | ".join(cells)
        if reviewed:
            c = by.get((reviewed, n))
            line += f" | {f'{c.kept}/{c.deleted}/{c.ticked}' if c else '-'}"
        out.append(line + " |")
    return "\n".join(out)


def replay_all(
    days: Sequence[str],
    judged: Sequence[LabelledPaper],
    all_ids: set[str],
    every: int,
    starts: Sequence[Start],
    encoder: bool = True,
    keep: Path | None = None,
) -> list[Night]:
    """Replay ``days`` for each start. ``all_ids``: every judged paper, kept out of the
    backgrounds. ``keep``: the folder to work in and leave behind (each start's checkout and
    ``<start>.log``); default a temporary one."""
    chosen = set(days)
    judged = [j for j in judged if announced(j) in chosen]
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from err


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="A judged id with no text in --streams is left out (counted and named on stderr) "
        "unless --strict, which stops with exit 2; so does a missing file.",
    )
    p.add_argument("--labels", type=Path,
                   help="judged-day labels (the benchmark's judged-dev.jsonl format); default "
                   "the judged papers of labeled_data/")  # fmt: skip
    p.add_argument("--streams", type=Path, nargs="+",
                   help="stream files arxiv-YYYY-MM.jsonl.gz or their folder: the text of "
                   "--labels (required with it)")  # fmt: skip
    p.add_argument("--since", type=_date, help="first judged day to replay (inclusive)")
    p.add_argument("--until", type=_date, help="last judged day to replay (inclusive)")
    p.add_argument("--nights", type=int, help="replay the first N of the chosen judged days")
    p.add_argument("--strict", action="store_true",
                   help="stop (exit 2) when a judged id has no text in --streams, instead of "
                   "replaying without it")  # fmt: skip
    p.add_argument("--every", type=int, default=3, help="retrain every K nights (3)")
    p.add_argument("--starts", nargs="+", choices=STARTS, default=["cold", "seeded", "no-review"])
    p.add_argument("--model", type=Path, default=REPO / "model",
                   help="the model folder the shipped starts copy (default model/)")  # fmt: skip
    p.add_argument("--bands", type=float, nargs="+",
                   help="replay each reviewed start with each classifier.background_band "
                   "(default: the configuration's)")  # fmt: skip
    p.add_argument("--after", type=int,
                   help="summarise the nights after the N-th (default: half of them)")  # fmt: skip
    p.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    p.add_argument("--name", default="feedback_replay",
                   help="file name of the results (<name>.json, <name>.png)")  # fmt: skip
    p.add_argument("--no-encoder", action="store_true", help="the TF-IDF stage alone")
    p.add_argument("--keep", type=Path, help="work in this new folder and keep it (logs)")
    return p


def period(args: argparse.Namespace) -> tuple[list[LabelledPaper], set[str], str]:
    """The judged papers to replay from, every judged id, and what was said about them;
    :class:`ReplayInputError` for input the replay cannot use."""
    if args.labels is None:
        judged = load_judged()
        return judged, {j.paper.id for j in judged}, "the judged days of labeled_data/"
    if not args.streams:
        raise ReplayInputError("--labels needs --streams: the files that hold the papers' text")
    if not args.labels.is_file():
        raise ReplayInputError(f"{args.labels}: no such label file")
    try:
        got: Period = load_period(args.labels, args.streams, args.since, args.until)
    except InputError as err:  # a section the configuration lacks, at its file and line
        raise ReplayInputError(str(err)) from err
    for line in got.bad_lines[:5]:
        print(f"warning: {line}", file=sys.stderr)
    if len(got.bad_lines) > 5:
        print(f"warning: {len(got.bad_lines) - 5} more lines skipped", file=sys.stderr)
    problem = got.problem(args.labels)
    if problem and args.strict:
        raise ReplayInputError(f"{problem}; stopped (--strict)")
    if problem:
        print(f"warning: {problem}; replaying without them (the nights are measured on the "
              "papers with text; --strict stops instead)", file=sys.stderr)  # fmt: skip
    if not got.judged:
        raise ReplayInputError(f"{args.labels}: no judged paper with text in the chosen days")
    said = f"{args.labels} with text from {', '.join(str(s) for s in args.streams)}"
    return list(got.judged), set(got.all_ids), said


def starts_of(args: argparse.Namespace) -> list[Start]:
    out: list[Start] = []
    bands: list[float | None] = list(args.bands) if args.bands else [None]
    for name in args.starts:
        reviewed = "no-review" not in name
        for band in bands if reviewed else [None]:
            label = (
                f"{name} band {band:g}"
                if reviewed and band is not None and len(bands) > 1
                else name
            )
            out.append(Start.named(name, args.model, band, label))
    return out


def main_(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    t0 = time.perf_counter()
    try:
        judged, all_ids, said = period(args)
        starts = starts_of(args)
    except ReplayInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    days = sorted({announced(j) for j in judged})
    days = [d for d in days if (not args.since or d >= args.since.isoformat())
            and (not args.until or d <= args.until.isoformat())][: args.nights]  # fmt: skip
    if not days:
        print("error: no judged day in the chosen range", file=sys.stderr)
        return 2
    print(f"replaying {len(days)} nights ({days[0]} .. {days[-1]}) of {said}", file=sys.stderr)
    rows = replay_all(days, judged, all_ids, args.every, starts, not args.no_encoder, args.keep)
    shipped = shipped_first_night(args.model, rows[0].day, judged)
    after = args.after if args.after is not None else len(days) // 2
    summaries = {s: summary([r for r in rows if r.start == s], after) for s in labels_of(rows)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(
        json.dumps(
            {
                "days": days,
                "every": args.every,
                "after": after,
                "source": said,
                "rows": [asdict(r) for r in rows],
                "summary": summaries,
                "shipped_night_1": shipped,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    title = f"hfm-bot learning from reviews: {len(days)} judged days replayed as nights"
    plot(rows, args.out / f"{args.name}.png", shipped, title)
    print()
    print(table(rows))
    print()
    if shipped:
        print(f"shipped model, night 1, out of fold: F1 {shipped['f1']:.2f}, "
              f"AP {shipped['average_precision']:.2f}")  # fmt: skip
    for start in labels_of(rows):
        mine = [r for r in rows if r.start == start]
        s = summaries[start]
        base = "shipped-no-review" if start.startswith("shipped") else "no-review"
        gain = ""
        if base in summaries and "no-review" not in start and len(mine) > after:
            points = 100 * (s["f1_after"] - summaries[base]["f1_after"])
            gain = f"; F1 {points:+.1f} points over {base} on nights {after + 1}+"
        trains = [r for r in mine if r.retrained]
        cost = (
            f"; {len(trains)} retrains ({sum(r.promoted for r in trains)} promoted), "
            f"{np.mean([r.train_seconds for r in trains]):.0f} s each"
            if trains
            else ""
        )
        print(f"{start}: night 1 F1 {mine[0].f1:.2f} AP {mine[0].average_precision:.2f}; "
              f"nights {after + 1}+: mean F1 {s['f1_after']:.3f}, AP {s['ap_after']:.3f}, pooled "
              f"recall {s['recall_after']:.3f}; {s['labels']} papers labelled by night "
              f"{after + 1}{gain}{cost}")  # fmt: skip
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
