"""Settings: the one place ``hfm-bot.toml`` is read and checked.

Everything specific to one awesome list (its repository, which headings are which sections,
what to watch) lives in the TOML file; the code knows only the shape. A wrong key or a wrong
type is reported with the key's full name, so a typo never silently falls back to a default.

Each key is declared once, as a field of :class:`Settings`: its type is the field's, and its
table, default, range and help are the field's metadata (:func:`key`). Loading, checking and
the README's table (:func:`markdown_table`, kept in step by tests/test_docs.py) all read that
declaration, so a new key is one field.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hfm_bot.classifier.defining_terms import TermsError, term_of
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, ColdStart, TrainingConfig
from hfm_bot.errors import ConfigError

DEFAULT_CONFIG_NAME = "hfm-bot.toml"
REQUIRED: Any = object()
"""The default of a key the file must give."""


@dataclass(frozen=True, slots=True)
class SectionMap:
    """A section label the classifier predicts, and the list heading it stands for."""

    label: str
    heading: str


@dataclass(frozen=True, slots=True)
class Key:
    """Where a setting lives in the TOML file, and what it may be."""

    table: str
    default: Any
    help: str
    name: str = ""
    """The key's name in its table, when it differs from the field's."""
    low: float | None = None
    high: float | None = None
    open_range: bool = False
    """``low`` and ``high`` themselves are refused."""
    path: bool = False
    """A path, relative to the configuration file."""
    shown_default: str = ""
    """The default as the README says it, when ``repr`` would not do."""


def key(table: str, default: Any, help: str, **options: Any) -> Any:
    """A field of :class:`Settings` read from ``[table]``."""
    return dataclasses.field(metadata={"key": Key(table, default, help, **options)})


def _derived(help: str, row: str = "", default: str = "") -> Any:
    """A field computed from other keys (or the file itself), not read as one key."""
    return dataclasses.field(metadata={"derived": (row, help, default)})


SURVEY_PHRASES = (
    "this survey",
    "survey paper",
    "this review",
    "we review",
    "we survey",
    "this paper reviews",
    "systematically reviews",
    "scoping review",
    "position paper",
)
"""The abstract phrases ``init`` writes into a new list's ``[survey]``: how surveys, reviews
and position papers describe themselves in English, whatever the topic (on the healthcare
list's 36 judged days they file 3 more of the 24 surveys and none of the 697 other relevant
papers; benchmarks/results/sections.md)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated configuration: every key of ``hfm-bot.toml``, declared here once."""

    source: Path = dataclasses.field(
        metadata={"derived": ("", "the file these settings came from, for messages", "")}
    )
    repository: str = key("target", REQUIRED, "`owner/name` of the repository holding the list")
    list_path: str = key("target", "README.md", "the list's path in that repository")
    base_branch: str = key("target", "main", "the branch pull requests go to")
    api_url: str = key(
        "target",
        "https://api.github.com",
        "GitHub's REST API (Enterprise, or a local server in tests)",
    )
    list_title: str | None = key(
        "list", None, "the list's title (its `#` heading), as the model card names it", name="title"
    )
    list_topic: str | None = key(
        "list",
        None,
        "what a paper must be about to belong in the list, in words, for the model card "
        '(e.g. "about a foundation model *and* about medicine")',
        name="topic",
    )
    sections: tuple[SectionMap, ...] = _derived(
        '`LABEL = "heading"`: the section labels the classifier predicts and the list '
        "headings they stand for",
        row="`[sections]`",
        default="required",
    )
    survey_label: str | None = key(
        "survey", None, "which of those labels holds surveys and reviews", name="label"
    )
    survey_title_words: tuple[str, ...] = key(
        "survey",
        ("survey", "review", "overview"),
        "a proposed paper whose title has one of these words (whole words, any case) is filed "
        "under `survey.label`, whatever its modality (on the 36 judged days they find 17 of the "
        "24 surveys, and 1 of the 697 other relevant papers)",
        name="title_words",
    )
    survey_abstract_phrases: tuple[str, ...] = key(
        "survey",
        (),
        "a proposed paper whose title or abstract has one of these phrases (whole words, any "
        'case), such as "this survey" or "we review", is filed under `survey.label` too: '
        "surveys whose titles lack the title words say what they are in their abstracts",
        name="abstract_phrases",
    )
    arxiv_categories: tuple[str, ...] = key("sources", (), "arXiv categories to watch")
    biorxiv_subjects: tuple[str, ...] = key("sources", (), "bioRxiv subjects to watch")
    medrxiv_subjects: tuple[str, ...] = key("sources", (), "medRxiv subjects to watch")
    arxiv_api_url: str = key(
        "sources", "https://export.arxiv.org/api/query", "arXiv's API (tests: 127.0.0.1)"
    )
    arxiv_rss_url: str = key("sources", "https://rss.arxiv.org/rss", "arXiv's RSS feeds")
    biorxiv_api_url: str = key("sources", "https://api.biorxiv.org", "bioRxiv's API")
    biorxiv_rss_url: str = key(
        "sources", "http://connect.biorxiv.org/biorxiv_xml.php", "bioRxiv/medRxiv RSS feeds"
    )
    arxiv_delay_seconds: float = key(
        "sources", 3.0, "seconds between arXiv API requests (arXiv asks for 3)"
    )
    arxiv_page_size: int = key("sources", 500, "papers per arXiv API page", low=1, high=2000)
    timeout_seconds: float = key("sources", 30.0, "every request's timeout")
    attempts: int = key("sources", 4, "tries per request, in all", low=1, high=20)
    backoff_seconds: float = key(
        "sources", 2.0, "first backoff (doubled each retry, with jitter; Retry-After honoured)"
    )
    overlap_days: int = key(
        "sources", 2, "days re-fetched before each source's watermark", low=0, high=60
    )
    state_file: str = key(
        "sources", "labeled_data/state.json", "where the watermarks live", path=True
    )
    slice_days: int = key(
        "sources",
        7,
        "a long window (a backfill) is fetched in slices of this many days",
        low=1,
        high=31,
    )
    silent_runs: int = key(
        "health",
        3,
        "after this many runs in a row with no arXiv papers on announcement days, open an issue",
        low=1,
        high=30,
    )
    branch: str = key("proposing", "hfm-bot/new-papers", "the bot's one rolling branch")
    pr_labels: tuple[str, ...] = key(
        "proposing", ("hfm-bot",), "the labels of its pull request", name="labels"
    )
    max_entries: int = key(
        "proposing",
        30,
        "entries per pull request (the rest wait for the next, best first)",
        low=1,
        high=200,
    )
    near_misses: int = key(
        "proposing", 5, "near misses listed in the PR body to tick", low=0, high=50
    )
    templates_dir: str | None = key(
        "proposing",
        None,
        "a folder whose `entry.md.j2` / `pr_body.md.j2` override the built-in templates",
        path=True,
    )
    threshold: float | None = key(
        "classifier",
        None,
        "decision threshold override",
        low=0.0,
        high=1.0,
        open_range=True,
        shown_default="the model's own",
    )
    model_dir: str = key("classifier", "model", "where the model lives", path=True)
    labeled_data_dir: str = key(
        "classifier", "labeled_data", "where the labelled data lives", path=True
    )
    background_band: float = key(
        "classifier",
        0.1,
        "a paper under the threshold joins the night's background sample (weak negatives for "
        "the next retrain) only when it scores under this share of the threshold: the band "
        "just under it holds most relevant papers the bot missed (1.0: every paper under the "
        "threshold; 0: no night background)",
        low=0.0,
        high=1.0,
    )
    # (RUF009: _derived returns a field without a default, not a shared instance.)
    training: TrainingConfig = _derived(  # noqa: RUF009
        "the training recipe's numbers, by name (e.g. `vocabulary = 5000`, "
        "`relevance_conjunction_terms = 20`, `threshold_folds = 2`; every whole-number or "
        "decimal field of `TrainingConfig` in `hfm_bot/classifier/recipe.py`), and in "
        "`[training.cold]` the cold start's (`ColdStart`: e.g. `night_share = true` counts each "
        "night from the list's scope): for experiments and small test models; the shipped "
        "model is trained with none",
        row="`[training]`",
        default="the shipped recipe",
    )

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

    def label_for(self, heading: str | Sequence[str]) -> str | None:
        """The label of a heading, or of the innermost configured heading on a heading path
        (outermost first), so a configured ``## Heading`` collects its subsections' entries.
        A configured heading may be a path itself, ``Parent > Heading``, for one of two equal
        headings."""
        path = [heading] if isinstance(heading, str) else list(heading)
        folded = [h.strip().casefold() for h in path]
        for depth in range(len(folded), 0, -1):
            for section in self.sections:
                wanted = [p.strip().casefold() for p in section.heading.split(" > ")]
                if len(wanted) <= depth and folded[depth - len(wanted) : depth] == wanted:
                    return section.label
        return None


def _keys() -> list[tuple[str, Key, Any]]:
    """(field name, its key, its type) of every key, in declaration order."""
    hints = typing.get_type_hints(Settings)
    return [
        (f.name, f.metadata["key"], hints[f.name])
        for f in dataclasses.fields(Settings)
        if "key" in f.metadata
    ]


def _toml_name(field: str, k: Key) -> str:
    return f"{k.table}.{k.name or field}"


def _base(kind: Any) -> Any:
    """The type a key's value must have in the file: ``X | None`` is X; tuples are lists."""
    if isinstance(kind, types.UnionType):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    return list if typing.get_origin(kind) is tuple else kind


