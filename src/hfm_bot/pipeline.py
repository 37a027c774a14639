"""The nightly job and the decision sync, as sequences of injected parts.

No client is built here: the CLI hands in the sources, the model, and the publisher (a
PyGithub-backed one or a dry-run folder). Each stage reports what it did into the summary.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hfm_bot import awesome_list, background, decisions
from hfm_bot.classifier.second import Classifier
from hfm_bot.config import Settings
from hfm_bot.paper import Paper
from hfm_bot.prediction import Prediction
from hfm_bot.proposing import (
    NEAR_MISS_FLOOR,
    Change,
    decisions_for,
    earlier_proposals,
    keys_in,
    paper_key,
    plan,
    ticked_proposals,
    ticks_in,
)
from hfm_bot.publish import DryRunPublisher, GitHubPublisher, PublishConflict, Target
from hfm_bot.render import Renderer
from hfm_bot.sources.base import FetchWindow, Source, SourceResult, Status, merge, run_sources

log = logging.getLogger(__name__)


@dataclass
class SourceSummary:
    """One source over a whole run (all its slices)."""

    source: str
    status: Status = Status.NO_ANNOUNCEMENT
    fetched: int = 0
    skipped: int = 0
    error: str | None = None

    def add(self, result: SourceResult) -> None:
        self.fetched += result.fetched
        self.skipped += result.skipped
        if result.status is Status.FAILED:
            self.status = Status.FAILED
            self.error = self.error or result.error
        elif result.status is Status.OK and self.status is not Status.FAILED:
            self.status = Status.OK


@dataclass
class RunReport:
    """What a run did, stage by stage; rendered as the run's one summary."""

    window: str = ""
    sources: list[SourceSummary] = field(default_factory=list)
    fetched: int = 0
    known: int = 0
    new: int = 0
    proposed: Counter[str] = field(default_factory=Counter)
    near_misses: int = 0
    waiting: int = 0
    pr_url: str | None = None
    output: str | None = None

    health: str | None = None

    @property
    def failed(self) -> list[SourceSummary]:
        return [r for r in self.sources if r.status is Status.FAILED]

    def markdown(self) -> str:
        lines = [
            f"## hfm-bot run ({self.window})",
            "",
            "| source | status | fetched | skipped |",
            "| --- | --- | --- | --- |",
        ]
        for r in self.sources:
            status = r.status.value + (f": {r.error}" if r.error else "")
            lines.append(f"| {r.source} | {status} | {r.fetched} | {r.skipped} |")
        proposed = ", ".join(f"{k} {v}" for k, v in sorted(self.proposed.items())) or "none"
        lines += [
            "",
            f"- papers fetched: {self.fetched}",
            f"- skipped as known (in the list, in the open PR, or decided before): {self.known}",
            f"- new papers classified: {self.new}",
            f"- proposed: {sum(self.proposed.values())} ({proposed})",
            f"- near misses: {self.near_misses}",
        ]
        if self.waiting:
            lines.append(f"- waiting for the next PR (cap reached): {self.waiting}")
        if self.failed:
            lines.append(f"- sources failed: {', '.join(r.source for r in self.failed)}")
        quiet = [r.source for r in self.sources if r.status is Status.NO_ANNOUNCEMENT]
        if quiet:
            lines.append(f"- no announcement: {', '.join(quiet)}")
        if self.pr_url:
            lines.append(f"- pull request: {self.pr_url}")
        if self.health:
            lines.append(f"- **health: {self.health}**")
        if self.output:
            lines.append(f"- dry run written to: {self.output}")
        return "\n".join(lines) + "\n"


def select_new(
    papers: Sequence[Paper], doc: awesome_list.AwesomeList, exclude: set[str]
) -> tuple[list[Paper], int]:
    """Papers not in the list, not proposed before; and how many were dropped as known."""
    new = [p for p in papers if paper_key(p) not in exclude and not doc.contains(p.keys)]
    return new, len(papers) - len(new)


def slices(window: FetchWindow, days: int) -> list[FetchWindow]:
    """The window cut into arXiv-friendly pieces of at most ``days`` days, oldest first."""
    out = []
    start = window.since
    while start <= window.until:
        end = min(window.until, start + dt.timedelta(days=days - 1))
        out.append(FetchWindow(start, end))
        start = end + dt.timedelta(days=1)
    return out


