"""Forward (time-ordered) evaluation: each later judged day scored by a model trained only on
what is dated before it, at that model's own threshold; its bad input; and its card section."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import date as _date
from pathlib import Path

import numpy as np
import pytest

from hfm_bot.classifier import card, figures, forward, training
from hfm_bot.classifier.figures import ForwardEvaluation, StoredFigures
from hfm_bot.classifier.training_data import (
    Example,
    TrainingData,
    load_training_data,
    weighted_by_age,
)
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.cli import main
from hfm_bot.errors import InputError
from hfm_bot.jsontypes import JSON
from hfm_bot.labelled import Kind
from tests.conftest import BACKGROUND_SEED, LABELLED, REPO, SMALL_TRAINING, small_config

SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]
LIST_LABELS = REPO / "labeled_data" / "list.jsonl"
DAYS = ("2025-05-01", "2025-05-08", "2025-06-26", "2025-07-03", "2025-07-11")
"""Five of the smaller judged days (1,458 papers): three to learn from, two scored."""
CONFIG = replace(SMALL_TRAINING, background_max=2000)
UNDATED_ID = "9999.00001"


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five days and the curated positives, and one judged paper with its date taken
    away (under a new id), which forward evaluation must leave out and count."""
    out = tmp_path_factory.mktemp("forward") / "labelled.jsonl"
    with gzip.open(LABELLED, "rt", encoding="utf-8") as src, out.open("w") as dst:
        undated = False
        for line in src:
            record = json.loads(line)
            if record["date"] in DAYS or record["kind"] == "curated":
                dst.write(line)
                if not undated and record["kind"] == "judged" and record["relevant"]:
                    copy = {k: v for k, v in record.items() if k != "date"}
                    dst.write(json.dumps({**copy, "id": UNDATED_ID}) + "\n")
                    undated = True
    return out


@pytest.fixture(scope="module")
def data(labelled: Path) -> TrainingData:
    return load_training_data(
        list_labels=LIST_LABELS,
        decisions=None,
        labelled=[labelled],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=CONFIG,
    )


@pytest.fixture(scope="module")
def result(data: TrainingData) -> ForwardEvaluation:
    return forward.evaluate(data, SECTIONS, last=2, every=1, config=CONFIG, command="test")


@pytest.fixture(scope="module")
def block_models(data: TrainingData, result: ForwardEvaluation) -> list[training.TrainResult]:
    """Each block's model trained again, apart from ``forward.evaluate``, on what is dated
    before the block's first day: what the report must agree with."""
    return [
        training.train(forward.known_before(data, block.days[0]), SECTIONS, config=CONFIG)
        for block in result.blocks
    ]


def _example(kind: Kind, date: str, group: str = "") -> Example:
    return Example("t", True, "LFM", 1.0, group, kind, "x", evaluable=True, date=date)


def test_a_days_model_knows_only_what_is_dated_before_it() -> None:
    rows = (
        _example(Kind.JUDGED, "2025-06-01", "2025-06-01"),
        _example(Kind.JUDGED, "2025-06-02", "2025-06-02"),  # the day itself: not yet known
        _example(Kind.CURATED, "2025-06-03", "2025-06-03"),
        _example(Kind.BACKGROUND, "2025-05-30"),
        _example(Kind.BACKGROUND, "2025-06-09"),
        _example(Kind.BACKGROUND, ""),  # nothing dates it: the bot's starting material
        _example(Kind.LIST, "2024-12-31"),
        _example(Kind.LIST, "2025-12-31"),  # a list entry of the day's year: maybe later
        _example(Kind.LABELLED, "", "2501.00001"),  # an undated verdict: left out
    )
    data = TrainingData(rows, ())
    kept = forward.known_before(data, "2025-06-02").examples
    assert [(ex.kind, ex.date) for ex in kept] == [
        (Kind.JUDGED, "2025-06-01"),
        (Kind.BACKGROUND, "2025-05-30"),
        (Kind.BACKGROUND, ""),
        (Kind.LIST, "2024-12-31"),
    ]
    assert forward.undated_labelled(data) == 1