def _type_name(kind: Any) -> str:
    base = _base(kind)
    return "list[str]" if base is list else base.__name__


def _has_type(value: Any, kind: Any) -> bool:
    base = _base(kind)
    if isinstance(value, bool):
        return base is bool
    if base is float:
        return isinstance(value, int | float)
    if base is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, base)


def _value(field: str, k: Key, kind: Any, given: dict[str, Any], source: Path) -> Any:
    """One key's checked value (or its default), converted to the field's type."""
    name = _toml_name(field, k)
    if (k.name or field) not in given:
        if k.default is REQUIRED:
            raise ConfigError(f"{source}: missing required key {name}")
        value = k.default
    else:
        value = given[k.name or field]
        if not _has_type(value, kind):
            raise ConfigError(
                f"{source}: {name} must be {_type_name(kind)}, not {type(value).__name__}"
            )
    if value is None:
        return None
    if k.low is not None and k.high is not None:
        inside = k.low < value < k.high if k.open_range else k.low <= value <= k.high
        if _base(kind) is int and not inside:
            raise ConfigError(
                f"{source}: {name} must be a whole number from {k.low:g} to {k.high:g}"
            )
        if not inside:
            raise ConfigError(f"{source}: {name} must be between {k.low:g} and {k.high:g}")
    if _base(kind) is list:
        return tuple(value)
    if _base(kind) is float:
        return float(value)
    if k.path:
        return _beside(source, value)
    return value


