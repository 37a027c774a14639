"""The nightly job and the decision sync, as sequences of injected parts.

No client is built here: the CLI hands in the sources, the model, and the publisher (a
PyGithub-backed one or a dry-run folder). The run's summary is built from what the stages
returned, once the run is over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hfm_bot import awesome_list, background, decisions, state
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.config import Settings
from hfm_bot.errors import InputError, ListFormatError
from hfm_bot.files import atomic_writer
from hfm_bot.paper import Paper
from hfm_bot.prediction import Prediction
from hfm_bot.proposing import (
    NEAR_MISS_FLOOR,
    Change,
    decisions_for,
    earlier_proposals,
    keys_in,
    plan,
    ticked_proposals,
    ticks_in,
)
from hfm_bot.publishing import PublishConflict, Published, Publisher, PullRequestHistory, Target
from hfm_bot.render import Renderer
from hfm_bot.sources.base import FetchWindow, Source, SourceResult, Status, merge, run_sources
from hfm_bot.stream import read_papers, write_papers

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


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a run did, stage by stage (:meth:`of` builds it once the run is over); rendered
    as the run's one summary."""

    window: str
    sources: tuple[SourceSummary, ...]
    fetched: int
    known: int
    new: int
    proposed: Counter[str]
    near_misses: int
    waiting: int
    published: Published | None
    health: str | None = None
    refused: int = 0
    """Papers chosen whose entry the list could not take (each logged with why)."""

    @classmethod
    def of(cls, collected: Collected, change: Change, published: Published | None) -> RunReport:
        return cls(
            window=collected.window,
            sources=tuple(collected.sources),
            fetched=collected.fetched,
            known=collected.known,
            new=collected.new,
            proposed=Counter(p.section for p in change.added),
            near_misses=len(change.near_misses),
            waiting=change.waiting,
            published=published,
            refused=len(change.refused),
        )

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
        if self.refused:
            lines.append(
                f"- left out, their entries unreadable in the list's style: {self.refused}"
            )
        if self.failed:
            lines.append(f"- sources failed: {', '.join(r.source for r in self.failed)}")
        quiet = [r.source for r in self.sources if r.status is Status.NO_ANNOUNCEMENT]
        if quiet:
            lines.append(f"- no announcement: {', '.join(quiet)}")
        if self.published is not None and self.published.number is not None:
            lines.append(f"- pull request: {self.published.where}")
        if self.health:
            lines.append(f"- **health: {self.health}**")
        if self.published is not None and self.published.number is None:
            lines.append(f"- dry run written to: {self.published.where}")
        elif self.published is None:
            lines.append("- nothing proposed tonight")
        return "\n".join(lines) + "\n"


