"""How well the learnt style describes each real list: entries read, lines that looked like
entries but could not be read, and the share of entries the style writes back byte for byte
from their own parsed fields, with every line it writes differently (original, then ours) and
what differs in it, counted per list at the end (:class:`hfm_bot.style_check.Cause`).

    python benchmarks/list_styles.py [--all] [--k K] [LIST.md ...]

Without arguments: the lists of ``tests/fixtures/lists/`` and the healthcare list. The test
(``tests/test_list_styles.py``) holds each list to the share printed here.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from hfm_bot import awesome_list, list_style, style_check

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lists", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every mismatching line, not 10")
    parser.add_argument(
        "--k",
        type=int,
        default=list_style.LOCAL_K,
        help="neighbours a line's local style is learnt from (0: the section's style alone)",
    )
    args = parser.parse_args()
    paths: list[Path] = args.lists or [
        *sorted((REPO / "tests" / "fixtures" / "lists").glob("*/README.md")),
        REPO / "tests" / "fixtures" / "awesome-list" / "README.seed.md",
    ]
    rows: list[tuple[str, int, int, float, float, float]] = []
    causes: dict[str, Counter[style_check.Cause]] = {}
    for path in paths:
        start = time.perf_counter()
        doc = awesome_list.load(path)
        result = style_check.check(doc, args.k)
        seconds = time.perf_counter() - start
        name = path.parent.name if path.name == "README.md" else path.name
        # Trailing spaces are invisible on GitHub; how much of the rest they are, apart.
        spaces = sum(1 for m in result.mismatches if m.original.rstrip() == m.rendered.rstrip())
        share_loose = (result.matched + spaces) / result.entries if result.entries else 0.0
        rows.append((name, len(doc.entries), len(doc.problems), result.share, share_loose, seconds))
        causes[name] = result.causes()
        print(f"\n## {name}: {result.matched} of {result.entries} entries written back exactly")
        for problem in doc.problems:
            print(f"  unreadable {path.name}:{problem.line_no}: {problem.message}")
        shown = result.mismatches if args.all else result.mismatches[:10]
        for miss in shown:
            print(
                f"  line {miss.line_no} ({style_check.cause_of(miss)}):\n"
                f"    list: {miss.original!r}\n    ours: {miss.rendered!r}"
            )
        if len(shown) < len(result.mismatches):
            print(f"  … {len(result.mismatches) - len(shown)} more (--all)")
    print(
        "\n| list | entries read | unreadable | style match | ignoring trailing spaces "
        "| parse + check |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, entries, problems, share, loose, seconds in rows:
        print(f"| {name} | {entries} | {problems} | {share:.1%} | {loose:.1%} | {seconds:.2f} s |")
    # What differs in the lines written otherwise, per list (style_check.Cause): each is a
    # line the list writes otherwise than its neighbours, but MISSING, MARKUP and OTHER.
    names = [name for name, *_ in rows]
    print("\n| what differs | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for cause in style_check.Cause:
        counts = [causes[name][cause] for name in names]
        if any(counts):
            print(f"| {cause} | " + " | ".join(str(n) for n in counts) + " |")


if __name__ == "__main__":
    main()
