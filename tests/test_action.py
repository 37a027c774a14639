"""The one-file route: `hfm-bot action nightly|retrain` (what action.yml runs) against the local
GitHub, the real PyGithub client and the recorded nights. The bot's state lives on its own
branch of the list's repository and moves only by fast-forward; the default branch changes
only through the bot's pull request; a retrain is a pull request of model/ alone against the
state branch."""

from __future__ import annotations

import functools
import gzip
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from testsupport.fakegithub import FakeGitHub

from hfm_bot import cli
from hfm_bot.cli import main
from hfm_bot.proposing import keys_in
from hfm_bot.publishing import PublishConflict, state_branch
from tests.conftest import BACKGROUND_SEED, REPO, SEED_LIST, nights, small_training_table

TOKEN = "ghs_TESTTOKEN0123456789abcdefACTION"
STATE = "hfm-bot/state"
REF = f"/git/refs/heads/{STATE}"


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """An empty list repository (its README only) and the environment a workflow run has."""
    fake = FakeGitHub(
        "maintainer", "awesome-hfm", {"README.md": SEED_LIST.read_text(encoding="utf-8")}
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", "maintainer/awesome-hfm")
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    monkeypatch.delenv("HFM_BOT_STATE_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    yield fake
    fake.stop()


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def state_files(github: FakeGitHub) -> dict[str, str]:
    """What a maintainer commits to the state branch to configure the bot: the configuration
    (the shipped one, pointed at this repository), the list's labels, a small background and
    the shipped model (what `hfm-bot init` makes, once it exists)."""
    cfg = (
        (REPO / "hfm-bot.toml")
        .read_text()
        .replace(
            'repository = "YutingHe-list/Awesome-Foundation-Models-for-Advancing-Healthcare"',
            f'repository = "maintainer/awesome-hfm"\napi_url = "{github.url}"',
        )
    )
    with gzip.open(BACKGROUND_SEED, "rt", encoding="utf-8") as handle:
        lines = [line for _, line in zip(range(400), handle, strict=False)]
    background = gzip.compress("".join(lines).encode(), mtime=0)
    files = {
        "hfm-bot.toml": cfg + small_training_table(),  # a retrain here checks the PR, not figures
        "labeled_data/list.jsonl": _text(REPO / "labeled_data" / "list.jsonl"),
        "labeled_data/background/seed.jsonl.gz": background.decode("utf-8", "surrogateescape"),
    }
    for path in sorted((REPO / "model").iterdir()):
        files[f"model/{path.name}"] = _text(path)
    return files


def nightly(day: str, *extra: str) -> int:
    source = f"replay:{nights()}"
    return main(["action", "nightly", "--no-encoder", "--source", source, "--date", day, *extra])


def changed(github: FakeGitHub, old: str, new: str) -> set[str]:
    a, b = github.commits[old], github.commits[new]
    return {p for p in set(a) | set(b) if a.get(p) != b.get(p)}


def test_from_an_empty_list_repository_to_two_nights_and_a_retrain(
    github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = github.file("main", "README.md")

    # First run, nothing configured, no `hfm-bot init` in this build: a usage error saying
    # what to put where, and nothing written anywhere.
    monkeypatch.setattr(cli, "_has_command", lambda name: False)
    assert nightly("2025-06-05") == 2
    err = capsys.readouterr().err
    assert "configuration required: maintainer/awesome-hfm@hfm-bot/state has no hfm-bot.toml" in err
    assert "to the branch hfm-bot/state" in err
    assert set(github.branches) == {"main"} and not github.pulls

    # The maintainer commits the configuration to the state branch (one push).
    configured = github.push(STATE, state_files(github))

    # Night 1: the list PR is opened against the default branch; the night's memory is one
    # fast-forward commit on the state branch, touching labeled_data/ alone.
    assert nightly("2025-06-05") == 0
    assert len(github.pulls) == 1
    pull = github.pulls[0]
    assert (pull.head, pull.base, pull.state) == ("hfm-bot/new-papers", "main", "open")
    first = keys_in(pull.body)
    assert len(first) > 5
    assert github.file("main", "README.md") == readme and len(github.history("main")) == 1
    night1 = github.branches[STATE]
    assert github.parents[night1] == [configured]
    written = changed(github, configured, night1)
    assert "labeled_data/decisions.jsonl" in written
    assert "labeled_data/state.json" in written
    assert "labeled_data/background/2025-06-05.jsonl.gz" in written
    assert all(p.startswith("labeled_data/") for p in written)
    state = json.loads(github.file(STATE, "labeled_data/state.json"))
    assert state["watermarks"] == {"replay": "2025-06-05"}
    assert "state committed to maintainer/awesome-hfm@hfm-bot/state" in capsys.readouterr().err

    # Between the nights a maintainer pushes to the default branch, and to the state branch
    # just before the bot moves it: the bot's update is refused (not a fast forward), and
    # it lays its files on top of theirs instead of forcing.
    github.push("main", {"CONTRIBUTING.md": "Be kind.\n"})
    main_head = github.branches["main"]
    tuned = github.file(STATE, "hfm-bot.toml").replace("max_entries = 30", "max_entries = 40")
    pushed: list[str] = []
    github.before("PATCH", REF, lambda: pushed.append(github.push(STATE, {"hfm-bot.toml": tuned})))
    # The bot backs off before it tries again (a real run sleeps; here the pause is noted).
    pauses: list[float] = []
    monkeypatch.setattr(
        state_branch,
        "StateBranch",
        functools.partial(state_branch.StateBranch, pause=pauses.append),
    )
    assert nightly("2025-06-26") == 0
    assert pauses == [2.0]
    night2 = github.branches[STATE]
    assert pushed and github.parents[night2] == pushed  # on top of the maintainer's commit
    assert github.parents[pushed[0]] == [night1]
    assert github.file(STATE, "hfm-bot.toml") == tuned  # their edit kept
    patches = [r for r in github.requests if r.verb == "PATCH" and r.path.endswith(REF)]
    assert len(patches) == 3  # night 1; night 2 refused once, then on top
    assert all(json.loads(r.body)["force"] is False for r in patches)
    assert len(github.pulls) == 1 and keys_in(github.pulls[0].body) > first
    assert github.branches["main"] == main_head  # the default branch: only the maintainer's push
    decided = github.file(STATE, "labeled_data/decisions.jsonl")

    # The maintainer merges the list PR; a retrain proposes model/ alone against the state
    # branch, deleting what the new model no longer has.
    github.merge(1)
    work = Path("work")
    assert main(["action", "retrain", "--no-encoder", "--force", "--work", str(work)]) == 0
    assert len(github.pulls) == 2
    retrain = github.pulls[1]
    assert (retrain.head, retrain.base, retrain.title) == (
        "hfm-bot/retrain",
        STATE,
        "hfm-bot: retrain",
    )
    proposed = github.commits[github.branches["hfm-bot/retrain"]]
    touched = changed(github, night2, github.branches["hfm-bot/retrain"])
    assert touched and all(p.startswith("model/") for p in touched)
    assert {p for p in proposed if p.startswith("model/")} == {
        f"model/{p.name}" for p in (work / "model").iterdir()
    }
    removed = {p for p in github.commits[night2] if p.startswith("model/")} - set(proposed)
    assert "model/encoder_head.json" in removed  # a TF-IDF-only model: the head is deleted
    for name in ("model.json", "weights.npz", "meta.json"):
        assert proposed[f"model/{name}"] == _text(work / "model" / name)
    assert github.file(STATE, "labeled_data/decisions.jsonl") == decided  # the retrain wrote none

    # Night 3 after the merge: sync settles the merged PR's decisions on the state branch
    # while the retrain PR is open; merging the retrain afterwards has no conflict.
    assert nightly("2025-06-26") == 0
    assert github.file(STATE, "labeled_data/decisions.jsonl") != decided
    github.merge(2)
    final = github.commits[github.branches[STATE]]
    assert final["labeled_data/decisions.jsonl"] != decided  # night 3's memory kept
    assert final["model/model.json"] == _text(work / "model" / "model.json")
    assert "model/encoder_head.json" not in final
    assert github.file("main", "README.md") != readme  # changed only by merging the bot's PR
    summary = Path("summary.md").read_text()
    assert f"retrain: {github.url}/maintainer/awesome-hfm/pull/2" in summary
    assert "state committed to" in summary


def test_a_file_both_sides_changed_stops_the_commit_and_overwrites_nothing(
    github: FakeGitHub,
) -> None:
    from github import Auth, Github

    from hfm_bot.publishing.state_branch import StateBranch

    github.push(STATE, {"labeled_data/decisions.jsonl": "a\n", "hfm-bot.toml": "x = 1\n"})
    repo = Github(base_url=github.url, auth=Auth.Token(TOKEN), retry=None).get_repo(
        "maintainer/awesome-hfm"
    )
    state = StateBranch(repo, STATE, pause=lambda seconds: None)
    snapshot = state.read()
    theirs = github.push(STATE, {"labeled_data/decisions.jsonl": "a\nb\n"})
    with pytest.raises(PublishConflict, match=r"labeled_data/decisions\.jsonl since the bot read"):
        state.commit(snapshot, {"labeled_data/decisions.jsonl": b"a\nc\n"}, "night")
    assert github.branches[STATE] == theirs
    # A file nobody else touched goes on top of their commit; an unchanged one is no commit.
    new = state.commit(snapshot, {"labeled_data/state.json": b"{}\n"}, "night")
    assert new is not None and github.parents[new] == [theirs]
    assert github.file(STATE, "labeled_data/decisions.jsonl") == "a\nb\n"
    assert state.commit(state.read(), {"labeled_data/state.json": b"{}\n"}, "night") is None


def test_a_branch_that_keeps_moving_is_given_up_on_without_forcing(github: FakeGitHub) -> None:
    from github import Auth, Github

    from hfm_bot.publishing.state_branch import StateBranch

    github.push(STATE, {"hfm-bot.toml": "x = 1\n"})
    repo = Github(base_url=github.url, auth=Auth.Token(TOKEN), retry=None).get_repo(
        "maintainer/awesome-hfm"
    )
    waits: list[float] = []
    state = StateBranch(repo, STATE, attempts=3, pause=waits.append)
    for name in ("one", "two", "three"):
        github.before("PATCH", REF, functools.partial(github.push, STATE, {name: "y\n"}))
    snapshot = state.read()
    with pytest.raises(PublishConflict, match="kept moving"):
        state.commit(snapshot, {"labeled_data/state.json": b"{}\n"}, "night")
    assert waits == [2.0, 4.0, 8.0]
    assert "labeled_data/state.json" not in github.commits[github.branches[STATE]]


def test_the_state_branch_starts_from_a_default_branch_that_holds_the_configuration(
    github: FakeGitHub,
) -> None:
    """The two-repository route: the bot's own repository holds hfm-bot.toml on its default
    branch; the first run creates the state branch there (writing nothing) and commits the
    night on it, never on the default branch."""
    files = state_files(github)
    github.push("main", files)
    main_head = github.branches["main"]
    assert nightly("2025-06-05") == 0
    assert github.branches["main"] == main_head
    assert github.parents[github.branches[STATE]] == [main_head]
    assert github.file(STATE, "labeled_data/decisions.jsonl")


def test_a_dry_run_commits_nothing(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configured = github.push(STATE, state_files(github))
    assert nightly("2025-06-05", "--dry-run", "--output", str(tmp_path / "out")) == 0
    assert github.branches[STATE] == configured and not github.pulls
    assert (tmp_path / "out" / "pr-body.md").exists()
    # The action's dry-run input comes as text; a dry retrain trains and proposes nothing.
    command = ["action", "retrain", "--no-encoder", "--force", "--dry-run-if", "true"]
    assert main(command) == 0
    assert "dry run: no pull request" in capsys.readouterr().out
    assert github.branches[STATE] == configured and not github.pulls


def test_usage_errors(github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["action", "nightly", "--state-branch", ""]) == 2
    assert "--state-branch is empty" in capsys.readouterr().err
    assert main(["retrain-pr", "--base", ""]) == 2
    assert "--base is empty" in capsys.readouterr().err
    Path("hfm-bot.toml").write_text(state_files(github)["hfm-bot.toml"])
    (Path("model") / "meta.json").parent.mkdir()
    (Path("model") / "meta.json").write_text("{}\n")
    assert main(["retrain-pr", "--base", "nowhere"]) == 2
    assert "--base nowhere: maintainer/awesome-hfm has no such branch" in capsys.readouterr().err
    assert not github.pulls and set(github.branches) == {"main"}


def _yaml(path: Path) -> Any:
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no stubs; types-PyYAML is not locked

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_example_workflow_is_one_step_of_this_action() -> None:
    """What a list's maintainer copies: one job with the three write permissions, one step
    that `uses:` this action pinned by commit, the default GITHUB_TOKEN, only inputs the
    action has; the weekly cron is the retrain, the by-hand run has since and dry_run."""
    example = _yaml(REPO / "examples" / "hfm-bot.yml")
    inputs = _yaml(REPO / "action.yml")["inputs"]
    assert example["permissions"] == {}
    (job,) = example["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    (step,) = job["steps"]
    assert re.fullmatch(r"[\w.-]+/hfm-bot@[0-9a-f]{40}", step["uses"])
    assert set(step["with"]) <= set(inputs) and "token" not in step["with"]
    assert inputs["token"]["default"] == "${{ github.token }}"
    on = example[True]  # YAML 1.1 reads the key `on` as true
    crons = [s["cron"] for s in on["schedule"]]
    assert f"github.event.schedule == '{crons[1]}' && 'retrain'" in step["with"]["command"]
    assert {"since", "dry_run", "command"} <= set(on["workflow_dispatch"]["inputs"])
    assert example["concurrency"]["cancel-in-progress"] is False


def test_the_first_runs_inputs_reach_hfm_bot_action_as_its_options() -> None:
    """A first-run input that the step dropped would leave init with its defaults in every
    workflow, silently: each of list, init-options and since goes through the step's env to
    the option of `hfm-bot action` of the same name, which the parser takes."""
    step = _yaml(REPO / "action.yml")["runs"]["steps"][-2]
    env, line = step["env"], step["run"]
    args = ["action", "nightly"]
    for name, joint in (("list", " "), ("init-options", "="), ("since", " ")):
        variable = name.upper().replace("-", "_")
        assert env[variable] == f"${{{{ inputs.{name} }}}}"
        assert f'--{name}{joint}"${variable}"' in line
    # `=` because init's options start with `--`: a lone `--force` would read as an option.
    parsed = cli.build_parser().parse_args([*args, "--init-options=--force"])
    assert parsed.init_options == "--force"


@pytest.mark.parametrize(
    "path",
    [
        "action.yml",
        "examples/hfm-bot.yml",
        ".github/workflows/nightly.yml",
        ".github/workflows/retrain.yml",
        ".github/workflows/ci.yml",
    ],
)
def test_every_third_party_action_is_pinned_by_commit_with_its_version(path: str) -> None:
    uses = re.findall(r"uses: (\S+)(.*)", (REPO / path).read_text(encoding="utf-8"))
    assert uses
    for ref, comment in uses:
        if ref.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (ref, comment)


def test_a_backfill_in_actions_resumes_from_the_committed_slices(
    github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The workflow's `since` input: a run cancelled in its second slice still commits the
    first one's state (the runner's interrupt ends the run, not the commit), and the same
    `since` in the next run resumes after it, as a local backfill does."""
    from hfm_bot.sources.replay import ReplaySource

    github.push(STATE, state_files(github))
    real_fetch = ReplaySource.fetch
    asked: list[tuple[str, str]] = []

    def fetch(self: ReplaySource, window: Any) -> Any:
        asked.append((window.since.isoformat(), window.until.isoformat()))
        if len(asked) == 2 and interrupt:
            raise KeyboardInterrupt  # the runner cancelled the job in the second slice
        return real_fetch(self, window)

    monkeypatch.setattr(ReplaySource, "fetch", fetch)
    command = ["action", "nightly", "--no-encoder", "--source", f"replay:{nights()}",
               "--since", "2025-06-01", "--until", "2025-06-26"]  # fmt: skip
    interrupt = True
    assert main(command) == 130
    state = json.loads(github.file(STATE, "labeled_data/state.json"))
    assert state["backfill"] == {"since": "2025-06-01", "done": "2025-06-07"}
    interrupt, asked[:] = False, []
    capsys.readouterr()
    assert main(command) == 0
    assert "resuming the backfill from 2025-06-01 at 2025-06-08" in capsys.readouterr().err
    assert asked[0] == ("2025-06-08", "2025-06-14")
    state = json.loads(github.file(STATE, "labeled_data/state.json"))
    assert state["backfill"] == {"since": "2025-06-01", "done": "2025-06-26"}
    assert len(github.pulls) == 1


def test_a_first_run_with_init_commits_what_it_made_as_the_branch_s_first_commit(
    github: FakeGitHub, tmp_path: Path
) -> None:
    """The call the action makes to `hfm-bot init` on a repository without state, and what
    follows: the files init writes (here written by a stand-in that records the exact call;
    the real init runs in the test after the next) become the state branch's first commit,
    an orphan, with the night's memory; the default branch is not touched."""
    from github import Auth, Github

    from hfm_bot import action
    from hfm_bot.publishing.state_branch import StateBranch

    repo = Github(base_url=github.url, auth=Auth.Token(TOKEN), retry=None).get_repo(
        "maintainer/awesome-hfm"
    )
    state = StateBranch(repo, STATE)
    calls: list[list[str]] = []

    def run(argv: Sequence[str]) -> int:
        if "init" not in argv:
            return main(argv)
        calls.append(list(argv))
        root = Path(argv[1]).parent
        for path, text in state_files(github).items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(text.encode("utf-8", "surrogateescape"))
        return 0

    work = tmp_path / "work"
    first = action.FirstRun(init_available=True)
    where, settings, created = action.prepare(state, work, "hfm-bot.toml", run, first)
    assert created and calls == [
        ["--config", str(work / "hfm-bot.toml"), "init", str(work / ".hfm-bot-list" / "README.md"),
         "--repository", "maintainer/awesome-hfm", "--list-path", "README.md", "--base", "main"]
    ]  # fmt: skip
    assert (work / ".hfm-bot-list" / "README.md").read_text() == github.file("main", "README.md")
    run_args = ["--no-encoder", "--source", f"replay:{nights()}", "--date", "2025-06-05"]
    code, commit = action.nightly(
        state, where, settings, run, run_args, dry_run=False, created=True
    )
    assert code == 0 and commit == github.branches[STATE]
    assert github.parents[commit] == []  # an orphan: the state branch shares no history
    files = github.commits[commit]
    assert {"hfm-bot.toml", "model/model.json", "labeled_data/list.jsonl"} <= set(files)
    assert "labeled_data/decisions.jsonl" in files and "README.md" not in files
    assert len(github.history("main")) == 1


def test_the_first_run_calls_the_real_init_then_opens_the_list_pr(
    github: FakeGitHub, tmp_path: Path
) -> None:
    """The first run end to end with the real `hfm-bot init` (offline: the recorded stream
    serves the entries' records and the background): the state branch's first commit holds
    what init made, and the night opens the list's pull request; main moves only through it."""
    from github import Auth, Github

    from hfm_bot import action
    from hfm_bot.publishing.state_branch import StateBranch

    repo = Github(base_url=github.url, auth=Auth.Token(TOKEN), retry=None).get_repo(
        "maintainer/awesome-hfm"
    )
    state = StateBranch(repo, STATE)
    options = ("--api-url", github.url, "--source", f"replay:{nights()}", "--no-encoder",
               "--since", "2025-06-26", "--until", "2025-06-26", "--category", "cs.LG",
               "--category", "cs.CL", "--category", "cs.CV")  # fmt: skip
    first = action.FirstRun(init_available=True, init_options=options)
    work = tmp_path / "work"
    where, settings, created = action.prepare(state, work, "hfm-bot.toml", main, first)
    assert created
    run_args = ["--no-encoder", "--source", f"replay:{nights()}", "--date", "2025-06-05"]
    code, commit = action.nightly(
        state, where, settings, main, run_args, dry_run=False, created=True
    )
    assert code == 0 and commit == github.branches[STATE]
    files = github.commits[commit]
    assert {"hfm-bot.toml", "model/model.json", "labeled_data/list.jsonl"} <= set(files)
    assert len(github.history("main")) == 1 and len(github.pulls) == 1


def test_the_state_can_live_in_a_folder_of_its_branch(github: FakeGitHub) -> None:
    """`state-dir`: the same files under a folder of the state branch; a night writes only
    that folder's labeled_data/."""
    configured = github.push(STATE, {f"bot/{p}": t for p, t in state_files(github).items()})
    github.push(STATE, {"notes.md": "the maintainers' own file\n"})
    before = github.branches[STATE]
    assert nightly("2025-06-05", "--state-dir", "bot") == 0
    written = changed(github, before, github.branches[STATE])
    assert written and all(p.startswith("bot/labeled_data/") for p in written)
    assert github.file(STATE, "notes.md") == "the maintainers' own file\n"
    assert github.parents[github.branches[STATE]] == [before] != [configured]