def select_new(
    papers: Sequence[Paper], doc: awesome_list.AwesomeList, exclude: set[str]
) -> tuple[list[Paper], int]:
    """Papers not in the list, not proposed before; and how many were dropped as known."""
    new = [p for p in papers if p.key not in exclude and not doc.contains(p.keys)]
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

    window: str
    sources: list[SourceSummary]
    """Each source over the whole window (all its slices)."""
    candidates: dict[str, tuple[Paper, Prediction]] = field(default_factory=dict)
    fetched: int = 0
    known: int = 0
    """Dropped as already in the list, the open PR or the memory."""
    new: int = 0
    """Classified."""
    sample: list[Paper] = field(default_factory=list)
    """A uniform sample (reservoir, seeded) of the new papers under the background band: the
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
    background_band: float = background.BAND,
) -> Collected:
    """Fetch slice by slice, drop the known, classify, and keep the candidates.

    Only papers that score at least a quarter of the threshold (the near-miss floor) are
    kept, so a year-long backfill holds a few thousand papers, not a hundred thousand.
    Papers left waiting by an earlier run's cap are scored again with tonight's model and
    compete with the new ones. The background sample is drawn from the papers under
    ``background_band`` times the threshold (see :func:`~hfm_bot.background.eligible`)."""
    summaries = {s.name: SourceSummary(s.name) for s in sources}
    out = Collected(f"{window.since} to {window.until}", list(summaries.values()))
    floor = threshold * NEAR_MISS_FLOOR
    rng = random.Random(background.SEED)

    def consider(papers: Sequence[Paper]) -> list[Paper]:
        new, known = select_new(papers, doc, exclude)
        out.known += known
        new = [p for p in new if p.key not in out.candidates]
        out.new += len(new)
        kept = []
        for paper, pred in zip(new, model.predict(new), strict=True):
            if pred.score >= floor:
                out.candidates[paper.key] = (paper, pred)
            if pred.score >= threshold:
                kept.append(paper)
            elif background.eligible(pred.score, threshold, background_band):
                _reservoir(out, paper, rng)
        return kept

    consider(list(waiting))
    pieces = slices(window, slice_days)
    for i, piece in enumerate(pieces, 1):
        results = run_sources(sources, piece)
        for result in results:
            summaries[result.source].add(result)
        papers = merge(results)
        out.fetched += len(papers)
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
    ``memory`` first, then the best, within the cap). What is known by now (in the list, the
    open PR or the memory, which may have changed since the candidates were collected) is
    left out by :func:`~hfm_bot.proposing.plan`, the one place that decides it."""
    change = plan(
        doc,
        list(collected.candidates.values()),
        settings,
        renderer,
        exclude=decisions.known_keys(memory) | set(target.proposed),
        earlier=earlier_proposals(memory, set(target.proposed), settings),
        ticked=ticked_proposals(memory, settings),
        shown=decisions.shown_near_misses(memory),
        max_entries=max_entries,
        near_miss_count=settings.near_misses,
        threshold=threshold,
        today=today,
        already_proposed=len(target.proposed),
    )
    for prop, why in change.refused:
        log.warning("left out %s: its entry would not read back in the list (%s)", prop.key, why)
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


def arxiv_silent(sources: Sequence[SourceSummary], window: FetchWindow) -> bool:
    """True when the arXiv sources returned nothing although arXiv announced in the window
    (it lists new papers Monday to Friday, from its Sunday-Thursday evening mailings)."""
    arxiv = [s for s in sources if s.source in ARXIV_SOURCES]
    if not arxiv:
        return False
    announced = any(
        (window.since + dt.timedelta(days=d)).weekday() < 5
        for d in range((window.until - window.since).days + 1)
    )
    return announced and all(s.fetched == 0 and s.status is not Status.FAILED for s in arxiv)


class PlanChange(Protocol):
    """Plans tonight's change against a target, its parsed list, and the remembered decisions
    (:func:`propose` with the night's candidates bound)."""

    def __call__(
        self, *, target: Target, doc: awesome_list.AwesomeList, memory: list[decisions.Decision]
    ) -> Change: ...


@dataclass(frozen=True, slots=True)
class Proposed:
    """What step 4 did: the decisions with tonight's recorded, the change, where it went."""

    records: list[decisions.Decision]
    change: Change
    published: Published | None
    """None when there was nothing to propose."""


def publish_night(
    publisher: Publisher,
    records: list[decisions.Decision],
    today: dt.date,
    plan_change: PlanChange,
    attempts: int = 3,
) -> Proposed:
    """Read the target, plan, publish; on a conflict (another run or a maintainer wrote in
    between) read again and re-plan, so nothing is overwritten. The near misses ticked in the
    open PR are accepted first, so tonight's change adds them."""
    for attempt in range(1, attempts + 1):
        target = publisher.target()
        doc = awesome_list.parse(target.text, origin=target.origin or publisher.list_path)
        ticked, _, _ = decisions.tick(records, target.ticks.keys, today)
        change = plan_change(target=target, doc=doc, memory=ticked)
        if change.empty:
            return Proposed(ticked, change, None)
        try:
            published = publisher.publish(target, change)
        except PublishConflict as err:
            if attempt == attempts:
                raise
            log.info("conflict (%s); reading the branch again", err)
            continue
        number = target.pr_number or published.number
        tonight = decisions_for(change, number, today)
        return Proposed(decisions.record_proposals(ticked, tonight), change, published)
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class MemoryFiles:
    """Where the bot keeps what it learned between runs (committed with its data)."""

    decisions: Path
    state: Path
    waiting: Path
    background: Path | None = None
    """Where the run keeps a small sample of what it fetched, for training (none: keep none)."""

    @classmethod
    def of(cls, settings: Settings) -> MemoryFiles:
        """The files the configuration names."""
        return cls(
            decisions=settings.decisions_file,
            state=Path(settings.state_file),
            waiting=settings.waiting_file,
            background=settings.background_dir,
        )


