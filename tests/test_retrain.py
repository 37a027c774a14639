"""Retraining from what the repository holds: labels joined with their text, the promotion
gate, an interrupted or refused training that leaves the model whole, and the committed model
rebuilt by `hfm-bot train` alone in a clone with nothing beside it."""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hfm_bot import config, decisions, retrain
from hfm_bot.classifier import card, gate, model
from hfm_bot.cli import main
from hfm_bot.errors import InputError
from tests.conftest import (
    BACKGROUND_SEED,
    LABELLED,
    REPO,
    built_once,
    decision,
    labelled_subset,
    small_config,
    users_environment,
)

CONFIG = str(REPO / "hfm-bot.toml")
DAYS = {"2025-06-05", "2025-06-26"}
SMALLEST_DAYS = {"2025-07-14", "2025-07-18"}


def _stream(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _paper(paper_id: str, title: str, date: str = "2025-06-05") -> dict[str, object]:
    return {"id": paper_id, "date": date, "title": title, "abstract": f"About {title}."}


def test_labels_import_joins_ids_with_their_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _stream(
        tmp_path / "stream.jsonl",
        [_paper("2506.00001", "A medical foundation model"), _paper("2506.00002", "Sorting")],
    )
    judged = _stream(
        tmp_path / "judged.jsonl",
        [
            {"id": "2506.00001", "date": "2025-06-05", "relevant": True, "category": "MFM"},
            {"id": "2506.00002", "date": "2025-06-05", "relevant": False, "category": None},
            {"id": "2506.99999", "date": "2025-06-05", "relevant": False, "category": None},
        ],
    )
    curated = _stream(
        tmp_path / "curated.jsonl",
        [
            {"id": "2506.00002", "date": "2025-06-05", "categories": ["LFM"]},  # conflicts
            {"id": "2506.88888", "date": "2025-06-05", "categories": ["VFM"]},
        ],
    )
    (tmp_path / "curated.jsonl").write_text(curated.read_text() + "{broken\n")
    out = tmp_path / "labelled.jsonl.gz"
    args = ["--config", CONFIG, "labels", "import", str(judged), str(curated)]
    assert main([*args, "--text", str(text), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{judged}: 1 labelled ids have no text" in err
    assert f"{curated}: 1 labelled ids have no text" in err
    assert f"{curated}:3: skipped: not JSON" in err
    assert "1 ids are labelled twice with different verdicts" in err
    with gzip.open(out, "rt") as handle:
        rows = [json.loads(line) for line in handle]
    assert [(r["id"], r["relevant"], r["section"], r["kind"]) for r in rows] == [
        ("2506.00001", True, "MFM", "judged"),
        ("2506.00002", False, None, "judged"),  # the judged day's verdict wins
    ]
    assert rows[0]["title"] == "A medical foundation model" and rows[0]["abstract"]
    # Byte-stable: the same import writes the same bytes (no timestamp in the gzip header).
    first = out.read_bytes()
    assert main([*args, "--text", str(text), "-o", str(out)]) == 0
    assert out.read_bytes() == first
    # No text at all for any id: nothing useful to write, exit 2, the old file kept.
    empty = _stream(tmp_path / "other.jsonl", [_paper("2506.77777", "Unrelated")])
    assert main([*args, "--text", str(empty), "-o", str(out)]) == 2
    assert "none of the labelled ids is in the text files" in capsys.readouterr().err
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ({"relevant": True, "category": "mfm"}, "section 'mfm' is not a label of [sections]"),
        ({"relevant": True, "section": "XFM"}, "section 'XFM' is not a label of [sections]"),
        (
            {"categories": ["Vfm"]},
            "section 'Vfm' is not a label of [sections] (BFM, LFM, MFM, VFM, survey); labels "
            "are case-sensitive: 'VFM'?",
        ),
    ],
)
def test_labels_import_refuses_a_section_the_configuration_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label: dict[str, object], message: str
) -> None:
    """A lower-case or unknown section used to be stored as no section (the paper kept as a
    relevant one of no section) without a word; now exit 2 at its file and line, and the
    previous labelled file is kept."""
    text = _stream(tmp_path / "stream.jsonl", [_paper("2506.00001", "A medical model")])
    labels = _stream(
        tmp_path / "labels.jsonl",
        [
            {"id": "2506.00002", "date": "2025-06-05", "relevant": False, "category": None},
            {"id": "2506.00001", "date": "2025-06-05", **label},
        ],
    )
    out = tmp_path / "labelled.jsonl.gz"
    out.write_bytes(b"before")
    args = ["--config", CONFIG, "labels", "import", str(labels), "--text", str(text)]
    assert main([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{labels}:2: {message}" in err and "Traceback" not in err
    assert out.read_bytes() == b"before"


def test_training_reads_only_the_repository(tmp_path: Path) -> None:
    """The committed labelled papers carry their text: 36 judged days, curated positives."""
    with gzip.open(LABELLED, "rt") as handle:
        rows = [json.loads(line) for line in handle]
    judged = [r for r in rows if r["kind"] == "judged"]
    assert len({r["date"] for r in judged}) == 36
    assert len(judged) == 15_942 and sum(r["relevant"] for r in judged) == 721
    assert all(r["title"] and r["date"] < "2025-10-01" for r in rows)
    assert sum(1 for r in rows if r["abstract"]) > 0.99 * len(rows)


@functools.cache
def _background() -> Path:
    """The background seed's last 1,000 papers (none of the 400 first, which
    ``_worse_decisions`` accepts), written once per process: a training reads its whole
    background file before sampling ``--background-max`` of it, and reading the 4,000 papers
    of the seed was a sixth of each small training here."""
    import atexit
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hfm-bot-background-"))
    atexit.register(shutil.rmtree, folder, True)
    with gzip.open(BACKGROUND_SEED, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    out = folder / "background.jsonl"
    out.write_text("".join(lines[-1000:]), encoding="utf-8")
    return out


def _train(tmp_path: Path, out: Path, *extra: str) -> int:
    small = tmp_path / "small.jsonl"
    if not small.exists():
        labelled_subset(small, DAYS, curated=False)  # fewer folds: a faster train
    args = ["--labelled", str(small), "--background", str(_background())]
    args += ["--background-max", "1000", "-o", str(out), "--no-encoder"]
    return main(["--config", str(small_config(tmp_path)), "train", *args, *extra])


@pytest.fixture
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What ``_train`` makes from nothing (the small recipe, two judged days), trained once
    per test run for the tests that start from a trained model, read-only (copy it);
    test_promotion_gate trains it itself, as that first training is its subject."""

    def build(folder: Path) -> None:
        assert _train(folder, folder / "model") == 0

    return built_once(tmp_path_factory, "retrain-small-model", build) / "model"


@pytest.fixture
def trained(small_model: Path, tmp_path: Path) -> Path:
    """``tmp_path / "model"``: a copy of ``small_model`` this test may change."""
    return Path(shutil.copytree(small_model, tmp_path / "model"))


def _worse_decisions(tmp_path: Path) -> Path:
    """Noise a careless maintainer could have merged: 400 random papers of the background
    accepted into the list. A candidate that learns them is worse on the judged days."""
    path = tmp_path / "decisions.jsonl"
    with gzip.open(BACKGROUND_SEED, "rt") as handle:
        rows = [json.loads(line) for _, line in zip(range(400), handle, strict=False)]
    noise = [
        decision(r["id"], r["title"], "accepted", abstract=r["abstract"], date=r["date"])
        for r in rows
    ]
    decisions.save(path, noise)
    return path


def test_promotion_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model"
    assert _train(tmp_path, out) == 0
    assert "no current model: the candidate is promoted" in capsys.readouterr().out
    assert (out / gate.OOF_FILE).exists()
    assert oct((out).stat().st_mode & 0o777) == "0o755"
    first = {f: (out / f).read_bytes() for f in os.listdir(out)}

    # The same data again: the same weights, and model/ is not touched at all.
    assert _train(tmp_path, out) == 0
    assert "model unchanged" in capsys.readouterr().err
    assert {f: (out / f).read_bytes() for f in os.listdir(out)} == first

    # Decisions that contradict the judged days: the candidate is worse and is refused.
    bad = _worse_decisions(tmp_path)
    assert _train(tmp_path, out, "--decisions", str(bad)) == 0
    captured = capsys.readouterr()
    assert "kept the current model" in captured.err and "worse" in captured.err
    assert "| F1, judged days |" in captured.out  # the before/after table is printed
    assert {f: (out / f).read_bytes() for f in os.listdir(out)} == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".model")]

    # --force lets it in, and the card says so; the rebuild command leaves --force out.
    assert _train(tmp_path, out, "--decisions", str(bad), "--force") == 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["promotion"]["forced"] is True
    assert "--force" not in meta["command"] and "--decisions" in meta["command"]
    text = (out / "README.md").read_text()
    assert "**Promoted with `--force`**" in text
    assert "| metric | current model | candidate |" in text
    assert "over a seed label): 0." in text


def test_the_newest_verdict_wins_and_conflicts_are_counted(tmp_path: Path) -> None:
    from hfm_bot.classifier import training_data

    small = labelled_subset(tmp_path / "small.jsonl", {"2025-06-26"}, curated=False)
    first = json.loads(small.read_text().splitlines()[0])
    decided = tmp_path / "decisions.jsonl"
    line = json.loads(_decision_line())
    line.update(id=first["id"], key=f"arxiv:{first['id']}", title=first["title"])
    line["status"] = "rejected" if first["relevant"] else "accepted"
    decided.write_text(json.dumps(line) + "\n")
    data = training_data.load_training_data(
        list_labels=None,
        decisions=decided,
        labelled=[small, small],  # the same file twice: the same verdicts, no conflict
        background=[],
        sections=["LFM", "VFM", "BFM", "MFM", "survey"],
    )
    assert data.conflicts == 1
    rows = [ex for ex in data.examples if ex.paper_id == first["id"]]
    assert {ex.kind for ex in rows} == {"decision"}
    assert {ex.relevant for ex in rows} == {not first["relevant"]}


def test_the_gate_scores_the_current_model_out_of_fold(trained: Path) -> None:
    """Papers the current model was trained on get its shipped out-of-fold score; papers it
    never saw get its own score."""
    out = trained
    from hfm_bot.classifier.two_stage import Classifier

    current = Classifier(model.load(out))
    oof = gate.OutOfFoldScores.load(out)
    assert oof is not None
    known = oof.ids[0]
    from hfm_bot.classifier.figures import Scored

    scored = Scored(
        kind=np.array(["judged", "judged"], dtype=object),
        group=np.array(["d", "d"], dtype=object),
        relevant=np.array([True, False]),
        section=np.array(["MFM", ""], dtype=object),
        score=np.array([0.9, 0.1]),
        predicted_section=np.array(["MFM", "LFM"], dtype=object),
    )
    texts = ["whatever", "Segment anything in medical images. We adapt SAM."]
    got, how = gate.current_scores(current, oof, scored, [known, "new.00001"], texts, texts)
    assert got.score[0] == oof.score[0]
    assert got.score[1] == current.tfidf.predict_texts(["x"], [texts[1]])[0].score
    assert "1 rows" in how and "never saw (1)" in how


def test_an_interrupted_training_leaves_the_model_whole(
    tmp_path: Path, trained: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = trained
    before = {f: (out / f).read_bytes() for f in os.listdir(out)}

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(card, "write", interrupted)
    assert _train(tmp_path, out, "--force", "--background-max", "900") == 130
    assert {f: (out / f).read_bytes() for f in os.listdir(out)} == before
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["hfm-bot.small.toml", "model", "small.jsonl"]  # no staging folder left


def test_bad_training_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model"
    broken = tmp_path / "decisions.jsonl"
    broken.write_text(_decision_line() + "\n{cut off\n")
    assert _train(tmp_path, out, "--decisions", str(broken)) == 2
    assert f"{broken}:2: not a decision record" in capsys.readouterr().err
    assert not out.exists()

    empty = tmp_path / "empty.jsonl.gz"
    with gzip.open(empty, "wt"):
        pass
    small = tmp_path / "small.jsonl"
    small_toml = str(small_config(tmp_path))  # the warning is the subject, not the recipe
    args = ["--config", small_toml, "train", "--labelled", str(small), "--background", str(empty)]
    assert main([*args, "-o", str(out), "--no-encoder"]) == 0
    assert f"warning: {empty}: no background papers in it" in capsys.readouterr().err

    missing = tmp_path / "nowhere.jsonl.gz"
    assert main(["--config", CONFIG, "train", "--no-encoder", "--background", str(missing)]) == 2
    assert f"{missing}: no such file" in capsys.readouterr().err

    undated = tmp_path / "undated.jsonl"
    undated.write_text(json.dumps(dict(json.loads(_decision_line()), date="someday")) + "\n")
    assert _train(tmp_path, out, "--decisions", str(undated)) == 2
    assert f"{undated}:1: not a decision record" in capsys.readouterr().err

    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps(dict(json.loads(_decision_line()), status="maybe")) + "\n")
    assert _train(tmp_path, out, "--decisions", str(unknown)) == 2
    assert f"{unknown}:1: not a decision record (status 'maybe' is not one of" in (
        capsys.readouterr().err
    )


def _decision_line() -> str:
    return decision("2601.00001", "A clinical LLM", "accepted", abstract="x").to_json()


@pytest.mark.rebuild
def test_train_alone_rebuilds_the_committed_model(tmp_path: Path) -> None:
    """A clone with nothing beside it: its configuration and labeled_data/ only. `hfm-bot
    train` makes the committed TF-IDF stage again: the same vocabulary, weights, threshold
    and out-of-fold figures. (The encoder stage adds a head fitted on these same folds; its
    rebuild is tested on a small configuration below, as encoding the full shortlist takes
    about three minutes on a cold cache.)"""
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(REPO / "hfm-bot.toml", clone)
    shutil.copytree(REPO / "labeled_data", clone / "labeled_data")
    env = {k: v for k, v in users_environment().items() if k != "HFM_SHARED"}
    # The user's threads, but idle ones sleep at once instead of spinning for 2**28 cycles
    # (OpenBLAS's default): the same sums in the same order, at a third of the CPU.
    env["OPENBLAS_THREAD_TIMEOUT"] = "4"
    done = subprocess.run(
        [sys.executable, "-m", "hfm_bot", "train", "--no-encoder"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rebuilt, committed = model.load(clone / "model"), model.load(REPO / "model")
    assert rebuilt.threshold == committed.threshold
    assert rebuilt.terms == committed.terms
    for name in ("idf", "relevance_coef", "section_coef", "section_intercept"):
        np.testing.assert_allclose(getattr(rebuilt, name), getattr(committed, name), atol=1e-9)
    np.testing.assert_allclose(
        rebuilt.relevance_pairs.weights, committed.relevance_pairs.weights, atol=1e-9
    )
    assert rebuilt.relevance_intercept == pytest.approx(committed.relevance_intercept, abs=1e-9)
    meta = json.loads((clone / "model" / "meta.json").read_text())
    committed_meta = json.loads((REPO / "model" / "meta.json").read_text())
    # The same figures: the TF-IDF stage alone, on the same folds, at its own threshold.
    assert meta["figures"]["cross_validated"]["overall"] == pytest.approx(
        committed_meta["figures"]["tfidf_alone"], rel=1e-12
    )
    assert committed_meta["command"] == "hfm-bot train"


@pytest.mark.rebuild
def test_the_encoder_stage_rebuilds_exactly(tmp_path: Path) -> None:
    """Twice the same small training with the encoder: the same head, byte for byte, and
    the second run finds the model unchanged; the embeddings come from the cache."""
    from hfm_bot.classifier.head import HEAD_FILE, SecondOpinion

    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    # The two smallest judged days (522 papers, against 723 for DAYS): fewer to embed.
    small = labelled_subset(tmp_path / "small.jsonl", SMALLEST_DAYS, curated=False)
    out = tmp_path / "model"
    args = [sys.executable, "-m", "hfm_bot", "--config", CONFIG, "train", "--labelled",
            str(small), "--background", str(BACKGROUND_SEED), "--background-max", "300",
            "-o", str(out)]  # fmt: skip
    first = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    head = (out / HEAD_FILE).read_bytes()
    assert SecondOpinion.load(out) is not None
    assert list(cache.glob("hfm-bot/embeddings-*.npz"))
    again = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert "model unchanged" in again.stderr
    assert (out / HEAD_FILE).read_bytes() == head

    # One judged day cannot measure a blend out of fold: the TF-IDF stage alone, and why.
    one = labelled_subset(tmp_path / "one.jsonl", {"2025-07-14"}, curated=False)
    alone = tmp_path / "alone"
    args[args.index(str(small))] = str(one)
    args[args.index(str(out))] = str(alone)
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "the encoder stage was not trained" in done.stderr
    assert not (alone / HEAD_FILE).exists() and (alone / "model.json").exists()


def test_retrain_pr_through_the_rest_api(
    tmp_path: Path, small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weekly retrain's last step: the model folder goes to the retrain branch of the
    bot's own repository and one PR carries the before/after table; a file the new model
    no longer has is deleted in it, and nothing outside model/ is touched (the decisions are
    the nightly's: a PR carrying them conflicted with it); the base is the repository's
    default branch, read through the API; a second run with the same model opens nothing;
    the base branch is never written."""
    from testsupport.fakegithub import FakeGitHub

    bot = tmp_path / "bot"
    (bot / "labeled_data").mkdir(parents=True)
    out = Path(shutil.copytree(small_model, bot / "model"))
    (bot / "labeled_data" / "decisions.jsonl").write_text(_decision_line() + "\n")
    old = {
        "README.md": "# hfm-bot\n",
        "model/meta.json": "{}\n",
        "model/stale_curve.png": "old plot",
        "labeled_data/decisions.jsonl": "",
    }
    github = FakeGitHub("owner", "hfm-bot", old, base="trunk")
    try:
        cfg = (
            (REPO / "hfm-bot.toml")
            .read_text()
            .replace(
                'list_path = "README.md"', f'list_path = "README.md"\napi_url = "{github.url}"'
            )
        )
        (bot / "hfm-bot.toml").write_text(cfg)
        monkeypatch.chdir(bot)
        monkeypatch.setenv("GITHUB_TOKEN", "ghs_TESTTOKEN")
        monkeypatch.setenv("GITHUB_REPOSITORY", "owner/hfm-bot")
        assert main(["retrain-pr"]) == 0
        assert len(github.pulls) == 1
        pull = github.pulls[0]
        assert (pull.head, pull.base, pull.title) == (
            "hfm-bot/retrain",
            "trunk",
            "hfm-bot: retrain",
        )
        assert "| metric | current model | candidate |" in pull.body
        assert "no current model" in pull.body
        head = github.commits[github.branches["hfm-bot/retrain"]]
        for name in ("model.json", "weights.npz", "oof.npz", "meta.json", "README.md"):
            assert (
                head[f"model/{name}"].encode("utf-8", "surrogateescape")
                == (out / name).read_bytes()
            )
        assert "model/stale_curve.png" not in head  # removed from the model: deleted
        assert head["labeled_data/decisions.jsonl"] == ""  # not the retrain's to carry
        assert {p for p in head if not p.startswith("model/")} == {
            p for p in old if not p.startswith("model/")
        }
        assert github.commits[github.branches["trunk"]] == old  # the base is never written

        # Run again: the PR is updated in place, not doubled.
        assert main(["retrain-pr"]) == 0
        assert len(github.pulls) == 1
        # Merged: the base holds the model now, so the next run opens nothing.
        github.merge(1)
        assert main(["retrain-pr"]) == 0
        assert len(github.pulls) == 1

        monkeypatch.delenv("GITHUB_TOKEN")
        assert main(["retrain-pr"]) == 1
    finally:
        github.stop()


def _service_request(
    tmp_path: Path, out: Path, settings: config.Settings, decided: Path | None = None
) -> retrain.Request:
    small = tmp_path / "small.jsonl"
    if not small.exists():
        labelled_subset(small, DAYS, curated=False)
    inputs = retrain.Inputs(
        decisions=decided, labelled=(small,), background=(_background(),), background_max=1000
    )
    return retrain.Request(
        retrain.load_data(inputs, settings),
        retrain.labels_of(settings),
        out,
        "hfm-bot train --no-encoder",
        retrain.about(settings),
        title_rule=retrain.title_rule(settings),
        config=retrain.recipe(inputs, settings),  # the small recipe (Request's default is full)
        use_encoder=False,
    )


def test_the_training_service_says_what_it_did(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Promoted into an empty place, kept when the gate finds the candidate worse: each says
    so in its outcome, and only the first touches the folder."""
    # The small recipe (the service does what the CLI's train does, at any size), from a
    # configuration kept apart from the folder whose contents the end checks.
    settings = config.load(small_config(tmp_path_factory.mktemp("config")))
    tmp_path = tmp_path_factory.mktemp("service")
    out = tmp_path / "model"
    first = retrain.retrain(_service_request(tmp_path, out, settings))
    assert first.status is retrain.Status.PROMOTED and first.promoted and not first.forced
    assert first.reason == "no current model: the candidate is promoted"
    assert first.model_dir == out and first.threshold == model.load(out).threshold
    assert first.figures is not None and first.figures.average_precision is not None
    assert 0 < first.figures.average_precision <= 1
    assert first.threshold_rows == "judged days" and "| F1, judged days |" in first.gate_table
    meta = json.loads((out / "meta.json").read_text())
    assert meta["command"] == "hfm-bot train --no-encoder" and meta["promotion"]["promoted"]
    assert first.counts == meta["counts"]
    files = {f: (out / f).read_bytes() for f in os.listdir(out)}

    # (The same weights again, Status.UNCHANGED, is test_promotion_gate's second training.)
    worse = retrain.retrain(_service_request(tmp_path, out, settings, _worse_decisions(tmp_path)))
    assert worse.status is retrain.Status.KEPT and worse.reason.startswith("worse: ")
    assert {f: (out / f).read_bytes() for f in os.listdir(out)} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions.jsonl", "model", "small.jsonl"]


def test_the_service_refuses_a_file_where_the_model_goes(tmp_path: Path) -> None:
    out = tmp_path / "model"
    out.write_text("not a folder")
    with pytest.raises(InputError, match="is a file, not a folder"):
        retrain.prepare(out)
    # An interrupted swap left model.old and no model/: the old model comes back.
    folder = tmp_path / "other"
    (tmp_path / "other.old").mkdir()
    (tmp_path / "other.old" / "model.json").write_text("{}")
    retrain.prepare(folder)
    assert (folder / "model.json").read_text() == "{}"


def test_the_retrain_proposal_carries_the_folder_and_the_card(tmp_path: Path) -> None:
    root = tmp_path / "bot"
    folder = root / "model"
    (folder / "sub").mkdir(parents=True)
    meta = {"promotion": {"reason": "not worse than the current model", "table": "| t |"}}
    (folder / "meta.json").write_text(json.dumps(meta))
    (folder / "weights.npz").write_bytes(b"\x00w")
    (folder / "sub" / "x.png").write_bytes(b"png")
    pr = retrain.proposal(folder, retrain.in_repository(root, folder))
    assert pr.folder == "model" and pr.title == retrain.RETRAIN_TITLE
    assert dict(pr.files) == {
        "model/meta.json": json.dumps(meta).encode(),
        "model/sub/x.png": b"png",
        "model/weights.npz": b"\x00w",
    }
    assert "not worse than the current model" in pr.body and "| t |" in pr.body
    assert "--force" not in pr.body

    with pytest.raises(InputError, match="is not inside --root"):
        retrain.in_repository(tmp_path / "elsewhere", folder)
    (folder / "meta.json").write_text("[1, 2]")
    with pytest.raises(InputError, match=r"meta.json: no model card to describe"):
        retrain.proposal(folder, retrain.in_repository(root, folder))
    (folder / "meta.json").unlink()
    with pytest.raises(InputError, match=r"meta.json: no model card to describe"):
        retrain.proposal(folder, retrain.in_repository(root, folder))


def test_the_background_cap_is_the_recipes_unless_given() -> None:
    """``--background-max`` overrides the configuration's recipe only when it is given: the
    CLI and retrain.Inputs default to None, and the recipe then decides (15,000 shipped)."""
    import dataclasses

    from hfm_bot.cli import build_parser

    settings = config.load(Path(CONFIG))
    assert build_parser().parse_args(["train"]).background_max is None
    assert retrain.recipe(retrain.Inputs(), settings) == settings.training
    assert settings.training.background_max == 15_000
    assert retrain.recipe(retrain.Inputs(background_max=10), settings) == dataclasses.replace(
        settings.training, background_max=10
    )


def test_a_tfidf_retrain_of_a_two_stage_model_is_gated_like_with_like(tmp_path: Path) -> None:
    """`train --no-encoder` over a two-stage model: the gate meets the candidate (the TF-IDF
    stage alone) with the current model's TF-IDF stage, its own out-of-fold scores at its
    own threshold. On the same data the two are the same model, so every figure of the
    before/after table agrees and the candidate is promoted. (The gate once cut the blend's
    out-of-fold scores at the TF-IDF threshold: the current column differed, and such a
    retrain was refused whatever it learnt.)"""
    from hfm_bot.classifier.head import HEAD_FILE

    # Few texts to embed (the comparison is the subject, not what the model learnt): the two
    # smallest judged days (a blend needs two) with their relevant papers and a third of the
    # rest (188 of 522), a quarter of the list's entries and 40 background papers.
    days = labelled_subset(tmp_path / "days.jsonl", SMALLEST_DAYS, False)
    small = tmp_path / "small.jsonl"
    papers = days.read_text(encoding="utf-8").splitlines(keepends=True)
    small.write_text(
        "".join(p for i, p in enumerate(papers) if i % 3 == 0 or json.loads(p)["relevant"]),
        encoding="utf-8",
    )
    entries = tmp_path / "list.jsonl"
    listed = (REPO / "labeled_data" / "list.jsonl").read_text(encoding="utf-8")
    entries.write_text("".join(listed.splitlines(keepends=True)[::4]), encoding="utf-8")
    out = tmp_path / "model"
    args = ["--config", str(small_config(tmp_path)), "train", "--labelled", str(small),
            "--list-labels", str(entries), "--background", str(BACKGROUND_SEED),
            "--background-max", "40", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    assert (out / HEAD_FILE).exists()  # two stages
    oof = gate.OutOfFoldScores.load(out)
    assert oof is not None and oof.tfidf_score is not None
    assert not np.allclose(oof.tfidf_score, oof.score)  # the blend is not the TF-IDF stage

    assert main([*args, "--no-encoder"]) == 0
    meta = json.loads((out / "meta.json").read_text())
    promotion = meta["promotion"]
    assert promotion["promoted"] and not promotion["forced"], promotion["reason"]
    assert promotion["current_scored_from"].startswith("its TF-IDF stage alone")
    rows = [line.split("|")[1:-1] for line in promotion["table"].splitlines()[2:]]
    assert len(rows) >= 6
    for name, current, candidate in rows:
        assert current == candidate, (name, current, candidate)
    assert not (out / HEAD_FILE).exists()


def test_the_card_names_the_command_without_its_output_copies() -> None:
    """The card's rebuild command: ``--force`` only let the weights in and ``--json`` only
    copied the figures to a reader's path, so neither is part of how to make them again."""
    argv = ["evaluate", "--card", "model/README.md", "--json", "/tmp/x.json", "--last", "18"]
    assert retrain.rebuild_command(argv) == "hfm-bot evaluate --card model/README.md --last 18"
    assert retrain.rebuild_command(["train", "--force", "--json=/tmp/y"]) == "hfm-bot train"
    assert retrain.rebuild_command(["evaluate", "--card", "a b.md"]) == (
        "hfm-bot evaluate --card 'a b.md'"
    )