def _beside(config: Path, path: str) -> str:
    """Paths in the file are relative to the file, so the bot runs from any folder."""
    return str(config.parent / path) if not Path(path).is_absolute() else path


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
    keys = _keys()
    tables: dict[str, set[str]] = {"sections": set(), "training": set(_training_keys())}
    for field, k, _ in keys:
        tables.setdefault(k.table, set()).add(k.name or field)
    for table, value in raw.items():
        if table not in tables:
            known = ", ".join(f"[{t}]" for t in tables)
            raise ConfigError(f"{source}: unknown table [{table}] (known: {known})")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: {table} must be a table ([{table}])")
        unknown = [name for name in value if table != "sections" and name not in tables[table]]
        if unknown and table == "training":
            known = ", ".join(sorted(tables[table]))
            raise ConfigError(f"{source}: unknown key training.{unknown[0]} (known: {known})")
        if unknown:
            known = ", ".join(n for f, k, _ in keys if k.table == table for n in [k.name or f])
            raise ConfigError(f"{source}: unknown key {table}.{unknown[0]} (known: {known})")
    for table in tables:
        required = [k for f, k, _ in keys if k.table == table and k.default is REQUIRED]
        if required and table not in raw:
            raise ConfigError(f"{source}: missing required table [{table}]")
    values = {
        field: _value(field, k, kind, raw.get(k.table, {}), source) for field, k, kind in keys
    }
    values["training"] = _training(raw.get("training", {}), source)
    return _checked(values, raw.get("sections"), source)


