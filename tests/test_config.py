"""Configuration: the shipped file loads; every mistake is reported by its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfm_bot import config
from hfm_bot.errors import ConfigError
from tests.conftest import REPO

GOOD = """
[target]
repository = "owner/list"
[sections]
LFM = "LFM methods"
survey = "Related survey"
[survey]
label = "survey"
"""


def test_shipped_config_fits_the_healthcare_list() -> None:
    settings = config.load(REPO / "hfm-bot.toml")
    assert [s.label for s in settings.sections] == ["LFM", "VFM", "BFM", "MFM", "survey"]
    assert settings.heading_for("BFM") == "BFM methods"
    assert settings.label_for("  related SURVEY ") == "survey"
    assert settings.survey_title_words == ("survey", "review", "overview")  # the default
    assert settings.list_path == "README.md"
    assert "cs.CV" in settings.arxiv_categories
    assert settings.threshold is None


def test_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD)
    settings = config.load(path)
    assert settings.base_branch == "main"
    assert settings.model_dir == str(tmp_path / "model")  # relative to the file
    assert settings.arxiv_categories == ()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[classifier]\nthreshhold = 0.5\n", "unknown key classifier.threshhold"),
        ("[classifier]\nthreshold = 'high'\n", "classifier.threshold must be float, not str"),
        ("[classifier]\nthreshold = 1.5\n", "classifier.threshold must be between 0 and 1"),
        ("[sources]\narxiv_categories = 'cs.CV'\n", "sources.arxiv_categories must be list"),
        ("[sourcez]\n", r"unknown table \[sourcez\]"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD + extra)
    with pytest.raises(ConfigError, match=message):
        config.load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sections]\nA = 'x'\n", "missing required table \\[target\\]"),
        (
            "[target]\nlist_path = 'R.md'\n[sections]\nA = 'x'\n",
            "missing required key target.repository",
        ),
        ("[target]\nrepository = 'nope'\n[sections]\nA = 'x'\n", "owner/name"),
        ("[target]\nrepository = 'o/n'\n", r"\[sections\] must map"),
        ("[target]\nrepository = 'o/n'\n[sections]\nA = 3\n", "sections.A must be a heading"),
        (GOOD.replace('label = "survey"', 'label = "reviews"'), "survey.label 'reviews'"),
        (
            GOOD.replace('label = "survey"', 'label = "survey"\ntitle_words = ["survey", " "]'),
            "survey.title_words must be non-empty words",
        ),
        ("[target\n", "not valid TOML"),
        (
            GOOD + "\n[proposing]\ntemplates_dir = 'nowhere'\n",
            "proposing.templates_dir .* is not a folder",
        ),
    ],
)
def test_structural_mistakes(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        config.load(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path / "absent.toml")
