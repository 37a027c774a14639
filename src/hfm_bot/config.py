"""Settings: the one place ``hfm-bot.toml`` is read and checked.

Everything specific to one awesome list (its repository, which headings are which sections,
what to watch) lives in the TOML file; the code knows only the shape. A wrong key or a wrong
type is reported with the key's full name, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hfm_bot.errors import ConfigError

DEFAULT_CONFIG_NAME = "hfm-bot.toml"


@dataclass(frozen=True, slots=True)
class SectionMap:
    """A section label the classifier predicts, and the list heading it stands for."""

    label: str
    heading: str


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated configuration."""

    repository: str
    """``owner/name`` of the repository holding the list."""
    list_path: str
    """Path of the list inside that repository."""
    base_branch: str
    api_url: str
    """GitHub's REST API (GitHub Enterprise, or a local server in tests)."""
    sections: tuple[SectionMap, ...]
    survey_label: str | None
    """Which section label holds surveys (a survey is judged by kind, not modality)."""
    survey_title_words: tuple[str, ...]
    """A paper whose title has one of these words is filed under ``survey_label``."""
    arxiv_categories: tuple[str, ...]
    biorxiv_subjects: tuple[str, ...]
    medrxiv_subjects: tuple[str, ...]
    threshold: float | None
    """Decision threshold override; None uses the one stored with the model."""
    arxiv_api_url: str
    arxiv_rss_url: str
    biorxiv_api_url: str
    biorxiv_rss_url: str
    arxiv_delay_seconds: float
    """arXiv asks for one request every 3 seconds."""
    arxiv_page_size: int
    timeout_seconds: float
    attempts: int
    backoff_seconds: float
    overlap_days: int
    state_file: str
    slice_days: int
    """A long window is fetched in slices of this many days (arXiv-friendly queries)."""
    silent_runs: int
    """After this many runs in a row with no arXiv papers on announcement days, open an issue."""
    branch: str
    """The bot's one rolling branch."""
    pr_labels: tuple[str, ...]
    max_entries: int
    """Entries per pull request; the rest wait for the next one, best first."""
    near_misses: int
    templates_dir: str | None
    """A folder whose entry.md.j2 / pr_body.md.j2 override the built-in templates."""
    model_dir: str
    labeled_data_dir: str
    source: Path
    """The file these settings came from, for messages."""

    # What the bot learns lives in labeled_data/, committed with the list's repository.
    @property
    def list_labels_file(self) -> Path:
        return Path(self.labeled_data_dir) / "list.jsonl"

    @property
    def decisions_file(self) -> Path:
        return Path(self.labeled_data_dir) / "decisions.jsonl"

    @property
    def waiting_file(self) -> Path:
        return Path(self.labeled_data_dir) / "waiting.jsonl"

    @property
    def labelled_file(self) -> Path:
        """Labelled papers with their text (judged days, curated positives, user labels)."""
        return Path(self.labeled_data_dir) / "labelled.jsonl.gz"

    @property
    def background_dir(self) -> Path:
        """Unlabelled papers: a seeded sample, and what the nightly keeps of each month."""
        return Path(self.labeled_data_dir) / "background"

    def background_files(self) -> list[Path]:
        return sorted(self.background_dir.glob("*.jsonl.gz"))

    def heading_for(self, label: str) -> str:
        for section in self.sections:
            if section.label == label:
                return section.heading
        raise ConfigError(f"{self.source}: no section labelled {label!r} in [sections]")

    def label_for(self, heading: str) -> str | None:
        wanted = heading.strip().casefold()
        for section in self.sections:
            if section.heading.strip().casefold() == wanted:
                return section.label
        return None


DEFAULT_SURVEY_WORDS = ("survey", "review", "overview")
"""Titles that name a survey. On the 36 judged days they find 17 of the 24 surveys, and 1 of
the 697 other relevant papers (the section model alone filed 12 of the 24 right)."""

# table -> key -> (expected type name, required)
_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "target": {
        "repository": ("str", True),
        "list_path": ("str", False),
        "base_branch": ("str", False),
        "api_url": ("str", False),
    },
    "sections": {},  # free labels -> heading strings; checked separately
    "survey": {"label": ("str", False), "title_words": ("list[str]", False)},
    "sources": {
        "arxiv_categories": ("list[str]", False),
        "biorxiv_subjects": ("list[str]", False),
        "medrxiv_subjects": ("list[str]", False),
        "arxiv_api_url": ("str", False),
        "arxiv_rss_url": ("str", False),
        "biorxiv_api_url": ("str", False),
        "biorxiv_rss_url": ("str", False),
        "arxiv_delay_seconds": ("float", False),
        "arxiv_page_size": ("int", False),
        "timeout_seconds": ("float", False),
        "attempts": ("int", False),
        "backoff_seconds": ("float", False),
        "overlap_days": ("int", False),
        "state_file": ("str", False),
        "slice_days": ("int", False),
    },
    "health": {"silent_runs": ("int", False)},
    "proposing": {
        "branch": ("str", False),
        "labels": ("list[str]", False),
        "max_entries": ("int", False),
        "near_misses": ("int", False),
        "templates_dir": ("str", False),
    },
    "classifier": {
        "threshold": ("float", False),
        "model_dir": ("str", False),
        "labeled_data_dir": ("str", False),
    },
}


def _templates_dir(source: Path, proposing: dict[str, Any]) -> str | None:
    """A templates folder that is not there would silently fall back to the built-in
    templates: name the key instead."""
    if "templates_dir" not in proposing:
        return None
    folder = _beside(source, proposing["templates_dir"])
    if not Path(folder).is_dir():
        raise ConfigError(f"{source}: proposing.templates_dir {folder!r} is not a folder")
    return folder


