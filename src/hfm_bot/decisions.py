"""The memory of decisions: every paper the bot proposed, and what the maintainers did.

``labeled_data/decisions.jsonl`` holds one record per proposed paper: proposed, then accepted
(still in the list when the PR merged, in the section it ended in) or rejected (deleted by a
maintainer, or the PR closed unmerged). A rejected paper is never proposed again; an accepted
one in another section teaches the section model (see classifier.training).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_text
from hfm_bot.paper import Paper

PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"


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
    status: str
    pr: int | None
    proposed_on: str
    decided_on: str | None = None
    date: str | None = None
    """The paper's announcement date (groups it in cross-validation)."""
    section_score: float = 0.0
    why: list[str] = field(default_factory=list)
    source: str | None = None
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
            source=self.source or ("biorxiv" if self.id.startswith("doi:") else "arxiv"),
            title=self.title,
            abstract=self.abstract,
            date=dt.date.fromisoformat(self.date) if self.date else None,
        )


def load(path: Path) -> list[Decision]:
    if not path.exists():
        return []
    out = []
    fields = set(Decision.__dataclass_fields__)
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
            decision = Decision(**{k: v for k, v in raw.items() if k in fields})
            if decision.date is not None:
                dt.date.fromisoformat(decision.date)
            out.append(decision)
        except (json.JSONDecodeError, TypeError, ValueError) as err:
            raise InputError(f"{path}:{line_no}: not a decision record ({err})") from err
    return out


def save(path: Path, decisions: Iterable[Decision]) -> None:
    atomic_write_text(path, "".join(d.to_json() + "\n" for d in decisions))


def known_keys(decisions: Sequence[Decision]) -> set[str]:
    """Every key the bot has ever proposed: never proposed twice."""
    return {d.key for d in decisions}


def record_proposals(decisions: Sequence[Decision], new: Sequence[Decision]) -> list[Decision]:
    by_key = {d.key: d for d in decisions}
    for d in new:
        by_key.setdefault(d.key, d)
    return list(by_key.values())


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
        if d.pr != pr or d.status != PROPOSED:
            out.append(d)
            continue
        if merged and d.key in final_sections:
            out.append(
                replace(
                    d, status=ACCEPTED, section=final_sections[d.key], decided_on=today.isoformat()
                )
            )
            accepted += 1
        else:
            out.append(replace(d, status=REJECTED, decided_on=today.isoformat()))
            rejected += 1
    return out, accepted, rejected
