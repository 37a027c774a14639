"""The command line as a user meets it: help, version, exit codes, messages without tracebacks."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hfm_bot import __version__
from hfm_bot.cli import build_parser, main
from hfm_bot.errors import InputError
from tests.conftest import REPO, SEED_LIST

CONFIG = str(REPO / "hfm-bot.toml")


def _subcommand_paths() -> list[list[str]]:
    """Every command and sub-command the parser knows, so none can lack --help."""
    paths: list[list[str]] = []

    def walk(parser: object, prefix: list[str]) -> None:
        for action in getattr(parser, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, sub in choices.items():
                    paths.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(build_parser(), [])
    return paths


@pytest.mark.parametrize("path", _subcommand_paths(), ids=lambda p: " ".join(p))
def test_every_command_has_help(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    assert "usage: hfm-bot" in capsys.readouterr().out


def test_top_level_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """Every command is listed with its one-line help, so `hfm-bot --help` is a map."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in commands._choices_actions}
    assert set(helps) == {"labels", "fetch", "run", "sync", "train", "retrain-pr", "action",
                          "classify", "evaluate", "init"}  # fmt: skip
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, text in helps.items():
        assert text and f"{name} {' '.join(text.split())}" in out, name


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"hfm-bot {__version__}"


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_import_list_writes_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "list.jsonl"
    code = main(["--config", CONFIG, "labels", "import-list", str(SEED_LIST), "-o", str(out)])
    assert code == 0
    captured = capsys.readouterr()
    assert "wrote 219 entries" in captured.out
    assert "LFM 44, VFM 69, BFM 31, MFM 58, survey 17" in captured.out
    assert f"{SEED_LIST}:61: empty list item" in captured.err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 219
    first = records[0]
    assert first["section"] == "survey"
    assert first["keys"]["arxiv_id"] == "2401.07654"
    assert first["abstract"] is None
    assert first["year"] == 2024 and first["venue"] == "arXiv" and first["line"] == 57
    assert {r["section"] for r in records} == {"LFM", "VFM", "BFM", "MFM", "survey"}


def test_committed_labels_match_the_seed_list(tmp_path: Path) -> None:
    out = tmp_path / "list.jsonl"
    assert main(["--config", CONFIG, "labels", "import-list", str(SEED_LIST), "-o", str(out)]) == 0
    assert out.read_text() == (REPO / "labeled_data" / "list.jsonl").read_text()


def test_import_list_with_a_heading_the_list_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[target]\nrepository = "o/n"\n[sections]\nXFM = "XFM methods"\n')
    out = tmp_path / "out.jsonl"
    code = main(["--config", str(cfg), "labels", "import-list", str(SEED_LIST), "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no heading 'XFM methods'" in err and "sections.XFM" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"plain text, no headings\n", "no section headings"),
        (bytes(range(256)) * 64, "binary"),
    ],
)
def test_bad_list_files_exit_2_without_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "README.md"
    bad.write_bytes(content)
    out = tmp_path / "out.jsonl"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hfm_bot",
            "--config",
            CONFIG,
            "labels",
            "import-list",
            str(bad),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert str(bad) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_fifty_megabyte_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "README.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code = main(["--config", CONFIG, "labels", "import-list", str(huge), "-o", str(tmp_path / "o")])
    assert code == 2
    assert "too large" in capsys.readouterr().err


def test_bad_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[target]\nrepository = "o/n"\nbranch = "x"\n[sections]\nA = "a"\n')
    code = main(["--config", str(cfg), "labels", "import-list", str(SEED_LIST)])
    assert code == 2
    assert "unknown key target.branch" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["fetch", "classify"])
def test_an_output_that_cannot_be_written_is_refused_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A folder (or a file's place taken by a folder) as --output: exit 2 naming it before
    the fetch or the scoring, where it used to be a traceback after it."""
    papers = tmp_path / "papers.jsonl"
    papers.write_text("")
    taken = tmp_path / "taken"
    taken.mkdir()
    args = {
        "fetch": ["fetch", "--source", f"replay:{tmp_path / 'nowhere'}", "-o", str(taken)],
        "classify": ["classify", "--no-encoder", str(papers), "-o", str(taken)],
    }[command]
    assert main(["--config", CONFIG, *args]) == 2
    err = capsys.readouterr().err
    assert f"--output {taken}: is a folder, not a file" in err and "Traceback" not in err


@pytest.mark.parametrize("place", ["a-file", "under-a-file"])
def test_train_refuses_an_output_it_could_not_write_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    place: str,
) -> None:  # fmt: skip
    """`train -o` where no model folder can go used to be a traceback after the whole
    training; now it is exit 2 naming the place, before any input is read or model fitted."""
    from hfm_bot.classifier import training, training_data

    def no_work(*_: object, **__: object) -> None:
        raise AssertionError("read or trained before the check")

    monkeypatch.setattr(training_data, "load_training_data", no_work)
    monkeypatch.setattr(training, "train", no_work)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker if place == "a-file" else blocker / "model"
    code = main(["--config", CONFIG, "train", "--no-encoder", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "is a file, not a folder" in err and str(blocker) in err and "Traceback" not in err
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify", "in.jsonl", "-o", "out.jsonl", "--threshold", "2"], "--threshold: must be"),
        (["classify", "in.jsonl", "-o", "out.jsonl", "--threshold", "0"], "--threshold: must be"),
        (["classify", "in.jsonl", "-o", "out.jsonl", "--threshold", "nan"], "--threshold: must"),
        (["classify", "in.jsonl", "-o", "out.jsonl", "--workers", "0"], "--workers: must be at"),
        (["labels", "background", "s.jsonl", "-n", "0"], "-n: must be at least 1, not 0"),
        (["labels", "background", "s.jsonl", "-n", "-5"], "-n: must be at least 1, not -5"),
    ],
)
def test_values_out_of_range_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A threshold outside (0, 1), no worker, no background paper: each used to be accepted
    (proposing nothing, or everything, or writing an empty sample); now exit 2 naming it."""
    with pytest.raises(SystemExit) as info:
        main(["--config", CONFIG, *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_config_is_accepted_after_the_command_too(tmp_path: Path) -> None:
    """`hfm-bot run --config X` used to be "unrecognized arguments"; it now means the same as
    `hfm-bot --config X run`, and a --config before the command is not reset by the
    command's default."""
    parser = build_parser()
    assert parser.parse_args(["run", "--config", "x.toml", "--dry-run"]).config == "x.toml"
    assert parser.parse_args(["--config", "y.toml", "run", "--dry-run"]).config == "y.toml"
    assert parser.parse_args(["run"]).config == "hfm-bot.toml"
    # Read, not only parsed: this configuration's section is not in the seed list.
    cfg = tmp_path / "c.toml"
    cfg.write_text('[target]\nrepository = "o/n"\n[sections]\nXFM = "XFM methods"\n')
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match=r"sections\.XFM in .*c\.toml"):
        args = parser.parse_args(
            ["labels", "import-list", str(SEED_LIST), "-o", str(out), "--config", str(cfg)]
        )
        args.handler(args)