def test_rows_carry_their_dates(data: TrainingData) -> None:
    by_kind: dict[Kind, set[str]] = {}
    for ex in data.examples:
        by_kind.setdefault(ex.kind, set()).add(ex.date)
    assert by_kind[Kind.JUDGED] - {""} == set(DAYS)
    assert all(d.startswith(("2024", "2025")) for d in by_kind[Kind.BACKGROUND])
    # The list's entries know their year only: dated at its end.
    assert all(d.endswith("-12-31") for d in by_kind[Kind.LIST] - {""})


def test_each_day_is_cut_at_its_own_models_threshold(
    data: TrainingData, result: ForwardEvaluation, block_models: list[training.TrainResult]
) -> None:
    """The report proposes a day's paper exactly when the model trained on the days before
    it, at the threshold it chose, proposes it (the shift keeps one figures definition)."""
    assert [d.day for d in result.report.days] == list(DAYS[3:])
    assert [b.days for b in result.blocks] == [(DAYS[3],), (DAYS[4],)]
    assert [b.trained_days for b in result.blocks] == [3, 4]
    assert result.every == 1 and result.undated == 1
    for block, day, trained in zip(result.blocks, result.report.days, block_models, strict=True):
        assert trained.threshold == block.threshold
        rows = [
            ex for ex in data.examples if ex.evaluable and ex.kind == Kind.JUDGED
            and ex.date == block.days[0]
        ]  # fmt: skip
        preds = Classifier(trained.model).predict_texts(
            [ex.paper_id or "" for ex in rows], [ex.text for ex in rows], ["" for _ in rows]
        )
        proposed = np.array([p.score >= trained.threshold for p in preds])
        relevant = np.array([bool(ex.relevant) for ex in rows])
        assert day.figures.papers == len(rows)
        assert day.figures.proposals == int(proposed.sum())
        assert day.figures.counts.tp == int((proposed & relevant).sum())
    overall = result.report.overall
    assert overall is not None and overall.threshold == result.offset
    assert overall.papers == sum(d.figures.papers for d in result.report.days)
    assert 0.0 < overall.f1 <= 1.0
    # The undated paper is scored nowhere; curated positives of the scored span are.
    assert overall.curated_n >= 0


def test_every_k_days_trains_once_per_block(data: TrainingData) -> None:
    assert forward.blocks_of(["a", "b", "c", "d", "e"], 2) == [("a", "b"), ("c", "d"), ("e",)]
    together = forward.evaluate(data, SECTIONS, last=2, every=2, config=CONFIG)
    assert [b.days for b in together.blocks] == [DAYS[3:]]
    assert together.blocks[0].trained_days == 3
    assert "in blocks of 2 days" in forward.describe(together)[0]


def test_too_few_earlier_days_says_why(data: TrainingData) -> None:
    with pytest.raises(
        InputError, match=r"at least 3 judged days before .* \(2 before\).*at most 2"
    ):
        forward.evaluate(data, SECTIONS, last=3, config=CONFIG)
    with pytest.raises(InputError, match="--every 0"):
        forward.evaluate(data, SECTIONS, last=2, every=0, config=CONFIG)


