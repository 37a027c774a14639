"""Planning a change: which scored papers go into the list, where, and the PR that says so.

Pure: it takes the list as it stands (on the base branch, or on the open bot PR's branch),
the scored papers and the keys that must not come back, and returns the edited text, the
proposals, the near misses and the PR body. Publishing it is :mod:`hfm_bot.publishing`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from hfm_bot.awesome_list import AwesomeList, NewEntry
from hfm_bot.config import Settings
from hfm_bot.decisions import Decision, Status
from hfm_bot.errors import InputError, ListFormatError
from hfm_bot.list_style import is_preprint_venue
from hfm_bot.paper import Paper
from hfm_bot.prediction import Prediction
from hfm_bot.render import NEAR_MISS_MARKER, Proposal, Renderer

NEAR_MISS_FLOOR = 0.25
"""Candidates are the papers scoring at least this share of the threshold: the relevant ones,
and below them the near misses a maintainer may tick. A quarter leaves a few near misses a
night (the scores of the two stages are far from uniform: at half the threshold, one or two)
and keeps a year-long backfill to a few thousand candidates."""

MARKER_RE = re.compile(r"<!--\s*hfm-bot:proposed((?:\s+[^\s>]+)*)\s*-->")
_TASK_RE = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s?(.*)$")
_NEAR_MISS_RE = re.compile(rf"<!--\s*{re.escape(NEAR_MISS_MARKER)}\s+([^\s>]+)\s*-->")


def marker(keys: Iterable[str]) -> str:
    return f"<!-- hfm-bot:proposed {' '.join(sorted(set(keys)))} -->"


def keys_in(body: str | None) -> set[str]:
    """The paper keys a PR body's hidden marker lists."""
    match = MARKER_RE.search(body or "")
    return set(match.group(1).split()) if match else set()


@dataclass(frozen=True, slots=True)
class Ticks:
    """What a PR body's near-miss task list says: the keys ticked, and the ticked lines that
    could not be read (their hidden key was edited away), for the report."""

    keys: frozenset[str]
    unreadable: tuple[str, ...] = ()


def ticks_in(body: str | None) -> Ticks:
    """The near misses a maintainer ticked. Read line by line and by each line's hidden key,
    so reordering, deleting or retyping lines, or ticking one twice, changes nothing but
    what is ticked; a ticked line without a key is reported, never guessed."""
    keys: set[str] = set()
    unreadable: list[str] = []
    for line in (body or "").splitlines():
        task = _TASK_RE.match(line)
        if not task or task.group(1) == " ":
            continue
        key = _NEAR_MISS_RE.search(line)
        if key:
            keys.add(key.group(1))
        else:
            unreadable.append(task.group(2).strip()[:120])
    return Ticks(frozenset(keys), tuple(unreadable))


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
    refused: tuple[tuple[Proposal, str], ...] = ()
    """Papers chosen tonight whose line the list's own parser would not read back as their
    entry, with why: left out, so that one paper never sinks the night's change."""

    @property
    def empty(self) -> bool:
        return not self.added


def _proposal(paper: Paper, pred: Prediction, settings: Settings) -> Proposal:
    return Proposal(paper, pred, pred.section, settings.heading_for(pred.section))


def near_misses(
    fresh: Sequence[tuple[Paper, Prediction]],
    threshold: float,
    room: int,
    skip: AbstractSet[str],
    count: int,
) -> list[tuple[Paper, Prediction]]:
    """The papers the PR offers to tick, from ``fresh`` (best first): on a night the cap
    held back, the papers waiting behind it (above the threshold, past the ``room`` taken),
    best first, since they are the likeliest to be ticked; then the papers just under the
    threshold. A capped night's near misses were the papers under the threshold, 0 of 5
    relevant on a night with 7 relevant papers waiting (benchmarks/lists/results.md)."""
    above = [sp for sp in fresh if sp[1].score >= threshold][room:]
    under = [sp for sp in fresh if sp[1].score < threshold]
    return [sp for sp in (*above, *under) if sp[0].key not in skip][:count]


