"""The bot's own files on a branch of their own, written only by fast-forward.

The bot remembers what it learnt (decisions, watermarks, waiting papers, the nights'
background samples) and what it runs on (its configuration and model) in a repository, and
people edit that repository too: a maintainer merges, fixes the configuration, or protects the
default branch. So the bot never pushes to the default branch and never force-pushes: its
files live on a branch of their own (``hfm-bot/state``), and every write is one commit made
through the Git Data API (blobs, a tree on top of the branch's own, a commit whose parent is
the head it read) and a ref update with ``force: false``. If someone moved the branch in
between, GitHub answers 422 and the bot reads the new head and lays the same files on top of
it again; only a file that both sides changed differently stops it, named, with nothing
overwritten. Nothing here needs a checkout or ``git``: the runner reads the files through the
API too.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from hfm_bot.files import atomic_binary_writer
from hfm_bot.publishing.github_errors import github_error
from hfm_bot.publishing.interface import PublishConflict, PublishError

if TYPE_CHECKING:
    from github.Repository import Repository

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

Changes = Mapping[str, bytes | None]
"""Repository path -> the file's new bytes, or None to delete it."""


def blob_sha(data: bytes) -> str:
    """Git's name for a file's content: what a tree lists, so a file is compared without
    downloading it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class NotFastForward(PublishConflict):
    """The branch moved since it was read: read it again and lay the change on top."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the branch held when it was read."""

    commit: str | None
    """The head commit (None: the branch does not exist yet)."""
    files: Mapping[str, str]
    """Repository path -> blob sha of every file in the commit."""


class GitData:
    """Commits made through the Git Data API: the only way the bot writes files of its own."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def _call(self, what: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        import requests
        from github import GithubException

        try:
            return fn(*args, **kwargs)
        except (GithubException, requests.exceptions.RequestException) as err:
            raise github_error(err, what) from err

    def head(self, branch: str) -> str | None:
        """The branch's head commit, or None when there is no such branch."""
        from github import GithubException

        try:
            ref = self.repo.get_git_ref(f"heads/{branch}")
        except GithubException as err:
            if err.status == 404:
                return None
            raise github_error(err, f"reading the branch {branch}") from err
        return str(ref.object.sha)

    def files(self, commit: str | None) -> dict[str, str]:
        """Every file of a commit: path -> blob sha (one request for the whole tree)."""
        if commit is None:
            return {}
        tree_sha = self._call("reading a commit", self.repo.get_git_commit, commit).tree.sha
        tree = self._call("reading a tree", self.repo.get_git_tree, tree_sha, recursive=True)
        if tree.raw_data.get("truncated"):
            raise PublishError(f"GitHub: the tree of {commit} is too large to list in one read")
        return {str(e.path): str(e.sha) for e in tree.tree if e.type == "blob"}

    def read(self, sha: str, what: str) -> bytes:
        blob = self._call(f"reading {what}", self.repo.get_git_blob, sha)
        if blob.encoding != "base64":
            return str(blob.content).encode("utf-8")
        return base64.b64decode(blob.content)

    def write(self, head: str | None, changes: Changes, message: str) -> str | None:
        """A commit on top of ``head`` (or a first one) with ``changes``; its sha, or None when
        ``head`` already holds them. The branch is not moved: :meth:`move` does that."""
        from github import InputGitTreeElement

        current = self.files(head)
        elements = []
        for path, data in sorted(changes.items()):
            if data is None:
                if path in current:
                    elements.append(InputGitTreeElement(path, "100644", "blob", sha=None))
                continue
            if current.get(path) == blob_sha(data):
                continue
            encoded = base64.b64encode(data).decode("ascii")
            blob = self._call(f"uploading {path}", self.repo.create_git_blob, encoded, "base64")
            elements.append(InputGitTreeElement(path, "100644", "blob", sha=blob.sha))
        if not elements:
            return None
        if head is None:
            tree = self._call("writing a tree", self.repo.create_git_tree, elements)
            parents = []
        else:
            parent = self._call("reading a commit", self.repo.get_git_commit, head)
            base = self._call("reading a tree", self.repo.get_git_tree, parent.tree.sha)
            tree = self._call("writing a tree", self.repo.create_git_tree, elements, base)
            parents = [parent]
        commit = self._call("writing a commit", self.repo.create_git_commit, message, tree, parents)
        return str(commit.sha)

    def move(self, branch: str, old: str | None, new: str) -> None:
        """Point ``branch`` from ``old`` to ``new``, a descendant, never forcing: GitHub's 422
        (someone moved it, or created it) is :class:`NotFastForward`."""
        from github import GithubException

        try:
            if old is None:
                self.repo.create_git_ref(f"refs/heads/{branch}", new)
            else:
                self.repo.get_git_ref(f"heads/{branch}").edit(new, force=False)
        except GithubException as err:
            if err.status == 422:
                raise NotFastForward(f"the branch {branch} moved meanwhile") from err
            raise github_error(err, f"moving the branch {branch}") from err