def _training_keys() -> dict[str, type]:
    """The keys a ``[training]`` table may set: the recipe's whole numbers and decimals, and
    ``cold`` (the table ``[training.cold]``, the cold start's knobs)."""
    return {**_number_fields(TrainingConfig), "cold": dict}


def _number_fields(cls: type) -> dict[str, type]:
    """A recipe's fields a table may set: its switches, whole numbers and decimals (``int |
    None`` too: none is not said in TOML, so the table sets a number)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, type] = {}
    for f in dataclasses.fields(cls):
        kind = hints[f.name]
        if isinstance(kind, types.UnionType):
            kind = next(a for a in typing.get_args(kind) if a is not type(None))
        if kind in (int, float, bool):
            out[f.name] = kind
    return out


def _numbers(given: dict[str, Any], kinds: dict[str, type], where: str) -> dict[str, Any]:
    """The table's values, each of its field's kind, a number above zero."""
    values: dict[str, Any] = {}
    for name, value in given.items():
        if name not in kinds:
            known = ", ".join(sorted(kinds))
            raise ConfigError(f"{where}.{name}: unknown key (known: {known})")
        kind = kinds[name]
        if kind is bool:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}.{name} must be true or false, not {value!r}")
            values[name] = value
            continue
        right = isinstance(value, int) if kind is int else isinstance(value, int | float)
        if isinstance(value, bool) or not right:
            raise ConfigError(f"{where}.{name} must be {kind.__name__}, not {type(value).__name__}")
        if value <= 0:
            raise ConfigError(f"{where}.{name} must be above 0, not {value}")
        values[name] = kind(value)
    return values


def _defining_terms(words: object, where: str) -> tuple[str, ...]:
    """``defining_terms``: a list of words and two-word phrases (an empty list: no gate),
    each as the gate stores it (lower-cased, singular, a phrase without its stop words)."""
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(
            f"{where}.defining_terms must be a list of words or two-word phrases "
            f'(e.g. ["mixture of experts", "moe"]), not {words!r}'
        )
    try:
        return tuple(dict.fromkeys(term_of(w) for w in words))
    except TermsError as err:
        raise ConfigError(f"{where}.defining_terms: {err}") from err


def _training(given: dict[str, Any], source: Path) -> TrainingConfig:
    """The recipe with the table's numbers (and ``[training.cold]``'s): each of the right
    kind, a number above zero."""
    cold = given.get("cold", {})
    if not isinstance(cold, dict):
        raise ConfigError(f"{source}: training.cold must be a table ([training.cold])")
    rest = {k: v for k, v in given.items() if k != "cold"}
    values = _numbers(rest, _number_fields(TrainingConfig), f"{source}: training")
    words = cold.get("defining_terms")
    cold = {k: v for k, v in cold.items() if k != "defining_terms"}
    kinds = _number_fields(ColdStart)
    cold_values = _numbers(cold, {**kinds, "defining_terms": list}, f"{source}: training.cold")
    if words is not None:
        cold_values["defining_terms"] = _defining_terms(words, f"{source}: training.cold")
    try:
        cold_start = dataclasses.replace(DEFAULT_TRAINING.cold, **cold_values)
    except ValueError as err:
        raise ConfigError(f"{source}: training.cold: {err}") from err
    return dataclasses.replace(DEFAULT_TRAINING, **values, cold=cold_start)


def _checked(values: dict[str, Any], sections_raw: Any, source: Path) -> Settings:
    """The checks that span keys, or read more than a key's type and range."""
    repository = values["repository"]
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise ConfigError(f"{source}: target.repository must be 'owner/name', not {repository!r}")
    if not sections_raw:
        raise ConfigError(f"{source}: [sections] must map at least one label to a list heading")
    sections = []
    for label, heading in sections_raw.items():
        if not isinstance(heading, str) or not heading.strip():
            raise ConfigError(f"{source}: sections.{label} must be a heading (a non-empty string)")
        sections.append(SectionMap(label, heading.strip()))
    survey_label = values["survey_label"]
    if survey_label is not None and survey_label not in sections_raw:
        raise ConfigError(f"{source}: survey.label {survey_label!r} is not a key of [sections]")
    if any(not word.strip() for word in values["survey_title_words"]):
        raise ConfigError(f"{source}: survey.title_words must be non-empty words")
    if any(not phrase.strip() for phrase in values["survey_abstract_phrases"]):
        raise ConfigError(f"{source}: survey.abstract_phrases must be non-empty phrases")
    if survey_label is None:
        values["survey_title_words"] = ()
        values["survey_abstract_phrases"] = ()
    folder = values["templates_dir"]
    if folder is not None and not Path(folder).is_dir():
        # A folder that is not there would silently fall back to the built-in templates.
        raise ConfigError(f"{source}: proposing.templates_dir {folder!r} is not a folder")
    return Settings(**values, sections=tuple(sections), source=source)


