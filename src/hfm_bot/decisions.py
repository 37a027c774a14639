"""The memory of decisions: every paper the bot proposed, and what the maintainers did.

``labeled_data/decisions.jsonl`` holds one record per proposed paper: proposed, then accepted
(still in the list when the PR merged, in the section it ended in) or rejected (deleted by a
maintainer, or the PR closed unmerged). A rejected paper is never proposed again; an accepted
one in another section teaches the section model (see classifier.training).

The near misses a PR shows are kept too, as ``near-miss`` records: not a verdict, so they
teach nothing and do not stop a later proposal. A maintainer who ticks one in the PR's task
list accepts it (``ticked``: a positive label in the section shown); the next run proposes
it, whatever its score, and from then on it is an ordinary proposal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_text
from hfm_bot.paper import Origin, Paper
from hfm_bot.stream import BadLine, iter_json_lines


class Status(StrEnum):
    """Where a remembered paper stands (written in ``decisions.jsonl`` as its value)."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NEAR_MISS = "near-miss"
    TICKED = "ticked"


POSITIVE = frozenset({Status.ACCEPTED, Status.TICKED})
"""The statuses that are a maintainer's yes."""


@dataclass(frozen=True)
class Decision:
    key: str
    """``arxiv:<id>`` or ``doi:<doi>``."""
    id: str
    title: str
    abstract: str
    section: str
    """The section proposed, or, once accepted, the section it ended in."""
    proposed_section: str
    score: float
    status: Status
    pr: int | None
    proposed_on: str
    decided_on: str | None = None
    date: str | None = None
    """The paper's announcement date (groups it in cross-validation)."""
    section_score: float = 0.0
    why: list[str] = field(default_factory=list)
    source: Origin | None = None
    """Where the paper came from (a medRxiv DOI's page is on medrxiv.org); None in records
    written before it was kept."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @property
    def paper(self) -> Paper:
        """The paper as far as the memory knows it: enough to find it in the list again and
        to show it in the PR body."""
        return Paper(
            id=self.id,
            source=self.source or (Origin.BIORXIV if self.id.startswith("doi:") else Origin.ARXIV),
            title=self.title,
            abstract=self.abstract,
            date=dt.date.fromisoformat(self.date) if self.date else None,
        )


def load(path: Path) -> list[Decision]:
    """The memory; any line that is not a decision record stops the run (file:line): it is
    the bot's own memory, and a run must not quietly forget a maintainer's review."""
    if not path.exists():
        return []

    def broken(bad: BadLine) -> None:
        raise InputError(f"{bad.path}:{bad.line_no}: not a decision record ({bad.reason})")

    return [_decision(raw, path, n) for n, raw in iter_json_lines(path, broken)]


def _decision(raw: object, path: Path, line_no: int) -> Decision:
    fields = set(Decision.__dataclass_fields__)
    try:
        if not isinstance(raw, dict):
            raise TypeError(f"a JSON object, not {type(raw).__name__}")
        status = raw.get("status")
        if status not in set(Status):
            raise ValueError(f"status {status!r} is not one of {', '.join(Status)}")
        origin = raw.get("source")
        if origin is not None and origin not in set(Origin):
            raise ValueError(f"source {origin!r} is not one of {', '.join(Origin)}")
        decision = Decision(
            **{k: v for k, v in raw.items() if k in fields and k not in ("status", "source")},
            status=Status(status),
            source=None if origin is None else Origin(origin),
        )
        if decision.date is not None:
            dt.date.fromisoformat(decision.date)
    except (TypeError, ValueError) as err:
        raise InputError(f"{path}:{line_no}: not a decision record ({err})") from err
    return decision


def save(path: Path, decisions: Iterable[Decision]) -> None:
    atomic_write_text(path, "".join(d.to_json() + "\n" for d in decisions))


def known_keys(decisions: Sequence[Decision]) -> set[str]:
    """Every key the bot has proposed or a maintainer has ticked: never proposed twice (a
    ticked paper is proposed from its record, not from the night's papers)."""
    return {d.key for d in decisions if d.status is not Status.NEAR_MISS}


def shown_near_misses(decisions: Sequence[Decision]) -> set[str]:
    """Near misses already shown in a PR: a later night does not list them again."""
    return {d.key for d in decisions if d.status is Status.NEAR_MISS}


def record_proposals(decisions: Sequence[Decision], new: Sequence[Decision]) -> list[Decision]:
    """The memory with ``new`` records added: a proposal replaces the near-miss or ticked
    record of the same paper; anything else already recorded stays as it is."""
    by_key = {d.key: d for d in decisions}
    for d in new:
        old = by_key.get(d.key)
        if old is None or (
            d.status is Status.PROPOSED and old.status in (Status.NEAR_MISS, Status.TICKED)
        ):
            by_key[d.key] = d
    return list(by_key.values())


def tick(
    decisions: Sequence[Decision], keys: Iterable[str], today: dt.date
) -> tuple[list[Decision], int, set[str]]:
    """The near misses of ``keys`` accepted by a maintainer's tick. Returns the records, how
    many were ticked now, and the keys that are no near miss the bot showed (a tick on
    anything else is not a decision the bot can take; ticking twice changes nothing)."""
    wanted = set(keys)
    ticked = 0
    out = []
    for d in decisions:
        if d.key in wanted and d.status is Status.NEAR_MISS:
            out.append(replace(d, status=Status.TICKED, decided_on=today.isoformat()))
            ticked += 1
        else:
            out.append(d)
    return out, ticked, wanted - {d.key for d in out}


def settle(
    decisions: Sequence[Decision],
    pr: int,
    merged: bool,
    final_sections: dict[str, str],
    today: dt.date,
) -> tuple[list[Decision], int, int]:
    """Decide the proposed papers of a closed PR. ``final_sections`` maps the keys still in
    the list after the merge to the section they ended in. Returns (records, accepted,
    rejected); records already decided are left alone, so syncing twice changes nothing."""
    out = []
    accepted = rejected = 0
    for d in decisions:
        if d.pr != pr or d.status is not Status.PROPOSED:
            out.append(d)
            continue
        if merged and d.key in final_sections:
            out.append(
                replace(
                    d,
                    status=Status.ACCEPTED,
                    section=final_sections[d.key],
                    decided_on=today.isoformat(),
                )
            )
            accepted += 1
        else:
            out.append(replace(d, status=Status.REJECTED, decided_on=today.isoformat()))
            rejected += 1
    return out, accepted, rejected
