"""Sections by the kind of paper: the survey rule's abstract phrases, from the configuration
to the saved model, the out-of-fold sections that measure it, and the model card."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from hfm_bot import config, retrain
from hfm_bot.classifier import card, features, model, training
from hfm_bot.classifier.training_data import load_training_data
from hfm_bot.errors import ConfigError
from hfm_bot.labelled import Kind
from tests.conftest import BACKGROUND_SEED, REPO, SMALL_TRAINING, labelled_subset

SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]
PHRASES = ("this survey", "we review", "this paper systematically reviews")
RULE = model.TitleRule("survey", ("survey", "review", "overview"), PHRASES)
DAYS = {"2025-09-22", "2025-09-24"}
"""Two judged days, the second with a review titled without a title word (2509.18690,
"Advances in Large Language Models for Medicine": "This paper systematically reviews ...")."""

CONFIG = """
[target]
repository = "owner/list"
[sections]
LFM = "LFM methods"
survey = "Related survey"
[survey]
label = "survey"
"""


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> training.TrainResult:
    """A small real training run (the list, two judged days, the curated papers, 1,000
    background papers) with the rule and its phrases."""
    labelled = labelled_subset(tmp_path_factory.mktemp("sections") / "days.jsonl", DAYS)
    recipe = dataclasses.replace(SMALL_TRAINING, background_max=1000)
    data = load_training_data(
        list_labels=REPO / "labeled_data" / "list.jsonl",
        decisions=None,
        labelled=[labelled],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=recipe,
    )
    return training.train(data, SECTIONS, title_rule=RULE, config=recipe)


def test_phrases_file_a_survey_whose_title_does_not_say_so(
    trained: training.TrainResult,
) -> None:
    """The phrase reads the title and the abstract (across a line break too); a bare
    "review" in an abstract, or a phrase inside a longer word, does not count; scores are
    untouched."""
    title = "Vision-language models for radiology report generation"
    abstracts = [
        "This paper systematically reviews vision-language models that write chest X-ray reports.",
        "Reports are long. We\n review what vision-language models write from chest X-rays.",
        "Radiologists review the reports a vision-language model writes from chest X-rays.",
        "We reviewed nothing; this surveys chest X-ray reports of a vision-language model.",
    ]
    texts = [features.paper_text(title, a) for a in abstracts]
    ids = [str(i) for i in range(len(texts))]
    ruled = trained.model.predict_texts(ids, texts)
    bare = dataclasses.replace(trained.model, title_rule=None).predict_texts(ids, texts)
    assert [p.section for p in ruled[:2]] == ["survey", "survey"]
    assert [p.section for p in ruled[2:]] == [p.section for p in bare[2:]]
    assert "survey" not in [p.section for p in bare]  # what the section model alone does
    assert [p.score for p in ruled] == [p.score for p in bare]


def test_out_of_fold_sections_follow_the_phrases(trained: training.TrainResult) -> None:
    """Cross-validation files the held-out papers as the exported model does, so the
    figures measure the rule: the judged review with no title word is filed as a survey."""
    m, oof = trained.matrix, trained.oof
    at = {m.ids[row]: i for i, row in enumerate(oof.rows) if m.kinds[row] == Kind.JUDGED}
    assert oof.section[at["2509.18690"]] == "survey"
    anywhere = model.TitleRule("survey", (), PHRASES)
    for row, section in zip(oof.rows, oof.section, strict=True):
        if anywhere.sections([m.texts[row]], ["none"]) == ["survey"]:
            assert section == "survey", m.ids[row]


def test_the_rule_is_saved_loaded_and_described(
    trained: training.TrainResult, tmp_path: Path
) -> None:
    trained.model.save(tmp_path)
    assert model.load(tmp_path).title_rule == RULE
    header = json.loads((tmp_path / model.MODEL_FILE).read_text())
    assert header["title_rule"]["abstract_phrases"] == list(PHRASES)
    # A model saved before the phrases existed (title words alone) loads with none.
    del header["title_rule"]["abstract_phrases"]
    header["header_sha256"] = model.header_checksum(header)
    (tmp_path / model.MODEL_FILE).write_text(json.dumps(header))
    old = model.load(tmp_path).title_rule
    assert old == model.TitleRule("survey", RULE.words, ())
    sentence = card._by_title(RULE, 2.0)
    assert '"this paper systematically reviews"' in sentence
    assert "abstract" in sentence
    assert "abstract" not in card._by_title(old, 2.0)


def test_configured_phrases_reach_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CONFIG + 'abstract_phrases = ["this survey", "we review"]\n')
    settings = config.load(path)
    assert retrain.title_rule(settings) == model.TitleRule(
        "survey", ("survey", "review", "overview"), ("this survey", "we review")
    )
    path.write_text(CONFIG + "title_words = []\n")
    assert retrain.title_rule(config.load(path)) is None  # no words, no phrases: no rule
    shipped = retrain.title_rule(config.load(REPO / "hfm-bot.toml"))
    assert shipped is not None and shipped.abstract_phrases == config.SURVEY_PHRASES


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('abstract_phrases = ["this survey", "  "]\n', "survey.abstract_phrases must be non-empty"),
        ('abstract_phrases = "this survey"\n', "survey.abstract_phrases must be list"),
    ],
)
def test_bad_phrases_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(CONFIG + extra)
    with pytest.raises(ConfigError, match=message) as info:
        config.load(path)
    assert str(path) in str(info.value)


def test_a_new_list_gets_the_phrases(tmp_path: Path) -> None:
    """``init`` writes the phrases into a new list's ``[survey]``, so its surveys are filed
    by them too, and a maintainer sees them to edit."""
    draft = config.Draft(
        repository="o/n",
        list_path="README.md",
        base_branch="main",
        title="Awesome Things",
        topic="about things",
        headings=(
            config.HeadingCount("Methods", 2, 30, "methods"),
            config.HeadingCount("Reviews", 2, 5, "reviews"),
        ),
        survey_label="reviews",
        arxiv_categories=("cs.CV",),
        categories_note="given",
        origin="a list",
    )
    path = tmp_path / "hfm-bot.toml"
    path.write_text(config.render_draft(draft), encoding="utf-8")
    rule = retrain.title_rule(config.load(path))
    assert rule is not None and rule.label == "reviews"
    assert rule.abstract_phrases == config.SURVEY_PHRASES
