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
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hfm_bot import __version__
from hfm_bot.errors import HfmBotError, InputError

if TYPE_CHECKING:
    from hfm_bot.classifier.training import TrainingData
    from hfm_bot.config import Settings
    from hfm_bot.publish import GitHubPublisher
    from hfm_bot.sources.base import Source, SourceResult

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
    for problem in result.problems:
        print(f"warning: {args.path}:{problem.line_no}: {problem.message}", file=sys.stderr)
    counts = ", ".join(f"{label} {n}" for label, n in result.counts.items())
    print(f"wrote {len(result.labels)} entries to {out} ({counts})")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from err


def _training_data(args: argparse.Namespace, settings: Settings) -> TrainingData:
    from hfm_bot.classifier import training

    list_labels = Path(args.list_labels) if args.list_labels else settings.list_labels_file
    decisions = Path(args.decisions) if args.decisions else settings.decisions_file
    if not list_labels.exists():
        raise InputError(f"{list_labels}: no list labels; run `hfm-bot labels import-list` first")
    return training.load_training_data(
        list_labels=list_labels,
        decisions=decisions,
        label_files=[Path(p) for p in args.labels],
        background=[Path(p) for p in args.background],
        sections=[s.label for s in settings.sections],
        until=args.until,
        background_max=args.background_max,
        on_warning=lambda message: print(f"warning: {message}", file=sys.stderr),
    )


