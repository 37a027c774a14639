"""The review loop as a harness: the bot's nights replayed through the CLI against the local
GitHub, the judged labels playing the maintainer (keep, move, delete, tick, merge), ``sync``
recording what they did and ``train`` retraining every ``k`` nights.

``benchmarks/feedback_replay.py`` runs it over judged days (the 36 of labeled_data/, or any
judged-day label file joined with the stream files that hold its text: :func:`load_period`)
and several starts (a cold start, the seed labels, or a shipped model copied in) and plots
what the reviews are worth; ``tests/test_feedback_replay.py`` runs a few nights of it and
checks that every review reaches the memory and the training data as the maintainer meant it.
Both import it from here, so neither imports the other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score

from hfm_bot import awesome_list, decisions, labelled
from hfm_bot.classifier import embeddings, two_stage
from hfm_bot.classifier.figures import prf
from hfm_bot.cli import main
from hfm_bot.config import Settings
from hfm_bot.config import load as load_settings
from hfm_bot.files import atomic_write_gzip_lines
from hfm_bot.labelled import LabelledPaper
from hfm_bot.proposing import keys_in
from hfm_bot.stream import BadLine, iter_json_lines, read_papers
from testsupport import FIXTURES, REPO
from testsupport.fakegithub import FakeGitHub

DATA = REPO / "labeled_data"
SEED_LIST = FIXTURES / "awesome-list" / "README.seed.md"
"""The list as the user gave it: what labeled_data/list.jsonl was imported from."""
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
    """The papers of labeled_data/ of one kind."""
    return [lp for lp in _all_labelled() if lp.kind is kind]


@functools.cache
def _all_labelled() -> tuple[LabelledPaper, ...]:
    """Every paper of labeled_data/, read against the shipped configuration's sections (the
    checkouts use that configuration). Read once per process: parsing and cleaning its 88k
    records took seconds, and a replay asked for one kind of them five times (the papers are
    frozen values, so sharing them couples nothing)."""
    sections = {s.label for s in load_settings(REPO / "hfm-bot.toml").sections}
    return tuple(labelled.read(DATA / "labelled.jsonl.gz", sections, _broken))


def load_judged() -> list[LabelledPaper]:
    """The judged papers of labeled_data/, with their verdicts."""
    return _labelled(labelled.Kind.JUDGED)


class ReplayInputError(Exception):
    """Input the replay cannot run on (the script exits 2 with the message)."""


@dataclass(frozen=True, slots=True)
class Period:
    """Judged days read from a label file, each paper joined with its text."""

    judged: tuple[LabelledPaper, ...]
    """The papers with text, in date order."""
    without_text: tuple[str, ...]
    """Ids of the chosen days that no stream file holds (left out of the replay)."""
    bad_lines: tuple[str, ...]
    """Lines of the label file that are not labels (file:line: why)."""
    all_ids: frozenset[str]
    """Every id the label file judges, on any day: none of them may enter a background."""

    def problem(self, labels: Path, shown: int = 5) -> str | None:
        """What to tell about the ids without text: how many, and the first few by name."""
        if not self.without_text:
            return None
        ids = sorted(self.without_text)
        more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
        return (
            f"{labels}: {len(ids)} judged ids have no text in the given stream files "
            f"(e.g. {', '.join(ids[:shown])}{more})"
        )


def _stream_files(streams: Sequence[Path], months: set[str]) -> list[Path]:
    """The stream files to read: a file as given, a folder's ``arxiv-YYYY-MM.jsonl.gz`` of
    the labels' months only (a folder of 20 months is 170,000 papers)."""
    out: list[Path] = []
    for path in streams:
        if path.is_dir():
            out += [p for m in sorted(months) if (p := path / f"arxiv-{m}.jsonl.gz").exists()]
        elif path.is_file():
            out.append(path)
        else:
            raise ReplayInputError(f"{path}: no such stream file or folder")
    return out


