"""Planning a change: which scored papers go into the list, where, and the PR that says so.

Pure: it takes the list as it stands (on the base branch, or on the open bot PR's branch),
the scored papers and the keys that must not come back, and returns the edited text, the
proposals, the near misses and the PR body. Publishing it is :mod:`hfm_bot.publish`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, NewEntry
from hfm_bot.classifier.model import Prediction
from hfm_bot.config import Settings
from hfm_bot.decisions import PROPOSED, Decision
from hfm_bot.paper import Paper
from hfm_bot.render import Proposal, Renderer

MARKER_RE = re.compile(r"<!--\s*hfm-bot:proposed((?:\s+[^\s>]+)*)\s*-->")


def paper_key(paper: Paper) -> str:
    return paper.id if paper.id.startswith("doi:") else f"arxiv:{paper.id}"


def marker(keys: Iterable[str]) -> str:
    return f"<!-- hfm-bot:proposed {' '.join(sorted(set(keys)))} -->"


def keys_in(body: str | None) -> set[str]:
    """The paper keys a PR body's hidden marker lists."""
    match = MARKER_RE.search(body or "")
    return set(match.group(1).split()) if match else set()


@dataclass(frozen=True, slots=True)
class Change:
    """A planned edit of the list and the pull request that carries it."""

    before: str
    after: str
    added: tuple[Proposal, ...]
    """Proposed tonight."""
    earlier: tuple[Proposal, ...]
    """Already in the open PR from earlier nights (for the body)."""
    near_misses: tuple[Proposal, ...]
    waiting: int
    """Relevant papers left for a later PR by the cap."""
    body: str
    keys: tuple[str, ...]
    """Every key the PR proposes, earlier nights included."""

    @property
    def empty(self) -> bool:
        return not self.added


def _proposal(paper: Paper, pred: Prediction, settings: Settings) -> Proposal:
    return Proposal(paper, pred, pred.section, settings.heading_for(pred.section))


def plan(
    doc: AwesomeList,
    scored: Sequence[tuple[Paper, Prediction]],
    settings: Settings,
    renderer: Renderer,
    *,
    exclude: set[str],
    earlier: Sequence[Proposal] = (),
    max_entries: int = 30,
    near_miss_count: int = 5,
    threshold: float,
    today: dt.date,
    already_proposed: int = 0,
) -> Change:
    """Choose and place tonight's entries (best first, within the PR's cap, counting the
    ``already_proposed`` papers of the open PR)."""
    fresh = [
        (paper, pred)
        for paper, pred in scored
        if paper_key(paper) not in exclude and not doc.contains(paper.keys)
    ]
    fresh.sort(key=lambda sp: -sp[1].score)
    wanted = [sp for sp in fresh if sp[1].score >= threshold]
    # The open PR's own marker says how many it holds; the local memory may have been lost.
    room = max(0, max_entries - max(len(earlier), already_proposed))
    chosen = [_proposal(p, pred, settings) for p, pred in wanted[:room]]
    new_entries = [
        NewEntry(
            section=prop.heading,
            year=(prop.paper.date or today).year,
            line=renderer.entry(prop, doc.link_separator(prop.heading)),
            keys=prop.paper.keys,
        )
        for prop in chosen
    ]
    insertion = doc.insert(new_entries)
    added_lines = {id(e) for e in insertion.added}
    added = tuple(prop for prop, e in zip(chosen, new_entries, strict=True) if id(e) in added_lines)
    misses = tuple(_proposal(p, pred, settings) for p, pred in fresh if pred.score < threshold)[
        :near_miss_count
    ]
    keys = tuple(
        sorted({*(paper_key(p.paper) for p in earlier), *(paper_key(p.paper) for p in added)})
    )
    waiting = max(0, len(wanted) - room)
    body = renderer.pr_body(
        [*earlier, *added],
        misses,
        [s.label for s in settings.sections],
        marker(keys),
        waiting,
        threshold,
    )
    return Change(
        before=doc.render(),
        after=insertion.document.render(),
        added=added,
        earlier=tuple(earlier),
        near_misses=misses,
        waiting=waiting,
        body=body,
        keys=keys,
    )


def decisions_for(change: Change, pr: int | None, today: dt.date) -> list[Decision]:
    """The memory records of tonight's proposals."""
    return [
        Decision(
            key=paper_key(p.paper),
            id=p.paper.id,
            title=p.paper.title,
            abstract=p.paper.abstract,
            section=p.section,
            proposed_section=p.section,
            score=round(p.score, 6),
            section_score=round(p.section_probability, 6),
            why=list(p.why),
            status=PROPOSED,
            pr=pr,
            proposed_on=today.isoformat(),
            date=p.paper.date.isoformat() if p.paper.date else None,
            source=p.paper.source,
        )
        for p in change.added
    ]


def earlier_proposals(
    decisions: Sequence[Decision], keys: set[str], settings: Settings
) -> list[Proposal]:
    """The open PR's earlier proposals, rebuilt from the memory so its body stays whole."""
    out = []
    for d in decisions:
        if d.key not in keys or d.status != PROPOSED:
            continue
        pred = Prediction(
            d.id, d.score, True, d.section, ((d.section, d.section_score),), tuple(d.why)
        )
        out.append(Proposal(d.paper, pred, d.section, settings.heading_for(d.section)))
    return out
