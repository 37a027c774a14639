"""The dry-run implementation: the change written to a folder, nothing remote touched."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from hfm_bot.files import atomic_write_text
from hfm_bot.proposing import Change
from hfm_bot.publishing.interface import Published, Target


class DryRunPublisher:
    """Writes the change into a folder and touches nothing remote: the edited list (under its
    own file name), the PR body, the diff and the proposals. ``target`` is the list it plans
    against (read from GitHub without writing, or a local file)."""

    def __init__(self, out_dir: Path, list_path: str, target: Target) -> None:
        self.out_dir = out_dir
        self.list_path = list_path
        """The list's path in its repository, as the diff names it."""
        self._target = target

    @property
    def remembers(self) -> bool:
        return False

    def target(self) -> Target:
        return self._target

    def report_health(self, title: str, body: str) -> str | None:
        return None

    def diff(self, change: Change) -> str:
        return "".join(
            difflib.unified_diff(
                change.before.splitlines(keepends=True),
                change.after.splitlines(keepends=True),
                fromfile=f"a/{self.list_path}",
                tofile=f"b/{self.list_path}",
            )
        )

    def publish(self, target: Target, change: Change) -> Published:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.out_dir / Path(self.list_path).name, change.after)
        atomic_write_text(self.out_dir / "pr-body.md", change.body)
        atomic_write_text(self.out_dir / "changes.diff", self.diff(change))
        rows = [
            json.dumps(
                {
                    "key": p.paper.key,
                    "id": p.paper.id,
                    "title": p.title,
                    "url": p.paper.url,
                    "score": round(p.score, 6),
                    "section": p.section,
                    "section_score": round(p.section_probability, 6),
                    "venue": p.venue,
                    "code_url": p.code_url,
                    "why": list(p.why),
                },
                ensure_ascii=False,
            )
            + "\n"
            for p in change.added
        ]
        atomic_write_text(self.out_dir / "proposals.jsonl", "".join(rows))
        return Published(str(self.out_dir), None, self.diff(change))
