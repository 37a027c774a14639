"""Training as a service: fit a candidate, gate it against the current model, stage it with
its card, and swap it into the model folder; what happened comes back as one value.

Why a module of its own: ``hfm-bot train``, ``hfm-bot init`` (the cold start) and the
retrain pull requests (``retrain-pr``, ``action retrain``) all need to know how a model is
stored: which files make its weights, where its out-of-fold scores go, what a card is and
how a folder is replaced without a reader ever seeing half of one. That knowledge lives here
and nowhere else; the commands parse arguments, hand in the clients they built (the encoder
and its cache) and print the :class:`Outcome`.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hfm_bot.classifier.recipe import DEFAULT_TRAINING, TrainingConfig
from hfm_bot.errors import InputError
from hfm_bot.files import replace_directory, restore_directory
from hfm_bot.jsontypes import JSONObject

if TYPE_CHECKING:
    from hfm_bot.classifier.card import About
    from hfm_bot.classifier.embeddings import EmbeddingCache
    from hfm_bot.classifier.encoder import Encoder
    from hfm_bot.classifier.figures import Figures, Report, Scored
    from hfm_bot.classifier.gate import Verdict
    from hfm_bot.classifier.model import TitleRule
    from hfm_bot.classifier.training import TrainResult
    from hfm_bot.classifier.training_data import TrainingData
    from hfm_bot.config import Settings

RETRAIN_BRANCH = "hfm-bot/retrain"
RETRAIN_TITLE = "hfm-bot: retrain"
RETRAIN_MESSAGE = "hfm-bot: retrain the model"

Warn = Callable[[str], None]


def _ignore(message: str) -> None:
    """The default for a caller that shows no warnings."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """Where the training data is read from; None means the file ``labeled_data/`` holds
    (so ``hfm-bot train`` alone retrains from what the repository has)."""

    list_labels: Path | None = None
    decisions: Path | None = None
    labelled: tuple[Path, ...] | None = None
    background: tuple[Path, ...] | None = None
    until: dt.date | None = None
    """Papers and labels dated on or after it are left out."""
    background_max: int | None = None
    """At most this many background papers, sampled (seeded); None: the recipe's
    (``[training]`` in the configuration, else the shipped ``TrainingConfig``)."""


def recipe(inputs: Inputs, settings: Settings) -> TrainingConfig:
    """The configuration's training recipe, with ``--background-max`` when it is given."""
    import dataclasses

    if inputs.background_max is None:
        return settings.training
    return dataclasses.replace(settings.training, background_max=inputs.background_max)


def load_data(inputs: Inputs, settings: Settings, on_warning: Warn = _ignore) -> TrainingData:
    """The training data, each input defaulting to its file in ``labeled_data/``; a named
    file that is missing is an :class:`InputError` naming it, said before anything is read."""
    from hfm_bot.classifier import training_data

    list_labels = inputs.list_labels or settings.list_labels_file
    if not list_labels.exists():
        raise InputError(f"{list_labels}: no list labels; run `hfm-bot labels import-list` first")
    if inputs.labelled is None:
        labelled = [settings.labelled_file] if settings.labelled_file.exists() else []
    else:
        labelled = list(inputs.labelled)
    background = (
        settings.background_files() if inputs.background is None else list(inputs.background)
    )
    for path in (*labelled, *background):
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    return training_data.load_training_data(
        list_labels=list_labels,
        decisions=inputs.decisions or settings.decisions_file,
        labelled=labelled,
        background=background,
        sections=[s.label for s in settings.sections],
        until=inputs.until,
        config=recipe(inputs, settings),
        on_warning=on_warning,
    )


def title_rule(settings: Settings) -> TitleRule | None:
    """The list's survey section by title words ([survey] in the configuration), if any."""
    from hfm_bot.classifier.model import TitleRule

    if settings.survey_label is None or not (
        settings.survey_title_words or settings.survey_abstract_phrases
    ):
        return None
    return TitleRule(
        settings.survey_label, settings.survey_title_words, settings.survey_abstract_phrases
    )


def about(settings: Settings) -> About:
    """The list the card describes, in the configuration's words."""
    from hfm_bot.classifier.card import About

    return About(settings.list_title, settings.list_topic)


@dataclass(frozen=True, slots=True)
class Request:
    """One training: the data, the clients the caller built, and where the model goes."""

    data: TrainingData
    labels: tuple[str, ...]
    out: Path
    """The model folder: replaced whole, or left as it was."""
    command: str
    """The command the card gives to rebuild these weights."""
    about: About | None = None
    encoder: Encoder | None = None
    cache: EmbeddingCache | None = None
    title_rule: TitleRule | None = None
    config: TrainingConfig = DEFAULT_TRAINING
    """The recipe: the configuration's ``[training]`` (:func:`recipe`)."""
    force: bool = False
    """Promote even a candidate the gate finds worse (the card says so)."""
    use_encoder: bool = True
    """Whether the current model is scored with its encoder stage, for the gate."""
    started: float | None = None
    """``time.perf_counter()`` when the command began (the card's training time)."""
    on_warning: Warn = _ignore


