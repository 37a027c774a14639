"""A small GitHub REST server on 127.0.0.1 for the real PyGithub client.

It keeps a repository's branches, files and pull requests in memory and implements the
endpoints the bot uses. Every response body starts from a real recording in
tests/fixtures/github_rest/ (repository, branch, git ref, contents, pull request,
labels, errors) with only the fields that carry state replaced, so PyGithub parses the
shapes GitHub really sends. GitHub's 422 body for a duplicate pull request has no REST
recording (fixtures/README.txt); it is the recorded 422 "Validation Failed" shape with
GitHub's documented message.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import copy
import hashlib
import http.server
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import FIXTURES as RECORDED

FIXTURES = RECORDED / "github_rest"


def _pygithub_records(name: str) -> list[tuple[str, str, int, dict[str, str], str]]:
    """(verb, path, status, headers, body) of each exchange in a PyGithub ReplayData file."""
    lines = (FIXTURES / "pygithub" / name).read_text(encoding="utf-8").split("\n")
    out = []
    i = 0
    while i + 9 < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        rec = lines[i : i + 10]
        headers = {k.lower(): v for k, v in ast.literal_eval(rec[8])}
        out.append((rec[1], rec[4], int(rec[7]), headers, rec[9]))
        i += 11
    return out


def _body(name: str, index: int) -> Any:
    return json.loads(_pygithub_records(name)[index][4])


def _decoded(name: str) -> Any:
    return json.loads((FIXTURES / "github3py" / "decoded" / name).read_text(encoding="utf-8"))


@dataclass
class Pull:
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
        self.owner = owner
        self.name = name
        self.base = base
        self.commits: dict[str, dict[str, str]] = {}
        self.branches: dict[str, str] = {base: self._commit(files)}
        self.pulls: list[Pull] = []
        self.issues: list[Pull] = []
        """Issues (the health issue); numbered from 1001 so they never meet a PR number."""
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.rate_limited_until: int | None = None
        self.missing = False
        self.lock = threading.Lock()
        self._templates = {
            "repo": _body("Repository.setUp.txt", 0),
            "branch": _body("Branch.setUp.txt", 4),
            "ref": _body("Repository.testCreateGitRef.txt", 0),
            "pull": _body("Repository.testCreatePull.txt", 0),
            "labels": _body("Issue.testAddAndRemoveLabels.txt", 6),
            "not_found": _body("Exceptions.testUnknownObject.txt", 1),
            "invalid": _body("Exceptions.testInvalidInput.txt", 0),
            "rate": _pygithub_records("SpecificExceptions.testRateLimitExceeded.txt")[1],
            "contents": _decoded(
                "Contents_update.2.GET.200.repos_github3py_delete_contents_contents_test.txt.json"
            ),
            "put": _decoded(
                "Contents_update.3.PUT.200.repos_github3py_delete_contents_contents_test.txt_ref_master.json"
            ),
        }
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, headers, body = fake.handle(
                    self.command, self.path, dict(self.headers), raw
                )
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # ------------------------------------------------------------ helpers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _commit(self, files: dict[str, str]) -> str:
        sha = hashlib.sha1(json.dumps([time.time_ns(), files]).encode()).hexdigest()
        self.commits[sha] = dict(files)
        return sha

    def file(self, branch: str, path: str) -> str:
        return self.commits[self.branches[branch]][path]

    def _localise(self, obj: Any) -> Any:
        text = json.dumps(obj)
        text = text.replace("https://api.github.com", self.url).replace(
            "https://github.com", self.url
        )
        return json.loads(text)

    @staticmethod
    def _blob(text: str) -> str:
        data = text.encode("utf-8", "surrogateescape")  # binary files are kept as escaped str
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    # ------------------------------------------------------------ test controls

    def maintainer_commit(self, branch: str, path: str, text: str) -> None:
        files = dict(self.commits[self.branches[branch]])
        files[path] = text
        self.branches[branch] = self._commit(files)

    def merge(self, number: int) -> None:
        pull = self.pulls[number - 1]
        head_files = self.commits[self.branches[pull.head]]
        self.branches[pull.base] = self._commit(head_files)
        pull.state, pull.merged = "closed", True

    def close(self, number: int) -> None:
        self.pulls[number - 1].state = "closed"

    # ------------------------------------------------------------ the API

    def _repo_json(self) -> Any:
        repo = copy.deepcopy(self._templates["repo"])
        full = f"{self.owner}/{self.name}"
        text = json.dumps(repo).replace("PyGithub/PyGithub", full)
        repo = json.loads(text)
        repo.update(name=self.name, full_name=full, default_branch=self.base)
        repo["owner"]["login"] = self.owner
        return self._localise(repo)

    def _pull_json(self, pull: Pull) -> Any:
        body = copy.deepcopy(self._templates["pull"])
        text = json.dumps(body).replace("jacquev6/PyGithub", f"{self.owner}/{self.name}")
        body = json.loads(text)
        base_url = f"https://api.github.com/repos/{self.owner}/{self.name}"
        body.update(
            number=pull.number,
            title=pull.title,
            body=pull.body,
            state=pull.state,
            merged=pull.merged,
            url=f"{base_url}/pulls/{pull.number}",
            html_url=f"https://github.com/{self.owner}/{self.name}/pull/{pull.number}",
            issue_url=f"{base_url}/issues/{pull.number}",
            labels=[
                {"name": n, "color": "ededed", "url": f"{base_url}/labels/{n}"} for n in pull.labels
            ],
        )
        body["head"].update(
            ref=pull.head, label=f"{self.owner}:{pull.head}", sha=self.branches.get(pull.head, "")
        )
        body["base"].update(
            ref=pull.base, label=f"{self.owner}:{pull.base}", sha=self.branches[pull.base]
        )
        body["head"]["repo"] = body["base"]["repo"] = self._repo_json()
        return self._localise(body)

    def _issue_json(self, issue: Pull) -> Any:
        body = self._pull_json(Pull(issue.number, self.base, self.base, issue.title, issue.body))
        base_url = f"{self.url}/repos/{self.owner}/{self.name}"
        body.update(
            url=f"{base_url}/issues/{issue.number}",
            html_url=f"{self.url}/{self.owner}/{self.name}/issues/{issue.number}",
            labels=[
                {"name": n, "color": "ededed", "url": f"{base_url}/labels/{n}"}
                for n in issue.labels
            ],
            state=issue.state,
        )
        for key in ("head", "base", "merged", "patch_url", "diff_url"):
            body.pop(key, None)
        return body

    def _ref_json(self, branch: str) -> Any:
        ref = copy.deepcopy(self._templates["ref"])
        ref["ref"] = f"refs/heads/{branch}"
        ref["url"] = (
            f"https://api.github.com/repos/{self.owner}/{self.name}/git/refs/heads/{branch}"
        )
        ref["object"]["sha"] = self.branches[branch]
        return self._localise(ref)

    def _contents_json(self, path: str, text: str) -> Any:
        body = copy.deepcopy(self._templates["contents"])
        body.update(
            name=path.rsplit("/", 1)[-1],
            path=path,
            sha=self._blob(text),
            size=len(text.encode("utf-8", "surrogateescape")),
            content=base64.encodebytes(text.encode("utf-8", "surrogateescape")).decode(),
            encoding="base64",
        )
        return self._localise(body)

    def _error(self, status: int, message: str | None = None) -> tuple[int, dict[str, str], Any]:
        if status == 404:
            return 404, {}, self._templates["not_found"]
        body = copy.deepcopy(self._templates["invalid"])
        body["errors"] = [{"resource": "PullRequest", "code": "custom", "message": message}]
        return status, {}, body

    def handle(
        self, verb: str, raw_path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.requests.append((verb, raw_path, headers, raw))
            if self.rate_limited_until is not None:
                _, _, _status, rec_headers, body = self._templates["rate"]
                return (
                    403,
                    {
                        "X-RateLimit-Limit": rec_headers.get("x-ratelimit-limit", "60"),
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": str(self.rate_limited_until),
                    },
                    json.loads(body),
                )
            parsed = urllib.parse.urlsplit(raw_path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
            path = urllib.parse.unquote(parsed.path)
            data = json.loads(raw) if raw else None
            prefix = f"/repos/{self.owner}/{self.name}"
            if self.missing or not path.startswith(prefix):
                return self._error(404)
            rest = path[len(prefix) :]
            return self._route(verb, rest, query, data)

    def _route(
        self, verb: str, rest: str, query: dict[str, str], data: Any
    ) -> tuple[int, dict[str, str], Any]:
        if verb == "GET" and rest == "":
            return 200, {}, self._repo_json()
        m = re.fullmatch(r"/branches/(.+)", rest)
        if verb == "GET" and m:
            name = m.group(1)
            if name not in self.branches:
                return self._error(404)
            body = copy.deepcopy(self._templates["branch"])
            body["name"] = name
            body["commit"]["sha"] = self.branches[name]
            return 200, {}, self._localise(body)
        m = re.fullmatch(r"/git/refs?/heads/(.+)", rest)
        if m and verb == "GET":
            return (
                (200, {}, self._ref_json(m.group(1)))
                if m.group(1) in self.branches
                else self._error(404)
            )
        if m and verb == "PATCH":
            self.branches[m.group(1)] = data["sha"]
            return 200, {}, self._ref_json(m.group(1))
        if rest == "/git/refs" and verb == "POST":
            branch = data["ref"].removeprefix("refs/heads/")
            if branch in self.branches:
                return self._error(422, "Reference already exists")
            self.branches[branch] = data["sha"]
            return 201, {}, self._ref_json(branch)
        m = re.fullmatch(r"/contents/(.+)", rest)
        if m and verb == "GET":
            branch = query.get("ref", self.base)
            files = self.commits.get(self.branches.get(branch, ""), {})
            if m.group(1) not in files:
                return self._error(404)
            return 200, {}, self._contents_json(m.group(1), files[m.group(1)])
        if m and verb == "PUT":
            path, branch = m.group(1), data.get("branch", self.base)
            current = self.commits[self.branches[branch]].get(path)
            if current is not None and data.get("sha") != self._blob(current):
                return 409, {}, {"message": f"{path} does not match {data.get('sha')}"}
            text = base64.b64decode(data["content"]).decode("utf-8", "surrogateescape")
            self.maintainer_commit(branch, path, text)
            body = copy.deepcopy(self._templates["put"])
            body["content"] = self._contents_json(path, text)
            body["commit"]["sha"] = self.branches[branch]
            return 200, {}, self._localise(body)
        if rest == "/pulls" and verb == "GET":
            pulls = [
                p for p in self.pulls
                if (query.get("state", "open") in ("all", p.state))
                and ("head" not in query or query["head"] == f"{self.owner}:{p.head}")
                and ("base" not in query or query["base"] == p.base)
            ]  # fmt: skip
            return 200, {}, [self._pull_json(p) for p in pulls]
        if rest == "/pulls" and verb == "POST":
            if any(p.state == "open" and p.head == data["head"] for p in self.pulls):
                return self._error(
                    422, f"A pull request already exists for {self.owner}:{data['head']}."
                )
            pull = Pull(
                len(self.pulls) + 1,
                data["head"],
                data["base"],
                data["title"],
                data.get("body") or "",
            )
            self.pulls.append(pull)
            return 201, {}, self._pull_json(pull)
        m = re.fullmatch(r"/pulls/(\d+)", rest)
        if m:
            pull = self.pulls[int(m.group(1)) - 1]
            if verb == "PATCH":
                for key in ("body", "title", "state"):
                    if key in data:
                        setattr(pull, key, data[key])
            return 200, {}, self._pull_json(pull)
        m = re.fullmatch(r"/issues/(\d+)/labels", rest)
        if m and verb == "POST":
            pull = self.pulls[int(m.group(1)) - 1]
            names = data if isinstance(data, list) else data.get("labels", [])
            pull.labels = sorted(set(pull.labels) | set(names))
            labels = self._templates["labels"][:1]
            return 200, {}, [self._localise(dict(labels[0], name=n)) for n in pull.labels]
        m = re.fullmatch(r"/issues/(\d+)/comments", rest)
        if m and verb == "POST":
            number = int(m.group(1))
            thread = self.issues[number - 1001] if number > 1000 else self.pulls[number - 1]
            thread.comments.append(data["body"])
            return 201, {}, {"id": len(thread.comments), "body": data["body"]}
        if rest == "/issues" and verb == "GET":
            wanted = set(query.get("labels", "").split(",")) - {""}
            found = [
                i
                for i in self.issues
                if i.state == query.get("state", "open") and wanted <= set(i.labels)
            ]
            return 200, {}, [self._issue_json(i) for i in found]
        if rest == "/issues" and verb == "POST":
            issue = Pull(1001 + len(self.issues), "", "", data["title"], data.get("body") or "",
                         labels=list(data.get("labels", [])))  # fmt: skip
            self.issues.append(issue)
            return 201, {}, self._issue_json(issue)
        return self._error(404)


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
