"""Planning a night's change (:mod:`hfm_bot.proposing`): which papers the PR offers as near
misses when the cap holds some back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hfm_bot import awesome_list, config
from hfm_bot.errors import ListFormatError
from hfm_bot.paper import Origin, Paper
from hfm_bot.prediction import Prediction
from hfm_bot.proposing import near_misses, plan, ticks_in
from hfm_bot.render import Renderer
from tests.conftest import REPO, SEED_LIST

TODAY = dt.date(2025, 6, 5)


def _scored(n: int, top: float = 0.9, step: float = 0.05) -> list[tuple[Paper, Prediction]]:
    """``n`` papers scoring ``top``, ``top - step``, ... (best first), each with a title
    unlike the list's so none is already listed."""
    out = []
    for i in range(n):
        pid = f"2506.{10000 + i}"
        title = f"Zyx foundation model number {i} for qwv scans"
        paper = Paper(id=pid, source=Origin.ARXIV, title=title, abstract="An abstract.", date=TODAY)
        score = round(top - step * i, 4)
        out.append((paper, Prediction(pid, score, True, "LFM", (("LFM", 0.9),), ("w",))))
    return out


def _plan(
    scored: list[tuple[Paper, Prediction]], max_entries: int, shown: frozenset[str] = frozenset()
) -> tuple[list[str], list[str], int]:
    doc = awesome_list.load(SEED_LIST)
    change = plan(
        doc, scored, config.load(REPO / "hfm-bot.toml"), Renderer(), exclude=set(),
        max_entries=max_entries, threshold=0.5, today=TODAY, shown=shown,
    )  # fmt: skip
    return (
        [p.paper.id for p in change.added],
        [p.paper.id for p in change.near_misses],
        change.waiting,
    )


def test_a_capped_night_offers_the_papers_waiting_behind_the_cap_best_first() -> None:
    """Nine papers at or above the threshold 0.5 (0.90 .. 0.50) and the cap at 4: the near
    misses are the next five above the threshold, best first, not the papers under it."""
    scored = _scored(12)
    added, misses, waiting = _plan(scored, max_entries=4)
    ids = [p.id for p, _ in scored]
    assert added == ids[:4]
    assert waiting == 5
    assert misses == ids[4:9]


def test_a_night_under_the_cap_offers_the_papers_just_under_the_threshold() -> None:
    scored = _scored(12)
    added, misses, waiting = _plan(scored, max_entries=30)
    ids = [p.id for p, _ in scored]
    assert (added, waiting) == (ids[:9], 0)
    assert misses == ids[9:12]


def test_the_waiting_papers_come_before_those_under_the_threshold_and_shown_ones_are_skipped() -> (
    None
):
    """Cap 7: two wait behind it (0.55, 0.50), then the papers under the threshold; one of
    the waiting papers was shown in an earlier PR, so it is not listed again."""
    scored = _scored(12)
    ids = [p.id for p, _ in scored]
    shown = frozenset({scored[7][0].key})
    _, misses, waiting = _plan(scored, max_entries=7, shown=shown)
    assert waiting == 2
    assert misses == [ids[8], ids[9], ids[10], ids[11]]


def test_the_pr_body_says_the_near_misses_are_waiting_behind_the_cap() -> None:
    scored = _scored(12)
    doc = awesome_list.load(SEED_LIST)
    settings = config.load(REPO / "hfm-bot.toml")
    capped = plan(doc, scored, settings, Renderer(), exclude=set(), max_entries=4,
                  threshold=0.5, today=TODAY)  # fmt: skip
    assert "waiting behind the cap first" in capped.body
    assert ticks_in(capped.body.replace("- [ ]", "- [x]")).keys == {
        p.paper.key for p in capped.near_misses
    }
    free = plan(doc, scored, settings, Renderer(), exclude=set(), max_entries=30,
                threshold=0.5, today=TODAY)  # fmt: skip
    assert "waiting behind the cap" not in free.body
    assert "Just below the threshold" in free.body


def test_near_misses_is_pure_over_its_inputs() -> None:
    """The function alone: room 0 makes every paper above the threshold a near miss first."""
    scored = _scored(4, top=0.6, step=0.1)  # 0.6, 0.5, 0.4, 0.3
    got = near_misses(scored, 0.5, 0, frozenset(), 3)
    assert [pred.score for _, pred in got] == [0.6, 0.5, 0.4]
    assert near_misses(scored, 0.5, 2, frozenset({scored[2][0].key}), 5) == [scored[3]]


def test_a_paper_whose_entry_would_not_read_back_is_left_out_not_the_night(
    tmp_path: Path,
) -> None:
    """A maintainer's entry template that writes some papers' lines unreadably (here: any
    title with "number 1") passes the check before the fetch, which renders a sample. Such
    a paper is left out, with why, and the others are proposed; when none can be written,
    the night stops with the reason."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "entry.md.j2").write_text(
        "{% if 'number 1' in title %}- {{ title }}{% else %}"
        "- [{{ venue }}] {{ title }}. [[Paper]]({{ url }}){% endif %}\n"
    )
    renderer = Renderer(templates)
    doc = awesome_list.load(SEED_LIST)
    settings = config.load(REPO / "hfm-bot.toml")
    scored = _scored(3)
    change = plan(doc, scored, settings, renderer, exclude=set(), max_entries=30,
                  threshold=0.5, today=TODAY)  # fmt: skip
    assert [p.paper.id for p in change.added] == [scored[0][0].id, scored[2][0].id]
    ((refused, why),) = change.refused
    assert refused.paper.id == scored[1][0].id and "[[Paper]] link" in why
    assert scored[1][0].id not in change.after and scored[2][0].id in change.after
    bad = [sp for sp in _scored(12, step=0.01) if "number 1" in sp[0].title][:2]
    with pytest.raises(ListFormatError, match="no new entry could be written"):
        plan(doc, bad, settings, renderer, exclude=set(), max_entries=30, threshold=0.5,
             today=TODAY)  # fmt: skip


def test_the_runs_summary_counts_the_papers_left_out() -> None:
    from collections import Counter

    from hfm_bot.pipeline import RunReport

    report = RunReport("2025-06-05", (), 3, 0, 3, Counter({"LFM": 1}), 0, 0, None, refused=2)
    assert "- left out, their entries unreadable in the list's style: 2" in report.markdown()
    quiet = RunReport("2025-06-05", (), 3, 0, 3, Counter({"LFM": 1}), 0, 0, None)
    assert "left out" not in quiet.markdown()
