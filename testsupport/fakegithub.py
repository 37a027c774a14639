"""A small GitHub on 127.0.0.1 for the real PyGithub client.

It keeps only what the publisher's behaviour depends on (branches of files, pull requests, the
health issue) and answers the endpoints the bot calls. Every answer is a real recorded body
from tests/fixtures/github_rest/ (origins in ORIGIN.txt), its recorded repository and host
rewritten to this one, with only the fields that carry state set. Failures need no state, so
they are not simulated: `github.outage = recorded(...)` answers every request with a recorded
exchange (a rate limit, a missing repository) verbatim. Two bodies have no recording
(fixtures/README.txt): the 422 for a duplicate pull request is the recorded "Validation
Failed" body with GitHub's documented message, and a new comment is its id and body.

The Git Data endpoints (blobs, trees, commits, refs) keep real git objects: a blob's sha is
git's, a commit has its parents, and a ref moves with ``force: false`` only when the new
commit descends from the old one, else GitHub's 422 "Update is not a fast forward" (the
recorded 422 body with that message). Trees, commits and the ref update are the recorded
PyGithub exchange GitRef.testExample; blobs have no recording, so a new blob is GitHub's
documented ``{sha, url}`` and a read one adds ``content``, ``encoding`` and ``size``.
`github.before(verb, path, action)` runs `action` once just before the matching request is
answered: a maintainer's push landing between the bot's read and its write.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import copy
import hashlib
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from testsupport import FIXTURES
from testsupport.localserver import LocalServer, Reply, Request

RECORDINGS = FIXTURES / "github_rest"
RECORDED_REPOS = (
    "jacquev6/PyGithub",
    "PyGithub/PyGithub",
    "sigmavirus24/github3.py",
    "github3py/delete_contents",
    "EnricoMi/PyGithub",
)
DECODED = "github3py/decoded/"
TEMPLATES = {  # a PyGithub ReplayData file and the exchange's index, or a github3.py body
    "repo": "Repository.setUp.txt#0",
    "branch": "Branch.setUp.txt#4",
    "ref": "Repository.testCreateGitRef.txt#0",
    "tree": "GitRef.testExample.txt#2",
    "commit": "GitRef.testExample.txt#5",
    "pull": "Repository.testCreatePull.txt#0",
    "labels": "Issue.testAddAndRemoveLabels.txt#6",
    "not_found": "Exceptions.testUnknownObject.txt#1",
    "invalid": "Exceptions.testInvalidInput.txt#0",
    "issue": DECODED + "Issue_add_labels.0.GET.200.repos_sigmavirus24_github3.py_issues_497.json",
    "contents": DECODED
    + "Contents_update.2.GET.200.repos_github3py_delete_contents_contents_test.txt.json",
    "put": DECODED
    + "Contents_update.3.PUT.200.repos_github3py_delete_contents_contents_test.txt_ref_master.json",
}
FRAMING = {"status", "content-length", "transfer-encoding", "connection", "date", "server"}
"""Recorded headers the local server sends itself."""


def recorded(name: str, index: int) -> Reply:
    """Exchange `index` of a PyGithub ReplayData file as a Reply: status, headers, body."""
    lines = (RECORDINGS / "pygithub" / name).read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line == "https"]  # one record: 10 lines
    record = lines[starts[index] : starts[index] + 10]
    kept = {k.lower(): v for k, v in ast.literal_eval(record[8]) if k.lower() not in FRAMING}
    return Reply(int(record[7]), record[9].encode(), kept)


@dataclass(frozen=True)
class Call:
    """What a route sees of a request besides its path: the query and the JSON body."""

    query: dict[str, str]
    data: Any


@dataclass
class Pull:
    """A pull request, or (numbered from 1001, head and base empty) an issue."""

    number: int
    head: str
    base: str
    title: str
    body: str
    state: str = "open"
    merged: bool = False
    labels: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class FakeGitHub:
    def __init__(self, owner: str, name: str, files: dict[str, str], base: str = "main") -> None:
        self.owner, self.name, self.base = owner, name, base
        self.commits: dict[str, dict[str, str]] = {}
        """A commit's files: path -> text (binary files kept as surrogate-escaped text)."""
        self.parents: dict[str, list[str]] = {}
        self.messages: dict[str, str] = {}
        self.trees: dict[str, dict[str, str]] = {}
        self.blobs: dict[str, str] = {}
        self._blob_of: dict[str, tuple[str, int]] = {}
        """A text's blob sha and size, computed once: a state branch carries megabytes of
        model files, and every read of a tree or commit names each file's blob again
        (hashing them all on every request was most of an action test's time)."""
        self.hooks: list[tuple[str, str, Callable[[], object]]] = []
        self.branches: dict[str, str] = {base: self._commit(files)}
        self.pulls: list[Pull] = []
        self.issues: list[Pull] = []
        self.outage: Reply | None = None
        self.lock = threading.Lock()
        self.server = LocalServer(app=self.handle).start()
        self.templates = {name: self._recording(where) for name, where in TEMPLATES.items()}
        self.routes: list[tuple[str, str, Callable[..., tuple[int, Any]]]] = [
            ("GET", r"", self._get_repo),
            ("GET", r"/branches/(.+)", self._get_branch),
            ("GET", r"/git/refs?/heads/(.+)", self._get_ref),
            ("PATCH", r"/git/refs/heads/(.+)", self._set_ref),
            ("POST", r"/git/refs", self._create_ref),
            ("GET", r"/git/commits/([0-9a-f]{40})", self._get_commit),
            ("POST", r"/git/commits", self._create_commit),
            ("GET", r"/git/trees/([0-9a-f]{40})", self._get_tree),
            ("POST", r"/git/trees", self._create_tree),
            ("GET", r"/git/blobs/([0-9a-f]{40})", self._get_blob),
            ("POST", r"/git/blobs", self._create_blob),
            ("GET", r"/contents/(.+)", self._get_contents),
            ("PUT", r"/contents/(.+)", self._put_contents),
            ("GET", r"/pulls", self._list_pulls),
            ("POST", r"/pulls", self._create_pull),
            ("GET", r"/pulls/(\d+)", lambda _, n: (200, self._thread_json(self.pulls[int(n) - 1]))),
            ("PATCH", r"/pulls/(\d+)", self._edit_pull),
            ("POST", r"/issues/(\d+)/labels", self._add_labels),
            ("POST", r"/issues/(\d+)/comments", self._comment),
            ("GET", r"/issues", self._list_issues),
            ("POST", r"/issues", self._create_issue),
        ]

    # ------------------------------------------------------------ what tests see and do

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def stop(self) -> None:
        self.server.stop()

    def file(self, branch: str, path: str) -> str:
        return self.commits[self.branches[branch]][path]

    def maintainer_commit(self, branch: str, path: str, text: str) -> None:
        head = self.branches[branch]
        self.branches[branch] = self._commit({**self.commits[head], path: text}, [head])

    def before(self, verb: str, path: str, action: Callable[[], object]) -> None:
        """Run ``action`` once, just before answering the next ``verb`` to ``path`` (the part
        after /repos/owner/name)."""
        self.hooks.append((verb, path, action))

    def push(self, branch: str, files: dict[str, str]) -> str:
        """A maintainer's ``git push`` of ``files`` onto ``branch`` (created, orphan, if new)."""
        head = self.branches.get(branch)
        before = self.commits[head] if head else {}
        self.branches[branch] = self._commit({**before, **files}, [head] if head else [])
        return self.branches[branch]

    def merge(self, number: int) -> None:
        """Merge a pull request as GitHub does: the head's changes since the merge base laid
        on the base, in a commit with both parents; a file both sides changed differently is
        a merge conflict (GitHub would refuse the merge), raised here."""
        pull = self.pulls[number - 1]
        base, head = self.branches[pull.base], self.branches[pull.head]
        ancestor = next(c for c in self._ancestry(head) if self._descends(base, c))
        old, theirs, merged = self.commits[ancestor], self.commits[head], dict(self.commits[base])
        for path in set(old) | set(theirs):
            if old.get(path) == theirs.get(path):
                continue
            if merged.get(path) not in (old.get(path), theirs.get(path)):
                raise AssertionError(f"merge conflict in {path}: GitHub refuses this merge")
            if path in theirs:
                merged[path] = theirs[path]
            else:
                merged.pop(path, None)
        self.branches[pull.base] = self._commit(merged, [base, head])
        pull.state, pull.merged = "closed", True

    def _ancestry(self, sha: str) -> list[str]:
        """A commit and its ancestors, nearest first (breadth first)."""
        out, todo = [], [sha]
        while todo:
            current = todo.pop(0)
            if current not in out:
                out.append(current)
                todo.extend(self.parents.get(current, []))
        return out

    def history(self, branch: str) -> list[str]:
        """The branch's commits, newest first, following first parents."""
        out, sha = [], self.branches.get(branch)
        while sha is not None:
            out.append(sha)
            parents = self.parents.get(sha)
            sha = parents[0] if parents else None
        return out

    def close(self, number: int) -> None:
        self.pulls[number - 1].state = "closed"

    # ------------------------------------------------------------ bodies

    def _recording(self, where: str) -> Any:
        """A recorded body, its repository and host rewritten to this GitHub's."""
        name, _, index = where.partition("#")
        text = (
            recorded(name, int(index)).body.decode()
            if index
            else (RECORDINGS / name).read_text(encoding="utf-8")
        )
        text = re.sub("|".join(map(re.escape, RECORDED_REPOS)), f"{self.owner}/{self.name}", text)
        text = text.replace("https://api.github.com", self.url)
        return json.loads(text.replace("https://github.com", self.url))

    def _fill(self, template: str, **fields: Any) -> Any:
        body = copy.deepcopy(self.templates[template])
        body.update(fields)
        return body

    def _commit(
        self, files: dict[str, str], parents: list[str] | None = None, message: str = ""
    ) -> str:
        sha = hashlib.sha1(json.dumps([time.time_ns(), files, parents]).encode()).hexdigest()
        self.commits[sha] = dict(files)
        self.parents[sha] = list(parents or [])
        self.messages[sha] = message
        return sha

    def _tree(self, files: dict[str, str]) -> str:
        """The sha naming a set of files (a tree); it is kept, so trees can be read back."""
        entries = sorted((path, self._blob(text)) for path, text in files.items())
        sha = hashlib.sha1(json.dumps(entries).encode()).hexdigest()
        self.trees[sha] = dict(files)
        for text in files.values():
            self.blobs[self._blob(text)] = text
        return sha

    def _descends(self, sha: str, ancestor: str) -> bool:
        seen, todo = set(), [sha]
        while todo:
            current = todo.pop()
            if current == ancestor:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, []))
        return False

    def _blob(self, text: str) -> str:
        return self._blob_and_size(text)[0]

    def _blob_and_size(self, text: str) -> tuple[str, int]:
        known = self._blob_of.get(text)
        if known is None:
            data = text.encode("utf-8", "surrogateescape")  # binary files: escaped str
            known = (hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(), len(data))
            self._blob_of[text] = known
        return known

    def _thread_json(self, thread: Pull) -> Any:
        """A pull request's or an issue's body: what the bot and PyGithub read of it."""
        kind, web = ("pulls", "pull") if thread.number < 1000 else ("issues", "issues")
        body = self._fill(
            "pull" if kind == "pulls" else "issue",
            number=thread.number,
            title=thread.title,
            body=thread.body,
            state=thread.state,
            labels=[dict(self.templates["labels"][0], name=n) for n in thread.labels],
            url=f"{self.url}/repos/{self.owner}/{self.name}/{kind}/{thread.number}",
            issue_url=f"{self.url}/repos/{self.owner}/{self.name}/issues/{thread.number}",
            html_url=f"{self.url}/{self.owner}/{self.name}/{web}/{thread.number}",
        )
        if kind == "pulls":
            body["merged"] = thread.merged
            body["head"]["ref"], body["base"]["ref"] = thread.head, thread.base
        return body

    def _ref_json(self, branch: str) -> Any:
        ref = self._fill("ref", ref=f"refs/heads/{branch}")
        ref["url"] = f"{self.url}/repos/{self.owner}/{self.name}/git/refs/heads/{branch}"
        ref["object"]["sha"] = self.branches[branch]
        return ref

    def _contents_json(self, path: str, text: str) -> Any:
        data = text.encode("utf-8", "surrogateescape")
        return self._fill(
            "contents",
            name=path.rsplit("/", 1)[-1],
            path=path,
            size=len(data),
            sha=self._blob(text),
            encoding="base64",
            content=base64.encodebytes(data).decode(),
        )

    def _error(
        self, status: int, message: str = "", resource: str = "PullRequest"
    ) -> tuple[int, Any]:
        if status == 404:
            return 404, self.templates["not_found"]
        error = {"resource": resource, "code": "custom", "message": message}
        return status, self._fill("invalid", errors=[error])

    def _git_url(self, kind: str, sha: str) -> str:
        return f"{self.url}/repos/{self.owner}/{self.name}/git/{kind}/{sha}"

    def _commit_json(self, sha: str) -> Any:
        body = self._fill(
            "commit",
            sha=sha,
            url=self._git_url("commits", sha),
            html_url=f"{self.url}/{self.owner}/{self.name}/commit/{sha}",
            message=self.messages.get(sha, ""),
            tree={"sha": self._tree(self.commits[sha]), "url": ""},
            parents=[
                {"sha": p, "url": self._git_url("commits", p), "html_url": ""}
                for p in self.parents.get(sha, [])
            ],
        )
        body["tree"]["url"] = self._git_url("trees", body["tree"]["sha"])
        return body

    def _tree_json(self, sha: str, recursive: bool) -> Any:
        files = self.trees[sha]
        entries: dict[str, Any] = {}
        for path in sorted(files):
            parts = path.split("/")
            for depth in range(1, len(parts)) if recursive else ():
                folder = "/".join(parts[:depth])
                entries.setdefault(folder, {"path": folder, "mode": "040000", "type": "tree"})
            if recursive or len(parts) == 1:
                blob, size = self._blob_and_size(files[path])
                entries[path] = {"path": path, "mode": "100644", "type": "blob", "sha": blob,
                                 "size": size, "url": self._git_url("blobs", blob)}  # fmt: skip
        for folder, entry in entries.items():
            if entry["type"] == "tree":
                inside = {
                    p[len(folder) + 1 :]: t for p, t in files.items() if p.startswith(folder + "/")
                }
                entry["sha"] = self._tree(inside)
                entry["url"] = self._git_url("trees", entry["sha"])
        return self._fill(
            "tree", sha=sha, url=self._git_url("trees", sha), tree=list(entries.values())
        )

    # ------------------------------------------------------------ the API

    def handle(self, request: Request) -> Reply:
        with self.lock:
            if self.outage is not None:
                return self.outage
            prefix = f"/repos/{self.owner}/{self.name}"
            path = urllib.parse.unquote(request.path)
            for hook in self.hooks:
                if hook[0] == request.verb and path == prefix + hook[1]:
                    self.hooks.remove(hook)
                    hook[2]()
                    break
            status, body = self._error(404)
            verb, rest = request.verb, path.removeprefix(prefix)
            for route_verb, pattern, answer in self.routes if path.startswith(prefix) else []:
                match = re.fullmatch(pattern, rest)
                if verb == route_verb and match:
                    query = {k: v[0] for k, v in request.query.items()}
                    call = Call(query, json.loads(request.body) if request.body else None)
                    status, body = answer(call, *match.groups())
                    break
            headers = {"Content-Type": "application/json; charset=utf-8"}
            return Reply(status, json.dumps(body).encode(), headers)

    def _get_repo(self, _: Call) -> tuple[int, Any]:
        body = self._fill("repo", name=self.name, default_branch=self.base)
        body["owner"]["login"] = self.owner
        return 200, body

    def _get_branch(self, _: Call, name: str) -> tuple[int, Any]:
        if name not in self.branches:
            return self._error(404)
        body = self._fill("branch", name=name)
        body["commit"]["sha"] = self.branches[name]
        return 200, body

    def _get_ref(self, _: Call, branch: str) -> tuple[int, Any]:
        return (200, self._ref_json(branch)) if branch in self.branches else self._error(404)

    def _set_ref(self, call: Call, branch: str) -> tuple[int, Any]:
        if branch not in self.branches:
            return self._error(422, "Reference does not exist", "Reference")
        new = call.data["sha"]
        if not call.data.get("force") and not self._descends(new, self.branches[branch]):
            return self._error(422, "Update is not a fast forward", "Reference")
        self.branches[branch] = new
        return 200, self._ref_json(branch)

    def _create_ref(self, call: Call) -> tuple[int, Any]:
        branch = call.data["ref"].removeprefix("refs/heads/")
        if branch in self.branches:
            return self._error(422, "Reference already exists")
        if call.data["sha"] not in self.commits:
            return self._error(422, "Object does not exist", "Reference")
        self.branches[branch] = call.data["sha"]
        return 201, self._ref_json(branch)

    def _get_commit(self, _: Call, sha: str) -> tuple[int, Any]:
        return (200, self._commit_json(sha)) if sha in self.commits else self._error(404)

    def _create_commit(self, call: Call) -> tuple[int, Any]:
        d = call.data
        if d["tree"] not in self.trees or any(p not in self.commits for p in d["parents"]):
            return self._error(422, "Tree or parent commit does not exist", "Commit")
        sha = self._commit(self.trees[d["tree"]], list(d["parents"]), d["message"])
        return 201, self._commit_json(sha)

    def _get_tree(self, call: Call, sha: str) -> tuple[int, Any]:
        if sha not in self.trees:
            return self._error(404)
        return 200, self._tree_json(sha, call.query.get("recursive") not in (None, "0", "false"))

    def _create_tree(self, call: Call) -> tuple[int, Any]:
        base = call.data.get("base_tree")
        if base is not None and base not in self.trees:
            return self._error(422, "base_tree is not a tree", "Tree")
        files = dict(self.trees[base]) if base else {}
        for entry in call.data["tree"]:
            if entry.get("content") is not None:
                files[entry["path"]] = entry["content"]
            elif entry.get("sha") is None:
                if entry["path"] not in files:
                    return self._error(422, f"{entry['path']} is not in the tree", "Tree")
                del files[entry["path"]]
            elif entry["sha"] in self.blobs:
                files[entry["path"]] = self.blobs[entry["sha"]]
            else:
                return self._error(422, f"{entry['sha']} is not a blob", "Tree")
        sha = self._tree(files)
        return 201, self._tree_json(sha, False)

    def _get_blob(self, _: Call, sha: str) -> tuple[int, Any]:
        if sha not in self.blobs:
            return self._error(404)
        data = self.blobs[sha].encode("utf-8", "surrogateescape")
        content = base64.encodebytes(data).decode()
        return 200, {"sha": sha, "size": len(data), "url": self._git_url("blobs", sha),
                     "content": content, "encoding": "base64"}  # fmt: skip

    def _create_blob(self, call: Call) -> tuple[int, Any]:
        d = call.data
        if d.get("encoding") == "base64":
            text = base64.b64decode(d["content"]).decode("utf-8", "surrogateescape")
        else:
            text = d["content"]
        sha = self._blob(text)
        self.blobs[sha] = text
        return 201, {"sha": sha, "url": self._git_url("blobs", sha)}

    def _get_contents(self, call: Call, path: str) -> tuple[int, Any]:
        files = self.commits.get(self.branches.get(call.query.get("ref", self.base), ""), {})
        return (200, self._contents_json(path, files[path])) if path in files else self._error(404)

    def _put_contents(self, call: Call, path: str) -> tuple[int, Any]:
        branch = call.data.get("branch", self.base)
        current = self.commits[self.branches[branch]].get(path)
        if current is not None and call.data.get("sha") != self._blob(current):
            return self._error(409, f"{path} does not match {call.data.get('sha')}")
        text = base64.b64decode(call.data["content"]).decode("utf-8", "surrogateescape")
        self.maintainer_commit(branch, path, text)
        body = self._fill("put", content=self._contents_json(path, text))
        body["commit"]["sha"] = self.branches[branch]
        return 200, body

    def _list_pulls(self, call: Call) -> tuple[int, Any]:
        q = call.query
        return 200, [
            self._thread_json(p)
            for p in self.pulls
            if q.get("state", "open") in ("all", p.state)
            and q.get("head", f"{self.owner}:{p.head}") == f"{self.owner}:{p.head}"
        ]

    def _create_pull(self, call: Call) -> tuple[int, Any]:
        d = call.data
        if any(p.state == "open" and p.head == d["head"] for p in self.pulls):
            return self._error(422, f"A pull request already exists for {self.owner}:{d['head']}.")
        pull = Pull(len(self.pulls) + 1, d["head"], d["base"], d["title"], d.get("body") or "")
        self.pulls.append(pull)
        return 201, self._thread_json(pull)

    def _edit_pull(self, call: Call, number: str) -> tuple[int, Any]:
        pull = self.pulls[int(number) - 1]
        for key in ("body", "title", "state"):
            setattr(pull, key, call.data.get(key, getattr(pull, key)))
        return 200, self._thread_json(pull)

    def _add_labels(self, call: Call, number: str) -> tuple[int, Any]:
        pull = self.pulls[int(number) - 1]
        names = call.data if isinstance(call.data, list) else call.data.get("labels", [])
        pull.labels = sorted(set(pull.labels) | set(names))
        return 200, self._thread_json(pull)["labels"]

    def _comment(self, call: Call, number: str) -> tuple[int, Any]:
        issue = self.issues[int(number) - 1001]
        issue.comments.append(call.data["body"])
        return 201, {"id": len(issue.comments), "body": call.data["body"]}

    def _list_issues(self, call: Call) -> tuple[int, Any]:
        wanted = set(call.query.get("labels", "").split(",")) - {""}
        state = call.query.get("state", "open")
        found = [i for i in self.issues if i.state == state and wanted <= set(i.labels)]
        return 200, [self._thread_json(i) for i in found]

    def _create_issue(self, call: Call) -> tuple[int, Any]:
        d = call.data
        issue = Pull(1001 + len(self.issues), "", "", d["title"], d.get("body") or "")
        issue.labels = list(d.get("labels", []))
        self.issues.append(issue)
        return 201, self._thread_json(issue)


@contextlib.contextmanager
def no_request_spacing() -> Iterator[None]:
    """PyGithub spaces its requests (0.25 s apart, writes 1 s apart) to respect GitHub's
    secondary rate limits; against the local GitHub that is only waiting, about 4 s per
    replayed night. The real client runs unchanged otherwise. A PyGithub release that
    renames the private method fails here loudly instead of slowing things quietly."""
    from github.Requester import Requester

    name = "_Requester__deferRequest"
    real = getattr(Requester, name)  # AttributeError if a release renamed it
    setattr(Requester, name, lambda self, verb: None)
    try:
        yield
    finally:
        setattr(Requester, name, real)
