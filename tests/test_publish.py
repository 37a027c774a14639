"""Proposing against a GitHub that runs here: the real PyGithub client, the real model, the
recorded arXiv days, and a local GitHub server (testsupport/fakegithub.py)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from testsupport.fakegithub import FakeGitHub, recorded

from hfm_bot import awesome_list, decisions
from hfm_bot.cli import main
from hfm_bot.paper import Origin
from hfm_bot.proposing import keys_in
from tests.conftest import HEADINGS, REPO, SEED_LIST, STREAM, decision, nights

TOKEN = "ghp_TESTTOKEN0123456789abcdefSECRET"
BRANCH = "hfm-bot/new-papers"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub(
        "maintainer", "awesome-hfm", {"README.md": SEED_LIST.read_text(encoding="utf-8")}
    )
    yield fake
    fake.stop()


@pytest.fixture
def workdir(tmp_path: Path, github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bot repository checkout: config pointing at the local GitHub, its own labeled_data."""
    shipped = (REPO / "hfm-bot.toml").read_text()
    cfg = shipped.replace(
        'repository = "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare"',
        f'repository = "maintainer/awesome-hfm"\napi_url = "{github.url}"',
    ).replace('model_dir = "model"', f'model_dir = "{REPO / "model"}"')
    (tmp_path / "hfm-bot.toml").write_text(cfg)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def night(day: str, *options: str, encoder: bool = False) -> int:
    """One replayed night. The encoder stage is left out unless asked for: these tests are
    about publishing, and the first night's test covers the PR body with both stages."""
    stage = [] if encoder else ["--no-encoder"]
    return main(
        ["--config", "hfm-bot.toml", *options, "run", *stage, "--source", f"replay:{nights()}",
         "--date", day]
    )  # fmt: skip


def _bot_lines(text: str) -> set[str]:
    seed = set(SEED_LIST.read_text(encoding="utf-8").split("\n"))
    return {line for line in text.split("\n") if line not in seed and line.strip()}


def test_first_night_opens_a_pr(workdir: Path, github: FakeGitHub) -> None:
    assert night("2025-06-05", encoder=True) == 0
    assert len(github.pulls) == 1
    pull = github.pulls[0]
    assert (pull.head, pull.base, pull.state) == (BRANCH, "main", "open")
    assert pull.labels == ["hfm-bot"]
    assert github.file("main", "README.md") == SEED_LIST.read_text(
        encoding="utf-8"
    )  # base untouched
    on_branch = github.file(BRANCH, "README.md")
    doc = awesome_list.parse(on_branch)
    seed = awesome_list.load(SEED_LIST)
    added = [e for e in doc.entries if e.raw not in {s.raw for s in seed.entries}]
    assert len(added) == len(keys_in(pull.body)) > 5
    assert {e.section for e in added} <= {
        "LFM methods",
        "VFM methods",
        "BFM methods",
        "MFM methods",
        "Related survey",
    }
    assert all(e.year == 2025 for e in added)
    memory = decisions.load(workdir / "labeled_data" / "decisions.jsonl")
    proposed = [d for d in memory if d.status == "proposed"]
    assert {d.key for d in proposed} == keys_in(pull.body) and all(d.pr == 1 for d in memory)
    misses = [d for d in memory if d.status == "near-miss"]  # remembered for their ticks
    assert {d.key for d in misses} == set(NEAR_MISS_LINE.findall(pull.body))
    assert len(proposed) + len(misses) == len(memory)
    state = json.loads((workdir / "labeled_data" / "state.json").read_text())
    assert state == {"watermarks": {"replay": "2025-06-05"}, "silent_runs": 0}
    # Both opinions per paper: the TF-IDF score with its top terms, and the encoder's score.
    assert "| paper | score | TF-IDF: score, top terms | encoder | section |" in pull.body
    rows = [line for line in pull.body.splitlines() if line.startswith("| [")]
    cells = r"\| .* \| [01]\.\d\d \| [01]\.\d\d: .+ \| ([01]\.\d\d|-) \| \w+ \([01]\.\d\d\) \|"
    matches = [re.fullmatch(cells, r) for r in rows]
    assert rows and all(matches)
    assert any(m.group(1) != "-" for m in matches if m)  # the encoder's opinion is shown
    # The night keeps a small seeded sample of what it fetched as the next retrain's background.
    import gzip

    kept = workdir / "labeled_data" / "background" / "2025-06-05.jsonl.gz"
    with gzip.open(kept, "rt") as handle:
        sample = [json.loads(line) for line in handle]
    shown = set(NEAR_MISS_LINE.findall(pull.body))
    assert 100 - len(shown) <= len(sample) <= 100 and len({r["id"] for r in sample}) == len(sample)
    assert not {f"arxiv:{r['id']}" for r in sample} & (keys_in(pull.body) | shown)
    assert all(r["date"] == "2025-06-05" and r["title"] for r in sample)
    before = kept.read_bytes()
    assert night("2025-06-05", encoder=True) == 0  # a rerun leaves the night's file as it was
    assert kept.read_bytes() == before