@dataclass
class Collected:
    """Candidates from all slices: relevant papers, and the best of those just below."""

    candidates: dict[str, tuple[Paper, Prediction]] = field(default_factory=dict)
    report: RunReport = field(default_factory=RunReport)
    sample: list[Paper] = field(default_factory=list)
    """A uniform sample (reservoir, seeded) of the new papers under the threshold: the
    background the next retrain learns the field's vocabulary from (the near misses the PR
    shows are left out of the file it keeps: a maintainer may tick them)."""
    seen: int = 0


SliceHook = Callable[[int, int, FetchWindow, Sequence[SourceResult], list[Paper]], None]


def collect(
    *,
    sources: Sequence[Source],
    window: FetchWindow,
    slice_days: int,
    doc: awesome_list.AwesomeList,
    exclude: set[str],
    model: Classifier,
    threshold: float,
    waiting: Sequence[Paper] = (),
    on_slice: SliceHook | None = None,
) -> Collected:
    """Fetch slice by slice, drop the known, classify, and keep the candidates.

    Only papers that score at least a quarter of the threshold (the near-miss floor) are
    kept, so a year-long backfill holds a few thousand papers, not a hundred thousand.
    Papers left waiting by an earlier run's cap are scored again with tonight's model and
    compete with the new ones."""
    out = Collected()
    report = out.report
    report.window = f"{window.since} to {window.until}"
    summaries = {s.name: SourceSummary(s.name) for s in sources}
    report.sources = list(summaries.values())
    floor = threshold * NEAR_MISS_FLOOR
    rng = random.Random(background.SEED)

    def consider(papers: Sequence[Paper]) -> list[Paper]:
        new, known = select_new(papers, doc, exclude)
        report.known += known
        new = [p for p in new if paper_key(p) not in out.candidates]
        report.new += len(new)
        kept = []
        for paper, pred in zip(new, model.predict(new), strict=True):
            if pred.score >= floor:
                out.candidates[paper_key(paper)] = (paper, pred)
            if pred.score >= threshold:
                kept.append(paper)
            else:  # not below the floor only: a new list's first model puts most papers above
                _reservoir(out, paper, rng)
        return kept

    consider(list(waiting))
    pieces = slices(window, slice_days)
    for i, piece in enumerate(pieces, 1):
        results = run_sources(sources, piece)
        for result in results:
            summaries[result.source].add(result)
        papers = merge(results)
        report.fetched += len(papers)
        kept = consider(papers)
        if on_slice:
            on_slice(i, len(pieces), piece, results, kept)
    return out


def _reservoir(out: Collected, paper: Paper, rng: random.Random) -> None:
    out.seen += 1
    if len(out.sample) < background.PER_NIGHT:
        out.sample.append(paper)
        return
    j = rng.randrange(out.seen)
    if j < background.PER_NIGHT:
        out.sample[j] = paper


def propose(
    collected: Collected,
    *,
    settings: Settings,
    doc: awesome_list.AwesomeList,
    renderer: Renderer,
    target: Target,
    memory: list[decisions.Decision],
    max_entries: int,
    threshold: float,
    today: dt.date,
) -> Change:
    """Plan tonight's change from the collected candidates (the ticked near misses of
    ``memory`` first, then the best, within the cap)."""
    exclude = decisions.known_keys(memory) | set(target.proposed)
    earlier = earlier_proposals(memory, set(target.proposed), settings)
    scored = [sp for key, sp in collected.candidates.items() if key not in exclude]
    change = plan(
        doc,
        scored,
        settings,
        renderer,
        exclude=exclude,
        earlier=earlier,
        ticked=ticked_proposals(memory, settings),
        shown=decisions.shown_near_misses(memory),
        max_entries=max_entries,
        near_miss_count=settings.near_misses,
        threshold=threshold,
        today=today,
        already_proposed=len(target.proposed),
    )
    report = collected.report
    report.proposed = Counter(p.section for p in change.added)
    report.near_misses = len(change.near_misses)
    report.waiting = change.waiting
    return change


def still_waiting(collected: Collected, change: Change, threshold: float) -> list[Paper]:
    """Relevant papers the cap left out, best first: the next run proposes them first."""
    proposed = set(change.keys)
    rest = [
        (pred.score, paper)
        for key, (paper, pred) in collected.candidates.items()
        if key not in proposed and pred.score >= threshold
    ]
    return [paper for _, paper in sorted(rest, key=lambda sp: -sp[0])]


ARXIV_SOURCES = ("arxiv", "rss")


