"""The GitHub implementation: one rolling branch and its pull request, through PyGithub.

Everything goes through the REST API on one rolling branch, never ``git push`` and never to
the base branch. The branch's list is always read fresh (with its blob sha) before the bot
writes: if a maintainer has committed there, their work is the base the bot adds its lines
to, and a concurrent change makes GitHub refuse the write (409) instead of losing it.
The repository object is handed in (bedevere style), so tests use a real PyGithub client
against a local server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from hfm_bot.errors import InputError
from hfm_bot.proposing import Change, keys_in, ticks_in
from hfm_bot.publishing.github_errors import github_error
from hfm_bot.publishing.interface import (
    PR_TITLE,
    PublishConflict,
    Published,
    PublishError,
    Target,
)

if TYPE_CHECKING:
    from github.PullRequest import PullRequest
    from github.Repository import Repository

P = ParamSpec("P")
R = TypeVar("R")


def read_file(repo: Repository, path: str, ref: str) -> bytes:
    """A file of ``repo`` on branch ``ref`` (the list ``init`` adopts): a folder there is an
    :class:`InputError`, a failure to read it a :func:`github_error`."""
    from github import GithubException

    try:
        contents = repo.get_contents(path, ref=ref)
    except (GithubException, OSError) as err:
        raise github_error(err, f"reading {path} on {ref} of {repo.full_name}") from err
    if isinstance(contents, list):
        raise InputError(f"{repo.full_name}: {path} is a folder, not the list file")
    return contents.decoded_content


class RollingBranch:
    """One branch of the bot's and at most one open pull request from it to the base branch:
    what the list's proposals and the retrain both are."""

    def __init__(
        self,
        repo: Repository,
        *,
        base_branch: str,
        branch: str,
        labels: tuple[str, ...] = ("hfm-bot",),
    ) -> None:
        self.repo = repo
        self.base_branch = base_branch
        self.branch = branch
        self.labels = labels

    def _call(self, what: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        import requests
        from github import GithubException

        try:
            return fn(*args, **kwargs)
        except (GithubException, requests.exceptions.RequestException) as err:
            raise github_error(err, what) from err

    def _bot_pulls(self, state: str) -> list[PullRequest]:
        """The pull requests from the bot's branch to the base branch."""
        pulls = self._call(
            f"listing {state} pull requests",
            self.repo.get_pulls,
            state=state,
            head=f"{self.repo.owner.login}:{self.branch}",
            base=self.base_branch,
        )
        return [p for p in pulls if p.head.ref == self.branch]

    def open_pr(self) -> PullRequest | None:
        pulls = self._bot_pulls("open")
        return pulls[0] if pulls else None

    def _prepare_branch(self) -> str:
        """Point the rolling branch at the base branch's head (create it if needed), for a
        new PR: a previous PR's branch may linger after its merge."""
        base = self._call("reading the base branch", self.repo.get_branch, self.base_branch)
        sha = str(base.commit.sha)
        from github import GithubException

        try:
            ref = self.repo.get_git_ref(f"heads/{self.branch}")
        except GithubException as err:
            if err.status != 404:
                raise github_error(err, "reading the bot branch") from err
            try:
                self.repo.create_git_ref(f"refs/heads/{self.branch}", sha)
            except GithubException as create_err:
                if create_err.status == 422:  # another run created it just now
                    raise PublishConflict("the bot branch appeared meanwhile") from create_err
                raise github_error(create_err, "creating the bot branch") from create_err
            return sha
        # An old branch (its PR merged or closed) is reset, but only while no PR uses it: a
        # run that started at the same time may have just opened one.
        if self.open_pr() is not None:
            raise PublishConflict("a bot pull request was opened meanwhile")
        self._call("resetting the bot branch", ref.edit, sha, force=True)
        return sha

    def _open_or_update_pr(self, pr_number: int | None, title: str, body: str) -> PullRequest:
        """Update the body of the open PR, or open one (and label it)."""
        if pr_number is not None:
            pull = self._call("reading the pull request", self.repo.get_pull, pr_number)
            self._call("updating the pull request", pull.edit, body=body)
            return pull
        from github import GithubException

        try:
            pull = self.repo.create_pull(
                base=self.base_branch, head=self.branch, title=title, body=body
            )
        except GithubException as err:
            text = json.dumps(err.data) if err.data else ""
            if err.status == 422 and "already exists" in text:
                # Another run opened it between our look and our create: update that one.
                opened = self.open_pr()
                if opened is None:
                    raise github_error(err, "opening the pull request") from err
                pull = opened
                self._call("updating the pull request", pull.edit, body=body)
            else:
                raise github_error(err, "opening the pull request") from err
        if self.labels:
            self._call("labelling the pull request", pull.add_to_labels, *self.labels)
        return pull


class GitHubPublisher(RollingBranch):
    """Opens or updates the bot's one pull request of new papers for the list."""

    def __init__(
        self,
        repo: Repository,
        *,
        list_path: str,
        base_branch: str,
        branch: str,
        labels: tuple[str, ...] = ("hfm-bot",),
    ) -> None:
        super().__init__(repo, base_branch=base_branch, branch=branch, labels=labels)
        self.list_path = list_path

    @property
    def remembers(self) -> bool:
        return True

    def closed_prs(self) -> list[PullRequest]:
        """The bot's closed PRs (from its branch), whether or not their marker survived a
        hand edit: which papers they proposed is in the memory."""
        return list(self._bot_pulls("closed"))

    def read_list(self, ref: str) -> tuple[str, str]:
        contents = self._call(
            f"reading {self.list_path} on {ref}", self.repo.get_contents, self.list_path, ref=ref
        )
        if isinstance(contents, list):  # a folder
            raise PublishError(f"GitHub: {self.list_path} on {ref} is a folder, not the list")
        return contents.decoded_content.decode("utf-8"), contents.sha

    def target(self) -> Target:
        pull = self.open_pr()
        ref = self.base_branch if pull is None else self.branch
        text, sha = self.read_list(ref)
        origin = f"{self.list_path} on {ref} of {self.repo.full_name}"
        if pull is None:
            return Target(text, sha, None, frozenset(), origin=origin)
        keys = frozenset(keys_in(pull.body))
        return Target(text, sha, pull.number, keys, ticks_in(pull.body), origin=origin)

    def report_health(self, title: str, body: str, label: str = "hfm-bot-health") -> str:
        """Open one issue about the bot's health, or comment on the open one; its URL."""
        issues = self._call("listing issues", self.repo.get_issues, state="open", labels=[label])
        for issue in issues:
            self._call("commenting on the health issue", issue.create_comment, body)
            return str(issue.html_url)
        issue = self._call(
            "opening the health issue",
            self.repo.create_issue,
            title=title,
            body=body,
            labels=[label],
        )
        return str(issue.html_url)

    def publish(self, target: Target, change: Change, title: str = PR_TITLE) -> Published:
        """Commit the edited list to the branch and open or update the PR."""
        if target.pr_number is None:
            self._prepare_branch()
            _, sha = self.read_list(self.branch)
        else:
            sha = target.sha or ""
        message = f"hfm-bot: propose {len(change.added)} new " + (
            "paper" if len(change.added) == 1 else "papers"
        )
        self._call(
            "committing the list",
            self.repo.update_file,
            self.list_path,
            message,
            change.after,
            sha,
            branch=self.branch,
        )
        pull = self._open_or_update_pr(target.pr_number, title, change.body)
        return Published(str(pull.html_url), pull.number)


class ModelPublisher(RollingBranch):
    """Opens or updates the retrain pull request: the files of a retrained model, committed in
    one commit through the Git Data API to the retrain branch (never pushed, never forced), a
    file the new model no longer has deleted in it. It carries the model folder alone, so it
    never conflicts with what the nightly writes (labeled_data/) on the same base."""

    def publish(
        self, files: Mapping[str, bytes], folder: str, title: str, body: str, message: str
    ) -> str | None:
        """Make ``folder`` on the branch hold exactly ``files`` (repository paths inside it)
        and open or update the PR; its URL, or None when the base branch already does."""
        from hfm_bot.publishing.state_branch import GitData, NotFastForward

        git = GitData(self.repo)
        base = self._call("reading the base branch", self.repo.get_branch, self.base_branch)
        if not self._changes(git.files(str(base.commit.sha)), files, folder):
            return None
        pull = self.open_pr()
        head = self._prepare_branch() if pull is None else git.head(self.branch)
        changes = self._changes(git.files(head), files, folder)
        new = git.write(head, changes, message) if changes else None
        if new is not None:
            try:
                git.move(self.branch, head, new)
            except NotFastForward as err:
                raise PublishConflict(
                    f"the branch {self.branch} moved while the model was committed; run again"
                ) from err
        opened = self._open_or_update_pr(None if pull is None else pull.number, title, body)
        return str(opened.html_url)

    @staticmethod
    def _changes(
        current: dict[str, str], files: Mapping[str, bytes], folder: str
    ) -> dict[str, bytes | None]:
        """What makes ``folder`` in ``current`` (path -> blob sha) hold exactly ``files``."""
        from hfm_bot.publishing.state_branch import blob_sha

        prefix = folder.strip("/") + "/"
        out: dict[str, bytes | None] = {
            path: data for path, data in files.items() if current.get(path) != blob_sha(data)
        }
        for path in current:
            if path.startswith(prefix) and path not in files:
                out[path] = None
        return out