def cmd_train(args: argparse.Namespace) -> int:
    """Fit the relevance and section models and write model/ with its card."""
    import shlex
    import time

    from hfm_bot.classifier import card, evaluation, training

    start = time.perf_counter()
    settings = _load_settings(args)
    data = _training_data(args, settings)
    labels = [s.label for s in settings.sections]
    print(f"training on {sum(data.counts().values())} examples: {data.counts()}")
    result = training.train(data, labels)
    out = Path(args.output) if args.output else Path(settings.model_dir)
    result.model.save(out)
    report = evaluation.report(card.scored_from_train(result), result.model.threshold)
    command = "hfm-bot " + shlex.join(args.argv)
    card.write(out, result, report, command, time.perf_counter() - start)
    o = report["overall"]
    print(
        f"model written to {out}: threshold {result.model.threshold:.4f} "
        f"({result.threshold_rows}); cross-validated F1 {o.get('f1', 0):.3f}, "
        f"section accuracy {o.get('section_accuracy', 0):.3f}, "
        f"curated recall {o.get('curated_recall', 0):.3f}"
    )
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    """Score a JSON Lines file of papers into another."""
    from hfm_bot.classifier import batch, model
    from hfm_bot.files import atomic_writer

    model_dir = Path(args.model) if args.model else Path(_load_settings(args).model_dir)
    trained = model.load(model_dir)
    if args.threshold is not None:
        trained = trained.with_threshold(args.threshold)
    source = Path(args.input)
    if not source.exists():
        raise InputError(f"{source}: no such file")
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
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Measure on labelled days: cross-validated (default) or the shipped model as is."""
    import json

    from hfm_bot.classifier import evaluation, model
    from hfm_bot.files import atomic_write_text

    settings = _load_settings(args)
    trained = model.load(Path(args.model) if args.model else Path(settings.model_dir))
    data = _training_data(args, settings)
    labels = [s.label for s in settings.sections]
    if args.no_cv:
        scored = evaluation.direct(trained, data)
    else:
        scored = evaluation.cross_validated(data, labels)
    result = evaluation.report(scored, trained.threshold)
    result["mode"] = "shipped model" if args.no_cv else "cross-validated, leave one judged day out"
    print(evaluation.format_table(result))
    if args.json:
        atomic_write_text(Path(args.json), json.dumps(result, indent=2, sort_keys=True) + "\n")
    if args.card:
        import shlex

        from hfm_bot.classifier import card

        card.add_evaluation(Path(args.card), result, "hfm-bot " + shlex.join(args.argv))
        print(f"figures written into {args.card}", file=sys.stderr)
    return 0


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
    sources = build_sources(args.source or default_sources(settings), settings)
    if not sources:
        raise InputError("no sources: configure [sources] or pass --source")
    results = run_sources(sources, window)
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


def _github_repo(settings: Settings, token: str | None) -> Any:
    """The PyGithub repository: the one place the GitHub client is built."""
    from github import Auth, Github, GithubException

    from hfm_bot.publish import github_error

    auth = Auth.Token(token) if token else None
    client = Github(base_url=settings.api_url, auth=auth, retry=None, timeout=30)
    try:
        return client.get_repo(settings.repository)
    except (GithubException, OSError) as err:
        raise github_error(err, f"opening {settings.repository}") from err


def _publisher(settings: Settings, repo: Any) -> GitHubPublisher:
    from hfm_bot.publish import GitHubPublisher

    return GitHubPublisher(
        repo,
        list_path=settings.list_path,
        base_branch=settings.base_branch,
        branch=settings.branch,
        labels=settings.pr_labels,
    )


class Progress:
    """Slice-by-slice progress of a long window: a bar on a terminal, plain lines in CI."""

    def __init__(self, stream: Any, bar: bool) -> None:
        self.stream = stream
        self.bar = bar
        self.fetched = 0
        self.relevant = 0

    def __call__(self, i: int, n: int, piece: Any, results: Any, kept: Any) -> None:
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


def cmd_run(args: argparse.Namespace) -> int:
    """The nightly job: fetch, drop the known, classify, propose (PR or dry-run folder)."""
    import os

    from hfm_bot import awesome_list, pipeline, state
    from hfm_bot.classifier import model
    from hfm_bot.publish import Target
    from hfm_bot.render import Renderer
    from hfm_bot.sources.base import FetchWindow

    settings = _load_settings(args)
    token = os.environ.get("GITHUB_TOKEN") or None
    # A local list (--list) has no branch to write to: such a run is always a dry run.
    dry = args.dry_run or token is None or bool(args.list)
    trained = model.load(Path(args.model or settings.model_dir))
    today = args.until or args.date or dt.date.today()
    sources = build_sources(args.source or default_sources(settings), settings)
    if not sources:
        raise InputError("no sources: configure [sources] or pass --source")
    memory_files = pipeline.Memory(
        decisions=settings.decisions_file,
        state=Path(settings.state_file),
        waiting=settings.waiting_file,
    )
    try:
        if args.date:
            window = FetchWindow(args.date, args.date)
        elif args.since:
            window = FetchWindow(args.since, today)
        else:
            saved = state.load(memory_files.state)
            window = min(
                (saved.window(s.name, today, settings.overlap_days) for s in sources),
                key=lambda w: w.since,
            )
    except ValueError as err:
        raise InputError(str(err)) from err
    publisher = None
    if args.list:
        target = Target(awesome_list.load(Path(args.list)).render(), None, None, frozenset())
    else:
        publisher = _publisher(settings, _github_repo(settings, token))
        target = publisher.target()
    report, diff = pipeline.nightly(
        settings=settings,
        sources=sources,
        window=window,
        model=trained,
        renderer=Renderer(Path(settings.templates_dir) if settings.templates_dir else None),
        target=target,
        publisher=None if dry else publisher,
        memory_files=memory_files,
        today=today,
        max_entries=args.max_entries or settings.max_entries,
        dry_run_dir=Path(args.output) if dry else None,
        on_slice=Progress(sys.stderr, sys.stderr.isatty() and not os.environ.get("CI")),
    )
    if diff is not None:
        sys.stdout.write(diff)
    summary = report.markdown()
    if report.health:
        print(f"hfm-bot: WARNING: {report.health}", file=sys.stderr)
    print(summary, file=sys.stderr)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary)
    return 1 if report.failed else 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Settle the decisions of the bot's merged and closed pull requests."""
    import os

    from hfm_bot import decisions, pipeline

    settings = _load_settings(args)
    token = os.environ.get("GITHUB_TOKEN") or None
    memory = decisions.load(settings.decisions_file)
    publisher = _publisher(settings, _github_repo(settings, token))
    memory, accepted, rejected = pipeline.sync(publisher, settings, memory, dt.date.today())
    decisions.save(settings.decisions_file, memory)
    print(f"sync: {accepted} accepted, {rejected} rejected", file=sys.stderr)
    return 0


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
        "--labels",
        nargs="*",
        default=[],
        metavar="PATH",
        help="labelled paper ids (benchmark judged/curated format), joined with --background "
        "for their text",
    )
    p.add_argument(
        "--background",
        nargs="*",
        default=[],
        metavar="PATH",
        help="papers in the stream format (JSON Lines, plain or .gz); unlabelled ones are weak "
        "negatives",
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
        default=15_000,
        metavar="N",
        help="sample at most N background papers (default 15000; seeded)",
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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

    fetch = commands.add_parser(
        "fetch",
        help="fetch the papers of a date window from the sources",
        description="Fetch a window of papers and write them as JSON Lines, with a summary "
        "per source (fetched, skipped, failed, no announcement). Exit 1 if any source failed.",
    )
    _window_arguments(fetch, since="first day (default: the day before --until)", until="last day")
    fetch.add_argument("-o", "--output", required=True, metavar="OUT", help="papers (JSON Lines)")
    fetch.set_defaults(handler=cmd_fetch)

    run = commands.add_parser(
        "run",
        help="the nightly job: fetch, classify, propose a pull request (or a dry-run folder)",
        description="Fetch the window from every source, drop papers already listed, in the "
        "open bot PR or decided before, classify, and propose: a pull request when "
        "GITHUB_TOKEN is set, else (or with --dry-run) the list, PR body, diff and proposals "
        "in --output. Exit 1 if any source failed; nothing new is a success.",
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
        run, since="from this day (default: each source's watermark)", until="to this day"
    )
    run.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    run.add_argument("--max-entries", type=int, metavar="N", help="cap per pull request")
    run.set_defaults(handler=cmd_run)

    sync = commands.add_parser(
        "sync",
        help="record maintainers' decisions from the bot's merged and closed PRs",
        description="Read the bot's closed pull requests and mark each proposed paper "
        "accepted (still listed after the merge, in its final section) or rejected.",
    )
    sync.set_defaults(handler=cmd_sync)

    train = commands.add_parser(
        "train",
        help="fit the relevance and section models; write model/ and its card",
        description="Train from labeled_data/ (the list's entries, maintainers' decisions), "
        "extra labelled papers and background papers; choose the threshold from out-of-fold "
        "scores; write the model, meta.json and the model card.",
    )
    _add_training_inputs(train)
    train.add_argument("-o", "--output", metavar="DIR", help="model folder (default: model/)")
    train.set_defaults(handler=cmd_train)

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
    classify.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    classify.add_argument(
        "--threshold", type=float, metavar="P", help="override the model's threshold"
    )
    classify.add_argument(
        "--workers", type=int, default=2, metavar="N", help="processes (default 2)"
    )
    classify.set_defaults(handler=cmd_classify)

    evaluate = commands.add_parser(
        "evaluate",
        help="measure the model on labelled days (cross-validated)",
        description="Per judged day and overall: precision, recall, F1, proposals per day, "
        "average precision, section accuracy, recall of curated positives. By default each "
        "judged day is scored by a model trained without it, at the shipped threshold.",
    )
    _add_training_inputs(evaluate)
    evaluate.add_argument("--model", metavar="DIR", help="model folder (default: model/)")
    evaluate.add_argument(
        "--no-cv",
        action="store_true",
        help="score the shipped model as it is (for days it never saw)",
    )
    evaluate.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    evaluate.add_argument(
        "--card",
        metavar="PATH",
        help="also put the figures into this model card (model/README.md), replacing the "
        "previous ones",
    )
    evaluate.set_defaults(handler=cmd_evaluate)
    return parser


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
