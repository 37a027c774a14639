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
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: tests.fakegithub is the local GitHub
    sys.path.insert(0, str(REPO))

from tests.fakegithub import FakeGitHub, no_request_spacing  # noqa: E402

from hfm_bot import awesome_list, decisions, labelled  # noqa: E402
from hfm_bot.classifier import gate, second  # noqa: E402
from hfm_bot.classifier.figures import prf  # noqa: E402
from hfm_bot.cli import main  # noqa: E402
from hfm_bot.config import Settings  # noqa: E402
from hfm_bot.config import load as load_settings  # noqa: E402
from hfm_bot.files import atomic_write_gzip_lines  # noqa: E402
from hfm_bot.labelled import LabelledPaper  # noqa: E402
from hfm_bot.proposing import keys_in  # noqa: E402
from hfm_bot.stream import BadLine, iter_json_lines  # noqa: E402

DATA = REPO / "labeled_data"
SEED_LIST = REPO / "tests" / "fixtures" / "awesome-list" / "README.seed.md"
"""The list as the user gave it: what labeled_data/list.jsonl was imported from."""
STARTS = ("cold", "seeded", "no-review")
TOKEN = "ghp_REPLAY000000000000000000000000000"
NEAR_MISS_LINE = r"^- \[ \] .*<!-- hfm-bot:near-miss (\S+) -->$"


@dataclass(frozen=True, slots=True)
class Night:
    """One replayed night, measured before its review."""

    start: str
    night: int
    day: str
    papers: int
    relevant: int
    precision: float
    recall: float
    f1: float
    average_precision: float
    proposed: int
    """Papers the night's pull request proposed (the cap is lifted: every paper over the
    threshold, and the near misses ticked the night before)."""
    near_misses: int
    kept: int
    """Labels gathered before this night: proposals kept (moved ones included; a ticked near
    miss is proposed the next night and kept then)."""
    moved: int
    deleted: int
    ticked: int
    """Near misses the maintainer ticked before this night."""
    labelled: int
    """Papers with a maintainer's verdict before this night (kept, deleted, or ticked and
    not yet proposed again)."""
    retrained: bool = False
    """A retrain ran after this night's review (promoted or refused: see ``promoted``)."""
    promoted: bool = False
    train_seconds: float = 0.0


@dataclass
class Replay:
    """Where one start's bot lives: its checkout (config, labeled_data, model) and GitHub."""

    start: str
    root: Path
    github: FakeGitHub
    settings: Settings

    @property
    def config(self) -> str:
        return str(self.root / "hfm-bot.toml")


def _broken(bad: BadLine) -> None:
    raise SystemExit(f"labeled_data is damaged: {bad}")


def _labelled(kind: labelled.Kind) -> list[LabelledPaper]:
    """The papers of labeled_data/ of one kind, read against the shipped configuration's
    sections (the checkouts use that configuration)."""
    sections = {s.label for s in load_settings(REPO / "hfm-bot.toml").sections}
    papers = labelled.read(DATA / "labelled.jsonl.gz", sections, _broken)
    return [lp for lp in papers if lp.kind is kind]


def load_judged() -> list[LabelledPaper]:
    """The judged papers of labeled_data/, with their verdicts."""
    return _labelled(labelled.Kind.JUDGED)


def announced(judged: LabelledPaper) -> str:
    """The announcement day a judged paper belongs to (every judged paper has one)."""
    assert judged.paper.date is not None, judged.paper.id
    return judged.paper.date.isoformat()


def _records(path: Path) -> Iterator[dict[str, Any]]:
    return (record for _, record in iter_json_lines(path, _broken))


