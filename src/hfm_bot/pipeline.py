"""The nightly job and the decision sync, as sequences of injected parts.

No client is built here: the CLI hands in the sources, the model, and the publisher (a
PyGithub-backed one or a dry-run folder). Each stage reports what it did into the summary.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hfm_bot import awesome_list, decisions
from hfm_bot.classifier.model import Model
from hfm_bot.config import Settings
from hfm_bot.ids import PaperKeys, normalise_title
from hfm_bot.paper import Paper
from hfm_bot.proposing import Change, decisions_for, earlier_proposals, keys_in, paper_key, plan
from hfm_bot.publish import DryRunPublisher, GitHubPublisher, Target
from hfm_bot.render import Renderer
from hfm_bot.sources.base import FetchWindow, Source, SourceResult, Status, merge, run_sources

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run did, stage by stage; rendered as the run's one summary."""

    window: str = ""
    sources: list[SourceResult] = field(default_factory=list)
    fetched: int = 0
    known: int = 0
    new: int = 0
    proposed: Counter[str] = field(default_factory=Counter)
    near_misses: int = 0
    waiting: int = 0
    pr_url: str | None = None
    output: str | None = None

    @property
    def failed(self) -> list[SourceResult]:
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
        if self.output:
            lines.append(f"- dry run written to: {self.output}")
        return "\n".join(lines) + "\n"


def select_new(
    papers: Sequence[Paper], doc: awesome_list.AwesomeList, exclude: set[str]
) -> tuple[list[Paper], int]:
    """Papers not in the list, not proposed before; and how many were dropped as known."""
    new = [p for p in papers if paper_key(p) not in exclude and not doc.contains(p.keys)]
    return new, len(papers) - len(new)


def run_night(
    *,
    settings: Settings,
    sources: Sequence[Source],
    window: FetchWindow,
    model: Model,
    renderer: Renderer,
    target: Target,
    memory: list[decisions.Decision],
    max_entries: int,
    today: dt.date,
    threshold: float | None = None,
) -> tuple[RunReport, Change, list[SourceResult]]:
    """Fetch, drop the known, classify and plan; the caller publishes the change."""
    report = RunReport(window=f"{window.since} to {window.until}")
    results = run_sources(sources, window)
    report.sources = results
    papers = merge(results)
    report.fetched = len(papers)
    doc = awesome_list.parse(target.text, origin=settings.list_path)
    exclude = decisions.known_keys(memory) | set(target.proposed)
    new, report.known = select_new(papers, doc, exclude)
    report.new = len(new)
    predictions = model.predict(new)
    cut = model.threshold if threshold is None else threshold
    earlier = earlier_proposals(memory, set(target.proposed), settings)
    change = plan(
        doc,
        list(zip(new, predictions, strict=True)),
        settings,
        renderer,
        exclude=exclude,
        earlier=earlier,
        max_entries=max_entries,
        threshold=cut,
        today=today,
    )
    report.proposed = Counter(p.section for p in change.added)
    report.near_misses = len(change.near_misses)
    report.waiting = change.waiting
    return report, change, results


def publish_dry(change: Change, out_dir: Path, report: RunReport) -> str:
    publisher = DryRunPublisher(out_dir)
    publisher.publish(change)
    report.output = str(out_dir)
    return publisher.diff(change)


def publish_github(
    change: Change,
    publisher: GitHubPublisher,
    target: Target,
    memory: list[decisions.Decision],
    report: RunReport,
    today: dt.date,
) -> list[decisions.Decision]:
    """Publish and return the memory with tonight's proposals recorded."""
    if change.empty:
        return memory
    report.pr_url = publisher.publish(target, change)
    number = target.pr_number or int(report.pr_url.rstrip("/").rsplit("/", 1)[-1])
    return decisions.record_proposals(memory, decisions_for(change, number, today))


def sync(
    publisher: GitHubPublisher,
    settings: Settings,
    memory: list[decisions.Decision],
    today: dt.date,
) -> tuple[list[decisions.Decision], int, int]:
    """Settle the decisions of the bot's closed PRs: accepted if still listed after the
    merge (in the section it ended in), rejected if deleted or the PR was closed unmerged."""
    accepted = rejected = 0
    pending = {d.pr for d in memory if d.status == decisions.PROPOSED and d.pr is not None}
    closed = [p for p in publisher.closed_prs() if p.number in pending]
    if not closed:
        return memory, 0, 0
    text, _ = publisher.read_list(settings.base_branch)
    doc = awesome_list.parse(text, origin=settings.list_path)
    by_key = {d.key: d for d in memory}
    for pull in closed:
        final: dict[str, str] = {}
        if pull.merged:
            for key in keys_in(pull.body):
                record = by_key.get(key)
                if record is None:
                    continue
                hit = doc.find(_keys_of(record))
                if isinstance(hit, awesome_list.Entry):
                    label = settings.label_for(hit.section)
                    if label:
                        final[key] = label
        memory, a, r = decisions.settle(memory, pull.number, bool(pull.merged), final, today)
        accepted += a
        rejected += r
    return memory, accepted, rejected


def _keys_of(record: decisions.Decision) -> PaperKeys:
    if record.key.startswith("doi:"):
        return PaperKeys(doi=record.key[4:], title=normalise_title(record.title))
    return PaperKeys(arxiv_id=record.key[6:], title=normalise_title(record.title))
