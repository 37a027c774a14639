"""Forward (time-ordered) evaluation: each later judged day scored by a model of its past.

Leave one day out holds a day out between training days of the same weeks, so it cannot see
a model age: measured on the held-out months (issue #24), the shipped model lost 0.05 F1 to
its leave-one-day-out figure, nearly all of it recall. The bot lives the other way round: it
scores tomorrow with a model of yesterday. Here each of the last judged days is scored by a
model trained, with the shipped recipe (:func:`hfm_bot.classifier.training.train`: both
stages, the blend and its own threshold choice), only on what is dated before it, and
proposes at the threshold *that* model would have stored.

Training once per day is the truth and costs a training per day; ``every`` trains once per
block of that many days, each block's model trained on what precedes the block (its later
days are then scored by a model one or two days older than the bot's would be).

The figures come from the one :func:`hfm_bot.classifier.figures.report`, which cuts every row
at one threshold. Each block's scores are therefore shifted by the difference between its
threshold and a common one (the blocks' mean), so that each row is proposed exactly when its
own model would have proposed it; per-day figures and section accuracy are unchanged by the
shift, and the overall average precision ranks the rows by their margin over their own
model's threshold (the ranking a reader of all the nights together would see).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.encoder import Encoder
from hfm_bot.classifier.evaluation import scored_rows
from hfm_bot.classifier.figures import ForwardBlock, ForwardEvaluation, Scored, report
from hfm_bot.classifier.model import TitleRule
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.classifier.training import TrainResult, train
from hfm_bot.classifier.training_data import Example, TrainingData
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.errors import InputError
from hfm_bot.labelled import Kind

MIN_EARLIER_DAYS = 3
"""Judged days a model needs before the first day it scores: its threshold is chosen on the
judged days' out-of-fold scores, in folds of whole days."""

LABELLED_KINDS = (Kind.JUDGED, Kind.CURATED, Kind.LABELLED, Kind.DECISION)
"""Verdicts that only count once their date is known (the list and the background are the
bot's starting material and train every model when nothing dates them)."""


Block = ForwardBlock
"""Judged days scored by one model."""


@dataclass(frozen=True, slots=True)
class BlockRun:
    """One block as it was run: its model's training and its rows' own scores (before the
    shift), for a caller that studies more than the figures (``benchmarks/forward.py``
    re-cuts them at other threshold policies without training again)."""

    block: Block
    trained: TrainResult
    scored: Scored


def judged_days(data: TrainingData) -> list[str]:
    """The dated judged days, oldest first."""
    return sorted({ex.date for ex in data.examples if ex.kind == Kind.JUDGED and ex.date})


def undated_labelled(data: TrainingData) -> int:
    """Labelled papers (not their title-only copies) with no date: forward evaluation can
    neither train on them nor score them, as nothing says which model may know them."""
    return sum(
        1 for ex in data.examples if ex.kind in LABELLED_KINDS and ex.evaluable and not ex.date
    )


def known_before(data: TrainingData, day: str) -> TrainingData:
    """What a model trained the night before ``day`` could have learnt from: every row dated
    before it, and the undated list and background rows (undated verdicts are left out)."""
    kept = tuple(ex for ex in data.examples if _known(ex, day))
    return TrainingData(kept, data.inputs, data.warnings, data.conflicts)


def _known(ex: Example, day: str) -> bool:
    if ex.date:
        return ex.date < day
    return ex.kind not in LABELLED_KINDS


def blocks_of(days: Sequence[str], every: int) -> list[tuple[str, ...]]:
    """The scored days in consecutive blocks of ``every`` days (the last may be shorter)."""
    return [tuple(days[i : i + every]) for i in range(0, len(days), every)]


def scored_days(data: TrainingData, last: int) -> tuple[list[str], int]:
    """The last ``last`` judged days and how many judged days precede them; fewer than
    :data:`MIN_EARLIER_DAYS` before the first is an :class:`InputError` that says why."""
    if last < 1:
        raise InputError(f"--last {last}: score at least one judged day")
    days = judged_days(data)
    chosen, earlier = days[-last:], max(len(days) - last, 0)
    if earlier < MIN_EARLIER_DAYS:
        raise InputError(
            f"forward evaluation of the last {last} judged days needs at least "
            f"{MIN_EARLIER_DAYS} judged days before the first of them to train and choose a "
            f"threshold on; the labelled data has {len(days)} dated judged days in all "
            f"({earlier} before): ask for fewer with --last (at most "
            f"{max(len(days) - MIN_EARLIER_DAYS, 0)})"
        )
    return chosen, earlier