def markdown_table() -> str:
    """The README's table of keys, from their declaration."""
    rows = ["| key | meaning | default |", "| --- | --- | --- |"]
    keys = {f: k for f, k, _ in _keys()}
    for f in dataclasses.fields(Settings):
        if "derived" in f.metadata:
            row, help, default = f.metadata["derived"]
            if row:
                rows.append(f"| {row} | {help} | {default} |")
            continue
        k = keys[f.name]
        rows.append(f"| `{_toml_name(f.name, k)}` | {_meaning(k)} | {_shown(k)} |")
    return "\n".join(rows) + "\n"


def _meaning(k: Key) -> str:
    if k.low is None or k.high is None:
        return k.help
    return f"{k.help} ({k.low:g} to {k.high:g}{', both excluded' if k.open_range else ''})"


def _shown(k: Key) -> str:
    if k.shown_default:
        return k.shown_default
    if k.default is REQUIRED:
        return "required"
    if k.default is None or k.default == ():
        return "none"
    if isinstance(k.default, tuple):
        return "`[" + ", ".join(f'"{v}"' for v in k.default) + "]`"
    return f"`{k.default}`"


@dataclass(frozen=True, slots=True)
class HeadingCount:
    """A heading of the list as ``init`` saw it: how many paper entries it holds (its own and
    its subsections'), and the section label it became, if any."""

    heading: str
    level: int
    entries: int
    label: str | None = None
    within: str | None = None
    """For a subsection holding entries: the section heading they count with."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What ``hfm-bot init`` learnt of a list, to write as a new ``hfm-bot.toml``."""

    repository: str
    list_path: str
    base_branch: str
    title: str | None
    topic: str | None
    headings: tuple[HeadingCount, ...]
    survey_label: str | None
    arxiv_categories: tuple[str, ...]
    categories_note: str
    """Where the categories came from (how many entries were found, and each one's share)."""
    origin: str
    """The list it was drawn from, for the file's header."""
    api_url: str | None = None
    arxiv_api_url: str | None = None
    max_entries: int | None = None
    """The PR's cap measured on the window (``init`` after training), with why."""
    max_entries_note: str = ""


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped (TOML refuses
    raw ones, DEL included), everything else kept as written, whatever the language."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def toml_key(name: str) -> str:
    return name if name and set(name) <= _BARE_KEY else toml_string(name)