def plan(
    doc: AwesomeList,
    scored: Sequence[tuple[Paper, Prediction]],
    settings: Settings,
    renderer: Renderer,
    *,
    exclude: set[str],
    earlier: Sequence[Proposal] = (),
    ticked: Sequence[Proposal] = (),
    shown: AbstractSet[str] = frozenset(),
    max_entries: int = 30,
    near_miss_count: int = 5,
    threshold: float,
    today: dt.date,
    already_proposed: int = 0,
) -> Change:
    """Choose and place tonight's entries: the near misses maintainers ticked first (in
    the section shown, whatever their score), then the best of the night, within the PR's
    cap, counting the ``already_proposed`` papers of the open PR. Near misses already
    ``shown`` in a PR are not listed again."""
    fresh = [
        (paper, pred)
        for paper, pred in scored
        if paper.key not in exclude and not doc.contains(paper.keys)
    ]
    fresh.sort(key=lambda sp: -sp[1].score)
    wanted = [sp for sp in fresh if sp[1].score >= threshold]
    # The open PR's own marker says how many it holds; the local memory may have been lost.
    room = max(0, max_entries - max(len(earlier), already_proposed))
    forced = [p for p in ticked if not doc.contains(p.paper.keys)][:room]
    room -= len(forced)
    picked = [*forced, *(_proposal(p, pred, settings) for p, pred in wanted[:room])]
    chosen, new_entries, refused = _writable(doc, picked, renderer, today)
    insertion = doc.insert(new_entries)
    added_lines = {id(e) for e in insertion.added}
    added = tuple(prop for prop, e in zip(chosen, new_entries, strict=True) if id(e) in added_lines)
    taken = {p.paper.key for p in added}
    misses = tuple(
        _proposal(p, pred, settings)
        for p, pred in near_misses(fresh, threshold, room, shown | taken, near_miss_count)
    )
    keys = tuple(sorted({*(p.paper.key for p in earlier), *(p.paper.key for p in added)}))
    waiting = max(0, len(wanted) - room)
    body = renderer.pr_body(
        [*earlier, *added],
        misses,
        [s.label for s in settings.sections],
        marker(keys),
        waiting,
        threshold,
        near_floor=threshold * NEAR_MISS_FLOOR,
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
        refused=tuple(refused),
    )


def decisions_for(change: Change, pr: int | None, today: dt.date) -> list[Decision]:
    """The memory records of tonight's proposals and of the near misses the PR shows."""
    return [
        Decision(
            key=p.paper.key,
            id=p.paper.id,
            title=p.paper.title,
            abstract=p.paper.abstract,
            section=p.section,
            proposed_section=p.section,
            score=round(p.score, 6),
            section_score=round(p.section_probability, 6),
            why=list(p.why),
            status=status,
            pr=pr,
            proposed_on=today.isoformat(),
            date=p.paper.date.isoformat() if p.paper.date else None,
            source=p.paper.source,
        )
        for status, group in (
            (Status.PROPOSED, change.added),
            (Status.NEAR_MISS, change.near_misses),
        )
        for p in group
    ]


def _remembered(d: Decision, settings: Settings) -> Proposal:
    pred = Prediction(d.id, d.score, True, d.section, ((d.section, d.section_score),), tuple(d.why))
    return Proposal(d.paper, pred, d.section, settings.heading_for(d.section))


def earlier_proposals(
    decisions: Sequence[Decision], keys: set[str], settings: Settings
) -> list[Proposal]:
    """The open PR's earlier proposals, rebuilt from the memory so its body stays whole."""
    return [
        _remembered(d, settings) for d in decisions if d.key in keys and d.status is Status.PROPOSED
    ]


def ticked_proposals(decisions: Sequence[Decision], settings: Settings) -> list[Proposal]:
    """The near misses maintainers ticked and no PR has proposed yet, from the memory."""
    known = {s.label for s in settings.sections}
    return [
        _remembered(d, settings)
        for d in decisions
        if d.status is Status.TICKED and d.section in known
    ]


def _writable(
    doc: AwesomeList, picked: Sequence[Proposal], renderer: Renderer, today: dt.date
) -> tuple[list[Proposal], list[NewEntry], list[tuple[Proposal, str]]]:
    """The proposals whose entries the list can take, their entries, and the others with
    the reason (a title the style cannot write so that it reads back, say). When it can
    take none of two or more, the style or template is at fault, not a paper: raised."""
    chosen: list[Proposal] = []
    entries: list[NewEntry] = []
    refused: list[tuple[Proposal, str]] = []
    for prop in picked:
        try:
            entry = new_entry(doc, prop, renderer, today)
            doc.check(entry)
        except (InputError, ListFormatError) as err:
            refused.append((prop, str(err)))
            continue
        chosen.append(prop)
        entries.append(entry)
    if len(refused) >= 2 and not chosen:
        raise ListFormatError(f"no new entry could be written: {refused[0][1]}")
    return chosen, entries, refused


def new_entry(doc: AwesomeList, prop: Proposal, renderer: Renderer, today: dt.date) -> NewEntry:
    """The entry to add for a proposal, in its section's style."""
    day = prop.paper.date or today
    style = doc.style_for(prop.heading, day.year)
    # A list that writes an entry's links on the line under its title: the first line is
    # the item, the others go under it, before any detail lines of the style's.
    line, *continued = renderer.entry(prop, style, today).split("\n")
    return NewEntry(
        section=prop.heading,
        year=day.year,
        line=line,
        keys=prop.paper.keys,
        month=day.month,
        preprint=is_preprint_venue(prop.venue),
        details=(*continued, *renderer.details(prop, style, today)),
    )
