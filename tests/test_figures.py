"""One definition of each figure (hfm_bot.classifier.figures), and the tables made of them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hfm_bot.classifier import card, figures, gate
from hfm_bot.classifier.figures import Counts, Figures, Scored
from hfm_bot.classifier.head import SecondOpinion
from hfm_bot.classifier.recipe import DEFAULT_TRAINING
from hfm_bot.errors import InputError
from hfm_bot.labelled import Kind

REPO = Path(__file__).resolve().parent.parent


def _scored() -> Scored:
    """Two judged days and two curated positives, with every case the figures count:
    a correct proposal in the wrong section on a judged day, and a curated positive
    proposed in the wrong section (which section accuracy must not count)."""
    rows = [
        # kind, day, relevant, section, score, predicted
        ("judged", "d1", True, "MFM", 0.9, "MFM"),
        ("judged", "d1", True, "VFM", 0.8, "LFM"),  # proposed, wrong section
        ("judged", "d1", False, "", 0.7, "LFM"),  # a wrong proposal
        ("judged", "d1", True, "LFM", 0.1, "LFM"),  # missed
        ("judged", "d2", True, "BFM", 0.6, "BFM"),
        ("judged", "d2", False, "", 0.2, "MFM"),
        ("curated", "c", True, "LFM", 0.9, "VFM"),  # proposed, wrong section: not counted
        ("curated", "c", True, "MFM", 0.3, "MFM"),  # not proposed
        ("decision", "n1", True, "MFM", 0.55, "MFM"),
    ]
    kind, day, relevant, section, score, predicted = zip(*rows, strict=True)
    return Scored(
        kind=np.array(kind, dtype=object),
        group=np.array(day, dtype=object),
        relevant=np.array(relevant),
        section=np.array(section, dtype=object),
        score=np.array(score),
        predicted_section=np.array(predicted, dtype=object),
    )


def test_each_figure_counts_the_rows_its_definition_names() -> None:
    f = figures.measure(_scored(), 0.5)
    assert f is not None
    assert (f.papers, f.relevant, f.days) == (6, 4, 2)
    assert f.counts == Counts(tp=3, fp=1, fn=1)
    assert (f.precision, f.recall, f.f1) == (0.75, 0.75, 0.75)
    assert f.proposals_per_day == 2.0
    # Day 1: tp 2, fp 1, fn 1 -> F1 4/6; day 2: tp 1 -> F1 1.
    assert f.mean_daily_f1 == pytest.approx((4 / 6 + 1) / 2)
    # The judged correct proposals only: MFM right, VFM filed as LFM, BFM right. The curated
    # positive filed in the wrong section does not count (before, one report counted it).
    assert (f.section_correct, f.section_n) == (2, 3)
    assert f.section_accuracy == pytest.approx(2 / 3)
    assert (f.curated_found, f.curated_n, f.curated_recall) == (1, 2, 0.5)
    assert f.average_precision == pytest.approx(
        float(np.mean([1.0, 1.0, 3 / 4, 4 / 6]))  # ranks 1, 2, 4, 6 of the judged rows
    )


def test_the_gate_and_the_report_give_the_same_figures() -> None:
    """The card once showed section accuracy 0.913 (the report, every row kind) and 0.909
    (the gate, the judged days) for the same model: both now read one value."""
    scored = _scored()
    report = figures.report(scored, 0.5)
    verdict = gate.judge(scored, 0.5, None)
    assert report.overall == verdict.candidate.judged
    assert f"| section accuracy | - | {2 / 3:.3f} |" in gate.table(verdict)
    decisions = verdict.candidate.decisions
    assert decisions is not None and (decisions.papers, decisions.counts.tp) == (1, 1)
    assert [d.day for d in report.days] == ["d1", "d2"]
    day1 = report.days[0].figures
    assert (day1.counts, day1.curated_n, day1.days) == (Counts(2, 1, 1), 0, 1)
    assert day1.mean_daily_f1 == day1.f1


def test_undefined_figures_are_none_not_zero() -> None:
    scored = _scored()
    nothing_relevant = Scored(
        kind=scored.kind[:1],
        group=scored.group[:1],
        relevant=np.array([False]),
        section=np.array([""], dtype=object),
        score=np.array([0.1]),
        predicted_section=scored.predicted_section[:1],
    )
    f = figures.measure(nothing_relevant, 0.5)
    assert f is not None
    assert (f.average_precision, f.section_accuracy, f.curated_recall) == (None, None, None)
    assert (f.precision, f.recall, f.f1) == (0.0, 0.0, 0.0)
    assert figures.measure(nothing_relevant, 0.5, Kind.DECISION) is None


def test_stored_figures_round_trip_through_json() -> None:
    scored = _scored()
    report = figures.report(scored, 0.5)
    point = figures.learning_point(scored, 2)
    evaluation = figures.Evaluation(
        figures.CROSS_VALIDATED_MODE, "hfm-bot evaluate", report, report, (point,)
    )
    alone = figures.measure(scored, 0.3)
    stored = figures.StoredFigures(report, alone, evaluation)
    raw = json.loads(json.dumps(stored.to_json()))
    assert figures.StoredFigures.from_json(raw, "meta.json") == stored
    # The derived figures are written for a reader of the file, and recomputed on reading.
    assert raw["cross_validated"]["overall"]["f1"] == 0.75
    raw["cross_validated"]["overall"]["f1"] = 0.99
    again = figures.StoredFigures.from_json(raw, "meta.json")
    assert again.cross_validated.overall is not None
    assert again.cross_validated.overall.f1 == 0.75


def test_a_damaged_figure_is_named() -> None:
    f = figures.measure(_scored(), 0.5)
    assert f is not None
    raw = f.to_json()
    raw["tp"] = "three"
    with pytest.raises(InputError, match=r"meta\.json: figures\.cross_validated: tp is not"):
        Figures.from_json(raw, "meta.json: figures.cross_validated")
    with pytest.raises(InputError, match="no figures"):
        figures.stored({"threshold": 0.5}, "old/meta.json")


def test_the_readme_table_is_what_the_committed_model_renders() -> None:
    """The README's table of figures is generated from model/meta.json (`hfm-bot evaluate
    --card model/README.md --readme README.md` writes both); an edit by hand, or a new
    model without it, fails here."""
    stored = figures.stored(figures.read_meta(REPO / "model" / "meta.json"), "model/meta.json")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = figures.between_markers(readme, "README.md")
    assert readme[start:end] == "\n" + figures.summary_table(stored) + "\n"
    # The card shows the same table (its cross-validated or its leave-one-day-out figures).
    assert figures.summary_table(stored) in (REPO / "model" / "README.md").read_text()


def test_putting_the_table_keeps_every_other_byte(tmp_path: Path) -> None:
    meta = tmp_path / "meta.json"
    report = figures.report(_scored(), 0.5)
    meta.write_text(json.dumps({"figures": figures.StoredFigures(report).to_json()}))
    readme = tmp_path / "README.md"
    before = f"# x \n\nsome text\t\n{figures.TABLE_START}\nold\n{figures.TABLE_END}\n tail  \n"
    readme.write_text(before)
    card.put_summary(readme, meta)
    after = readme.read_text()
    table = figures.summary_table(figures.StoredFigures(report))
    assert after == before.replace("\nold\n", "\n" + table + "\n")
    card.put_summary(readme, meta)
    assert readme.read_text() == after
    readme.write_text("# no markers\n")
    with pytest.raises(InputError, match=r"README\.md: no place for the figures"):
        card.put_summary(readme, meta)
    assert readme.read_text() == "# no markers\n"


def test_the_card_says_how_the_blend_is_calibrated() -> None:
    """Platt scaling of the blend, read from the shipped head, and what its threshold means;
    the weights of the training recipe read from their constants."""
    head = SecondOpinion.load(REPO / "model")
    assert head is not None
    text = card._calibration(head)
    assert "**Platt scaling**" in text and f"σ({head.scale:.3f} z" in text
    assert f"**{head.threshold:.4f}**" in text and f"about {head.threshold:.0%} of the time" in text
    committed = (REPO / "model" / "README.md").read_text()
    assert text in committed
    assert f"title-only at {card._times(DEFAULT_TRAINING.title_only_weight)}\nweight" in committed
    assert f"at\n{card._times(DEFAULT_TRAINING.background_weight)} of the weight" in committed
    assert (
        f"count {card._times(DEFAULT_TRAINING.judged_section_weight)} in the section model"
        in committed
    )
    assert [card._times(w) for w in (0.5, 0.1, 2.0, 0.3)] == [
        "half",
        "a tenth",
        "twice",
        "0.3 times",
    ]