def arxiv_silent(report: RunReport, window: FetchWindow) -> bool:
    """True when the arXiv sources returned nothing although arXiv announced in the window
    (it lists new papers Monday to Friday, from its Sunday-Thursday evening mailings)."""
    arxiv = [s for s in report.sources if s.source in ARXIV_SOURCES]
    if not arxiv:
        return False
    announced = any(
        (window.since + dt.timedelta(days=d)).weekday() < 5
        for d in range((window.until - window.since).days + 1)
    )
    return announced and all(s.fetched == 0 and s.status is not Status.FAILED for s in arxiv)


def publish_dry(change: Change, out_dir: Path, list_path: str, report: RunReport) -> str:
    publisher = DryRunPublisher(out_dir, list_path)
    publisher.publish(change)
    report.output = str(out_dir)
    return publisher.diff(change)


def publish_github(
    collected: Collected,
    publisher: GitHubPublisher,
    memory: list[decisions.Decision],
    today: dt.date,
    plan_change: Callable[[Target, awesome_list.AwesomeList, list[decisions.Decision]], Change],
    attempts: int = 3,
) -> tuple[list[decisions.Decision], Change]:
    """Read the target, plan, publish; on a conflict (another run or a maintainer wrote in
    between) read again and re-plan, so nothing is overwritten. The near misses ticked in the
    open PR are accepted first, so tonight's change adds them. Returns the memory with the
    ticks and tonight's proposals and near misses recorded, and the change made."""
    for attempt in range(1, attempts + 1):
        target = publisher.target()
        doc = awesome_list.parse(target.text, origin=publisher.list_path)
        ticked, _, _ = decisions.tick(memory, target.ticks.keys, today)
        change = plan_change(target, doc, ticked)
        if change.empty:
            return ticked, change
        try:
            url = publisher.publish(target, change)
        except PublishConflict as err:
            if attempt == attempts:
                raise
            log.info("conflict (%s); reading the branch again", err)
            continue
        collected.report.pr_url = url
        number = target.pr_number or int(url.rstrip("/").rsplit("/", 1)[-1])
        return decisions.record_proposals(ticked, decisions_for(change, number, today)), change
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class Memory:
    """Where the bot keeps what it learned between runs (committed with its data)."""

    decisions: Path
    state: Path
    waiting: Path
    background: Path | None = None
    """Where the run keeps a small sample of what it fetched, for training (none: keep none)."""


def nightly(
    *,
    settings: Settings,
    sources: Sequence[Source],
    window: FetchWindow,
    model: Classifier,
    renderer: Renderer,
    target: Target,
    publisher: GitHubPublisher | None,
    memory_files: Memory,
    today: dt.date,
    max_entries: int,
    dry_run_dir: Path | None,
    on_slice: SliceHook | None = None,
    backfill: dt.date | None = None,
) -> tuple[RunReport, str | None]:
    """One run: collect, plan, then publish (a PR) or write the dry-run folder.

    In a real run the memory moves with it: after each slice the relevant papers found so far
    and the watermarks are saved (an interrupted backfill resumes from there); at the end the
    decisions, the papers left waiting by the cap, and the arXiv-silence count. ``backfill``
    is the first day of a backfill (``run --since``): how far it got is saved with the
    watermarks, for the same command to resume. Returns the report and, in a dry run, the
    diff."""
    from hfm_bot import state
    from hfm_bot.files import atomic_writer
    from hfm_bot.stream import read_papers, write_papers

    dry = dry_run_dir is not None or publisher is None
    memory = decisions.load(memory_files.decisions)
    saved = state.load(memory_files.state)
    waiting = list(read_papers(memory_files.waiting)) if memory_files.waiting.exists() else []
    threshold = settings.threshold if settings.threshold is not None else model.threshold
    doc = awesome_list.parse(target.text, origin=settings.list_path)
    found: list[Paper] = []

    def after_slice(
        i: int, n: int, piece: FetchWindow, results: Sequence[SourceResult], kept: list[Paper]
    ) -> None:
        nonlocal saved
        if on_slice:
            on_slice(i, n, piece, results, kept)
        found.extend(kept)
        if dry:
            return
        with atomic_writer(memory_files.waiting) as out:
            write_papers(out, [*waiting, *found])
        for result in results:
            if result.status is not Status.FAILED:
                saved = saved.advanced(result.source, piece.until)
        if backfill is not None and all(r.status is not Status.FAILED for r in results):
            saved = saved.backfilled(backfill, piece)
        state.save(memory_files.state, saved)

    collected = collect(
        sources=sources,
        window=window,
        slice_days=settings.slice_days,
        doc=doc,
        exclude=decisions.known_keys(memory) | set(target.proposed),
        model=model,
        threshold=threshold,
        waiting=waiting,
        on_slice=after_slice,
    )
    report = collected.report

    def plan_change(
        t: Target, d: awesome_list.AwesomeList, known: list[decisions.Decision]
    ) -> Change:
        return propose(
            collected,
            settings=settings,
            doc=d,
            renderer=renderer,
            target=t,
            memory=known,
            max_entries=max_entries,
            threshold=threshold,
            today=today,
        )

    silent = arxiv_silent(report, window)
    if dry or publisher is None:
        change = plan_change(target, doc, memory)
        diff = publish_dry(change, dry_run_dir or Path("hfm-bot-out"), settings.list_path, report)
        if silent:
            report.health = "the arXiv sources returned no papers for a window arXiv announced in"
        return report, diff
    memory, change = publish_github(collected, publisher, memory, today, plan_change)
    decisions.save(memory_files.decisions, memory)
    with atomic_writer(memory_files.waiting) as out:
        write_papers(out, still_waiting(collected, change, threshold))
    saved = saved.with_silence(silent)
    if saved.silent_runs >= settings.silent_runs:
        report.health = (
            f"the arXiv sources returned no papers on announcement days for "
            f"{saved.silent_runs} runs in a row"
        )
        body = (
            f"hfm-bot's last {saved.silent_runs} runs fetched no arXiv papers although arXiv "
            f"announced new papers (last window {window.since} to {window.until}). The bot is "
            "running but adding nothing: check the sources' URLs, the categories in "
            "hfm-bot.toml, and the workflow logs.\n\n" + report.markdown()
        )
        url = publisher.report_health("hfm-bot: no new arXiv papers for several runs", body)
        report.health += f" (issue: {url})"
    state.save(memory_files.state, saved)
    if memory_files.background is not None:
        shown = {p.paper.id for p in change.near_misses}
        background.keep_night(memory_files.background, today, collected.sample, shown)
    return report, None


