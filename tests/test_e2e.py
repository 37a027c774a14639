"""End to end: `hfm-bot run` with local arXiv, bioRxiv and GitHub servers on 127.0.0.1, the
real clients (arxiv, requests + feedparser, PyGithub) and the shipped model.

The arXiv API serves real papers of two judged announcement days (from labeled_data/),
in the Atom format of the recorded API pages (the fixture's feed header and entry shape);
bioRxiv's JSON is built from its documented format (no recording exists).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import xml.sax.saxutils as su
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from testsupport.fakegithub import FakeGitHub
from testsupport.localserver import LocalServer, Reply, serve

from hfm_bot import awesome_list, decisions
from hfm_bot.cli import main
from hfm_bot.proposing import keys_in
from tests.conftest import HEADINGS, LABELLED, REPO, SEED_LIST

TOKEN = "ghp_E2ETOKEN_not_a_real_one_0123456789"
BRANCH = "hfm-bot/new-papers"
DAYS = ("2025-06-05", "2025-06-26")


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    """Per day: the papers arXiv will serve, and the ones the bot must propose, chosen by the
    annotators' verdicts (the judged days in labeled_data), never by the model under test: the
    first five judged relevant papers of the day, and 25 judged irrelevant ones as noise."""
    with gzip.open(LABELLED, "rt", encoding="utf-8") as handle:
        judged = [r for r in map(json.loads, handle) if r.get("kind") == "judged"]
    out: dict[str, Any] = {}
    for day in DAYS:
        records = [r for r in judged if r["date"] == day]
        relevant = [r for r in records if r["relevant"]][:5]
        noise = [r for r in records if not r["relevant"]][:25]
        expected = {r["id"]: r["section"] for r in relevant}
        out[day] = {"served": relevant + noise, "expected": expected}
    assert all(len(out[d]["expected"]) == 5 for d in DAYS)
    return out


def _atom(records: list[dict[str, Any]], start: int) -> bytes:
    """An arXiv API page in the recorded format (fixtures/arxiv_api/arxivpy_2026). The
    judged papers keep id, date, title, abstract and categories: no authors or comment."""
    entries = []
    for r in records:
        cats = "".join(
            f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
            for c in r["categories"]
        )
        entries.append(
            f"""<entry><id>http://arxiv.org/abs/{r["id"]}v1</id>
<title>{su.escape(r["title"])}</title><updated>{r["date"]}T17:59:59Z</updated>
<link href="https://arxiv.org/abs/{r["id"]}v1" rel="alternate" type="text/html"/>
<summary>{su.escape(r["abstract"])}</summary>{cats}
<published>{r["date"]}T17:59:59Z</published>
<arxiv:primary_category term="{r["categories"][0]}"/></entry>"""
        )
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/e2e</id><title>arXiv Query</title>
  <updated>2025-06-05T00:00:00Z</updated>
  <link href="https://arxiv.org/api/query" type="application/atom+xml"/>
  <opensearch:itemsPerPage>{len(records)}</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(records) + start}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
  {"".join(entries)}
</feed>""".encode()


class Worlds:
    """The local arXiv and bioRxiv servers; what they serve is set per test."""

    def __init__(self, server: LocalServer, world: dict[str, Any]) -> None:
        self.server = server
        self.world = world
        self.arxiv_silent = False
        self.biorxiv_down = False
        server.route("/api/query", self.arxiv)

    def arxiv(self, query: dict[str, list[str]]) -> Reply:
        match = re.search(r"submittedDate:\[(\d{8})0000 TO (\d{8})2359\]", query["search_query"][0])
        assert match, query
        since, until = (
            dt.datetime.strptime(g, "%Y%m%d").date().isoformat() for g in match.groups()
        )
        start = int(query["start"][0])
        records = [] if self.arxiv_silent else [
            r for day in DAYS if since <= day <= until for r in self.world[day]["served"]
        ]  # fmt: skip
        return Reply(200, _atom(records[start:], start))


@pytest.fixture
def servers(world: dict[str, Any]) -> Iterator[tuple[Worlds, FakeGitHub]]:
    github = FakeGitHub(
        "maintainer", "awesome-hfm", {"README.md": SEED_LIST.read_text(encoding="utf-8")}
    )
    for server in serve():
        worlds = Worlds(server, world)

        def biorxiv(query: dict[str, list[str]], worlds: Worlds = worlds) -> Reply:
            if worlds.biorxiv_down:
                return Reply(503, b"Service Unavailable")
            return Reply(
                200,
                json.dumps({"messages": [{"status": "no posts found"}], "collection": []}).encode(),
            )

        for day in DAYS:
            server.route(f"/details/biorxiv/{day}/{day}/0", biorxiv)
        yield worlds, github
    github.stop()


@pytest.fixture
def bot(
    tmp_path: Path, servers: tuple[Worlds, FakeGitHub], monkeypatch: pytest.MonkeyPatch
) -> Path:
    worlds, github = servers
    cfg = (REPO / "hfm-bot.toml").read_text()
    cfg = cfg.replace(
        'repository = "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare"',
        f'repository = "maintainer/awesome-hfm"\napi_url = "{github.url}"',
    )
    cfg = cfg.replace('model_dir = "model"', f'model_dir = "{REPO / "model"}"')
    cfg = cfg.replace(
        "[sources]\n",
        f"""[sources]
arxiv_api_url = "{worlds.server.url}/api/query"
biorxiv_api_url = "{worlds.server.url}"
arxiv_delay_seconds = 0.0
timeout_seconds = 5.0
attempts = 2
backoff_seconds = 0.01
""",
    )
    cfg = cfg.replace(
        'medrxiv_subjects = ["health informatics", "radiology and imaging"]',
        "medrxiv_subjects = []",
    )
    (tmp_path / "hfm-bot.toml").write_text(cfg)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def night(day: str) -> int:
    return main(["--config", "hfm-bot.toml", "run", "--date", day])