class Checkpoint:
    """After each slice of a real run: the relevant papers found so far and the watermarks
    are saved, so an interrupted backfill resumes where it stopped (``backfill``: the first
    day of ``run --since``)."""

    def __init__(
        self,
        files: MemoryFiles,
        run_state: state.State,
        waiting: Sequence[Paper],
        backfill: dt.date | None,
    ) -> None:
        self.files = files
        self.run_state = run_state
        self.waiting = list(waiting)
        self.backfill = backfill

    def __call__(
        self, i: int, n: int, piece: FetchWindow, results: Sequence[SourceResult], kept: list[Paper]
    ) -> None:
        self.waiting.extend(kept)
        with atomic_writer(self.files.waiting) as out:
            write_papers(out, self.waiting)
        for result in results:
            if result.status is not Status.FAILED:
                self.run_state = self.run_state.advanced(result.source, piece.until)
        if self.backfill is not None and all(r.status is not Status.FAILED for r in results):
            self.run_state = self.run_state.backfilled(self.backfill, piece)
        state.save(self.files.state, self.run_state)


def _hooks(*hooks: SliceHook | None) -> SliceHook:
    def each(
        i: int, n: int, piece: FetchWindow, results: Sequence[SourceResult], kept: list[Paper]
    ) -> None:
        for hook in hooks:
            if hook is not None:
                hook(i, n, piece, results, kept)

    return each


def renderer_for(settings: Settings) -> Renderer:
    """The entry template (the configured folder's, else the bundled one), checked before the
    night's fetch: every section renders, and the line it writes reads back as an entry. A
    template that fails is an :class:`InputError` naming the template file."""
    renderer = Renderer(Path(settings.templates_dir) if settings.templates_dir else None)
    sample = renderer.check([(s.label, s.heading) for s in settings.sections])
    try:
        awesome_list.check_entry_line(sample)
    except InputError as err:
        raise InputError(f"{renderer.where('entry.md.j2')}: {err}") from err
    return renderer


def check_headings(doc: awesome_list.AwesomeList, settings: Settings) -> None:
    """Every configured section's heading is in the list, and the list's entries can be read,
    checked before the night's fetch:
    a missing one used to surface only when a paper was filed under it, after the whole
    fetch and scoring. The message names the list as it was read (``doc.origin``) and the
    key of the configuration that names the heading."""
    mapped = []
    for mapping in settings.sections:
        try:
            mapped.append(doc.section(mapping.heading))
        except InputError as err:
            raise InputError(
                f"{err} (named by sections.{mapping.label} in {settings.source})"
            ) from err
    # A list whose items the parser cannot read would be written in the default style and
    # every paper in it proposed again: refused before the fetch, showing what it saw.
    unreadable = awesome_list.unreadable_items(doc, mapped)
    if unreadable:
        raise ListFormatError(unreadable)


