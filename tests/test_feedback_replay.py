"""The review loop, three nights of it: the harness of testsupport/feedback.py (which
benchmarks/feedback_replay.py runs over all 36 judged days) run small.

The bot runs each night through the CLI against the local GitHub; the judged labels play the
maintainer (keep, move, delete, tick) in that GitHub; `sync` and `train` read what they did.
What must hold: every review reaches the memory and the training data as the maintainer
meant it, and the retrained model is the one the next night scores with.
"""

from __future__ import annotations

import json
from pathlib import Path

from testsupport.feedback import announced, load_judged, run_start, stream_folder

from hfm_bot import decisions
from hfm_bot.classifier import training_data
from hfm_bot.labelled import LabelledPaper

SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]


def test_three_reviewed_nights_reach_the_memory_and_the_training_data(tmp_path: Path) -> None:
    judged_all = load_judged()
    days = sorted({announced(j) for j in judged_all})[:3]
    judged = [j for j in judged_all if announced(j) in days]
    stream = stream_folder(tmp_path / "stream", judged)
    lines: list[str] = []
    rows = run_start(
        "cold",
        days,
        judged,
        stream,
        tmp_path,
        every=2,
        encoder=False,
        judged_ids={j.paper.id for j in judged_all},
        log=lines.append,
    )
    assert [r.night for r in rows] == [1, 2, 3] and [r.day for r in rows] == days
    assert all(0 <= r.f1 <= 1 and 0 < r.average_precision <= 1 for r in rows)
    assert rows[0].kept == rows[0].deleted == rows[0].ticked == 0  # measured before review
    assert rows[1].retrained and not rows[0].retrained and not rows[2].retrained

    data = tmp_path / "cold" / "labeled_data"
    memory = decisions.load(data / "decisions.jsonl")
    verdict: dict[str, LabelledPaper] = {j.paper.key: j for j in judged}
    settled = [
        d for d in memory if d.status in (decisions.Status.ACCEPTED, decisions.Status.REJECTED)
    ]
    ticked = [d for d in memory if d.status is decisions.Status.TICKED]
    kept = [d for d in settled if d.status is decisions.Status.ACCEPTED]
    moved = [d for d in kept if d.section != d.proposed_section]
    assert settled and ticked and moved, (len(settled), len(ticked), len(moved))
    # Each decision is the maintainer's verdict: kept exactly when judged relevant, and in the
    # section the maintainer moved it to.
    for d in settled:
        assert (d.status is decisions.Status.ACCEPTED) == verdict[d.key].relevant, d.key
        if d.status is decisions.Status.ACCEPTED:
            assert d.section == verdict[d.key].section, d.key
    assert all(verdict[d.key].relevant for d in ticked)
    loaded = training_data.load_training_data(
        list_labels=data / "list.jsonl",
        decisions=data / "decisions.jsonl",
        labelled=[],
        background=sorted((data / "background").glob("*.jsonl.gz")),
        sections=SECTIONS,
    )
    examples = {ex.paper_id: ex for ex in loaded.examples if ex.kind == "decision"}
    for d in [*settled, *ticked]:
        ex = examples[d.id]
        assert ex.relevant == (d.status is not decisions.Status.REJECTED), d.key
        if ex.relevant:
            assert ex.section == d.section
    for d in moved:
        assert examples[d.id].section == verdict[d.key].section != d.proposed_section

    # The retrain after night 2 learned from those decisions; night 3 was scored with it.
    meta = json.loads((tmp_path / "cold" / "model" / "meta.json").read_text())
    assert meta["counts"].get("decision:neg", 0) > 0 and meta["counts"].get("decision:pos", 0) > 0
    assert any("retrained" in line and "promoted" in line for line in lines)
    card = (tmp_path / "cold" / "model" / "README.md").read_text()
    assert "no judged day yet; proposes the" in card
    assert "of the background it scores highest (a fixed share)" in card
    assert "maximum F1 on out-of-fold scores of no judged day" not in card
