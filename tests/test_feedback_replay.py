"""The review loop, a few nights of it: the harness of testsupport/feedback.py (which
benchmarks/feedback_replay.py runs over judged days) run small, from a cold start and from a
shipped model on a judged-day label file joined with its stream files, and the script's
answer to label ids without text.

The bot runs each night through the CLI against the local GitHub; the judged labels play the
maintainer (keep, move, delete, tick) in that GitHub; `sync` and `train` read what they did.
What must hold: every review reaches the memory and the training data as the maintainer
meant it, and the retrained model is the one the next night scores with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score
from testsupport import REPO
from testsupport.feedback import (
    Start,
    announced,
    load_judged,
    load_period,
    run_start,
    stream_folder,
)

from hfm_bot import decisions, labelled
from hfm_bot.classifier import model, training_data
from hfm_bot.classifier.figures import prf
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.labelled import LabelledPaper
from tests.conftest import NIGHT_DAYS, nights, small_training_table

SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]


def test_three_reviewed_nights_reach_the_memory_and_the_training_data(tmp_path: Path) -> None:
    judged_all = load_judged()
    days = sorted({announced(j) for j in judged_all})[:3]
    judged = [j for j in judged_all if announced(j) in days]
    stream = stream_folder(tmp_path / "stream", judged)
    lines: list[str] = []
    # Every paper under the threshold may join a night's background (band 1.0): with the
    # default band (tested in test_background.py) the night-2 retrain reads other background
    # papers and proposes 25 papers on night 3 instead of 32, the same 14 relevant among them,
    # and none of its near misses is relevant, so there is no tick left to follow into the
    # memory. The ticks are what this test follows; the band does not change how a review is
    # recorded.
    rows = run_start(
        Start.named("cold", band=1.0),
        days,
        judged,
        stream,
        tmp_path,
        every=2,
        encoder=False,
        judged_ids={j.paper.id for j in judged_all},
        log=lines.append,
    )
    assert [r.night for r in rows] == [1, 2, 3] and [r.day for r in rows] == days
    assert all(0 <= r.f1 <= 1 and 0 < r.average_precision <= 1 for r in rows)
    assert rows[0].kept == rows[0].deleted == rows[0].ticked == 0  # measured before review
    assert rows[1].retrained and not rows[0].retrained and not rows[2].retrained

    data = tmp_path / "cold" / "labeled_data"
    memory = decisions.load(data / "decisions.jsonl")
    verdict: dict[str, LabelledPaper] = {j.paper.key: j for j in judged}
    settled = [
        d for d in memory if d.status in (decisions.Status.ACCEPTED, decisions.Status.REJECTED)
    ]
    ticked = [d for d in memory if d.status is decisions.Status.TICKED]
    kept = [d for d in settled if d.status is decisions.Status.ACCEPTED]
    moved = [d for d in kept if d.section != d.proposed_section]
    assert settled and ticked and moved, (len(settled), len(ticked), len(moved))
    # Each decision is the maintainer's verdict: kept exactly when judged relevant, and in the
    # section the maintainer moved it to.
    for d in settled:
        assert (d.status is decisions.Status.ACCEPTED) == verdict[d.key].relevant, d.key
        if d.status is decisions.Status.ACCEPTED:
            assert d.section == verdict[d.key].section, d.key
    assert all(verdict[d.key].relevant for d in ticked)
    loaded = training_data.load_training_data(
        list_labels=data / "list.jsonl",
        decisions=data / "decisions.jsonl",
        labelled=[],
        background=sorted((data / "background").glob("*.jsonl.gz")),
        sections=SECTIONS,
    )
    examples = {ex.paper_id: ex for ex in loaded.examples if ex.kind == "decision"}
    for d in [*settled, *ticked]:
        ex = examples[d.id]
        assert ex.relevant == (d.status is not decisions.Status.REJECTED), d.key
        if ex.relevant:
            assert ex.section == d.section
    for d in moved:
        assert examples[d.id].section == verdict[d.key].section != d.proposed_section

    # The retrain after night 2 learned from those decisions; night 3 was scored with it.
    meta = json.loads((tmp_path / "cold" / "model" / "meta.json").read_text())
    assert meta["counts"].get("decision:neg", 0) > 0 and meta["counts"].get("decision:pos", 0) > 0
    assert any("retrained" in line and "promoted" in line for line in lines)
    card = (tmp_path / "cold" / "model" / "README.md").read_text()
    assert "no judged day yet; proposes the" in card
    assert "of the background it scores highest (a fixed share)" in card
    assert "maximum F1 on out-of-fold scores of no judged day" not in card


def _judged_day_file(path: Path, days: set[str], without_text: list[str]) -> Path:
    """The repository's judged papers of ``days`` in the benchmark's judged-day format
    (``judged-dev.jsonl``: ids and verdicts, no text), and ids no stream holds."""
    rows = [
        {"id": j.paper.id, "date": announced(j), "relevant": j.relevant,
         "category": j.section, "judged": True, "confidence": "high"}
        for j in load_judged()
        if announced(j) in days
    ]  # fmt: skip
    rows += [
        {"id": pid, "date": "2025-06-05", "relevant": False, "category": None, "judged": False}
        for pid in without_text
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


MISSING = ["2506.99991", "2506.99992", "2506.99993", "2506.99994", "2506.99995", "2506.99996"]


def test_a_judged_label_file_is_replayed_from_a_shipped_model(tmp_path: Path) -> None:
    """Labels from a file, text from stream files, and the committed model copied in as the
    first night's model, retrained through its gate after the first review."""
    labels = _judged_day_file(tmp_path / "judged.jsonl", set(NIGHT_DAYS), MISSING)
    period = load_period(labels, [nights()])
    days = sorted({announced(j) for j in period.judged})
    assert days == sorted(NIGHT_DAYS)
    expected = {j.paper.id: j.relevant for j in load_judged() if announced(j) in NIGHT_DAYS}
    assert {j.paper.id: j.relevant for j in period.judged} == expected
    assert all(j.paper.title and j.paper.abstract for j in period.judged)
    assert period.without_text == tuple(MISSING)
    problem = period.problem(labels)
    assert problem is not None
    assert f"{labels}: 6 judged ids have no text" in problem
    assert "(e.g. 2506.99991, 2506.99992, 2506.99993, 2506.99994, 2506.99995 and 1 more)" in problem
    one = load_period(labels, [nights()], since=dt.date(2025, 6, 26))
    assert {announced(j) for j in one.judged} == {"2025-06-26"} and not one.without_text

    # The small recipe, 2,000 background papers and the last three judged days before the
    # replay: the retrain's figures are not the subject.
    base = Start.named("shipped", REPO / "model", extra_config=small_training_table(2000))
    start = dataclasses.replace(base, known_days=3)
    stream = stream_folder(tmp_path / "stream", period.judged)
    lines: list[str] = []
    rows = run_start(start, days, period.judged, stream, tmp_path, every=1, encoder=False,
                     judged_ids=set(period.all_ids), log=lines.append)  # fmt: skip
    assert [r.night for r in rows] == [1, 2] and rows[0].retrained and not rows[1].retrained
    # Night 1 is the committed model's own judgement of the day (its TF-IDF stage here).
    shipped = Classifier(model.load(REPO / "model"))
    first = [j for j in period.judged if announced(j) == days[0]]
    score = np.array([p.score for p in shipped.predict([j.paper for j in first])])
    y = np.array([j.relevant for j in first])
    assert rows[0].papers == len(first) and rows[0].relevant == int(y.sum())
    assert rows[0].average_precision == pytest.approx(average_precision_score(y, score))
    assert rows[0].f1 == pytest.approx(prf(y, score >= shipped.threshold).f1)
    # Its retrains learn what it could have learnt: nothing replayed, nothing from then on.
    data = tmp_path / "shipped" / "labeled_data"
    known = list(labelled.read(data / "labelled.jsonl.gz", set(SECTIONS), lambda bad: None))
    assert known and not {lp.paper.id for lp in known} & set(expected)
    assert all(lp.paper.date is None or lp.paper.date.isoformat() < days[0] for lp in known)
    assert len({announced(lp) for lp in known if lp.kind == labelled.Kind.JUDGED}) == 3
    retrain_line = next(line for line in lines if "retrained" in line)
    assert "promoted" in retrain_line or "refused" in retrain_line