def _write(path: Path, records: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_gzip_lines(path, (json.dumps(r, ensure_ascii=False) for r in records))


def stream_folder(folder: Path, judged: Sequence[LabelledPaper]) -> Path:
    """The replayed days as the replay source reads them: the papers without their verdicts."""
    by_month: dict[str, list[dict[str, Any]]] = {}
    for j in judged:
        by_month.setdefault(announced(j)[:7], []).append(j.paper.training_record())
    for month, records in by_month.items():
        _write(folder / f"arxiv-{month}.jsonl.gz", records)
    return folder


def checkout(root: Path, start: str, github: FakeGitHub, judged_ids: set[str]) -> Path:
    """A bot repository for one start: the shipped configuration pointed at the local GitHub,
    the list's labels, the background without any replayed paper, and (seeded) the curated
    positives that are not replayed papers."""
    root.mkdir(parents=True)
    shipped = (REPO / "hfm-bot.toml").read_text(encoding="utf-8")
    config = shipped.replace(
        'repository = "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare"',
        f'repository = "maintainer/awesome-hfm"\napi_url = "{github.url}"',
    )
    if config == shipped:
        raise SystemExit("hfm-bot.toml: the [target] repository line changed; update the replay")
    (root / "hfm-bot.toml").write_text(config, encoding="utf-8")
    data = root / "labeled_data"
    (data / "background").mkdir(parents=True)
    shutil.copy(DATA / "list.jsonl", data / "list.jsonl")
    seed = _records(DATA / "background" / "seed.jsonl.gz")
    _write(data / "background" / "seed.jsonl.gz", (r for r in seed if r["id"] not in judged_ids))
    if start == "seeded":
        curated = [lp for lp in _labelled(labelled.Kind.CURATED) if lp.paper.id not in judged_ids]
        labelled.write_gzip(data / "labelled.jsonl.gz", curated)
    return root


def score_night(
    model_dir: Path, papers: Sequence[LabelledPaper], encoder: bool
) -> tuple[np.ndarray[Any, Any], float]:
    """Every paper of the night scored by the model in ``model_dir`` as the nightly scores
    (both stages when it has an encoder head), and the threshold it proposes at. The
    embeddings come from hfm-bot's cache, where the night's run has just put its shortlist."""
    classifier = second.load(model_dir, use_encoder=encoder, cache_dir=second.default_cache_dir())
    preds = classifier.predict([p.paper for p in papers])
    if classifier.cache is not None:
        classifier.cache.save()
    return np.array([p.score for p in preds]), classifier.threshold


def measure(
    start: str, n: int, day: str, papers: Sequence[LabelledPaper], score: Any, threshold: float
) -> dict[str, Any]:
    y = np.array([p.relevant for p in papers])
    counts = prf(y, score >= threshold)
    return {
        "start": start,
        "night": n,
        "day": day,
        "papers": len(papers),
        "relevant": int(y.sum()),
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
        "average_precision": float(average_precision_score(y, score)),
    }


def labels_so_far(root: Path) -> dict[str, int]:
    """The maintainer's labels the bot has recorded: kept, moved, deleted, and the papers
    labelled in all."""
    memory = decisions.load(root / "labeled_data" / "decisions.jsonl")
    accepted = [d for d in memory if d.status is decisions.Status.ACCEPTED]
    deleted = sum(d.status is decisions.Status.REJECTED for d in memory)
    pending = sum(d.status is decisions.Status.TICKED for d in memory)
    return {
        "kept": len(accepted),
        "moved": sum(d.section != d.proposed_section for d in accepted),
        "deleted": deleted,
        "labelled": len(accepted) + deleted + pending,
    }


def review(replay: Replay, verdicts: dict[str, LabelledPaper]) -> tuple[int, int, int]:
    """The maintainer reviews the open pull request as the judged labels say: keeps the
    relevant proposals (moving each to its judged section), deletes the rest, ticks the
    relevant near misses, and merges. Returns (proposed, near misses shown, ticked)."""
    github = replay.github
    pull = next(p for p in github.pulls if p.state == "open")
    path = replay.settings.list_path
    text = github.file(pull.head, path)
    doc = awesome_list.parse(text)
    proposed = keys_in(pull.body)
    drop: list[int] = []
    moves: list[awesome_list.NewEntry] = []
    for key in sorted(proposed):
        verdict = verdicts[key]
        entry = doc.find(verdict.paper.keys)
        if not isinstance(entry, awesome_list.Entry):
            raise SystemExit(f"PR #{pull.number}: {key} is in the marker but not in the list")
        if not verdict.relevant:
            drop.append(entry.line_no)
            continue
        heading = replay.settings.heading_for(verdict.section or "")
        if entry.section.strip().lower() != heading.strip().lower():
            drop.append(entry.line_no)
            moves.append(awesome_list.NewEntry(heading, entry.year or 2025, entry.raw))
    lines = text.split("\n")
    for line_no in sorted(drop, reverse=True):
        del lines[line_no - 1]
    edited = "\n".join(lines)
    if moves:
        edited = awesome_list.parse(edited).insert(moves).document.render()
    if edited != text:
        github.maintainer_commit(pull.head, path, edited)
    body = pull.body
    misses = re.findall(NEAR_MISS_LINE, body, flags=re.M)
    ticks = [key for key in misses if verdicts[key].relevant]
    for key in ticks:
        body = re.sub(
            rf"^- \[ \] (.*<!-- hfm-bot:near-miss {re.escape(key)} -->)$",
            r"- [x] \1",
            body,
            flags=re.M,
        )
    pull.body = body
    github.merge(pull.number)
    return len(proposed), len(misses), len(ticks)


def _cli(replay: Replay, *args: str) -> None:
    """One ``hfm-bot`` command, its output appended to the start's ``hfm-bot.log``."""
    log = replay.root.parent / f"{replay.start}.log"
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ hfm-bot {' '.join(args)}\n")
        out.flush()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["--config", replay.config, *args])
    if code != 0:
        raise SystemExit(f"{replay.start}: hfm-bot {' '.join(args)} exited {code}; see {log}")


