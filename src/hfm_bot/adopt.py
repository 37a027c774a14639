"""Adopting a new list (``hfm-bot init``): from the list alone to a configuration, labels, a
background and a first model, so a maintainer starts with one command instead of a page of
set-up.

What the list tells: its headings (those holding paper entries become the sections, a
``###`` subsection counting with its ``##`` section; the survey section is the one whose
heading says survey, review, overview or tutorial), its title, and its entries. What the
entries' records tell (looked up by arXiv id through a source: the arXiv API, or a replayed
stream offline): their abstracts and dates, which the cold start learns from, and their
primary arXiv categories, the most frequent of which become the categories to watch and the
pool the background is drawn from.

Everything is written into a staging folder beside the configuration and moved into place
only at the end, so an error leaves the repository as it was. A configuration or labelled
data already there is never overwritten: ``init`` refuses, and with ``force`` it moves them
(decisions included) into a dated backup folder first. Nothing here reads the network or
the environment: the CLI hands in the sources and the encoder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hfm_bot import background, config, labels
from hfm_bot.awesome_list import PATH_SEPARATOR, AwesomeList, Entry, Section, item_shape
from hfm_bot.entry_syntax import is_paper_host
from hfm_bot.errors import HfmBotError, InputError
from hfm_bot.files import atomic_write_text, atomic_writer
from hfm_bot.ids import normalise_title
from hfm_bot.paper import Paper
from hfm_bot.sources.base import FetchWindow, Lookup, Source, SourceError, Status

if TYPE_CHECKING:
    from hfm_bot.classifier.embeddings import EmbeddingCache
    from hfm_bot.classifier.encoder import Encoder

MIN_ENTRIES = 20
"""Fewer list entries than this are too few to learn a list from: ``init`` writes the
configuration, labels and background, but trains nothing and says what to add."""
MIN_FOUND = 5
"""Entries with a record needed to trust their categories; below it, a recorded stream's
closest titles stand in for the entries it lacks."""
NEAREST_SIMILARITY = 0.3
"""Cosine similarity (TF-IDF of titles) above which a recorded paper stands in for an entry."""
CATEGORY_COVERAGE = 0.8
"""The categories to watch: the most frequent primary categories, until they cover this
share of the entries found."""
MAX_CATEGORIES = 8
BACKGROUND_SIZE = 4000
"""Papers in the background sample (``hfm-bot labels background``'s default)."""
BACKUP_PREFIX = "hfm-bot-backup-"
SURVEY_WORDS = (
    "survey",
    "review",
    "overview",
    "tutorial",
    "综述",
    "调研",
    "サーベイ",
    "обзор",
    "revisión",
    "revue",
    "übersicht",
)
"""Heading words that mark the survey section (a prefix of a heading word: "Surveys"), in a
few languages."""


@dataclass(frozen=True, slots=True)
class ListShape:
    """The list as ``init`` reads it: its title and every heading with its entry count."""

    title: str | None
    headings: tuple[config.HeadingCount, ...]
    entries: int
    """Paper entries under the headings that became sections."""
    survey_label: str | None
    section_lines: frozenset[int] = frozenset()
    """The lines of the headings that became sections."""
    level: int = 2
    """The outermost heading level that is a section (see :func:`_owner`)."""


@dataclass(frozen=True, slots=True)
class Sources:
    """Where ``init`` finds the papers: the entries' records, and the background's pool."""

    lookup: Lookup
    background: Callable[[Sequence[str]], Source]
    """The source of the papers of some categories (the background is sampled from it)."""
    window: FetchWindow
    """The window the background is fetched from."""
    recorded: bool = False
    """The background source is a recording holding every category (a replayed stream): it
    is read once, before the categories are chosen, and its closest titles stand in for the
    entries the lookup misses."""


@dataclass(frozen=True, slots=True)
class Request:
    """One ``hfm-bot init``."""

    doc: AwesomeList
    config_path: Path
    repository: str
    list_path: str
    base_branch: str
    sources: Sources
    categories: tuple[str, ...] = ()
    """Categories to watch given by the maintainer (then none are guessed)."""
    force: bool = False
    api_url: str | None = None
    arxiv_api_url: str | None = None
    encoder: Encoder | None = None
    cache: EmbeddingCache | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    on_step: Callable[[str], None] = lambda message: None


@dataclass(frozen=True, slots=True)
class Cap:
    """The PR's cap ``init`` drafts, and why (the configuration's comment and init's output)."""

    max_entries: int
    per_night: float
    """Papers the first model's rule would propose on an average night of the window."""
    note: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What ``init`` wrote, for the summary and the next steps."""

    config_path: Path
    shape: ListShape
    counts: dict[str, int]
    found: int
    categories: tuple[str, ...]
    categories_note: str
    background: int
    trained: bool
    refusal: str | None
    """Why no model was trained (too few entries), and what to do."""
    threshold: float | None
    backup: Path | None
    seconds: float
    cap: Cap | None = None
    """The PR's cap drafted from the window's nights (None when nothing was trained)."""
    problems: tuple[str, ...] = ()
    about: str | None = None
    """init's line on the first model's defining words (:func:`defining_words`)."""


def adopt(request: Request) -> Outcome:
    """Write the configuration, the labels, the background and the first model for a list.

    Raises :class:`InputError` (nothing written) for a list with no paper entries, a
    repository already set up (without ``force``), or categories that cannot be chosen."""
    start = time.perf_counter()
    step = request.on_step
    root = request.config_path.parent
    existing = _existing(request.config_path)
    if existing and not request.force:
        raise InputError(
            f"{', '.join(str(p) for p in existing)} already there: init refuses to replace a "
            "configuration or labelled data; pass --force to move them into a dated "
            f"{BACKUP_PREFIX}… folder first (nothing is deleted), or --config another/path.toml"
        )
    shape = read_shape(request.doc)
    entries = _sectioned_entries(request.doc, shape)
    step(f"{len(entries)} paper entries in {sum(1 for h in shape.headings if h.label)} sections")
    step(f"looking up the entries' records ({request.sources.lookup.name})")
    found = _lookup(request.sources.lookup, entries)
    pool: list[Paper] | None = None
    if request.sources.recorded:
        step("reading the recorded papers of the window for the background")
        pool = _fetch(request.sources.background(()), request.sources.window)
    if request.categories:
        categories = request.categories
        note = "arXiv categories given with --category."
    else:
        categories, note = choose_categories(entries, found, pool)
    if pool is None:
        step(f"fetching the background from {', '.join(categories)}")
        pool = _fetch(request.sources.background(categories), request.sources.window)
    sample = _background_sample(request, pool, categories, entries, found)
    draft = _draft(request, shape, categories, note)
    name = request.config_path.name
    with _staging(root) as staged:
        atomic_write_text(staged / name, config.render_draft(draft))
        settings = config.load(staged / name)
        imported = labels.import_list(request.doc, settings)
        _write_list_labels(settings, imported.labels, found)
        n_background = background.write(settings.background_dir / "seed.jsonl.gz", sample)
        refusal = untrainable(imported.counts, request.doc)
        trained = refusal is None
        threshold = None
        cap: Cap | None = None
        about = None
        if trained:
            step("training the first model (the cold start)")
            threshold = train_first_model(settings, request.encoder, request.cache)
            step(f"counting the last {FLUX_NIGHTS} nights of the window for the PR's cap")
            unlisted = _background_pool(pool, None, entries, found)
            flux = window_flux(settings, request.encoder, request.cache, unlisted)
            cap = pr_cap(settings, flux)
            step(cap.note)
            draft = dataclasses.replace(
                draft, max_entries=cap.max_entries, max_entries_note=cap.note
            )
            atomic_write_text(staged / name, config.render_draft(draft))
            about = defining_words(Path(settings.model_dir))  # read before the move
        backup = _move_into_place(staged, root, existing, request.now)
    return Outcome(
        config_path=request.config_path,
        shape=shape,
        counts=imported.counts,
        found=len(found),
        categories=categories,
        categories_note=note,
        background=n_background,
        trained=trained,
        refusal=refusal,
        threshold=threshold,
        backup=backup,
        seconds=time.perf_counter() - start,
        cap=cap,
        about=about,
        problems=tuple(f"{request.doc.origin}:{p.line_no}: {p.message}" for p in imported.problems),
    )


def _background_sample(
    request: Request,
    pool: list[Paper],
    categories: tuple[str, ...],
    entries: Sequence[Entry],
    found: Sequence[Paper],
) -> list[Paper]:
    """The background the first model contrasts the list with: the window's papers of the
    chosen categories that the list does not hold. None is an input error (a window too
    short or categories too rare), said before anything is written."""
    sample = background.sample(_background_pool(pool, categories, entries, found), BACKGROUND_SIZE)
    if not sample:
        raise InputError(
            f"no papers of {', '.join(categories)} from {request.sources.window.since} to "
            f"{request.sources.window.until} for the background; widen the window (--since)"
        )
    return sample


def _draft(
    request: Request, shape: ListShape, categories: tuple[str, ...], note: str
) -> config.Draft:
    """The configuration ``init`` writes, from what it read of the list and chose."""
    return config.Draft(
        repository=request.repository,
        list_path=request.list_path,
        base_branch=request.base_branch,
        title=shape.title,
        topic=topic_of(shape.title),
        headings=shape.headings,
        survey_label=shape.survey_label,
        arxiv_categories=categories,
        categories_note=note,
        origin=request.doc.origin,
        api_url=request.api_url,
        arxiv_api_url=request.arxiv_api_url,
    )


def _write_list_labels(
    settings: config.Settings, imported: Sequence[labels.ListLabel], found: Sequence[Paper]
) -> None:
    """The list's entries as labels, each with the abstract and date of its record when the
    lookup found one (the cold start learns more from an abstract than from a title)."""
    by_key = _records_by_key(found)
    with atomic_writer(settings.list_labels_file) as handle:
        for label in imported:
            paper = _record_of(label.entry, by_key)
            if paper is not None:
                label = labels.ListLabel(label.entry, label.label, paper.abstract, paper.date)
            handle.write(label.to_json() + "\n")


def untrainable(counts: dict[str, int], doc: AwesomeList | None = None) -> str | None:
    """Why the list cannot teach a first model yet, with what to do; None when it can.

    Refused before training rather than failing in it, so the configuration, the
    labels and the background are still written: adding entries or labels (``hfm-bot
    labels import``) and running ``hfm-bot train`` completes the adoption. With the list,
    what it holds besides its entries is said too: its papers may be written in a shape
    hfm-bot does not read as entries (headings, HTML)."""
    total = sum(counts.values())
    if total < MIN_ENTRIES:
        seen = f" ({_shapes_seen(doc)})" if doc is not None else ""
        return (
            f"{total} entries are too few to learn the list from (at least {MIN_ENTRIES}); "
            "add entries to the list (then `hfm-bot labels import-list`), or label papers "
            f"with `hfm-bot labels import LABELS --text STREAM`, then `hfm-bot train`{seen}"
        )
    return None


# ---------------------------------------------------------------- the command's window and words


def window(
    since: dt.date | None, until: dt.date | None, *, replaying: bool, today: dt.date
) -> FetchWindow:
    """Where the background is drawn from: the two weeks before ``until`` (default today)
    from the arXiv API; a replayed recording, all of it (it holds only what was recorded).
    A window that ends before it starts is an :class:`InputError`."""
    last = until or today
    first = since or (dt.date(1991, 8, 14) if replaying else last - dt.timedelta(days=14))
    if first > last:
        raise InputError(f"--since {first} is after --until {last}")
    return FetchWindow(first, last)


def is_local(list_arg: str) -> bool:
    """Whether ``init``'s LIST is a file (it exists, or does not read as OWNER/NAME, or ends
    in ``.md``) rather than a repository read through the API."""
    path = Path(list_arg)
    named = re.fullmatch(r"[\w.-]+/[\w.-]+", list_arg) and path.suffix.lower() != ".md"
    return path.exists() or not named


def check_repository(list_arg: str, repository: str | None) -> None:
    """A local list must name the repository it lives in; a remote one may only repeat it."""
    if is_local(list_arg) and not repository:
        raise InputError(
            f"{list_arg}: a local list needs --repository OWNER/NAME (the repository the bot "
            "will propose pull requests to)"
        )
    if not is_local(list_arg) and repository and repository != list_arg:
        raise InputError(f"--repository {repository} differs from the list's {list_arg}")


@dataclass(frozen=True, slots=True)
class Invocation:
    """How ``init`` was called, as its summary and next steps repeat it."""

    config: str
    """``--config`` as given."""
    list_arg: str
    """The list as given: a file, or OWNER/NAME."""
    source: str
    until: dt.date | None
    today: dt.date


def summary(outcome: Outcome, how: Invocation) -> list[str]:
    """What init wrote, one line each (stdout)."""
    root = outcome.config_path.parent
    sections = ", ".join(f"{label} {n}" for label, n in outcome.counts.items())
    survey = outcome.shape.survey_label
    lines = [
        f"wrote {outcome.config_path}: {len(outcome.counts)} sections ({sections})"
        + (f"; surveys go to {survey}" if survey else ""),
        f"wrote {root / 'labeled_data' / 'list.jsonl'}: {sum(outcome.counts.values())} entries "
        f"({outcome.found} found by {how.source.split(':')[0]}, with their abstract and date)",
        f"watching arXiv {', '.join(outcome.categories)}: {outcome.categories_note}",
        f"wrote {root / 'labeled_data' / 'background' / 'seed.jsonl.gz'}: "
        f"{outcome.background} background papers",
    ]
    if outcome.cap is not None:
        lines.append(f"drafted [proposing] {outcome.cap.note}")
    if outcome.about is not None:
        lines.append(outcome.about)
    if outcome.backup is not None:
        lines.append(f"moved the previous configuration and labelled data to {outcome.backup}")
    return lines


def _prefix(how: Invocation) -> str:
    return "hfm-bot" + ("" if how.config == "hfm-bot.toml" else f" --config {how.config}")


def refused(outcome: Outcome, how: Invocation, origin: str) -> str:
    """The error when no model was trained (too few entries): what was written, and how the
    next commands must name the configuration."""
    where = "" if _prefix(how) == "hfm-bot" else f" (give each command --config {how.config})"
    return (
        f"{origin}: no model was trained: {outcome.refusal}. The configuration, labels and "
        f"background are written{where}"
    )


def next_steps(outcome: Outcome, how: Invocation) -> str:
    """The first model's line and the three steps after init, the dry run's command spelt
    out (the same list, the same recording, the first day the model did not learn from)."""
    dry = f"{_prefix(how)} run --dry-run"
    if Path(how.list_arg).is_file():
        dry += f" --list {how.list_arg}"
    if how.source.startswith("replay:"):
        dry += f" --source {how.source}"
        if how.until and how.until < how.today:
            dry += f" --date {how.until + dt.timedelta(days=1)}"
    return (
        f"trained the first model in {outcome.config_path.parent / 'model'} (threshold "
        f"{outcome.threshold or 0:.4f}; {outcome.seconds:.0f} s in all)\n"
        "next steps:\n"
        f"  1. check the sections in {outcome.config_path} (each heading's entries are counted "
        "there)\n"
        f"  2. the first dry run: {dry}\n"
        f"  3. commit {outcome.config_path.name}, labeled_data/ and model/, and deploy (README: "
        "Deploying on a list's repository)"
    )


# ---------------------------------------------------------------- the list's shape


def read_shape(doc: AwesomeList) -> ListShape:
    """Every heading with its entries; those with entries are the sections. An entry counts
    for its heading, or for the ``##`` section above it when its heading is deeper; but a
    heading that holds every entry in subsections of its own (``## Papers`` over ``###
    Survey``, ``### Efficient Training`` …) is the list's container, not one section: its
    subsections are the sections."""
    level = 2
    while True:
        counts: Counter[int] = Counter()
        direct: Counter[int] = Counter()
        owners: dict[int, Section] = {}
        for entry in doc.entries:
            heading = _heading_of(doc.sections, entry)
            owner = _owner(doc.sections, heading, level)
            counts[owner.line_no] += 1
            direct[heading.line_no] += 1
            owners[heading.line_no] = owner
        if len(counts) != 1 or sum(1 for h in direct if h not in counts) < 2:
            break
        level = next(s.level for s in doc.sections if s.line_no in counts) + 1
    if not counts:
        raise InputError(f"{doc.origin}: no paper entries under any heading ({_shapes_seen(doc)})")
    title = _title(doc)
    used: set[str] = set()
    headings = []
    label_of: dict[str, str] = {}
    # A title two headings share is named by its path, whether or not the other heading is a
    # section of its own: the configuration must name one heading of the list.
    titles = Counter(
        sec.title.casefold()
        for sec in doc.sections
        if counts.get(sec.line_no) or direct.get(sec.line_no)
    )
    for sec in doc.sections:
        n = counts.get(sec.line_no, 0)
        if n:
            # Two sections of one title ("Others" under two parents) are named by their
            # path, "Parent > Others", which [sections] reads as one heading each.
            name = sec.title
            if titles[sec.title.casefold()] > 1 and len(sec.path) > 1:
                name = PATH_SEPARATOR.join(sec.path[-2:])
            key = name.casefold()
            label = label_of.get(key) or _unique(slug(sec.title), used)
            label_of[key] = label
            headings.append(config.HeadingCount(name, sec.level, n, label))
        elif direct.get(sec.line_no):
            within = owners[sec.line_no].title
            headings.append(
                config.HeadingCount(sec.title, sec.level, direct[sec.line_no], None, within)
            )
        else:
            headings.append(config.HeadingCount(sec.title, sec.level, 0))
    return ListShape(
        title=title,
        headings=tuple(headings),
        entries=sum(counts.values()),
        survey_label=survey_label(headings),
        section_lines=frozenset(counts),
        level=level,
    )


def _heading_of(sections: Sequence[Section], entry: Entry) -> Section:
    above = [s for s in sections if s.line_no <= entry.line_no]
    return above[-1]


def _owner(sections: Sequence[Section], sec: Section, level: int = 2) -> Section:
    """The section an entry under ``sec`` belongs to: the outermost heading above it (itself
    included) at ``level`` or deeper, so ``###`` subsections count with their ``##``
    section, while a list whose sections are ``#`` headings keeps them."""
    chain = [sec]
    for other in reversed([s for s in sections if s.line_no < sec.line_no]):
        if other.level < chain[-1].level:
            chain.append(other)
    deep = [s for s in chain if s.level >= level]
    return deep[-1] if deep else sec


def _title(doc: AwesomeList) -> str | None:
    """The list's title: its first heading, when it is a ``#`` heading and no paper entry
    stands under it directly."""
    first = doc.sections[0]
    if first.level != 1 or any(_heading_of(doc.sections, e) is first for e in doc.entries):
        return None
    return _plain(first.title) or None


def _plain(text: str) -> str:
    """Heading text without badges and link syntax: ``[![x](img)](url)`` and ``[text](url)``."""
    text = re.sub(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def topic_of(title: str | None) -> str | None:
    """What the list is about, from its title: "Awesome-Foundation-Models-for-Healthcare" is
    about "Foundation Models for Healthcare" (the card says so; the maintainer may edit it)."""
    if not title:
        return None
    words = title if " " in title else re.sub(r"[-_]+", " ", title)
    words = re.sub(r"(?i)\bawesome\b[\s:-]*", "", words).strip(" -:")
    return f"about {words}" if words else None


def slug(heading: str) -> str:
    """A section label from a heading: its words, lower case, joined by "-" (any script)."""
    words = re.findall(r"\w+", _plain(heading).casefold())
    return "-".join(words)[:40].strip("-") or "section"


def _unique(label: str, used: set[str]) -> str:
    out, n = label, 2
    while out in used:
        out, n = f"{label}-{n}", n + 1
    used.add(out)
    return out


def survey_label(headings: Sequence[config.HeadingCount]) -> str | None:
    """The section whose heading names surveys (the one with the most entries, if several)."""
    best: config.HeadingCount | None = None
    for h in headings:
        if h.label is None or not _says_survey(h.heading):
            continue
        if best is None or h.entries > best.entries:
            best = h
    return best.label if best else None


def _says_survey(heading: str) -> bool:
    text = heading.casefold()
    for word in SURVEY_WORDS:
        if word.isascii():
            if re.search(rf"(?<!\w){re.escape(word)}", text):
                return True
        elif word in text:
            return True
    return False


_LOOSE_URL_RE = re.compile(r"(?:\]\(|href=[\"'])(https?://[^\s)\"'>]+)")
"""A link's target in markdown (``](url)``) or HTML (``href="url"``)."""


def _shapes_seen(doc: AwesomeList) -> str:
    """What the file holds instead of entries (counts, and the first line of each shape, its
    words and links masked), so the maintainer sees why nothing was read."""
    items = links = rows = 0
    shapes: dict[str, int] = {}
    loose: list[int] = []
    headed: list[int] = []
    for n, line in enumerate(doc.lines, 1):
        body = line.strip()
        if re.match(r"(?:[-*+]|\d+[.)])\s", body):
            items += 1
            links += "](" in body
        elif body.startswith("|"):
            rows += 1
        else:
            if any(is_paper_host(u) for u in _LOOSE_URL_RE.findall(body)):
                (headed if body.startswith("#") else loose).append(n)
            continue
        shapes.setdefault(item_shape(body), n)
    seen = [f"{len(doc.sections)} headings", f"{items} list items ({links} with links)"]
    if rows:
        seen.append(f"{rows} table lines")
    if loose:
        # ``**Title**. ICML19.`` then a paragraph of ``<a href="arxiv..."><img ...></a>``: the
        # papers are there, written over paragraphs, which hfm-bot does not read as entries.
        seen.append(
            f"{len(loose)} lines outside list items and tables that link a paper (the "
            f"first at line {loose[0]}): hfm-bot reads a paper entry from a list item (- or "
            f"1.), a table row, or a paragraph that opens with the paper's title and links "
            f"it ([Title](url), or Title [paper](url)), not from a paragraph of HTML or one "
            f"apart from its title"
        )
    if len(headed) >= 3:
        # ``### 9. [Title](https://arxiv.org/…)`` then a summary: a heading a paper.
        seen.append(
            f"{len(headed)} headings that link a paper (the first at line {headed[0]}): "
            f"hfm-bot reads a heading as a section, not as a paper"
        )
    if doc.problems:
        kinds = Counter(p.message for p in doc.problems)
        seen += [f"{n} × {message}" for message, n in kinds.most_common(3)]
    first = "; ".join(f"line {n}: {shape}" for shape, n in list(shapes.items())[:4])
    return (
        "seen: "
        + ", ".join(seen)
        + (f"; shapes: {first}" if first else "")
        + (
            "; none of them is a paper entry hfm-bot can read (it needs a link to the paper)"
            if not doc.entries
            else f"; {len(doc.entries)} read as paper entries"
        )
    )


def _sectioned_entries(doc: AwesomeList, shape: ListShape) -> list[Entry]:
    return [
        entry
        for entry in doc.entries
        if _owner(doc.sections, _heading_of(doc.sections, entry), shape.level).line_no
        in shape.section_lines
    ]


# ---------------------------------------------------------------- records and categories


def _lookup(lookup: Lookup, entries: Sequence[Entry]) -> list[Paper]:
    """The entries' records; a source that cannot answer stops init (exit 1, as a failed
    fetch), since categories guessed without them would be wrong."""
    try:
        return list(lookup.lookup([e.keys for e in entries]))
    except SourceError as err:
        raise HfmBotError(f"looking up the list's entries: {err}") from err


def _fetch(source: Source, window: FetchWindow) -> list[Paper]:
    try:
        result = source.fetch(window)
    except SourceError as err:
        raise HfmBotError(f"fetching the background: {err}") from err
    if result.status is Status.FAILED:
        raise HfmBotError(f"fetching the background: {result.source}: {result.error}")
    return list(result.papers)


def _primary(paper: Paper) -> str | None:
    return paper.primary_category or (paper.categories[0] if paper.categories else None)


def choose_categories(
    entries: Sequence[Entry], found: Sequence[Paper], pool: Sequence[Paper] | None
) -> tuple[tuple[str, ...], str]:
    """The most frequent primary categories of the entries' records, until they cover
    ``CATEGORY_COVERAGE`` of them; and a note saying where they came from. With fewer than
    ``MIN_FOUND`` records, a recorded pool's closest titles stand in for the missing
    entries (the seed list predates the recorded stream, for one)."""
    counts = Counter(c for c in map(_primary, found) if c)
    how = f"{len(found)} of the list's {len(entries)} entries were found"
    if len(found) < MIN_FOUND:
        if pool is None:
            raise InputError(
                f"only {len(found)} of the list's {len(entries)} entries have an arXiv record "
                "to take categories from; name the categories to watch with --category "
                "(e.g. --category cs.CV --category cs.CL)"
            )
        near = nearest(entries, found, pool)
        counts.update(c for c in map(_primary, near) if c)
        how += (
            f"; for {len(near)} others, the recorded paper with the closest title "
            f"(similarity ≥ {NEAREST_SIMILARITY})"
        )
    total = sum(counts.values())
    if not total:
        raise InputError(
            f"none of the list's {len(entries)} entries has an arXiv record with a category "
            "(nor a close recorded title); name the categories to watch with --category"
        )
    chosen: list[str] = []
    covered = 0
    for category, n in counts.most_common():
        if chosen and (covered >= CATEGORY_COVERAGE * total or len(chosen) >= MAX_CATEGORIES):
            break
        chosen.append(category)
        covered += n
    shares = ", ".join(f"{c} {counts[c]}" for c in chosen)
    note = (
        f"The primary arXiv categories of the list's entries, the most frequent first, "
        f"covering {covered} of {total} ({covered / total:.0%}): {shares}. {how}."
    )
    return tuple(chosen), note


def nearest(entries: Sequence[Entry], found: Sequence[Paper], pool: Sequence[Paper]) -> list[Paper]:
    """For each entry without a record, the pool's paper with the most similar title (TF-IDF
    cosine of words), if it is similar enough: a stand-in for the entry's field."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    have = {normalise_title(p.title) for p in found} | {p.id for p in found}
    missing = [e.title for e in entries if e.keys.arxiv_id not in have and e.keys.title not in have]
    titles = [p.title for p in pool]
    if not missing or not titles:
        return []
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    pool_x = vectorizer.fit_transform(titles)
    sims = vectorizer.transform(missing) @ pool_x.T
    out = []
    for row in range(sims.shape[0]):
        line = sims.getrow(row)
        if line.nnz == 0:
            continue
        best = int(line.indices[line.data.argmax()])
        if line.data.max() >= NEAREST_SIMILARITY:
            out.append(pool[best])
    return out


def _background_pool(
    pool: Sequence[Paper],
    categories: Sequence[str] | None,
    entries: Sequence[Entry],
    found: Sequence[Paper],
) -> list[Paper]:
    """The pool's papers of the watched categories (None: all, as a nightly of a recording
    reads them), without the list's own papers (they are positives, not background, and a
    nightly never proposes them)."""
    wanted = None if categories is None else set(categories)
    listed = {p.id for p in found} | {e.keys.arxiv_id for e in entries if e.keys.arxiv_id}
    titles = {e.keys.title for e in entries if e.keys.title}
    return [
        p
        for p in pool
        if (wanted is None or _primary(p) in wanted)
        and p.id not in listed
        and p.title
        and normalise_title(p.title) not in titles
    ]


def _records_by_key(found: Sequence[Paper]) -> dict[str, Paper]:
    out: dict[str, Paper] = {}
    for paper in found:
        out.setdefault(paper.id, paper)
        out.setdefault("title:" + normalise_title(paper.title), paper)
    return out


def _record_of(entry: Entry, by_key: dict[str, Paper]) -> Paper | None:
    if entry.keys.arxiv_id and entry.keys.arxiv_id in by_key:
        return by_key[entry.keys.arxiv_id]
    return by_key.get("title:" + entry.keys.title) if entry.keys.title else None


# ---------------------------------------------------------------- training


def train_first_model(
    settings: config.Settings, encoder: Encoder | None, cache: EmbeddingCache | None
) -> float:
    """The cold start, trained, gated (no current model: promoted), carded and stored by
    the service ``hfm-bot train`` uses (:mod:`hfm_bot.retrain`) into ``settings.model_dir``;
    returns the threshold."""
    from hfm_bot import retrain

    start = time.perf_counter()
    data = retrain.load_data(retrain.Inputs(labelled=()), settings)
    outcome = retrain.retrain(
        retrain.Request(
            data,
            retrain.labels_of(settings),
            Path(settings.model_dir),
            "hfm-bot train",
            retrain.about(settings),
            encoder,
            cache,
            retrain.title_rule(settings),
            settings.training,
            started=start,
        )
    )
    return outcome.threshold


def defining_words(model_dir: Path) -> str | None:
    """init's line on the stored first model's defining words
    (:mod:`hfm_bot.classifier.defining_terms`), so a maintainer sees what the first nights
    gate on and how to change it; None for a model without the night share's scope (no
    encoder), where no words are learnt."""
    from hfm_bot.classifier.head import SecondOpinion

    head = SecondOpinion.load(model_dir)
    if head is None or head.scope is None:
        return None
    if head.scope.terms is None:
        return (
            "what this list is about: no few words cover its entries and few other papers "
            "(a broad list), so the first nights are not gated on words (name words or "
            "two-word phrases with `defining_terms = [...]` in [training.cold], then "
            "`hfm-bot train`)"
        )
    return (
        f"what this list is about: {head.scope.terms.describe()}; the first nights propose "
        "only papers holding one of these terms (set your own words or two-word phrases with "
        "`defining_terms = [...]` in [training.cold], or `terms_gate = false` for none, then "
        "`hfm-bot train`)"
    )


FLUX_NIGHTS = 3
"""The window's last nights ``init`` runs the first model's rule on to size the PR's cap: a
few, as each costs the encoder's reading of that night's shortlist (most of the window's
papers are the background, already read by training)."""


@dataclass(frozen=True, slots=True)
class Flux:
    """What the first model's rule proposes on the window's last nights."""

    counts: tuple[int, ...]
    """Papers proposed on each night (before any cap), oldest first."""
    rule: str

    @property
    def per_night(self) -> float:
        return sum(self.counts) / len(self.counts) if self.counts else 0.0


def window_flux(
    settings: config.Settings,
    encoder: Encoder | None,
    cache: EmbeddingCache | None,
    pool: Sequence[Paper],
    nights: int = FLUX_NIGHTS,
) -> Flux:
    """The first model's rule applied to the window's last ``nights`` nights as the nightly
    applies it (:func:`hfm_bot.pipeline.collect` and ``night_threshold``): each night's papers
    scored, the candidates at the near-miss floor, and as many proposed as the list's scope
    counts (or those at the stored threshold, without a scope). ``pool`` is what the nightly
    fetches: the window's papers of the watched categories (all of a recording's)."""
    from hfm_bot.classifier import model as tfidf_model
    from hfm_bot.classifier.head import SecondOpinion
    from hfm_bot.classifier.two_stage import Classifier
    from hfm_bot.proposing import NEAR_MISS_FLOOR

    directory = Path(settings.model_dir)
    tfidf = tfidf_model.load(directory)
    head = SecondOpinion.load(directory) if encoder is not None else None
    classifier = Classifier(tfidf, head, encoder, cache) if head is not None else Classifier(tfidf)
    by_day: dict[dt.date, list[Paper]] = {}
    for paper in pool:
        if paper.date is not None:
            by_day.setdefault(paper.date, []).append(paper)
    counts = []
    stored = classifier.threshold
    for day in sorted(by_day)[-nights:]:
        papers = by_day[day]
        scored = [
            (paper, pred)
            for paper, pred in zip(papers, classifier.predict(papers), strict=True)
            if pred.score >= stored * NEAR_MISS_FLOOR
        ]
        threshold, _ = classifier.night_threshold(scored, stored)
        counts.append(sum(1 for _, pred in scored if pred.score >= threshold))
    scoped = head is not None and head.scope is not None
    rule = "the list's scope counts" if scoped else "the stored threshold proposes"
    return Flux(tuple(counts), rule)


def pr_cap(settings: config.Settings, flux: Flux) -> Cap:
    """The PR's cap for this list: the papers the first model's rule proposed on an average
    night of the window, with a margin, within the recipe's bounds
    (:func:`hfm_bot.classifier.night_share.pr_cap`). A fixed cap of 30 held back 7 to 32
    relevant papers a night on two broad lists, a backlog that never clears."""
    from hfm_bot.classifier.night_share import pr_cap as capped

    cold = settings.training.cold
    n = capped(flux.per_night, (cold.cap_min, cold.cap_max), cold.cap_margin)
    nights = ", ".join(map(str, flux.counts)) or "none"
    note = (
        f"max_entries {n}: on the window's last nights ({nights}) {flux.rule} "
        f"{flux.per_night:.1f} papers a night; the cap is {cold.cap_margin:g} times that, "
        f"within {cold.cap_min}..{cold.cap_max}, so a busy night is not held back behind it"
    )
    return Cap(n, flux.per_night, note)


# ---------------------------------------------------------------- writing


def _existing(config_path: Path) -> list[Path]:
    """What a previous set-up left: the configuration, the labelled data, the model."""
    root = config_path.parent
    out = [config_path] if config_path.exists() else []
    for name in ("labeled_data", "model"):
        path = root / name
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            out.append(path)
    return out


@contextlib.contextmanager
def _staging(root: Path) -> Iterator[Path]:
    """A folder beside the configuration where everything is written first; removed at the
    end whatever happens (what succeeded was moved out of it)."""
    created = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".hfm-bot-init.", dir=root))
    try:
        yield staged
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                root.rmdir()  # only if empty: the folder init made for the configuration
        raise
    shutil.rmtree(staged, ignore_errors=True)


def _move_into_place(
    staged: Path, root: Path, existing: Sequence[Path], now: dt.datetime
) -> Path | None:
    """Move the old set-up into a dated backup (never deleted), then the new one into place;
    if a move fails, the ones done are undone, so the repository is as it was."""
    done: list[tuple[Path, Path]] = []
    backup = root / f"{BACKUP_PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}" if existing else None
    try:
        if backup is not None:
            backup.mkdir()
            for path in existing:
                os.replace(path, backup / path.name)
                done.append((path, backup / path.name))
        for item in sorted(staged.iterdir()):
            target = root / item.name
            if target.exists():
                # An empty labeled_data/ or model/ folder (a non-empty one was backed up).
                target.rmdir()
            os.replace(item, target)
            done.append((item, target))
    except BaseException:
        for origin, moved in reversed(done):
            with contextlib.suppress(OSError):
                os.replace(moved, origin)
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.rmdir()
        raise
    return backup