class StateBranch:
    """The bot's files on ``branch`` of ``repo``, under ``folder`` ('' for the top)."""

    def __init__(
        self,
        repo: Repository,
        branch: str,
        folder: str = "",
        *,
        attempts: int = 5,
        pause: Callable[[float], None] = time.sleep,
    ) -> None:
        self.git = GitData(repo)
        self.branch = branch
        self.folder = folder.strip("/")
        self.attempts = attempts
        self.pause = pause

    @property
    def where(self) -> str:
        inside = f" ({self.folder}/)" if self.folder else ""
        return f"{self.git.repo.full_name}@{self.branch}{inside}"

    def remote(self, relative: str) -> str:
        """A path in the state folder, as the repository names it."""
        return f"{self.folder}/{relative}" if self.folder else relative

    def read(self) -> Snapshot:
        head = self.git.head(self.branch)
        return Snapshot(head, self.git.files(head))

    def download(self, snapshot: Snapshot, into: Path, folders: Iterable[str]) -> int:
        """Write into ``into`` the files of the snapshot that are, or are under, ``folders``
        (paths relative to the state folder); how many."""
        wanted = [self.remote(f) for f in folders]
        n = 0
        for path, sha in sorted(snapshot.files.items()):
            if not any(path == w or path.startswith(w.rstrip("/") + "/") for w in wanted):
                continue
            relative = path[len(self.folder) + 1 :] if self.folder else path
            target = into / relative
            with atomic_binary_writer(target) as handle:
                handle.write(self.git.read(sha, path))
            n += 1
        return n

    def changes(
        self, snapshot: Snapshot, root: Path, folders: Iterable[str]
    ) -> dict[str, bytes | None]:
        """What differs under ``folders`` between the files in ``root`` and the snapshot:
        new and changed files with their bytes, removed ones as None."""
        out: dict[str, bytes | None] = {}
        for folder in folders:
            local = root / folder
            present = sorted(p for p in local.rglob("*") if p.is_file()) if local.is_dir() else []
            if local.is_file():
                present = [local]
            seen = set()
            for path in present:
                remote = self.remote(path.relative_to(root).as_posix())
                seen.add(remote)
                data = path.read_bytes()
                if snapshot.files.get(remote) != blob_sha(data):
                    out[remote] = data
            prefix = self.remote(folder).rstrip("/")
            for remote in snapshot.files:
                inside = remote == prefix or remote.startswith(prefix + "/")
                if inside and remote not in seen:
                    out[remote] = None
        return out

    def commit(self, snapshot: Snapshot, changes: Changes, message: str) -> str | None:
        """Add ``changes`` to the branch as one fast-forward commit; its sha, or None when
        nothing differs. When the branch moved since ``snapshot`` the same changes are laid
        on the new head (up to ``attempts`` times), unless the other side changed one of the
        same files differently: then :class:`PublishConflict` names them and nothing is
        written."""
        if not changes:
            return None
        for attempt in range(1, self.attempts + 1):
            head = self.git.head(self.branch)
            if head != snapshot.commit:
                self._check_overlap(snapshot, head, changes)
            new = self.git.write(head, changes, message)
            if new is None:
                return None
            try:
                self.git.move(self.branch, head, new)
            except NotFastForward:
                log.warning("%s moved while committing (attempt %d); retrying", self.where, attempt)
                self.pause(min(2.0**attempt, 30.0))
                continue
            return new
        raise PublishConflict(
            f"{self.where} kept moving: the bot's files were not committed after "
            f"{self.attempts} attempts; the next run commits them"
        )

    def _check_overlap(self, snapshot: Snapshot, head: str | None, changes: Changes) -> None:
        now = self.git.files(head)
        clash = []
        for path, data in changes.items():
            theirs, before = now.get(path), snapshot.files.get(path)
            ours = None if data is None else blob_sha(data)
            if theirs != before and theirs != ours:
                clash.append(path)
        if clash:
            raise PublishConflict(
                f"{self.where}: someone else changed {', '.join(sorted(clash))} since the bot "
                "read it; nothing was overwritten (merge the two by hand, or revert theirs, "
                "and run again)"
            )