def test_the_cap_counts_the_open_pr_even_when_the_memory_is_lost(
    workdir: Path, github: FakeGitHub
) -> None:
    """max_entries holds for the PR as GitHub has it, not as decisions.jsonl remembers it."""
    base = ["--config", "hfm-bot.toml", "run", "--no-encoder", "--source", f"replay:{nights()}"]
    assert main([*base, "--date", "2025-06-05"]) == 0
    first = keys_in(github.pulls[0].body)
    assert 0 < len(first) <= 30
    (workdir / "labeled_data" / "decisions.jsonl").unlink()  # a lost memory
    assert main([*base, "--date", "2025-06-26", "--max-entries", str(len(first))]) == 0
    assert keys_in(github.pulls[0].body) == first  # full: tonight's papers wait


def test_second_night_adds_to_the_same_pr_and_a_rerun_changes_nothing(
    workdir: Path, github: FakeGitHub
) -> None:
    assert night("2025-06-05") == 0
    first_keys = keys_in(github.pulls[0].body)
    assert night("2025-06-26") == 0
    assert len(github.pulls) == 1
    both = keys_in(github.pulls[0].body)
    assert first_keys < both
    doc = awesome_list.parse(github.file(BRANCH, "README.md"))
    listed = {e.keys.arxiv_id for e in doc.entries}
    assert {k.removeprefix("arxiv:") for k in both} <= listed
    head = github.branches[BRANCH]
    body = github.pulls[0].body
    assert night("2025-06-26") == 0  # the same night again
    assert github.branches[BRANCH] == head and github.pulls[0].body == body
    assert len(github.pulls) == 1


def test_maintainer_commit_is_kept(workdir: Path, github: FakeGitHub) -> None:
    assert night("2025-06-05") == 0
    text = github.file(BRANCH, "README.md")
    bot_lines = sorted(_bot_lines(text))
    dropped = next(
        line for line in bot_lines if line.startswith("- [") and "arxiv.org/abs/" in line
    )
    mine = "- [Nature] A maintainer's own addition. [[Paper]](https://www.nature.com/articles/s41586-099-00001-x)"
    edited = text.replace(dropped + "\n", "").replace(
        "## LFM methods\n**2025**\n", f"## LFM methods\n**2025**\n{mine}\n"
    )
    github.maintainer_commit(BRANCH, "README.md", edited)
    assert night("2025-06-26") == 0
    after = github.file(BRANCH, "README.md")
    assert mine in after  # their work stays
    assert dropped not in after  # what they deleted does not come back
    before_lines = edited.split("\n")
    it = iter(after.split("\n"))
    assert all(any(line == x for x in it) for line in before_lines)  # only lines were added