class Status(enum.Enum):
    PROMOTED = "promoted"
    """The candidate replaced the model folder."""
    KEPT = "kept"
    """The gate found the candidate worse: the current model stays."""
    UNCHANGED = "unchanged"
    """The candidate has the current model's weights: the folder is not touched."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a training did, for the command to print."""

    status: Status
    reason: str
    """The gate's reason (``verdict.reason``)."""
    forced: bool
    model_dir: Path
    threshold: float
    threshold_rows: str
    """Which out-of-fold rows chose the threshold."""
    figures: Figures | None
    """None for a cold start: nothing to measure on yet."""
    gate_table: str
    """The gate's before/after table."""
    counts: Mapping[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def promoted(self) -> bool:
        return self.status is Status.PROMOTED


def prepare(out: Path) -> None:
    """Check the model folder before minutes of fitting: a file in its place is refused,
    and a swap an interruption cut in half is undone (the old folder comes back)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--output {out}: is a file, not a folder")
    restore_directory(out)


def retrain(request: Request) -> Outcome:
    """Train, gate, stage, write the card and swap: the model folder is replaced only when
    the gate promotes the candidate and its weights differ from the current ones. The
    candidate is written into a staging folder beside the model folder first, so an
    interrupted or refused training leaves the current model whole."""
    from hfm_bot.classifier import card, evaluation, training

    started = time.perf_counter() if request.started is None else request.started
    prepare(request.out)
    result = training.train(
        request.data,
        list(request.labels),
        request.encoder,
        request.cache,
        title_rule=request.title_rule,
        config=request.config,
    )
    if request.cache is not None:
        request.cache.save()
    scored = card.scored_from_train(result)
    verdict = _gate(request, result, scored)
    report = evaluation.report(scored, result.threshold)
    status = Status.PROMOTED if verdict.promote else Status.KEPT
    if verdict.promote:
        swapped = _stage_and_swap(request, result, report, verdict, started)
        status = Status.PROMOTED if swapped else Status.UNCHANGED
    return Outcome(
        status=status,
        reason=verdict.reason,
        forced=verdict.forced,
        model_dir=request.out,
        threshold=result.threshold,
        threshold_rows=result.threshold_rows,
        figures=None if result.cold_start else report.overall,
        gate_table=_table(verdict),
        counts=dict(request.data.counts()),
        seconds=time.perf_counter() - started,
    )


def _table(verdict: Verdict) -> str:
    from hfm_bot.classifier import gate

    return gate.table(verdict)


def _gate(request: Request, result: TrainResult, scored: Scored) -> Verdict:
    """The promotion verdict of a candidate against the model in the folder (none there, or
    one that cannot be read: the candidate is promoted, and the reason says which)."""
    from hfm_bot.classifier import gate, head, model, two_stage

    out, force = request.out, request.force
    try:
        current = two_stage.load(
            out,
            use_encoder=request.use_encoder,
            on_warning=lambda message: request.on_warning(f"current model: {message}"),
        )
        oof = gate.OutOfFoldScores.load(out)
    except model.ModelError as err:
        if (out / model.MODEL_FILE).exists():
            problem = f"the current model cannot be used ({err})"
            return gate.judge(scored, result.threshold, None, force=force, current_problem=problem)
        return gate.judge(scored, result.threshold, None, force=force)
    # Like with like: a model scored without its encoder stage is its TF-IDF stage.
    oof, stage = gate.like_with_like(oof, (out / head.HEAD_FILE).exists(), current.head is not None)
    rows = [result.data.examples[r] for r in result.oof.rows]
    current_scored, how = gate.current_scores(
        current,
        oof,
        scored,
        [ex.paper_id or "" for ex in rows],
        [ex.text for ex in rows],
        [ex.encoder_text for ex in rows],
    )
    how = stage + how
    return gate.judge(
        scored, result.threshold, (current_scored, how, current.threshold), force=force
    )


def _stage_and_swap(
    request: Request,
    result: TrainResult,
    report: Report,
    verdict: Verdict,
    started: float,
) -> bool:
    """Write the model, its out-of-fold scores and its card into a staging folder, then put
    it in the model folder's place; False (nothing touched) when the weights are the ones
    already there."""
    from hfm_bot.classifier import card, model

    out = request.out
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would follow the folder into place
    try:
        _save_weights(staging, result)
        if (out / model.WEIGHTS_FILE).exists() and same_model(staging, out):
            return False
        _save_out_of_fold(staging, result)
        seconds = time.perf_counter() - started
        card.write(staging, result, report, request.command, seconds, verdict, about=request.about)
        replace_directory(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _save_weights(directory: Path, result: TrainResult) -> None:
    result.model.save(directory)
    if result.head is not None:
        result.head.save(directory)


def _save_out_of_fold(directory: Path, result: TrainResult) -> None:
    """The candidate's out-of-fold scores by paper: the next gate scores this model with
    them on the papers it was trained on (and, for a two-stage model, its TF-IDF stage's own
    beside them)."""
    import numpy as np

    from hfm_bot.classifier import gate

    ids = tuple(result.data.examples[r].paper_id or "" for r in result.oof.rows)
    tfidf = None
    if result.head is not None and result.tfidf_oof is not None:
        # The TF-IDF stage's own, by paper: a later --no-encoder retrain is gated on them.
        alone = result.tfidf_oof
        by_row = dict(zip(alone.rows.tolist(), alone.score.tolist(), strict=True))
        tfidf = np.array([by_row.get(int(r), np.nan) for r in result.oof.rows], dtype=np.float64)
    gate.OutOfFoldScores(
        ids, result.oof.score, tuple(str(s) for s in result.oof.section), tfidf
    ).save(directory)


def same_model(a: Path, b: Path) -> bool:
    """The same weights, header and encoder head, whatever the card says (its timing always
    differs)."""
    from hfm_bot.classifier import head, model

    def read(path: Path) -> bytes | None:
        return path.read_bytes() if path.exists() else None

    names = (*model.STORED_FILES, head.HEAD_FILE)
    return all(read(a / f) == read(b / f) for f in names)


# ---------------------------------------------------------------- the retrain pull request


@dataclass(frozen=True, slots=True)
class Proposal:
    """A model folder as a retrain pull request carries it: every file by its path in the
    repository (a file the new model dropped is then deleted), and the PR's text."""

    files: Mapping[str, bytes]
    folder: str
    """The model folder's path in the repository."""
    title: str
    body: str
    message: str


def proposal(
    model_dir: Path, remote: Callable[[Path], str], *, title: str = RETRAIN_TITLE
) -> Proposal:
    """The retrain pull request for ``model_dir``; ``remote`` maps a local path to its path
    in the repository. A folder with no readable card is an :class:`InputError`: there would
    be nothing to say in the PR."""
    meta_file = model_dir / "meta.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"{meta_file}: no model card to describe ({err})") from err
    if not isinstance(meta, dict):
        raise InputError(f"{meta_file}: no model card to describe (not a JSON object)")
    files = {remote(p): p.read_bytes() for p in sorted(model_dir.rglob("*")) if p.is_file()}
    return Proposal(files, remote(model_dir), title, retrain_body(meta), RETRAIN_MESSAGE)


def in_repository(root: Path, model_dir: Path) -> Callable[[Path], str]:
    """Paths relative to the repository's root; a model folder outside it is refused."""
    base = root.resolve()
    try:
        folder = model_dir.resolve().relative_to(base)
    except ValueError as err:
        raise InputError(f"--model {model_dir} is not inside --root {base}") from err
    return lambda path: (folder / path.relative_to(model_dir)).as_posix()


def retrain_body(meta: JSONObject) -> str:
    """The retrain PR's body: why the candidate was promoted, and the before/after table
    (from the model's ``meta.json``; a field it lacks reads as "-")."""
    raw = meta.get("promotion")
    p: JSONObject = raw if isinstance(raw, dict) else {}

    def text(key: str, default: str = "-") -> str:
        value = p.get(key)
        return value if isinstance(value, str) and value else default

    forced = "\n\n**Promoted with `--force`.**" if p.get("forced") is True else ""
    threshold = meta.get("threshold")
    cut = f"{threshold:.4f}" if isinstance(threshold, int | float) else "-"
    return (
        "A weekly retrain from `labeled_data/` (the list, the labelled papers, the maintainers' "
        "decisions and the background) made a model that is "
        f"{text('reason', 'new')}.{forced}\n\n"
        f"Rule: {text('rule')}. The current model was scored by "
        f"{text('current_scored_from')}.\n\n"
        f"{text('table', '')}\n\n"
        f"Threshold {cut}; examples: {meta.get('counts', {})}. "
        "The model card (`model/README.md`) has the per-day figures. Merge to ship it; close "
        "to keep the current model."
    )


def labels_of(settings: Settings) -> tuple[str, ...]:
    return tuple(s.label for s in settings.sections)


def rebuild_command(argv: Sequence[str]) -> str:
    """The command the card names to rebuild these weights or figures: ``--force`` only let
    them in, and ``--json PATH`` only copied the figures somewhere (a reader's temporary
    path has no place in the card)."""
    import shlex

    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--json":
            skip = True
        elif arg != "--force" and not arg.startswith("--json="):
            kept.append(arg)
    return "hfm-bot " + shlex.join(kept)