@dataclass(frozen=True, slots=True)
class SyncReport:
    memory: list[decisions.Decision]
    accepted: int
    rejected: int
    ticked: int
    problems: tuple[str, ...]
    """What could not be read from a hand-edited PR body (reported, never guessed)."""


def sync(
    publisher: GitHubPublisher,
    settings: Settings,
    memory: list[decisions.Decision],
    today: dt.date,
) -> SyncReport:
    """Settle the decisions of the bot's closed PRs: accepted if still listed after the
    merge (in the section it ended in), rejected if deleted or the PR was closed unmerged;
    and the near misses ticked in the PR's description, merged or closed, are accepted.

    Which papers a PR proposed comes from the memory, so a description whose marker or
    lines were edited away loses nothing and adds nothing."""
    accepted = rejected = ticked = 0
    problems: list[str] = []
    pending = {d.pr for d in memory if d.status is decisions.Status.PROPOSED and d.pr is not None}
    closed = [p for p in publisher.closed_prs() if p.number in pending]
    if not closed:
        return SyncReport(memory, 0, 0, 0, ())
    text, _ = publisher.read_list(settings.base_branch)
    doc = awesome_list.parse(text, origin=settings.list_path)
    for pull in closed:
        if not keys_in(pull.body):
            problems.append(
                f"PR #{pull.number}: its hidden hfm-bot:proposed marker is gone from the "
                "description; what it proposed is taken from the memory"
            )
        final: dict[str, str] = {}
        if pull.merged:
            for record in memory:
                if record.pr != pull.number or record.status is not decisions.Status.PROPOSED:
                    continue
                hit = doc.find(record.paper.keys)
                if isinstance(hit, awesome_list.Entry):
                    label = settings.label_for(hit.section)
                    if label:
                        final[record.key] = label
        memory, a, r = decisions.settle(memory, pull.number, bool(pull.merged), final, today)
        accepted += a
        rejected += r
        ticks = ticks_in(pull.body)
        memory, t, unknown = decisions.tick(memory, ticks.keys, today)
        ticked += t
        problems.extend(
            f"PR #{pull.number}: a ticked line without its hidden key, not counted: {line!r}"
            for line in ticks.unreadable
        )
        problems.extend(
            f"PR #{pull.number}: ticked {key} is no near miss the bot showed; not counted"
            for key in sorted(unknown)
        )
    return SyncReport(memory, accepted, rejected, ticked, tuple(problems))