def nightly(
    *,
    settings: Settings,
    sources: Sequence[Source],
    window: FetchWindow,
    model: Classifier,
    renderer: Renderer,
    publisher: Publisher,
    files: MemoryFiles,
    run_state: state.State,
    today: dt.date,
    max_entries: int,
    on_slice: SliceHook | None = None,
    backfill: dt.date | None = None,
) -> RunReport:
    """One run, as the README's four steps: fetch the window's papers, drop those already
    known, judge the rest (:func:`collect`); then plan and publish tonight's change
    (:func:`publish_night`). A publisher that ``remembers`` (a pull request) has the memory
    move with it (:func:`remember`); a dry run changes nothing but its folder. ``run_state``
    is the watermarks the window was computed from."""
    records = decisions.load(files.decisions)
    waiting = list(read_papers(files.waiting)) if files.waiting.exists() else []
    threshold = settings.threshold if settings.threshold is not None else model.threshold
    target = publisher.target()
    doc = awesome_list.parse(target.text, origin=target.origin or settings.list_path)
    check_headings(doc, settings)
    checkpoint = Checkpoint(files, run_state, waiting, backfill) if publisher.remembers else None
    collected = collect(
        sources=sources,
        window=window,
        slice_days=settings.slice_days,
        doc=doc,
        exclude=decisions.known_keys(records) | set(target.proposed),
        model=model,
        threshold=threshold,
        waiting=waiting,
        on_slice=_hooks(on_slice, checkpoint),
        background_band=settings.background_band,
    )
    if settings.threshold is None:
        # A cold start's scope counts how much of tonight to propose (the stored threshold
        # only set the near-miss floor); any other model keeps its stored threshold.
        threshold, _ = model.night_threshold(list(collected.candidates.values()), threshold)
    plan_change = functools.partial(
        propose,
        collected,
        settings=settings,
        renderer=renderer,
        max_entries=max_entries,
        threshold=threshold,
        today=today,
    )
    proposed = publish_night(publisher, records, today, plan_change)
    report = RunReport.of(collected, proposed.change, proposed.published)
    silent = arxiv_silent(collected.sources, window)
    if checkpoint is None:
        if not silent:
            return report
        health = "the arXiv sources returned no papers for a window arXiv announced in"
        return dataclasses.replace(report, health=health)
    run_state = checkpoint.run_state.with_silence(silent)
    remember(files, proposed, collected, run_state, threshold, today)
    if run_state.silent_runs < settings.silent_runs:
        return report
    health = raise_silence(publisher, report, window, run_state.silent_runs)
    return dataclasses.replace(report, health=health)


def raise_silence(
    publisher: Publisher, report: RunReport, window: FetchWindow, silent_runs: int
) -> str:
    """Tell the maintainers (an issue) that the arXiv sources have fetched nothing on
    announcement days for ``silent_runs`` runs; the report's health line."""
    health = (
        f"the arXiv sources returned no papers on announcement days for {silent_runs} runs in a row"
    )
    body = (
        f"hfm-bot's last {silent_runs} runs fetched no arXiv papers although arXiv "
        f"announced new papers (last window {window.since} to {window.until}). The bot is "
        "running but adding nothing: check the sources' URLs, the categories in "
        "hfm-bot.toml, and the workflow logs.\n\n" + report.markdown()
    )
    where = publisher.report_health("hfm-bot: no new arXiv papers for several runs", body)
    return health + (f" (issue: {where})" if where else "")


def remember(
    files: MemoryFiles,
    proposed: Proposed,
    collected: Collected,
    run_state: state.State,
    threshold: float,
    today: dt.date,
) -> None:
    """Save what a real run learned: the decisions with tonight's proposals, the relevant
    papers the cap left waiting, the watermarks, and a sample of the night's background."""
    decisions.save(files.decisions, proposed.records)
    with atomic_writer(files.waiting) as out:
        write_papers(out, still_waiting(collected, proposed.change, threshold))
    state.save(files.state, run_state)
    if files.background is not None:
        shown = {p.paper.id for p in proposed.change.near_misses}
        background.keep_night(files.background, today, collected.sample, shown)


@dataclass(frozen=True, slots=True)
class SyncReport:
    memory: list[decisions.Decision]
    accepted: int
    rejected: int
    ticked: int
    problems: tuple[str, ...]
    """What could not be read from a hand-edited PR body (reported, never guessed)."""


def sync(
    publisher: PullRequestHistory,
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
                    label = settings.label_for(hit.section_path or (hit.section,))
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