def evaluate(
    data: TrainingData,
    labels: Sequence[str],
    *,
    last: int = 18,
    every: int = 1,
    encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None,
    title_rule: TitleRule | None = None,
    config: TrainingConfig = DEFAULT_TRAINING,
    on_block: Callable[[BlockRun], None] | None = None,
    command: str = "",
    fit: Callable[[TrainingData], TrainResult] | None = None,
) -> ForwardEvaluation:
    """Score the last ``last`` judged days forward, one training per ``every`` days (see
    the module); the curated positives dated within a block are scored by its model too
    (their recall). ``on_block`` hears of each block as it is done (a long run's progress,
    and a chance to save the embedding cache). ``fit`` trains a block's model on its past
    (default: :func:`~hfm_bot.classifier.training.train` with the arguments above; a
    benchmark passes one that reuses its TF-IDF fits)."""
    if every < 1:
        raise InputError(f"--every {every}: train at least once per day (--every 1)")
    days, _ = scored_days(data, last)
    blocks = blocks_of(days, every)
    starts = [b[0] for b in blocks] + ["9999-12-31"]
    parts: list[tuple[Scored, float]] = []
    done: list[Block] = []
    for k, block in enumerate(blocks):
        past = known_before(data, block[0])
        if fit is None:
            result = train(past, labels, encoder, cache, title_rule, config)
        else:
            result = fit(past)
        model = Classifier(result.model, result.head, encoder, cache)
        rows = _rows(data, set(block), block[0], starts[k + 1])
        parts.append((scored_rows(model, rows), result.threshold))
        done.append(
            Block(
                block, len(judged_days(past)), result.threshold, result.threshold_rows,
                model.head is not None,
            )
        )  # fmt: skip
        if on_block is not None:
            on_block(BlockRun(done[-1], result, parts[-1][0]))
    offset = float(np.mean([t for _, t in parts]))
    scored = _joined([_shifted(s, offset - t) for s, t in parts])
    return ForwardEvaluation(
        command, report(scored, offset), tuple(done), every, offset, undated_labelled(data)
    )


def _rows(data: TrainingData, days: set[str], start: str, end: str) -> list[Example]:
    """The block's judged papers, and the curated positives dated from its first day to the
    next block's."""
    return [
        ex
        for ex in data.examples
        if ex.evaluable
        and ex.date
        and (
            (ex.kind == Kind.JUDGED and ex.date in days)
            or (ex.kind == Kind.CURATED and start <= ex.date < end)
        )
    ]


def _shifted(scored: Scored, by: float) -> Scored:
    return Scored(
        scored.kind, scored.group, scored.relevant, scored.section, scored.score + by,
        scored.predicted_section,
    )  # fmt: skip


def _joined(parts: Sequence[Scored]) -> Scored:
    return Scored(
        *(
            np.concatenate([getattr(p, name) for p in parts])
            for name in ("kind", "group", "relevant", "section", "score", "predicted_section")
        )
    )


def describe(result: ForwardEvaluation) -> list[str]:
    """What the table cannot say: how often the model was retrained, each block's model and
    threshold, and the papers left out."""
    per = (
        "each day by a model trained"
        if result.every == 1
        else (f"in blocks of {result.every} days, each block by one model trained")
    )
    lines = [
        f"forward: {sum(len(b.days) for b in result.blocks)} judged days scored {per} only "
        f"on what is dated before it, at the threshold that model chose; scores shifted so "
        f"each model's threshold sits at {result.offset:.4f} (the table's threshold)"
    ]
    for b in result.blocks:
        stages = "two stages" if b.two_stages else "TF-IDF stage alone"
        lines.append(
            f"  {b.days[0]}..{b.days[-1]}: trained on {b.trained_days} judged days "
            f"({stages}), threshold {b.threshold:.4f} ({b.threshold_rows})"
        )
    if result.undated:
        lines.append(f"left out: {result.undated} labelled papers without a date")
    return lines