def test_cli_refuses_too_few_earlier_days_with_exit_2(
    labelled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = small_config(tmp_path)
    code = main(
        ["--config", str(config), "evaluate", "--forward", "--last", "4", "--no-encoder",
         "--labelled", str(labelled)]
    )  # fmt: skip
    assert code == 2
    assert "needs at least 3 judged days before the first" in capsys.readouterr().err
    assert main(["--config", str(config), "evaluate", "--every", "2"]) == 2


def test_cli_prints_the_forward_table_and_writes_json(
    labelled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "forward.json"
    code = main(
        ["--config", str(small_config(tmp_path)), "evaluate", "--forward", "--last", "2",
         "--every", "2", "--no-encoder", "--labelled", str(labelled), "--json", str(out)]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert DAYS[3] in printed and DAYS[4] in printed and "f1" in printed
    assert "in blocks of 2 days" in printed and "trained on 3 judged days" in printed
    assert "left out: 1 labelled papers without a date" in printed
    stored = ForwardEvaluation.from_json(json.loads(out.read_text()), str(out))
    assert [b.days for b in stored.blocks] == [DAYS[3:]] and stored.undated == 1
    assert stored.command.startswith("hfm-bot --config")


def test_the_card_shows_the_stored_forward_figures(
    result: ForwardEvaluation, tmp_path: Path
) -> None:
    meta = tmp_path / figures.META_FILE
    report = result.report
    meta.write_text(json.dumps({"figures": StoredFigures(report).to_json()}), encoding="utf-8")
    readme = tmp_path / "README.md"
    before = f"# card\n\n{card.EVALUATION_START}\nLOO\n{card.EVALUATION_END}\n\n## Promotion\n"
    readme.write_text(before, encoding="utf-8")
    card.add_forward(readme, result)
    once = readme.read_text(encoding="utf-8")
    stored = figures.stored(figures.read_meta(meta), str(meta)).forward
    assert stored == result
    # The card's section is rendered from what meta.json holds, after leave one day out.
    assert card.forward_block(stored) in once
    assert once.index(card.EVALUATION_END) < once.index(card.FORWARD_START)
    assert once.endswith("\n\n## Promotion\n")
    overall = report.overall
    assert overall is not None
    assert figures.figures_row("forward, at each model's own threshold", overall) in once
    # Every table row is a line of its own (the sentence after the table once ran on in its
    # last row, so markdown showed it as a ninth cell).
    rows = [line for line in once.splitlines() if line.startswith("| ")]
    assert rows and all(line.endswith("|") for line in rows)
    # Measured again: replaced in place, nothing else changes.
    card.add_forward(readme, result)
    assert readme.read_text(encoding="utf-8") == once


def test_a_broken_stored_forward_block_names_the_field() -> None:
    raw: JSON = {"days": ["2025-07-03"], "trained_days": "3", "threshold": 0.3,
           "threshold_rows": "judged days", "two_stages": True}  # fmt: skip
    with pytest.raises(InputError, match=r"meta\.json: forward\.blocks\[0\]: trained_days"):
        figures.ForwardBlock.from_json(raw, "meta.json: forward.blocks[0]")


def test_recent_labels_count_more_with_a_half_life() -> None:
    rows = (
        _example(Kind.JUDGED, "2025-06-30", "2025-06-30"),
        _example(Kind.JUDGED, "2025-05-31", "2025-05-31"),
        _example(Kind.CURATED, "2025-04-01", "2025-04-01"),
        _example(Kind.BACKGROUND, "2025-01-01"),  # the vocabulary's rows keep their weight
        _example(Kind.LIST, "2024-12-31"),
    )
    data = TrainingData(rows, ())
    assert weighted_by_age(data, None) is data
    weights = [ex.weight for ex in weighted_by_age(data, 30.0).examples]
    assert weights == pytest.approx([1.0, 0.5, 0.5 ** (90 / 30), 1.0, 1.0])


def test_the_recent_threshold_reads_only_the_latest_judged_days() -> None:
    """On the last two days the relevant papers score 0.6 and up and the others 0.5 or
    less; on the older day everything scores 0.2 to 0.3: the F1-best cut of all days sits
    lower than that of the recent two (which a cut between 0.5 and 0.6 separates)."""
    groups = np.array(["2025-06-01"] * 4 + ["2025-06-02"] * 4 + ["2025-06-03"] * 4, dtype=object)
    relevant = np.array([True, True, False, False] * 3)
    score = np.array([0.3, 0.25, 0.2, 0.2, 0.7, 0.6, 0.5, 0.1, 0.8, 0.65, 0.45, 0.1])
    kinds = np.array([Kind.JUDGED] * 12, dtype=object)
    recent = training.recent_threshold(kinds, groups, relevant, score, 2)
    assert 0.5 < recent <= 0.6
    assert training.recent_threshold(kinds, groups, relevant, score, 3) == 0.25
    # Recent days with no relevant paper cannot choose: all the judged days do.
    none = relevant & (groups == "2025-06-01")
    assert training.recent_threshold(kinds, groups, none, score, 2) == 0.25


def test_the_recipe_chooses_on_recent_days_and_weighs_by_age(data: TrainingData) -> None:
    """The two levers as recipe fields, through ``train``: the threshold from the two most
    recent judged days' out-of-fold scores, and verdicts weighted by age."""
    cfg = replace(
        CONFIG, threshold_recent_days=2, threshold_lower_of_both=False, label_half_life=30.0
    )
    trained = training.train(data, SECTIONS, config=cfg)
    assert trained.threshold_rows == "the 2 most recent judged days"
    assert card._threshold_target(trained) == (
        "maximum F1 on out-of-fold scores of the 2 most recent judged days"
    )
    m, oof = trained.matrix, trained.oof
    rows = oof.rows
    expected = training.recent_threshold(
        m.kinds[rows], m.groups[rows], m.relevant[rows], oof.score, 2
    )
    assert trained.threshold == expected
    weight = {
        ex.date: ex.weight
        for ex in trained.data.examples
        if ex.kind == Kind.JUDGED and ex.evaluable
    }
    # Halved per 30 days: 2025-05-01 to 2025-07-11 is 71 days.
    assert weight[DAYS[0]] / weight[DAYS[-1]] == pytest.approx(0.5 ** (71 / 30))
    # Age counts back from the newest verdict (a curated paper here), which counts in full.
    newest = max(ex.date for ex in trained.data.examples if ex.kind == Kind.CURATED)
    assert weight[DAYS[-1]] == pytest.approx(0.5 ** ((date(newest) - date(DAYS[-1])).days / 30))


def test_the_lower_of_both_thresholds(data: TrainingData) -> None:
    """``threshold_lower_of_both``: the recent days' F1-best cut, unless all judged days'
    is lower; the card says which rows chose it."""
    cfg = replace(CONFIG, threshold_recent_days=2, threshold_lower_of_both=True)
    trained = training.train(data, SECTIONS, config=cfg)
    m, oof = trained.matrix, trained.oof
    rows = oof.rows
    judged = m.kinds[rows] == Kind.JUDGED
    every = figures.best_f1_threshold(m.relevant[rows][judged], oof.score[judged])
    recent = training.recent_threshold(
        m.kinds[rows], m.groups[rows], m.relevant[rows], oof.score, 2
    )
    assert every != recent  # the five days do not agree: the rule has something to choose
    assert trained.threshold == min(every, recent)
    assert card._threshold_target(trained) == (
        "maximum F1 on out-of-fold scores of the lower cut: all judged days or the 2 most "
        "recent judged days"
    )


def date(iso: str) -> _date:
    return _date.fromisoformat(iso)


def test_a_young_list_chooses_on_all_its_days(block_models: list[training.TrainResult]) -> None:
    """With fewer judged days than the recipe's recent window, every day is recent: the
    threshold is all days' F1-best and the card says "judged days", not a window the list
    does not have yet. (The forward blocks' models learnt from 3 and 4 judged days, against
    the recipe's window of 9.)"""
    assert CONFIG.threshold_recent_days is not None
    for trained in block_models:
        days = {ex.date for ex in trained.data.examples if ex.kind == Kind.JUDGED}
        assert 0 < len(days - {""}) < CONFIG.threshold_recent_days
        assert trained.threshold_rows == "judged days"
        assert card._threshold_target(trained) == "maximum F1 on out-of-fold scores of judged days"