def test_merge_with_a_deleted_entry_then_sync(workdir: Path, github: FakeGitHub) -> None:
    assert night("2025-06-05") == 0
    text = github.file(BRANCH, "README.md")
    line = next(ln for ln in text.split("\n") if ln.startswith("- [") and ln in _bot_lines(text))
    rejected_id = line.split("arxiv.org/abs/")[1].split(")")[0]
    github.maintainer_commit(BRANCH, "README.md", text.replace(line + "\n", ""))
    github.merge(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    memory = {d.key: d for d in decisions.load(workdir / "labeled_data" / "decisions.jsonl")}
    assert memory[f"arxiv:{rejected_id}"].status == "rejected"
    others = [
        d for k, d in memory.items() if k != f"arxiv:{rejected_id}" and d.status != "near-miss"
    ]
    assert others and all(d.status == "accepted" for d in others)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0  # idempotent
    assert {
        d.key: d.status for d in decisions.load(workdir / "labeled_data" / "decisions.jsonl")
    } == {k: d.status for k, d in memory.items()}
    # The next night opens a new PR from a reset branch; the rejected paper never returns.
    assert night("2025-06-05") == 0
    assert night("2025-06-26") == 0
    assert len(github.pulls) == 2
    assert f"arxiv:{rejected_id}" not in keys_in(github.pulls[1].body)
    assert rejected_id not in github.file(BRANCH, "README.md")


def test_recategorised_entry_is_learned(workdir: Path, github: FakeGitHub) -> None:
    assert night("2025-06-05") == 0
    text = github.file(BRANCH, "README.md")
    doc = awesome_list.parse(text)
    entry = next(e for e in doc.entries if e.section == "LFM methods" and e.raw in _bot_lines(text))
    moved = text.replace(entry.raw + "\n", "").replace(
        "## MFM methods\n", f"## MFM methods\n{entry.raw}\n"
    )
    github.maintainer_commit(BRANCH, "README.md", moved)
    github.merge(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    memory = {d.key: d for d in decisions.load(workdir / "labeled_data" / "decisions.jsonl")}
    record = memory[f"arxiv:{entry.keys.arxiv_id}"]
    assert (record.status, record.proposed_section, record.section) == ("accepted", "LFM", "MFM")


def test_closed_unmerged_rejects_all(workdir: Path, github: FakeGitHub) -> None:
    assert night("2025-06-05") == 0
    github.close(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    memory = decisions.load(workdir / "labeled_data" / "decisions.jsonl")
    proposed = [d for d in memory if d.status != "near-miss"]  # near misses teach nothing
    assert proposed and all(d.status == "rejected" for d in proposed)


NEAR_MISS_LINE = re.compile(r"^- \[ \] .*<!-- hfm-bot:near-miss (\S+) -->$", re.M)


def _more_near_misses(workdir: Path) -> None:
    """A higher threshold, so a night has several near misses to tick (the shipped TF-IDF
    threshold leaves one or two on 2025-06-05)."""
    config = workdir / "hfm-bot.toml"
    config.write_text(
        config.read_text().replace('model_dir = "', 'threshold = 0.5\nmodel_dir = "', 1)
    )


def _tick(body: str, key: str) -> str:
    line = next(m.group(0) for m in NEAR_MISS_LINE.finditer(body) if m.group(1) == key)
    return body.replace(line, line.replace("- [ ]", "- [x]", 1))


def test_a_ticked_near_miss_is_added_next_night_in_its_section_and_learned(
    workdir: Path, github: FakeGitHub
) -> None:
    _more_near_misses(workdir)
    assert night("2025-06-05") == 0
    body = github.pulls[0].body
    shown = NEAR_MISS_LINE.findall(body)
    assert 0 < len(shown) <= 5 and "Just below the threshold (0.50)" in body
    assert "Closing this pull request without merging rejects every paper" in body
    assert "tick one to accept it" in body
    memory = {d.key: d for d in decisions.load(workdir / "labeled_data/decisions.jsonl")}
    assert {memory[k].status for k in shown} == {"near-miss"}
    key = shown[0]
    section = memory[key].section
    github.pulls[0].body = _tick(body, key)  # the maintainer ticks the first box
    assert night("2025-06-26") == 0
    assert key in keys_in(github.pulls[0].body)  # proposed now, whatever its score
    doc = awesome_list.parse(github.file(BRANCH, "README.md"))
    entry = doc.find(memory[key].paper.keys)
    assert isinstance(entry, awesome_list.Entry) and entry.section == HEADINGS[section]
    assert key not in NEAR_MISS_LINE.findall(github.pulls[0].body)
    github.merge(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    record = {d.key: d for d in decisions.load(workdir / "labeled_data/decisions.jsonl")}[key]
    assert (record.status, record.section) == ("accepted", section)


def test_sync_reads_a_hand_edited_description_and_invents_nothing(
    workdir: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lines reordered and deleted, a box ticked twice, a ticked line whose key was edited
    away, the proposed marker removed: what can be read counts, the rest is reported."""
    _more_near_misses(workdir)
    assert night("2025-06-05") == 0
    body = github.pulls[0].body
    shown = NEAR_MISS_LINE.findall(body)
    assert len(shown) >= 2
    lines = [ln for ln in body.split("\n") if not ln.startswith("**How to act")]  # deleted
    misses = [ln for ln in lines if NEAR_MISS_LINE.match(ln)]
    ticked = _tick(misses[0], shown[0])
    keyless = _tick(misses[1], shown[1]).split(" <!--")[0]
    edited = [ln for ln in lines if not NEAR_MISS_LINE.match(ln) and "hfm-bot:proposed" not in ln]
    edited += [keyless, ticked, ticked, "- [x] a line a maintainer typed"]  # reordered, twice
    github.pulls[0].body = "\n".join(edited)  # any other near miss deleted
    github.merge(1)
    before = {d.key: d for d in decisions.load(workdir / "labeled_data/decisions.jsonl")}
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    err = capsys.readouterr().err
    assert "PR #1: its hidden hfm-bot:proposed marker is gone" in err
    assert err.count("a ticked line without its hidden key") == 2
    assert "1 near misses ticked" in err
    after = {d.key: d for d in decisions.load(workdir / "labeled_data/decisions.jsonl")}
    assert after.keys() == before.keys()  # no record invented
    assert after[shown[0]].status == "ticked"
    assert all(after[k].status == "near-miss" for k in shown[1:])
    proposed = [k for k, d in before.items() if d.status == "proposed"]
    assert proposed and all(after[k].status == "accepted" for k in proposed)  # from memory


def test_a_ticked_paper_already_in_the_list_is_not_proposed_again(
    workdir: Path, github: FakeGitHub
) -> None:
    assert night("2025-06-05") == 0
    body = github.pulls[0].body
    key = NEAR_MISS_LINE.findall(body)[0]
    github.pulls[0].body = _tick(body, key)
    # The maintainer also added it by hand, in their own words.
    arxiv_id = key.split(":", 1)[1]
    text = github.file(BRANCH, "README.md")
    text = text.replace(
        "## LFM methods\n",
        f"## LFM methods\n- Added by hand [[Paper]](https://arxiv.org/abs/{arxiv_id})\n",
        1,
    )
    github.maintainer_commit(BRANCH, "README.md", text)
    assert night("2025-06-26") == 0
    assert github.file(BRANCH, "README.md").count(f"abs/{arxiv_id}") == 1
    assert key not in keys_in(github.pulls[0].body)


def _publisher(github: FakeGitHub) -> Any:
    from github import Auth, Github

    from hfm_bot.publishing.github import GitHubPublisher

    repo = Github(base_url=github.url, auth=Auth.Token(TOKEN), retry=None).get_repo(
        "maintainer/awesome-hfm"
    )
    return GitHubPublisher(repo, list_path="README.md", base_branch="main", branch=BRANCH)


def _change(text: str, body: str) -> Any:
    from hfm_bot.paper import Paper
    from hfm_bot.prediction import Prediction
    from hfm_bot.proposing import Change
    from hfm_bot.render import Proposal

    paper = Paper(id="2506.00001", source=Origin.ARXIV, title="T")
    added = (
        Proposal(
            paper,
            Prediction("2506.00001", 0.9, True, "LFM", (("LFM", 1.0),), ()),
            "LFM",
            "LFM methods",
        ),
    )
    return Change(text, text + "\n", added, (), (), 0, body, ("arxiv:2506.00001",))


def test_pr_created_between_look_and_create_gets_422_and_is_updated(
    workdir: Path, github: FakeGitHub
) -> None:
    from testsupport.fakegithub import Pull

    publisher = _publisher(github)
    target = publisher.target()
    assert target.pr_number is None
    original = publisher._prepare_branch

    def racing_prepare() -> str:
        sha = str(original())
        github.pulls.append(Pull(1, BRANCH, "main", "t", "the other run's body"))
        return sha

    publisher._prepare_branch = racing_prepare
    change = _change(target.text, "<!-- hfm-bot:proposed arxiv:1 -->")
    published = publisher.publish(target, change)
    assert published.number == 1 and published.where.endswith("/pull/1")
    assert len(github.pulls) == 1
    assert github.pulls[0].body == change.body  # the 422 was answered by updating that PR


def test_conflict_is_retried_from_a_fresh_read(workdir: Path, github: FakeGitHub) -> None:
    from testsupport.fakegithub import Pull

    from hfm_bot import pipeline
    from hfm_bot.publishing import Target

    publisher = _publisher(github)
    stale = publisher.target()
    # Another run has meanwhile opened the PR on the branch.
    github.branches[BRANCH] = github.branches["main"]
    github.pulls.append(Pull(1, BRANCH, "main", "t", "<!-- hfm-bot:proposed arxiv:0 -->"))
    reads = iter([stale])
    fresh_target = publisher.target

    def target() -> Target:
        stale_or_none: Target | None = next(reads, None)
        return stale_or_none or fresh_target()

    publisher.target = target
    seen: list[int | None] = []

    def plan_change(*, target: Target, doc: Any, memory: Any) -> Any:
        seen.append(target.pr_number)
        return _change(target.text, "<!-- hfm-bot:proposed arxiv:0 arxiv:1 -->")

    proposed = pipeline.publish_night(publisher, [], dt.date(2025, 6, 5), plan_change)
    assert seen == [None, 1]  # planned again against the open PR
    assert len(github.pulls) == 1 and github.pulls[0].body == proposed.change.body
    assert proposed.published is not None and proposed.published.number == 1


def test_rate_limit_stops_cleanly(
    workdir: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    reset = str(int(time.time()) + 1800)  # the recording's reset time lies in 2013
    rate_limit = recorded("SpecificExceptions.testRateLimitExceeded.txt", 1)
    github.outage = replace(rate_limit, headers={**rate_limit.headers, "x-ratelimit-reset": reset})
    assert night("2025-06-05") == 1
    err = capsys.readouterr().err
    assert "rate limit" in err and "retry after" in err and "Traceback" not in err
    assert not (workdir / "labeled_data" / "decisions.jsonl").exists()


def test_missing_repository(
    workdir: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    github.outage = recorded("Exceptions.testUnknownObject.txt", 1)
    assert night("2025-06-05") == 1
    assert "not found" in capsys.readouterr().err


def test_token_never_leaks(
    workdir: Path,
    github: FakeGitHub,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    assert night("2025-06-05", "-v", "-v") == 0
    github.close(1)
    assert main(["--config", "hfm-bot.toml", "sync"]) == 0
    out = capsys.readouterr()
    assert TOKEN not in out.out and TOKEN not in out.err
    assert TOKEN not in caplog.text
    for path in workdir.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert all(TOKEN not in p.body for p in github.pulls)
    assert all(TOKEN.encode() not in r.body for r in github.requests)  # not in any body
    assert any(TOKEN in r.headers.get("Authorization", "") for r in github.requests)  # only auth


def test_a_run_is_dry_only_when_asked(
    workdir: Path, github: FakeGitHub, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A missing or expired secret fails the scheduled run (exit 1, naming it) instead of
    turning it into a green dry run; usage mistakes stop before any fetch (exit 2)."""
    monkeypatch.delenv("GITHUB_TOKEN")
    assert night("2025-06-05") == 1
    assert "GITHUB_TOKEN is not set" in capsys.readouterr().err
    assert not github.pulls and not (workdir / "labeled_data").exists()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    for options, message in [
        (["--list", str(SEED_LIST)], "add --dry-run"),
        (["--max-entries", "0"], "--max-entries must be at least 1, not 0"),
        (["--max-entries", "-5"], "--max-entries must be at least 1, not -5"),
        (["--since", "2025-06-01"], "--date names one day"),
        (["--date", future], "is in the future"),
    ]:
        args = ["--config", "hfm-bot.toml", "run", "--source", f"replay:{nights()}"]
        if "--date" not in options:
            args += ["--date", "2025-06-05"]
        assert main([*args, *options]) == 2, options
        assert message in capsys.readouterr().err
    assert not github.requests  # nothing was fetched or asked of GitHub


def test_dry_run_writes_the_folder_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    out = tmp_path / "out"
    code = main(
        ["--config", str(REPO / "hfm-bot.toml"), "run", "--dry-run", "--source",
         f"replay:{nights()}", "--date", "2025-06-05", "--list", str(SEED_LIST), "--output",
         str(out)]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("--- a/README.md\n+++ b/README.md\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md",
        "changes.diff",
        "pr-body.md",
        "proposals.jsonl",
    ]
    assert (out / "changes.diff").read_text() == printed.out
    proposals = [json.loads(line) for line in (out / "proposals.jsonl").read_text().splitlines()]
    assert proposals and all(p["url"].startswith("https://arxiv.org/abs/") for p in proposals)
    edited = (out / "README.md").read_text()
    assert all(p["id"] in edited for p in proposals)
    assert keys_in((out / "pr-body.md").read_text()) == {p["key"] for p in proposals}
    assert not (tmp_path / "labeled_data").exists()  # no memory or watermark written
    assert "proposed:" in printed.err and "dry run written to" in printed.err


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("output-is-a-file", "--output OUT: is a file, not a folder"),
        ("output-under-a-file", "is a file, not a folder"),
        ("template-syntax", "templates/entry.md.j2:1: Encountered unknown tag 'endif'"),
        ("template-two-lines", "entry.md.j2: must render one line"),
        ("template-no-link", "a new entry must be a list item with a [[Paper]] link"),
        ("template-undefined", "pr_body.md.j2: 'nothing' is undefined"),
        (
            "heading-missing",  # it used to be found after the fetch, and named README.md
            f"{SEED_LIST}: no heading 'VFM approaches' in the list (named by sections.VFM in "
            "CONFIG)",
        ),
    ],
)
def test_what_would_fail_after_the_fetch_is_refused_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    setup: str, message: str,
) -> None:  # fmt: skip
    """An unwritable --output or a broken template used to fail with a traceback after the
    whole fetch; now it is exit 2 naming the file, and no source is read."""
    from hfm_bot.sources.replay import ReplaySource

    def no_fetch(*_: object) -> None:
        raise AssertionError("fetched before the checks")

    monkeypatch.setattr(ReplaySource, "fetch", no_fetch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    templates.mkdir()
    shipped = (REPO / "hfm-bot.toml").read_text()
    config = tmp_path / "hfm-bot.toml"
    config.write_text(
        shipped.replace('model_dir = "model"', f'model_dir = "{REPO / "model"}"').replace(
            "[proposing]\n", f'[proposing]\ntemplates_dir = "{templates}"\n'
        )
    )
    if setup == "output-is-a-file":
        out.write_text("not a folder")
    elif setup == "output-under-a-file":
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "out"
    elif setup == "template-syntax":
        (templates / "entry.md.j2").write_text("- {{ title }} }}{% endif %}\n")
    elif setup == "template-two-lines":
        (templates / "entry.md.j2").write_text("- {{ title }}\n- [[Paper]]({{ url }})\n")
    elif setup == "template-no-link":
        (templates / "entry.md.j2").write_text("- {{ title }} <{{ url }}>\n")
    elif setup == "template-undefined":
        (templates / "pr_body.md.j2").write_text("{{ marker }}\n{{ nothing }}\n")
    elif setup == "heading-missing":
        config.write_text(config.read_text().replace('"VFM methods"', '"VFM approaches"'))
    code = main(
        ["--config", str(config), "run", "--dry-run", "--no-encoder", "--source",
         f"replay:{nights()}", "--date", "2025-06-05", "--list", str(SEED_LIST),
         "--output", str(out)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert message.replace("OUT", str(out)).replace("CONFIG", str(config)) in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "labeled_data").exists()


def test_a_remembered_medrxiv_paper_keeps_its_medrxiv_link(tmp_path: Path) -> None:
    """Earlier nights' proposals are rebuilt from the memory for the PR body."""
    record = decisions.Decision(
        key="doi:10.1101/2025.06.01.25328000",
        id="doi:10.1101/2025.06.01.25328000",
        title="A clinical language model",
        abstract="",
        section="LFM",
        proposed_section="LFM",
        score=0.9,
        status=decisions.Status.PROPOSED,
        pr=1,
        proposed_on="2025-06-02",
        source=Origin.MEDRXIV,
    )
    memory = tmp_path / "decisions.jsonl"
    decisions.save(memory, [record])
    (again,) = decisions.load(memory)
    assert again.paper.url == "https://www.medrxiv.org/content/10.1101/2025.06.01.25328000"
    old = json.loads(record.to_json())
    del old["source"]  # a record written before the source was kept
    memory.write_text(json.dumps(old) + "\n")
    (legacy,) = decisions.load(memory)
    assert legacy.paper.url.startswith("https://www.biorxiv.org/")


def test_a_dry_run_names_the_list_by_its_configured_path(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = workdir / "hfm-bot.toml"
    config.write_text(
        config.read_text().replace('list_path = "README.md"', 'list_path = "docs/papers.md"')
    )
    out = workdir / "out"
    code = main(
        ["--config", str(config), "run", "--dry-run", "--source", f"replay:{nights()}",
         "--date", "2025-06-05", "--list", str(SEED_LIST), "--output", str(out)]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.startswith("--- a/docs/papers.md\n+++ b/docs/papers.md\n")
    assert (out / "papers.md").read_text() != SEED_LIST.read_text()
    assert not (out / "README.md").exists()


@pytest.mark.benchmark
def test_backfill_in_slices_caps_the_pr_and_keeps_the_rest_waiting(
    workdir: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three weeks of papers: the TF-IDF stage alone keeps this test about slicing and the cap
    # (the encoder stage's own tests are in test_encoder.py and the nightly tests above).
    base = ["--config", "hfm-bot.toml", "run", "--no-encoder", "--source", f"replay:{STREAM}"]
    assert (
        main([*base, "--since", "2025-06-01", "--until", "2025-06-21", "--max-entries", "5"]) == 0
    )
    err = capsys.readouterr().err
    assert "1/3 2025-06-01..2025-06-07:" in err and "3/3 2025-06-15..2025-06-21:" in err
    assert "waiting for the next PR (cap reached)" in err
    assert len(keys_in(github.pulls[0].body)) == 5
    waiting = [
        json.loads(line)
        for line in (workdir / "labeled_data/waiting.jsonl").read_text().splitlines()
    ]
    assert len(waiting) > 5
    state = json.loads((workdir / "labeled_data/state.json").read_text())
    assert state["watermarks"] == {"replay": "2025-06-21"}
    # The next run proposes the best of the waiting papers first, into the same PR.
    assert main([*base, "--date", "2025-06-22", "--max-entries", "8"]) == 0
    keys = keys_in(github.pulls[0].body)
    assert len(keys) == 8 and {f"arxiv:{w['id']}" for w in waiting[:3]} <= keys
    after = [
        json.loads(line)
        for line in (workdir / "labeled_data/waiting.jsonl").read_text().splitlines()
    ]
    assert len(after) == len(waiting) - 3


def test_an_interrupted_backfill_resumes_with_the_same_command(
    workdir: Path, github: FakeGitHub, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The same --since continues after the last slice done (it used to start over);
    --restart walks the whole window again."""
    from hfm_bot.sources.replay import ReplaySource

    real_fetch = ReplaySource.fetch
    asked: list[tuple[str, str]] = []

    def fetch(self: ReplaySource, window: Any) -> Any:
        asked.append((window.since.isoformat(), window.until.isoformat()))
        if len(asked) == 2 and interrupt:
            raise KeyboardInterrupt  # Ctrl-C, or the runner cancelled, in the second slice
        return real_fetch(self, window)

    monkeypatch.setattr(ReplaySource, "fetch", fetch)
    command = ["--config", "hfm-bot.toml", "run", "--no-encoder", "--source",
               f"replay:{nights()}", "--since", "2025-06-01", "--until", "2025-06-26"]  # fmt: skip
    interrupt = True
    assert main(command) == 130
    assert asked == [("2025-06-01", "2025-06-07"), ("2025-06-08", "2025-06-14")]
    state = json.loads((workdir / "labeled_data/state.json").read_text())
    assert state["backfill"] == {"since": "2025-06-01", "done": "2025-06-07"}
    interrupt, asked[:] = False, []
    capsys.readouterr()
    assert main(command) == 0
    assert "resuming the backfill from 2025-06-01 at 2025-06-08" in capsys.readouterr().err
    assert asked[0] == ("2025-06-08", "2025-06-14") and asked[-1][1] == "2025-06-26"
    state = json.loads((workdir / "labeled_data/state.json").read_text())
    assert state["backfill"] == {"since": "2025-06-01", "done": "2025-06-26"}
    asked.clear()
    assert main(command) == 0  # all done: nothing is fetched again
    assert "nothing left to fetch" in capsys.readouterr().err and asked == []
    assert main([*command, "--restart"]) == 0
    assert asked[0] == ("2025-06-01", "2025-06-07")
    assert main(["--config", "hfm-bot.toml", "run", "--restart", "--date", "2025-06-05"]) == 2


def test_a_local_list_is_only_for_a_dry_run(workdir: Path, github: FakeGitHub) -> None:
    """A local list has no branch to write to: without --dry-run that is a usage error
    (it used to become a dry run silently), with it the folder is written and no PR."""
    out = workdir / "out"
    base = [
        "--config",
        "hfm-bot.toml",
        "run",
        "--source",
        f"replay:{nights()}",
        "--date",
        "2025-06-05",
    ]
    assert main([*base, "--list", str(SEED_LIST), "--output", str(out)]) == 2  # token is set
    assert not out.exists()
    assert main([*base, "--dry-run", "--list", str(SEED_LIST.parent), "--output", str(out)]) == 2
    assert main([*base, "--dry-run", "--list", str(SEED_LIST), "--output", str(out)]) == 0
    assert (out / "pr-body.md").exists() and github.pulls == []


def test_sync_needs_only_the_pull_request_history(tmp_path: Path) -> None:
    """`pipeline.sync` is typed to the `PullRequestHistory` protocol, not to GitHub's
    publisher: a history made of plain values (closed pulls and the list's text) settles the
    decisions the same way. A merged PR's paper still listed is accepted in the section it
    ended in; one deleted before the merge, and any of a PR closed unmerged, are rejected."""
    from dataclasses import dataclass as plain

    from hfm_bot import config, pipeline
    from hfm_bot.proposing import marker

    text = SEED_LIST.read_text(encoding="utf-8")
    doc = awesome_list.parse(text)
    settings = config.load(REPO / "hfm-bot.toml")
    listed = next(e for e in doc.entries if e.keys.arxiv_id and settings.label_for(e.section_path))
    label = settings.label_for(listed.section_path)
    other = "VFM" if label != "VFM" else "LFM"
    assert listed.keys.arxiv_id is not None and label is not None
    kept = decision(listed.keys.arxiv_id, listed.title, "proposed", other)
    deleted = decision("2601.99999", "A paper the maintainer deleted", "proposed", other)
    unmerged = replace(decision("2601.99998", "A paper of a closed PR", "proposed", other), pr=2)

    @plain(frozen=True)
    class Pull:
        number: int
        body: str | None
        merged: bool

    @plain(frozen=True)
    class History:
        pulls: tuple[Pull, ...]

        def closed_prs(self) -> tuple[Pull, ...]:
            return self.pulls

        def read_list(self, ref: str) -> tuple[str, str]:
            assert ref == settings.base_branch
            return text, "sha"

    history = History(
        (Pull(1, marker([kept.key, deleted.key]), True), Pull(2, marker([unmerged.key]), False))
    )
    report = pipeline.sync(history, settings, [kept, deleted, unmerged], dt.date(2026, 1, 3))
    assert (report.accepted, report.rejected, report.ticked, report.problems) == (1, 2, 0, ())
    status = {d.key: (d.status, d.section) for d in report.memory}
    assert status[kept.key] == (decisions.Status.ACCEPTED, label)
    assert status[deleted.key][0] is status[unmerged.key][0] is decisions.Status.REJECTED