def _beside(config: Path, path: str) -> str:
    """Paths in the file are relative to the file, so the bot runs from any folder."""
    return str(config.parent / path) if not Path(path).is_absolute() else path


def _whole(
    table: dict[str, Any],
    key: str,
    default: int,
    low: int,
    high: int,
    source: Path,
    name: str = "sources",
) -> int:
    value = table.get(key, default)
    if int(value) != value or not low <= value <= high:
        raise ConfigError(f"{source}: {name}.{key} must be a whole number from {low} to {high}")
    return int(value)


def _check_type(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    raise AssertionError(kind)


def load(path: Path) -> Settings:
    """Read and validate a configuration file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ConfigError(
            f"{path}: configuration file not found (create it, or pass --config PATH)"
        ) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the configuration: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from err
    return from_mapping(raw, path)


def from_mapping(raw: dict[str, Any], source: Path) -> Settings:
    """Validate an already-parsed TOML document."""
    for table, value in raw.items():
        if table not in _SCHEMA:
            known = ", ".join(f"[{t}]" for t in _SCHEMA)
            raise ConfigError(f"{source}: unknown table [{table}] (known: {known})")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: {table} must be a table ([{table}])")
    for table, keys in _SCHEMA.items():
        if table == "sections":
            continue
        if table not in raw and any(required for _, required in keys.values()):
            raise ConfigError(f"{source}: missing required table [{table}]")
        given = raw.get(table, {})
        for key, value in given.items():
            if key not in keys:
                known = ", ".join(keys)
                raise ConfigError(f"{source}: unknown key {table}.{key} (known: {known})")
            kind, _ = keys[key]
            if not _check_type(value, kind):
                raise ConfigError(
                    f"{source}: {table}.{key} must be {kind}, not {type(value).__name__}"
                )
        for key, (_, required) in keys.items():
            if required and key not in given:
                raise ConfigError(f"{source}: missing required key {table}.{key}")

    target = raw["target"]
    repository = target["repository"]
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise ConfigError(f"{source}: target.repository must be 'owner/name', not {repository!r}")

    sections_raw = raw.get("sections")
    if not sections_raw:
        raise ConfigError(f"{source}: [sections] must map at least one label to a list heading")
    sections = []
    for label, heading in sections_raw.items():
        if not isinstance(heading, str) or not heading.strip():
            raise ConfigError(f"{source}: sections.{label} must be a heading (a non-empty string)")
        sections.append(SectionMap(label, heading.strip()))
    survey_label = raw.get("survey", {}).get("label")
    if survey_label is not None and survey_label not in sections_raw:
        raise ConfigError(f"{source}: survey.label {survey_label!r} is not a key of [sections]")
    title_words = tuple(raw.get("survey", {}).get("title_words", DEFAULT_SURVEY_WORDS))
    if any(not word.strip() for word in title_words):
        raise ConfigError(f"{source}: survey.title_words must be non-empty words")

    sources = raw.get("sources", {})
    proposing = raw.get("proposing", {})
    classifier = raw.get("classifier", {})
    threshold = classifier.get("threshold")
    if threshold is not None and not 0.0 < float(threshold) < 1.0:
        raise ConfigError(f"{source}: classifier.threshold must be between 0 and 1")
    return Settings(
        repository=repository,
        list_path=target.get("list_path", "README.md"),
        base_branch=target.get("base_branch", "main"),
        api_url=target.get("api_url", "https://api.github.com"),
        sections=tuple(sections),
        survey_label=survey_label,
        survey_title_words=title_words if survey_label is not None else (),
        arxiv_categories=tuple(sources.get("arxiv_categories", ())),
        biorxiv_subjects=tuple(sources.get("biorxiv_subjects", ())),
        medrxiv_subjects=tuple(sources.get("medrxiv_subjects", ())),
        threshold=None if threshold is None else float(threshold),
        arxiv_api_url=sources.get("arxiv_api_url", "https://export.arxiv.org/api/query"),
        arxiv_rss_url=sources.get("arxiv_rss_url", "https://rss.arxiv.org/rss"),
        biorxiv_api_url=sources.get("biorxiv_api_url", "https://api.biorxiv.org"),
        biorxiv_rss_url=sources.get(
            "biorxiv_rss_url", "http://connect.biorxiv.org/biorxiv_xml.php"
        ),
        arxiv_delay_seconds=float(sources.get("arxiv_delay_seconds", 3.0)),
        arxiv_page_size=_whole(sources, "arxiv_page_size", 500, 1, 2000, source),
        timeout_seconds=float(sources.get("timeout_seconds", 30.0)),
        attempts=_whole(sources, "attempts", 4, 1, 20, source),
        backoff_seconds=float(sources.get("backoff_seconds", 2.0)),
        overlap_days=_whole(sources, "overlap_days", 2, 0, 60, source),
        state_file=_beside(source, sources.get("state_file", "labeled_data/state.json")),
        slice_days=_whole(sources, "slice_days", 7, 1, 31, source),
        silent_runs=_whole(raw.get("health", {}), "silent_runs", 3, 1, 30, source, "health"),
        branch=proposing.get("branch", "hfm-bot/new-papers"),
        pr_labels=tuple(proposing.get("labels", ["hfm-bot"])),
        max_entries=_whole(proposing, "max_entries", 30, 1, 200, source, "proposing"),
        near_misses=_whole(proposing, "near_misses", 5, 0, 50, source, "proposing"),
        templates_dir=_templates_dir(source, proposing),
        model_dir=_beside(source, classifier.get("model_dir", "model")),
        labeled_data_dir=_beside(source, classifier.get("labeled_data_dir", "labeled_data")),
        source=source,
    )
