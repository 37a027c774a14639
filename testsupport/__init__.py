"""What the tests and the benchmarks share: the local HTTP server (:mod:`.localserver`), the
small GitHub on it that the real PyGithub client talks to (:mod:`.fakegithub`), and the
review loop replayed night by night through the CLI (:mod:`.feedback`).

Why a top-level package beside ``tests/`` and ``benchmarks/``, not inside either and not in
``src/hfm_bot/``: a test that imports a benchmark, or a benchmark that imports the test
suite, ties two things together that should be run, changed and read apart; and the product
(what ``pip install .`` ships) has no use for a fake GitHub, so it stays out of the wheel (and
out of ``src``'s typing figures: a fake server answers JSON, which is ``Any`` all the way).
It needs no installing: pytest puts the repository's root on ``sys.path`` (``tests`` is a
package, so the default ``prepend`` import mode inserts its parent), and a benchmark run as a
script (``python benchmarks/x.py``) or as a module (``python -m benchmarks.x``) from a clean
clone puts the root there itself. It reads its recordings from ``tests/fixtures/``.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
"""The repository's root (a clone: this package is never installed)."""
FIXTURES = REPO / "tests" / "fixtures"
"""The recorded exchanges and lists the local servers answer from."""
