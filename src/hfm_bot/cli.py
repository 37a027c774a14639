"""The command line: parses arguments, builds the real clients, and maps errors to exit codes.

This is the composition root: the only module that reads the environment, opens files named
by the user and constructs network clients, which it hands to the pure core. Heavy libraries
are imported inside the command that needs them, so ``hfm-bot --help`` stays fast.
Exit codes: 0 success (including "nothing new"), 1 failure, 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hfm_bot import __version__
from hfm_bot.errors import HfmBotError

if TYPE_CHECKING:
    from hfm_bot.config import Settings

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
    out = Path(args.output) if args.output else Path(settings.labeled_data_dir) / "list.jsonl"
    with atomic_writer(out) as handle:
        for label in result.labels:
            handle.write(label.to_json() + "\n")
    for problem in result.problems:
        print(f"warning: {args.path}:{problem.line_no}: {problem.message}", file=sys.stderr)
    counts = ", ".join(f"{label} {n}" for label, n in result.counts.items())
    print(f"wrote {len(result.labels)} entries to {out} ({counts})")
    return 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