def _comment(text: str) -> str:
    return " ".join(text.split())


def render_draft(draft: Draft) -> str:
    """A new configuration, with comments showing the maintainer what each heading holds, so
    the sections it chose can be checked (and renamed) at a glance. :func:`load` reads it back
    (tests/test_init.py holds that)."""
    title = _comment(draft.title or draft.origin)
    lines = [
        f"# hfm-bot's configuration for {title}, written by `hfm-bot init` from",
        f"# {_comment(draft.origin)}. Everything specific to the list lives here: check the",
        "# sections below (rename a label, drop a heading that is not a paper section), then",
        "# `hfm-bot labels import-list` and `hfm-bot train` again after an edit.",
        "",
        "[target]",
        f"repository = {toml_string(draft.repository)}",
        f"list_path = {toml_string(draft.list_path)}",
        f"base_branch = {toml_string(draft.base_branch)}",
    ]
    if draft.api_url:
        lines.append(f"api_url = {toml_string(draft.api_url)}")
    lines += ["", "[list]", "# How the model card names the list and what its papers are about."]
    if draft.title:
        lines.append(f"title = {toml_string(draft.title)}")
    if draft.topic:
        lines.append(f"topic = {toml_string(draft.topic)}")
    lines += [
        "",
        "[sections]",
        "# Section label (what the classifier predicts) = the list heading it stands for.",
        "# Every heading of the list, with the paper entries under it (### subsections count",
        "# with their ## section, unless one ## holds every paper); the headings with entries",
        "# are the sections.",
    ]
    for h in draft.headings:
        indent = "  " * max(h.level - 1, 0)
        count = f"{h.entries} entr{'y' if h.entries == 1 else 'ies'}"
        if h.label is None:
            where = f", in the {_comment(h.within)} section" if h.within else ""
            lines.append(f"# {indent}{'#' * h.level} {_comment(h.heading)}: {count}{where}")
        else:
            lines.append(f"{toml_key(h.label)} = {toml_string(h.heading)}  # {count}")
    if draft.survey_label is not None:
        lines += [
            "",
            "[survey]",
            "# The section of surveys and reviews (guessed from its heading); a proposed paper",
            "# whose title has one of these words goes there, whatever the section model says.",
            f"label = {toml_string(draft.survey_label)}",
            "title_words = [" + ", ".join(map(toml_string, default("survey_title_words"))) + "]",
            "# ... or whose title or abstract has one of these phrases (a survey says what it is).",
            "abstract_phrases = [" + ", ".join(map(toml_string, SURVEY_PHRASES)) + "]",
        ]
    lines += ["", "[sources]"]
    lines += [f"# {line}" for line in _wrap(_comment(draft.categories_note), 88)]
    lines.append(
        "arxiv_categories = [" + ", ".join(toml_string(c) for c in draft.arxiv_categories) + "]"
    )
    if draft.arxiv_api_url:
        lines.append(f"arxiv_api_url = {toml_string(draft.arxiv_api_url)}")
    if draft.max_entries is not None:
        lines += ["", "[proposing]"]
        lines += [f"# {line}" for line in _wrap(_comment(draft.max_entries_note), 88)]
        lines.append(f"max_entries = {draft.max_entries}")
    lines += [
        "",
        "[classifier]",
        "# Leave threshold unset to use the one chosen at training time and stored with the model.",
        'model_dir = "model"',
        'labeled_data_dir = "labeled_data"',
        "",
    ]
    return "\n".join(lines)


def default(field: str) -> Any:
    """A key's default, for building clients before there is a configuration (``init``)."""
    return next(k.default for f, k, _ in _keys() if f == field)


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width - 2) or [""]
