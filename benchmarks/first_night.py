"""Issue #23's closing figures: the first night of the bot on a real list, judged paper by paper.

For one list (``benchmarks/lists/<slug>``) and one replay day this runs the README's "Use it for
your list" path as a new user would, through the real CLI in subprocesses: ``hfm-bot init`` on
the recorded list file with the replayed stream and a window that ENDS THE DAY BEFORE (a first
night must not have seen its own day), then ``hfm-bot run --dry-run`` for that day. Both are
timed as whole processes with a cold embedding cache. It then scores what the dry run proposed,
and the near misses its PR body lists, against the day's judged truth
(``judged/<date>.jsonl``); a proposal or near miss the judged file lacks (the keyword screen
did not catch it) needs a verdict written by hand in ``first-night/extra-verdicts.jsonl``
(``{id, date, relevant, section, reason}``, judged from the stream's title and abstract
against SCOPE.md), and the script refuses to score until it has one. Extra verdicts of
relevant papers the bot did NOT surface (found by searching the day) count in recall too.

It writes ``first-night/<date>.jsonl`` (one line per proposal and near miss: ids, scores,
verdicts and reasons, never the stream's titles or abstracts), ``first-night/<date>.run.json``
(timings and counts), and rebuilds ``benchmarks/lists/results.md`` from every day recorded.
Nothing here is a test assertion; the numbers are measurements.

    python benchmarks/first_night.py SLUG DATE [--keep DIR] [--rescore] [--reuse-init DIR]
                                     [--fixed-too] [--night-share] [--rule contrast]
    python benchmarks/first_night.py --table        # only rebuild results.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import functools
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from hfm_bot.awesome_list import AwesomeList, Entry, load, name_parts, parse
from hfm_bot.ids import PaperKeys, normalise_arxiv_id, normalise_title

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HFM_SHARED", REPO.parent / "shared")).resolve()
STREAM = SHARED / "benchmark" / "stream"
LISTS = REPO / "benchmarks" / "lists"
FIXTURES = REPO / "tests" / "fixtures" / "lists"
RESULTS = LISTS / "results.md"
BUDGET = 300.0
"""The issue's budget for ``init`` plus the first dry run, in seconds."""