def load_period(
    labels: Path,
    streams: Sequence[Path],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Period:
    """The judged days of ``labels`` (the benchmark's judged-day format: one
    ``{id, date, relevant, category, ...}`` a line) from ``since`` to ``until`` (both
    inclusive), each paper joined with its title and abstract from ``streams`` (stream files,
    or folders of ``arxiv-YYYY-MM.jsonl.gz``). Every record counts as a judged day's verdict:
    the replay measures each night on all of its papers. A label without text is left out
    and listed in ``without_text``; the caller says whether to go on."""
    sections = {s.label for s in load_settings(REPO / "hfm-bot.toml").sections}
    bad: list[str] = []
    chosen: dict[str, labelled.Label] = {}
    every: set[str] = set()
    for label in labelled.read_labels(labels, sections, lambda b: bad.append(str(b))):
        every.add(label.paper_id)
        if label.date is None:
            bad.append(f"{labels}: {label.paper_id}: skipped: no date (a judged day needs one)")
            continue
        if (since and label.date < since) or (until and label.date > until):
            continue
        chosen[label.paper_id] = label
    months = {label.date.isoformat()[:7] for label in chosen.values() if label.date}
    found: dict[str, LabelledPaper] = {}
    for path in _stream_files(streams, months):
        for paper in read_papers(path, lambda b: bad.append(str(b))):
            verdict = chosen.get(paper.id)
            if verdict is not None and paper.id not in found:
                paper = dataclasses.replace(paper, date=verdict.date)  # the judged day's date
                found[paper.id] = LabelledPaper(
                    paper, verdict.relevant, verdict.section, labelled.Kind.JUDGED
                )
    papers = sorted(found.values(), key=lambda lp: (announced(lp), lp.paper.id))
    missing = tuple(sorted(set(chosen) - set(found)))
    return Period(tuple(papers), missing, tuple(bad), frozenset(every))


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


@dataclass(frozen=True, slots=True)
class Start:
    """How a start's bot begins: trained in its checkout (``cold``, ``seeded``) or a model
    folder copied in (``shipped``: the committed model, or one trained on the days before
    the replayed ones), and whether the maintainer reviews its nights."""

    name: str
    base: str
    """``cold``, ``seeded`` or ``shipped``: what the checkout holds."""
    reviewed: bool = True
    model: Path | None = None
    """The model folder a ``shipped`` start copies."""
    band: float | None = None
    """``classifier.background_band`` in the checkout's configuration (None: the default)."""
    extra_config: str = ""
    """Appended to the checkout's configuration (a test's small ``[training]`` recipe)."""
    known_days: int | None = None
    """A ``shipped`` start's judged papers: those of its last ``known_days`` judged days
    before the first replayed one (None: all of them), for a test whose subject is not what
    the retrains learn (fewer papers to write, read and train on)."""

    @classmethod
    def named(
        cls,
        name: str,
        model: Path | None = None,
        band: float | None = None,
        label: str = "",
        extra_config: str = "",
    ) -> Start:
        """The starts by name: ``cold``, ``seeded``, ``shipped``, and the baselines never
        reviewed: ``no-review`` (the cold model) and ``shipped-no-review``."""
        bases = {"cold": ("cold", True), "seeded": ("seeded", True),
                 "shipped": ("shipped", True), "no-review": ("cold", False),
                 "shipped-no-review": ("shipped", False)}  # fmt: skip
        base, reviewed = bases[name]
        if base == "shipped" and model is None:
            raise ReplayInputError(f"the {name} start needs a model folder")
        shipped = model if base == "shipped" else None
        return cls(label or name, base, reviewed, shipped, band, extra_config)


def checkout(
    root: Path,
    start: str | Start,
    github: FakeGitHub,
    judged_ids: set[str],
    replayed: Sequence[LabelledPaper] = (),
) -> Path:
    """A bot repository for one start: the shipped configuration pointed at the local GitHub,
    the list's labels, the background without any judged paper, and (seeded) the curated
    positives that are not judged papers, or (shipped) its model and the labelled papers
    it could have learnt from: none of the ``replayed`` ones, none dated on or after the
    first replayed day (its retrains then learn what it learnt, and the reviews)."""
    start = start if isinstance(start, Start) else Start.named(start)
    root.mkdir(parents=True)
    shipped = (REPO / "hfm-bot.toml").read_text(encoding="utf-8")
    config = shipped.replace(
        'repository = "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare"',
        f'repository = "maintainer/awesome-hfm"\napi_url = "{github.url}"',
    )
    if config == shipped:
        raise SystemExit("hfm-bot.toml: the [target] repository line changed; update the replay")
    if start.band is not None:
        config = config.replace("[classifier]\n", f"[classifier]\nbackground_band = {start.band}\n")
    config += start.extra_config
    (root / "hfm-bot.toml").write_text(config, encoding="utf-8")
    data = root / "labeled_data"
    (data / "background").mkdir(parents=True)
    shutil.copy(DATA / "list.jsonl", data / "list.jsonl")
    first = min((announced(j) for j in replayed), default="9999-12-31")
    seed = _records(DATA / "background" / "seed.jsonl.gz")
    if start.base == "shipped":  # as it was trained: nothing from the replayed days on
        seed = (r for r in seed if str(r.get("date") or "")[:10] < first)
    _write(data / "background" / "seed.jsonl.gz", (r for r in seed if r["id"] not in judged_ids))
    if start.base == "seeded":
        curated = [lp for lp in _labelled(labelled.Kind.CURATED) if lp.paper.id not in judged_ids]
        labelled.write_gzip(data / "labelled.jsonl.gz", curated)
    if start.base == "shipped":
        assert start.model is not None
        shutil.copytree(start.model, root / "model")
        ids = {j.paper.id for j in replayed}
        known = [
            lp
            for kind in (labelled.Kind.JUDGED, labelled.Kind.CURATED, labelled.Kind.LABELLED)
            for lp in _labelled(kind)
            if lp.paper.id not in ids
            and (lp.paper.date is None or lp.paper.date.isoformat() < first)
        ]
        if start.known_days is not None:
            days = sorted({announced(lp) for lp in known if lp.kind is labelled.Kind.JUDGED})
            kept = set(days[-start.known_days :]) if start.known_days else set()
            known = [
                lp for lp in known if lp.kind is not labelled.Kind.JUDGED or announced(lp) in kept
            ]
        labelled.write_gzip(data / "labelled.jsonl.gz", known)
    return root


def score_night(
    model_dir: Path, papers: Sequence[LabelledPaper], encoder: bool
) -> tuple[np.ndarray[Any, Any], float]:
    """Every paper of the night scored by the model in ``model_dir`` as the nightly scores
    (both stages when it has an encoder head), and the threshold it proposes at. The
    embeddings come from hfm-bot's cache, where the night's run has just put its shortlist."""
    classifier = two_stage.load(
        model_dir, use_encoder=encoder, cache_dir=embeddings.default_cache_dir()
    )
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
    start: str | Start,
    days: Sequence[str],
    judged: Sequence[LabelledPaper],
    stream: Path,
    work: Path,
    every: int,
    encoder: bool,
    judged_ids: set[str],
    log: Callable[[str], None] = print,
) -> list[Night]:
    """One start through all ``days``. Returns a row per night."""
    spec = start if isinstance(start, Start) else Start.named(start)
    start = spec.name
    verdicts = {j.paper.key: j for j in judged}
    github = FakeGitHub(
        "maintainer", "awesome-hfm", {"README.md": SEED_LIST.read_text(encoding="utf-8")}
    )
    with contextlib.ExitStack() as stack:
        stack.callback(github.stop)
        stack.enter_context(bot_environment())
        root = checkout(work / start, spec, github, judged_ids, judged)
        stack.enter_context(contextlib.chdir(root))  # the configuration's paths are relative
        replay = Replay(start, root, github, load_settings(root / "hfm-bot.toml"))
        model_dir = root / "model"
        stage = [] if encoder else ["--no-encoder"]
        if spec.base != "shipped":
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
            reviewed = spec.reviewed
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