def test_label_ids_without_text_go_on_or_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import feedback_replay

    labels = _judged_day_file(tmp_path / "judged.jsonl", {"2025-06-05"}, MISSING[:2])
    base = ["--labels", str(labels), "--streams", str(nights()), "--out", str(tmp_path)]
    assert feedback_replay.main_([*base, "--strict"]) == 2
    err = capsys.readouterr().err
    assert f"error: {labels}: 2 judged ids have no text in the given stream files" in err
    assert "(e.g. 2506.99991, 2506.99992); stopped (--strict)" in err
    assert not list(tmp_path.glob("feedback_replay*"))

    # Without --strict: said, and the replay goes on with the papers that have text.
    args = feedback_replay.parser().parse_args(base)
    judged, all_ids, _ = feedback_replay.period(args)
    assert "replaying without them" in capsys.readouterr().err
    assert len(judged) == 723 - len([j for j in load_judged() if announced(j) == "2025-06-26"])
    assert set(MISSING[:2]) <= all_ids

    assert feedback_replay.main_(["--labels", str(labels), "--out", str(tmp_path)]) == 2
    assert "--labels needs --streams" in capsys.readouterr().err
    gone = tmp_path / "nowhere"
    assert feedback_replay.main_([*base[:2], "--streams", str(gone)]) == 2
    assert f"{gone}: no such stream file or folder" in capsys.readouterr().err
    assert "--strict" in feedback_replay.parser().format_help()