@contextlib.contextmanager
def bot_environment() -> Iterator[None]:
    """The bot's environment in a workflow: a token for the local GitHub, no step summary."""
    old = {k: os.environ.get(k) for k in ("GITHUB_TOKEN", "GITHUB_STEP_SUMMARY")}
    os.environ["GITHUB_TOKEN"] = TOKEN
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_start(
    start: str,
    days: Sequence[str],
    judged: Sequence[LabelledPaper],
    stream: Path,
    work: Path,
    every: int,
    encoder: bool,
    judged_ids: set[str],
    log: Any = print,
) -> list[Night]:
    """One start through all ``days``. Returns a row per night."""
    verdicts = {j.paper.key: j for j in judged}
    github = FakeGitHub(
        "maintainer", "awesome-hfm", {"README.md": SEED_LIST.read_text(encoding="utf-8")}
    )
    with contextlib.ExitStack() as stack:
        stack.callback(github.stop)
        stack.enter_context(bot_environment())
        root = checkout(work / start, start, github, judged_ids)
        stack.enter_context(contextlib.chdir(root))  # the configuration's paths are relative
        replay = Replay(start, root, github, load_settings(root / "hfm-bot.toml"))
        model_dir = root / "model"
        stage = [] if encoder else ["--no-encoder"]
        t0 = time.perf_counter()
        _cli(replay, "train", *stage, "--output", str(model_dir))
        log(f"{start}: first model in {time.perf_counter() - t0:.0f} s")
        by_day: dict[str, list[LabelledPaper]] = {}
        for j in judged:
            by_day.setdefault(announced(j), []).append(j)
        rows: list[Night] = []
        ticks_given = 0
        for n, day in enumerate(days, 1):
            papers = by_day[day]
            reviewed = start != "no-review"
            timings: dict[str, float] = {}
            shown = (0, 0, 0)
            retrained = promoted = False
            seconds = 0.0
            if reviewed:  # the night's run embeds its shortlist: the scoring below reuses it
                t0 = time.perf_counter()
                _cli(replay, "run", *stage, "--model", str(model_dir), "--source",
                     f"replay:{stream}", "--date", day, "--max-entries", "1000")  # fmt: skip
                timings["run"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            score, threshold = score_night(model_dir, papers, encoder)  # before the review
            row = measure(start, n, day, papers, score, threshold)
            row.update(labels_so_far(root), ticked=ticks_given)
            timings["score"] = time.perf_counter() - t0
            if reviewed:
                t0 = time.perf_counter()
                if any(p.state == "open" for p in github.pulls):
                    shown = review(replay, verdicts)
                    ticks_given += shown[2]
                _cli(replay, "sync")
                timings["review+sync"] = time.perf_counter() - t0
                if n % every == 0 and n < len(days):
                    before = (model_dir / "model.json").read_bytes()
                    t0 = time.perf_counter()
                    _cli(replay, "train", *stage, "--output", str(model_dir))
                    seconds = time.perf_counter() - t0
                    retrained = True
                    promoted = (model_dir / "model.json").read_bytes() != before
            night = Night(**row, proposed=shown[0], near_misses=shown[1], retrained=retrained,
                          promoted=promoted, train_seconds=round(seconds, 1))  # fmt: skip
            rows.append(night)
            log(
                f"{start} night {n:2d} {day}: P {night.precision:.2f} R {night.recall:.2f} "
                f"F1 {night.f1:.2f} AP {night.average_precision:.2f}; proposed {night.proposed}"
                f", near misses {night.near_misses}; labels so far: kept {night.kept} (moved "
                f"{night.moved}), deleted {night.deleted}, ticked {night.ticked}"
                + (
                    f"; retrained in {seconds:.0f} s ({'promoted' if promoted else 'refused'})"
                    if retrained
                    else ""
                )
                + " ("
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + ")"
            )
        return rows
    raise AssertionError("unreachable")


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