_NEAR_MISS_RE = re.compile(
    r"^- \[[ xX]\] .*\((?P<score>[0-9.]+), (?P<section>[^)]*)\)\s*"
    r"<!-- hfm-bot:near-miss (?P<keys>[^>]*?) -->"
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A person's call on one paper: from the judged day, or written by hand for this run."""

    relevant: bool
    section: str | None
    reason: str
    in_truth: bool


@dataclass(frozen=True, slots=True)
class Surfaced:
    """A paper the dry run put in front of the maintainer: proposed, or a near miss."""

    id: str
    kind: str
    score: float
    section: str
    title: str


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall seconds of the two commands, and the window init learned from."""

    init_seconds: float
    run_seconds: float
    until: str
    init_cpu: float | None = None
    run_cpu: float | None = None


@dataclass(frozen=True, slots=True)
class Night:
    """One list's first night, scored: what ``<day>.run.json`` holds and the table shows."""

    slug: str
    date: str
    until: str
    init_seconds: float
    run_seconds: float
    proposals: int
    relevant_proposals: int
    relevant_of_day: int
    relevant_outside_truth: int
    precision: float
    recall: float
    f1: float
    section_agree: int
    near_misses: int
    near_misses_relevant: int
    already_listed_proposed: int
    already_listed_ids: list[str]
    missed: list[str]
    entries_read: int
    """Paper entries the parser reads in the list (COUNT.md has a person's count)."""
    only_added: bool
    """The dry run's edited list is the original with lines added and no other byte changed."""
    read_back: int
    """Proposals whose added line the parser reads back as an entry of that paper: the new
    lines are in a shape the list's own parser recognises (the style check)."""
    init_cpu: float | None
    run_cpu: float | None
    missed_ranks: list[tuple[str, int, float]]
    """Each missed relevant paper's rank and score among the day's papers (``--ranks``: the
    same model's ``hfm-bot classify`` of the whole day), to see how far below the cut it was."""
    rule: str = ""
    """The subfolder of ``first-night/`` it is recorded in (see :data:`RULES`)."""


RULES = {
    "cap2-nogate": "cap2 with the defining-words gate off (terms_gate = false), same init",
    "cap2-reread": "cap2, the list read with its two-line entries (12 more, a section more)",
    "cap2": "words and phrases gate + night share, cap drafted at 2x the window, an init per day",
    "phrases": "defining words and phrases (supported, strong) + night share, an init per day",
    "phrases-one-init": "defining words and phrases + night share, one init until 2025-11-17",
    "defterms": "defining-words gate + night share (the default), cap drafted, an init per day",
    "defterms-one-init": "defining-words gate + night share, one init until 2025-11-17",
    "plain-cap": "night share (the default), cap drafted by init, an init per day",
    "plain-cap-one-init": "night share (default), cap drafted by init, one init until 2025-11-17",
    "contrast": "contrast night share, cap 30, an init per day",
    "contrast-one-init": "contrast night share, cap 30, one init until 2025-11-17",
    "": "night share, an init per day",
    "fixed5": "fixed 5%, an init per day (same init)",
    "one-init-fixed5": "fixed 5%, one init until 2025-11-17 (last session)",
}
"""Where each rule's nights are recorded under ``first-night/`` (the subfolder), and its name
in the table: the shipped rule (each night's count from the list's scope), the stored fixed-5%
threshold on the same init (``--fixed-too``), and last session's protocol. ``--rule contrast``
records this session's nights: the default cold start of a new list since the contrast rule
(the count from closeness to the list against the background, the PR's cap drafted by init
from the window's flux); ``--rule contrast-one-init`` the same rule's later days dry-run on the
2025-11-18 init (``--reuse-init``), when an init per day did not fit in the session.
``--rule phrases`` (and ``phrases-one-init``): the defining words learnt with two-word phrases,
a higher support and the cover stopped at a weak term (``ColdStart.terms_*``). ``--rule cap2``:
the same, with the PR's cap drafted by init at 2 times the window's nights (was 1.5:
``ColdStart.cap_margin``)."""


def _origin(slug: str) -> str:
    """The list's ``owner/name`` from its ORIGIN.txt, as a user would pass it."""
    text = (FIXTURES / slug / "ORIGIN.txt").read_text(encoding="utf-8")
    match = re.search(r"origin:\s+([\w.-]+/[\w.-]+):", text)
    if match is None:
        sys.exit(f"{FIXTURES / slug / 'ORIGIN.txt'}: no owner/name found")
    return match.group(1)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _hfm(argv: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run the real CLI as a whole process; its wall time and CPU time (user + system, all
    threads: on a machine shared with other agents the CPU time is what the command itself
    cost, the wall time what a user waited). Output kept in ``log``."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        [sys.executable, "-m", "hfm_bot", *argv], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    log.write_text(f"$ hfm-bot {' '.join(argv)}\n{done.stdout}\n--- stderr\n{done.stderr}")
    if done.returncode != 0:
        sys.exit(f"hfm-bot {' '.join(argv)} failed ({done.returncode}), see {log}:\n{done.stderr}")
    return seconds, cpu


def fixed_share_run(listing: Path, day: str, root: Path, env: dict[str, str]) -> None:
    """The same night with the model's stored threshold (the top 5% of the background, the
    cold start's rule before the night's own estimate): a copy of the set-up whose
    configuration fixes ``[classifier] threshold`` to it, which the nightly then uses as
    given. Output in ``out-fixed``, so both rules are judged on the same init."""
    fixed = root / "bot-fixed"
    if fixed.exists():
        shutil.rmtree(fixed)
    shutil.copytree(root / "bot", fixed)
    head = json.loads((fixed / "model" / "encoder_head.json").read_text(encoding="utf-8"))
    config = fixed / "hfm-bot.toml"
    text = config.read_text(encoding="utf-8")
    if "\n[classifier]\n" not in text:
        sys.exit(f"{config}: no [classifier] table to fix the threshold in")
    config.write_text(
        text.replace("\n[classifier]\n", f"\n[classifier]\nthreshold = {head['threshold']!r}\n", 1),
        encoding="utf-8",
    )
    _hfm(
        ["--config", str(config), "run", "--dry-run", "--list", str(listing),
         "--source", f"replay:{STREAM}", "--date", day, "--output", str(root / "out-fixed")],
        env, root / "run-fixed.log",
    )  # fmt: skip


def night_share_train(config: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Switch the set-up ``init`` wrote to the night-share rule: ``[training.cold]``
    ``night_share = true`` appended to its configuration, then ``hfm-bot train`` (the cold
    start again, now storing the list's scope with the model). The rule is an option, not the
    default, so a user who wants it does these two steps; their time counts as init's."""
    text = config.read_text(encoding="utf-8")
    if "[training.cold]" in text:
        sys.exit(f"{config}: already has a [training.cold] table; not adding a second")
    config.write_text(text + "\n[training.cold]\nnight_share = true\n", encoding="utf-8")
    return _hfm(["--config", str(config), "train"], env, log)


def run_night(
    slug: str,
    day: str,
    root: Path,
    reuse: Path | None = None,
    fixed_too: bool = False,
    night_share: bool = False,
) -> Timing:
    """``init`` with the window ending the day before ``day``, then the dry run of ``day``.

    With ``reuse`` (the work folder of an earlier night of the same list) its set-up is copied
    and init is not run again: on a busy 2-core machine one init per list is what time allows,
    and the later days are then first nights of a model that ends before the earliest day
    (the table shows each day's init window, and the init time of the one init). With
    ``night_share`` the set-up is switched to that rule after init (the copy keeps its rule)."""
    listing = FIXTURES / slug / "README.md"
    bot = root / "bot"
    env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}  # a cold cache
    config = str(bot / "hfm-bot.toml")
    if reuse is not None:
        earlier = Timing(**json.loads((reuse / "timing.json").read_text()))
        if earlier.until >= day:
            sys.exit(f"{reuse}: its init saw {earlier.until}, not before {day}")
        shutil.copytree(reuse / "bot", bot)
        until, init_s, init_cpu = earlier.until, earlier.init_seconds, earlier.init_cpu
    else:
        until = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
        init_s, init_cpu = _hfm(
            ["--config", config, "init", str(listing), "--repository", _origin(slug),
             "--source", f"replay:{STREAM}", "--until", until],
            env, root / "init.log",
        )  # fmt: skip
        if night_share:
            train_s, train_cpu = night_share_train(Path(config), env, root / "train.log")
            init_s, init_cpu = init_s + train_s, init_cpu + train_cpu
    run_s, run_cpu = _hfm(
        ["--config", config, "run", "--dry-run", "--list", str(listing),
         "--source", f"replay:{STREAM}", "--date", day, "--output", str(root / "out")],
        env, root / "run.log",
    )  # fmt: skip
    if fixed_too:
        fixed_share_run(listing, day, root, env)
    timing = Timing(
        round(init_s, 1), round(run_s, 1), until,
        None if init_cpu is None else round(init_cpu, 1), round(run_cpu, 1),
    )  # fmt: skip
    (root / "timing.json").write_text(json.dumps(asdict(timing)))
    return timing


def surfaced(out: Path) -> list[Surfaced]:
    """The dry run's proposals (``proposals.jsonl``) and the near misses of its PR body."""
    found = []
    proposals = out / "proposals.jsonl"
    if proposals.exists():
        for line in proposals.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found.append(
                Surfaced(
                    str(row["id"]), "proposed", float(row["score"]), str(row["section"]),
                    str(row["title"]),
                )
            )  # fmt: skip
    for line in (out / "pr-body.md").read_text(encoding="utf-8").splitlines():
        match = _NEAR_MISS_RE.match(line)
        if match is None:
            continue
        ids = [normalise_arxiv_id(k) for k in match["keys"].split() if k.startswith("arxiv:")]
        paper = next((i for i in ids if i), match["keys"].split()[0])
        found.append(
            Surfaced(paper, "near_miss", float(match["score"]), match["section"].strip(), "")
        )
    return found


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.exists():
        return
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                sys.exit(f"{path}:{n}: not JSON ({err})")


def verdicts(slug: str, day: str) -> tuple[dict[str, Verdict], dict[str, Verdict]]:
    """The judged day's verdicts, and the hand-written ones for papers outside it."""
    judged = {
        str(r["id"]): Verdict(bool(r["relevant"]), _opt(r.get("section")), str(r["reason"]), True)
        for r in _jsonl(LISTS / slug / "judged" / f"{day}.jsonl")
    }
    extra = {
        str(r["id"]): Verdict(bool(r["relevant"]), _opt(r.get("section")), str(r["reason"]), False)
        for r in _jsonl(LISTS / slug / "first-night" / "extra-verdicts.jsonl")
        if r.get("date") == day and str(r["id"]) not in judged
    }
    return judged, extra


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def stream_text(day: str, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Title and abstract of ``ids`` from the stream, to judge the unjudged by (printed, never
    written into the repository)."""
    month = STREAM / f"arxiv-{day[:7]}.jsonl.gz"
    out = {}
    with gzip.open(month, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] in ids:
                out[str(row["id"])] = (str(row["title"]), str(row["abstract"]))
    return out


def rank_day(slug: str, day: str, root: Path) -> None:
    """Score every paper of the day with the night's model through ``hfm-bot classify``, so the
    misses can be placed (the dry run writes only what it proposes)."""
    papers = root / "day.jsonl"
    month = STREAM / f"arxiv-{day[:7]}.jsonl.gz"
    with gzip.open(month, "rt", encoding="utf-8") as fh:
        papers.write_text("".join(line for line in fh if json.loads(line)["date"] == day))
    env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache")}
    _hfm(
        ["--config", str(root / "bot" / "hfm-bot.toml"), "classify", str(papers),
         "-o", str(root / "scores.jsonl")],
        env, root / "classify.log",
    )  # fmt: skip


def missed_ranks(root: Path, missed: list[str]) -> list[tuple[str, int, float]]:
    """(id, rank, score) of each missed paper in ``scores.jsonl``, rank 1 the best; -1 when
    the day's scores were not made or the paper is not among them."""
    scores = root / "scores.jsonl"
    if not scores.exists():
        return []
    rows = [json.loads(line) for line in scores.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: -float(r["score"]))
    rank = {str(r["id"]): (i + 1, round(float(r["score"]), 3)) for i, r in enumerate(rows)}
    return [(pid, *rank.get(pid, (-1, 0.0))) for pid in missed]


def style_check(doc: AwesomeList, out: Path, proposed: list[Surfaced]) -> tuple[bool, int]:
    """Whether the edited list only adds lines, and how many proposals its added lines hold as
    entries the parser reads back with the paper's arXiv id."""
    before = doc.render().splitlines(keepends=True)
    edited_path = out / Path(doc.origin).name
    edited = parse(edited_path.read_text(encoding="utf-8"), str(edited_path))
    after = list(edited.lines)
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    only_added = all(tag in ("equal", "insert") for tag, *_ in ops)
    added = {j + 1 for tag, _, _, j1, j2 in ops if tag == "insert" for j in range(j1, j2)}
    read_back = 0
    for s in proposed:
        hit = edited.find(PaperKeys(arxiv_id=s.id))
        if isinstance(hit, Entry) and hit.line_no in added:
            read_back += 1
    return only_added, read_back


def _headings(config: Path) -> dict[str, str]:
    """Section label -> the heading it stands for, in one configuration: init names its labels
    after the headings, the judged days use the hand-written configuration's labels, and the
    heading is what both mean."""
    with config.open("rb") as fh:
        sections = tomllib.load(fh).get("sections", {})
    return {str(label): str(heading) for label, heading in sections.items()}


def score(slug: str, day: str, root: Path, timing: Timing, rule: str = "") -> Night:
    """Write ``first-night/[<rule>/]<day>.jsonl`` and ``<day>.run.json``; the day's figures
    (``rule`` "fixed5": the ``--fixed-too`` dry run of the same init)."""
    out = root / ("out-fixed" if rule == "fixed5" else "out")
    shown = surfaced(out)
    bot_heading = _headings(root / "bot" / "hfm-bot.toml")
    judged_heading = _headings(LISTS / slug / "hfm-bot.toml")

    def same_section(s: Surfaced) -> bool:
        """The bot's heading is the judged one, or holds it: init maps a heading whose
        papers all stand in subsections as one section (llm-reasoning's "Technique"), the
        hand-written configuration its subsections."""
        want = truth[s.id].section
        got = bot_heading.get(s.section)
        if want is None or got is None or want not in judged_heading:
            return False
        paths = [sec.path for sec in doc.matching(judged_heading[want])]
        return any(name_parts(got) == name_parts(title) for p in paths for title in p)

    judged, extra = verdicts(slug, day)
    truth = {**judged, **extra}
    unjudged = sorted({s.id for s in shown} - truth.keys())
    if unjudged:
        texts = stream_text(day, set(unjudged))
        for pid in unjudged:
            kind = next(s for s in shown if s.id == pid)
            title, abstract = texts.get(pid, ("?", "?"))
            print(f"\n## {pid} ({kind.kind}, {kind.score}, {kind.section})\n{title}\n{abstract}")
        sys.exit(
            f"\n{len(unjudged)} surfaced papers of {day} are not in the judged file: add a "
            f"verdict for each to {LISTS / slug / 'first-night' / 'extra-verdicts.jsonl'}"
        )
    doc = load(FIXTURES / slug / "README.md")
    only_added, read_back = style_check(doc, out, [s for s in shown if s.kind == "proposed"])
    listed = [
        s.id
        for s in shown
        if s.kind == "proposed"
        and doc.contains(PaperKeys(arxiv_id=s.id, title=normalise_title(s.title)))
    ]
    rows = [
        {
            "id": s.id, "kind": s.kind, "score": s.score, "section": s.section,
            "verdict": "relevant" if truth[s.id].relevant else "not",
            "judged_section": truth[s.id].section, "in_truth": truth[s.id].in_truth,
            "reason": truth[s.id].reason,
        }
        for s in shown
    ]  # fmt: skip
    folder = LISTS / slug / "first-night" / rule
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    proposed = [s for s in shown if s.kind == "proposed"]
    good = [s for s in proposed if truth[s.id].relevant]
    relevant = {pid for pid, v in truth.items() if v.relevant}
    found = {s.id for s in good}
    precision = len(good) / len(proposed) if proposed else 0.0
    recall = len(found) / len(relevant) if relevant else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    night = Night(
        slug=slug, date=day, until=timing.until,
        init_seconds=timing.init_seconds, run_seconds=timing.run_seconds,
        proposals=len(proposed), relevant_proposals=len(good),
        relevant_of_day=len(relevant), relevant_outside_truth=len(relevant - judged.keys()),
        precision=round(precision, 3), recall=round(recall, 3), f1=round(f1, 3),
        section_agree=sum(1 for s in good if same_section(s)),
        near_misses=sum(1 for s in shown if s.kind == "near_miss"),
        near_misses_relevant=sum(
            1 for s in shown if s.kind == "near_miss" and truth[s.id].relevant
        ),
        already_listed_proposed=len(listed), already_listed_ids=listed,
        missed=sorted(relevant - found),
        entries_read=len(doc.entries), only_added=only_added, read_back=read_back,
        init_cpu=timing.init_cpu, run_cpu=timing.run_cpu,
        missed_ranks=missed_ranks(root, sorted(relevant - found)),
        rule=rule,
    )  # fmt: skip
    (folder / f"{day}.run.json").write_text(json.dumps(asdict(night), indent=1) + "\n")
    return night


def _mean(rows: list[Night], key: str) -> float:
    return sum(float(getattr(r, key)) for r in rows) / len(rows)


def _cpu_note(cpu: float | None) -> str:
    return "" if cpu is None else f" ({cpu:.0f})"


def table() -> None:
    """Rebuild the figures table of ``results.md`` from every recorded day; the prose below the
    marker line (the analysis, written by hand) is kept."""
    head = [
        "| list | rule | day (init until) | init s (CPU) | dry run s (CPU) | total s | proposals "
        "| relevant of the day | precision | recall | F1 | sections right "
        "| near misses relevant | already listed | style: only adds, lines read back |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | --- |",
    ]
    lines = []
    for folder, (sub, rule) in (
        (f, r) for f in sorted(LISTS.glob("*/first-night")) for r in RULES.items()
    ):
        runs = [
            Night(**json.loads(p.read_text())) for p in sorted((folder / sub).glob("*.run.json"))
        ]
        for r in runs:
            total = r.init_seconds + r.run_seconds
            lines.append(
                f"| {r.slug} | {rule} | {r.date} ({r.until}) "
                f"| {r.init_seconds:.0f}{_cpu_note(r.init_cpu)} "
                f"| {r.run_seconds:.0f}{_cpu_note(r.run_cpu)} | {total:.0f} "
                f"| {r.proposals} | {r.relevant_of_day} "
                f"| {r.precision:.2f} ({r.relevant_proposals}/{r.proposals}) "
                f"| {r.recall:.2f} ({r.relevant_proposals}/{r.relevant_of_day}) "
                f"| {r.f1:.2f} | {r.section_agree}/{r.relevant_proposals} "
                f"| {r.near_misses_relevant}/{r.near_misses} "
                f"| {r.already_listed_proposed} "
                f"| {'yes' if r.only_added else 'NO'}, {r.read_back}/{r.proposals} |"
            )
        if runs:
            mean = functools.partial(_mean, runs)
            lines.append(
                f"| **{runs[0].slug} mean** | {rule} | {len(runs)} days "
                f"| {mean('init_seconds'):.0f} | {mean('run_seconds'):.0f} "
                f"| {mean('init_seconds') + mean('run_seconds'):.0f} "
                f"| {mean('proposals'):.1f} | {mean('relevant_of_day'):.1f} "
                f"| **{mean('precision'):.2f}** "
                f"| **{mean('recall'):.2f}** | **{mean('f1'):.2f}** | | | "
                f"{sum(r.already_listed_proposed for r in runs)} | |"
            )
    marker = "<!-- table above rebuilt by benchmarks/first_night.py; prose below by hand -->"
    prose = ""
    if RESULTS.exists() and marker in RESULTS.read_text(encoding="utf-8"):
        prose = RESULTS.read_text(encoding="utf-8").split(marker, 1)[1]
    text = (
        "# First nights on three real lists (issue #23)\n\n"
        "Made by `python benchmarks/first_night.py SLUG DATE` for each list and day: `hfm-bot "
        "init` on the recorded list with `--source replay:../shared/benchmark/stream --until "
        "<day before>`, then `hfm-bot run --dry-run --date <day>`, both whole processes with a "
        "cold cache on the shared 2-core machine; every proposal and near miss judged against "
        "the list's SCOPE.md (`<slug>/first-night/<day>.jsonl`). Precision = relevant "
        "proposals / proposals; recall = relevant papers proposed / relevant papers of the day "
        "(the judged file plus relevant papers found outside it).\n\n"
        + "\n".join(head + lines)
        + f"\n\n{marker}"
        + (prose or "\n")
    )
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("slug", nargs="?", help="a list of benchmarks/lists/")
    parser.add_argument("date", nargs="?", help="the replay day, YYYY-MM-DD")
    parser.add_argument("--keep", metavar="DIR", help="work here (kept) instead of a temp dir")
    parser.add_argument(
        "--rescore", action="store_true", help="score the run already in --keep again"
    )
    parser.add_argument(
        "--reuse-init",
        metavar="DIR",
        help="copy the set-up of an earlier night's --keep folder instead of running init",
    )
    parser.add_argument(
        "--ranks",
        action="store_true",
        help="also classify the whole day with the night's model, to rank the misses",
    )
    parser.add_argument(
        "--fixed-too",
        action="store_true",
        help="also dry-run the same init with the stored (fixed 5%%) threshold, in out-fixed",
    )
    parser.add_argument(
        "--night-share",
        action="store_true",
        help="after init, set [training.cold] night_share = true and train again (timed as "
        "init): the night-share rule, an option since d72473c",
    )
    parser.add_argument(
        "--rule",
        default="",
        choices=[r for r in RULES if r not in ("fixed5", "one-init-fixed5")],
        help="the subfolder of first-night/ the night is recorded in (see RULES)",
    )
    parser.add_argument("--table", action="store_true", help="only rebuild results.md")
    args = parser.parse_args()
    if args.table:
        table()
        return
    if not args.slug or not args.date:
        parser.error("SLUG and DATE are required (or --table)")
    if not (LISTS / args.slug / "SCOPE.md").exists():
        parser.error(f"{LISTS / args.slug}: no such list (SCOPE.md missing)")
    if not STREAM.is_dir():
        sys.exit(f"needs the recorded stream at {STREAM} (set HFM_SHARED)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        if args.rescore:
            timing = Timing(**json.loads((root / "timing.json").read_text()))
        else:
            if args.keep and root.exists():
                shutil.rmtree(root)
            root.mkdir(parents=True, exist_ok=True)
            reuse = Path(args.reuse_init) if args.reuse_init else None
            timing = run_night(args.slug, args.date, root, reuse, args.fixed_too, args.night_share)
        if args.ranks:
            rank_day(args.slug, args.date, root)
        summary = score(args.slug, args.date, root, timing, args.rule)
        print(json.dumps(asdict(summary), indent=1))
        if (root / "out-fixed").exists():
            fixed = score(args.slug, args.date, root, timing, "fixed5")
            print(json.dumps(asdict(fixed), indent=1))
    table()


if __name__ == "__main__":
    main()