def _sections_of(text: str, ids: dict[str, str]) -> dict[str, str]:
    doc = awesome_list.parse(text)
    return {e.keys.arxiv_id or "": e.section for e in doc.entries if e.keys.arxiv_id in ids}


def test_two_nights_a_rerun_and_a_rejection(
    bot: Path, servers: tuple[Worlds, FakeGitHub], world: dict[str, Any]
) -> None:
    _, github = servers
    first = world[DAYS[0]]["expected"]
    assert night(DAYS[0]) == 0
    assert len(github.pulls) == 1
    text = github.file(BRANCH, "README.md")
    assert _sections_of(text, first) == {i: HEADINGS[c] for i, c in first.items()}
    assert keys_in(github.pulls[0].body) == {f"arxiv:{i}" for i in first}  # no noise proposed
    # Night 2 adds to the same PR.
    second = world[DAYS[1]]["expected"]
    assert night(DAYS[1]) == 0
    assert len(github.pulls) == 1
    both = {**first, **second}
    assert _sections_of(github.file(BRANCH, "README.md"), both) == {
        i: HEADINGS[c] for i, c in both.items()
    }
    # The same night again changes nothing.
    head, body = github.branches[BRANCH], github.pulls[0].body
    assert night(DAYS[1]) == 0
    assert (github.branches[BRANCH], github.pulls[0].body) == (head, body)
    # A maintainer deletes one entry and merges; it never comes back.
    gone = next(iter(first))
    text = github.file(BRANCH, "README.md")
    line = next(ln for ln in text.split("\n") if f"abs/{gone})" in ln)
    github.maintainer_commit(BRANCH, "README.md", text.replace(line + "\n", ""))
    github.merge(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    status = {d.key: d.status for d in decisions.load(bot / "labeled_data" / "decisions.jsonl")}
    assert status[f"arxiv:{gone}"] == "rejected"
    assert night(DAYS[0]) == 0
    assert len(github.pulls) == 1  # nothing new: everything else is in the list now
    assert gone not in github.file("main", "README.md")


def test_a_heading_the_repositorys_list_lacks_is_refused_before_the_fetch(
    bot: Path, servers: tuple[Worlds, FakeGitHub], capsys: pytest.CaptureFixture[str]
) -> None:
    """A configured section whose heading the target's list lacks used to be found after the
    whole fetch and scoring (only once a paper was filed there); now exit 2 before any
    source is asked, naming the list where it was read and the configuration key."""
    worlds, github = servers
    config = bot / "hfm-bot.toml"
    config.write_text(config.read_text().replace('"MFM methods"', '"MFM approaches"'))
    assert night(DAYS[0]) == 2
    err = capsys.readouterr().err
    assert (
        "README.md on main of maintainer/awesome-hfm: no heading 'MFM approaches' in the list "
        "(named by sections.MFM in hfm-bot.toml)"
    ) in err
    assert worlds.server.requests == [] and github.pulls == []


def test_one_source_down_still_opens_the_pr_and_exits_1(
    bot: Path,
    servers: tuple[Worlds, FakeGitHub],
    world: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    worlds, github = servers
    worlds.biorxiv_down = True
    assert night(DAYS[0]) == 1
    assert len(github.pulls) == 1 and keys_in(github.pulls[0].body)
    err = capsys.readouterr().err
    assert "| biorxiv | failed: HTTP 503, after 2 tries" in err
    assert "pull request: " in err


def test_two_runs_at_once_make_one_pr(bot: Path, servers: tuple[Worlds, FakeGitHub]) -> None:
    _, github = servers
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    cmd = [sys.executable, "-m", "hfm_bot", "--config", "hfm-bot.toml", "run", "--date", DAYS[0]]
    procs = [
        subprocess.Popen(cmd, cwd=bot, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1].decode()[-2000:] for o in outcomes]
    assert len(github.pulls) == 1
    assert len(keys_in(github.pulls[0].body)) == len(
        {e.keys.arxiv_id for e in awesome_list.parse(github.file(BRANCH, "README.md")).entries}
        - {e.keys.arxiv_id for e in awesome_list.load(SEED_LIST).entries}
    )


def test_silent_arxiv_opens_one_health_issue(
    bot: Path, servers: tuple[Worlds, FakeGitHub], capsys: pytest.CaptureFixture[str]
) -> None:
    worlds, github = servers
    worlds.arxiv_silent = True
    for _ in range(2):
        assert night(DAYS[0]) == 0
    assert github.issues == []
    assert night(DAYS[0]) == 0
    assert len(github.issues) == 1 and github.issues[0].labels == ["hfm-bot-health"]
    assert "WARNING: the arXiv sources returned no papers" in capsys.readouterr().err
    assert night(DAYS[0]) == 0  # still silent: the same issue gets a comment
    assert len(github.issues) == 1 and len(github.issues[0].comments) == 1
    worlds.arxiv_silent = False
    assert night(DAYS[0]) == 0
    assert json.loads((bot / "labeled_data" / "state.json").read_text())["silent_runs"] == 0


def test_step_summary_in_actions(
    bot: Path, servers: tuple[Worlds, FakeGitHub], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = bot / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert night(DAYS[0]) == 0
    text = summary.read_text()
    assert text.startswith("## hfm-bot run (2025-06-05 to 2025-06-05)")
    assert "| arxiv | ok |" in text and "pull request: http://127.0.0.1:" in text
