"""The model card: ``meta.json``, ``README.md`` and two plots, written beside the model.

Maintainers decide whether to trust a retrained model from this page, so it carries the
cross-validated figures, how the threshold was chosen, and the exact command to rebuild it.
"""

from __future__ import annotations

import dataclasses
import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from hfm_bot.classifier import figures
from hfm_bot.classifier.evaluation import scored_from_oof
from hfm_bot.classifier.figures import (
    Evaluation,
    ForwardEvaluation,
    LearningPoint,
    Report,
    Scored,
    StoredFigures,
    figure,
)
from hfm_bot.classifier.gate import MIN_DECISIONS, TOLERANCE, Verdict, table
from hfm_bot.classifier.head import SecondOpinion
from hfm_bot.classifier.model import TitleRule
from hfm_bot.classifier.training import TrainResult
from hfm_bot.classifier.training_data import describe_inputs
from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_text
from hfm_bot.jsontypes import JSON
from hfm_bot.labelled import Kind


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("hfm-bot", "scikit-learn", "numpy", "scipy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


@dataclass(frozen=True, slots=True)
class About:
    """The list a model is for, in the configuration's words (``[list]`` title and topic):
    the card describes the model in them, so no list's subject is written into the code."""

    title: str | None = None
    topic: str | None = None
    """What a paper must be about to belong, e.g. "about a foundation model *and* about
    medicine"."""


def scored_from_train(result: TrainResult) -> Scored:
    return scored_from_oof(result.matrix, result.oof)


def stored_figures(result: TrainResult, cv_report: Report) -> StoredFigures:
    """The figures a freshly trained model stores: its cross-validated report and its TF-IDF
    stage alone on the same folds (no leave-one-day-out yet: ``evaluate --card`` adds it)."""
    alone = None
    if result.head is not None and result.tfidf_oof is not None:
        alone = figures.measure(
            scored_from_oof(result.matrix, result.tfidf_oof), result.model.threshold
        )
    return StoredFigures(cross_validated=cv_report, tfidf_alone=alone)


def dumps(meta: dict[str, JSON]) -> str:
    return json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False)


def write(
    directory: Path,
    result: TrainResult,
    cv_report: Report,
    command: str,
    seconds: float,
    verdict: Verdict,
    about: About | None = None,
) -> None:
    """``meta.json``, the card and its plots, for a model trained as ``result`` and
    measured (out of fold, on the threshold's folds) as ``cv_report``."""
    model = result.model
    about = about or About()
    stored = stored_figures(result, cv_report)
    counts: dict[str, JSON] = dict(result.data.counts().items())
    meta: dict[str, JSON] = {
        "list": {"title": about.title, "topic": about.topic},
        "versions": dict(_versions().items()),
        "inputs": list(describe_inputs(result.data)),
        "counts": counts,
        "vocabulary": len(model.terms),
        "sections": list(model.section_labels),
        "title_rule": None if model.title_rule is None else model.title_rule.to_json(),
        "threshold": result.threshold,
        "threshold_target": _threshold_target(result),
        "figures": stored.to_json(),
        "command": command,
        "train_seconds": round(seconds, 1),
        "label_conflicts": result.data.conflicts,
        "promotion": {
            "promoted": verdict.promote,
            "forced": verdict.forced,
            "reason": verdict.reason,
            "current_scored_from": verdict.current.scored_from if verdict.current else None,
            "rule": _RULE,
            "table": table(verdict),
        },
        "second_stage": _second_stage_meta(result),
    }
    atomic_write_text(directory / figures.META_FILE, dumps(meta) + "\n")
    scored = scored_from_train(result)
    _plot_pr(directory / "pr_curve.png", scored, result.threshold)
    _plot_confusion(directory / "section_confusion.png", scored, model.section_labels)
    card = _Card(
        result=result,
        stored=stored,
        verdict=verdict,
        about=about,
        command=command,
        seconds=round(seconds, 1),
        versions=", ".join(f"{k} {v}" for k, v in _versions().items()),
    )
    atomic_write_text(directory / "README.md", card.render())


_RULE = (
    f"average precision and F1 at each model's stored threshold, on the judged days and on "
    f"the decisions (when {MIN_DECISIONS} or more), each at most {TOLERANCE} below the current "
    "model's"
)


def _threshold_target(result: TrainResult) -> str:
    """What the threshold was chosen on, as the end of "chosen as the ...": the rows whose
    best F1 set it (all judged days, the most recent ones, or labelled papers), or the
    sentence that says why no F1 could choose it (a cold start, too few labels)."""
    rows = result.threshold_rows
    if rows in ("judged days", "labelled papers") or rows.endswith("most recent judged days"):
        return "maximum F1 on out-of-fold scores of " + rows
    return rows


def _plot_pr(path: Path, scored: Scored, threshold: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    judged = scored.kind == Kind.JUDGED
    fig, ax = plt.subplots(figsize=(5, 4), dpi=100)
    if judged.any() and scored.relevant[judged].any():
        p, r, t = precision_recall_curve(scored.relevant[judged], scored.score[judged])
        ax.plot(r, p, label="out-of-fold, judged days")
        i = int(np.searchsorted(t, threshold))
        if i < len(t):
            ax.plot([r[i]], [p[i]], "o", label=f"threshold {threshold:.3f}")
        ax.legend(loc="lower left")
    else:  # a new list with no judged days yet: say so rather than draw an empty frame
        ax.text(0.5, 0.5, "no judged days to draw", ha="center", va="center")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title("Relevance: precision-recall")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _plot_confusion(path: Path, scored: Scored, labels: Sequence[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mask = scored.relevant & (scored.section != "")
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    index = {label: i for i, label in enumerate(labels)}
    for true, pred in zip(scored.section[mask], scored.predicted_section[mask], strict=True):
        if true in index and pred in index:
            matrix[index[true], index[pred]] += 1
    fig, ax = plt.subplots(figsize=(5, 4.4), dpi=100)
    ax.imshow(matrix, cmap="Blues")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black")  # fmt: skip
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted section")
    ax.set_ylabel("true section")
    ax.set_title("Sections of relevant papers (out-of-fold)")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


EVALUATION_START = "<!-- hfm-bot evaluate: start -->"
EVALUATION_END = "<!-- hfm-bot evaluate: end -->"


def add_evaluation(card: Path, evaluation: Evaluation) -> None:
    """Put an ``hfm-bot evaluate`` report into the card, in place of the previous one, and
    into the ``meta.json`` beside it (when there is one), whose figures the README's table is
    rendered from.

    The leave-one-day-out figures are the ones a maintainer should expect on a new day, but
    they cost a retraining per judged day, so ``train`` leaves a marked place for them and
    ``evaluate --card`` fills it; a retrained card starts empty again, as its figures would
    be stale."""
    try:
        text = card.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{card}: cannot read the model card ({err.strerror})") from err
    start, end = text.find(EVALUATION_START), text.find(EVALUATION_END)
    if start < 0 or end < start:
        raise InputError(
            f"{card}: no evaluation section ({EVALUATION_START}); retrain to regenerate the card"
        )
    meta_path = card.parent / figures.META_FILE
    meta = figures.read_meta(meta_path) if meta_path.exists() else None
    stored = figures.stored(meta, str(meta_path)) if meta is not None else None
    if evaluation.learning_curve:
        _plot_learning_curve(card.parent / LEARNING_CURVE_PNG, evaluation.learning_curve)
    block = _evaluation_block(evaluation)
    if meta is not None and stored is not None:
        meta["figures"] = StoredFigures(
            stored.cross_validated, stored.tfidf_alone, evaluation, stored.forward
        ).to_json()
        atomic_write_text(meta_path, dumps(meta) + "\n")
    atomic_write_text(card, text[:start] + block + text[end + len(EVALUATION_END) :])


FORWARD_START = "<!-- hfm-bot evaluate --forward: start -->"
FORWARD_END = "<!-- hfm-bot evaluate --forward: end -->"


def add_forward(card: Path, result: ForwardEvaluation) -> None:
    """Put an ``hfm-bot evaluate --forward`` report into the card beside the
    leave-one-day-out section (in place of the previous one; a card from before forward
    evaluation gets it right after that section), and into the ``meta.json`` beside it, which
    the card's table is rendered from. Forward figures measure the recipe on days after its
    training days, which leave one day out cannot see (issue #24)."""
    try:
        text = card.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{card}: cannot read the model card ({err.strerror})") from err
    start, end = text.find(FORWARD_START), text.find(FORWARD_END)
    if start < 0 or end < start:
        after = text.find(EVALUATION_END)
        if after < 0:
            raise InputError(
                f"{card}: no evaluation section ({EVALUATION_END}); retrain to regenerate the card"
            )
        start = end = after + len(EVALUATION_END)
        block = "\n\n" + forward_block(result)
    else:
        end += len(FORWARD_END)
        block = forward_block(result)
    meta_path = card.parent / figures.META_FILE
    if meta_path.exists():
        meta = figures.read_meta(meta_path)
        stored = figures.stored(meta, str(meta_path))
        meta["figures"] = dataclasses.replace(stored, forward=result).to_json()
        atomic_write_text(meta_path, dumps(meta) + "\n")
    atomic_write_text(card, text[:start] + block + text[end:])


def forward_block(result: ForwardEvaluation | None) -> str:
    """The card's forward section, rendered from the stored forward figures."""
    if result is None:
        body = (
            "Not measured forward yet: run `hfm-bot evaluate --forward` with the training "
            "command's inputs and `--card model/README.md`."
        )
        return f"{FORWARD_START}\n## Forward figures\n\n{body}\n{FORWARD_END}"
    per = (
        "a model trained for each day"
        if result.every == 1
        else f"one model trained per block of {result.every} days, on what precedes the block"
    )
    n = sum(len(b.days) for b in result.blocks)
    o = result.report.overall
    daily = (
        ""
        if o is None or o.mean_daily_f1 is None
        else f"Mean F1 per judged day: {o.mean_daily_f1:.3f}. "
    )
    undated = (
        f" {result.undated} labelled papers without a date were left out." if result.undated else ""
    )
    blocks = "\n".join(
        f"| {b.days[0]} .. {b.days[-1]} | {b.trained_days} | {b.threshold:.4f} | "
        f"{'both' if b.two_stages else 'TF-IDF alone'} |"
        for b in result.blocks
    )
    intro = (
        f"The last {n} judged days, each scored by a model trained with this recipe only on "
        f"what is dated before it ({per}), at the threshold that model chose for itself: how "
        "the model ages, as the bot lives (it scores tomorrow with a model of yesterday), "
        f"which leave one day out cannot see.{undated} Measured with:"
    )
    table = figures.figures_table([("forward, at each model's own threshold", o)])
    body = f"""{intro}

```sh
{result.command}
```

{table}

{daily}{_DEFINITIONS}

| days scored | judged days trained on | threshold | stages |
| --- | --- | --- | --- |
{blocks}

{_days_table(result.report, section=True)}"""
    return f"{FORWARD_START}\n## Forward figures\n\n{body}\n{FORWARD_END}"


def put_summary(readme: Path, meta_path: Path) -> None:
    """Put the table of figures that ``meta_path`` renders into ``readme``, between its
    markers (every other byte kept): the README's figures are the stored model's."""
    stored = figures.stored(figures.read_meta(meta_path), str(meta_path))
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{readme}: cannot read it ({err.strerror})") from err
    table = figures.summary_table(stored)
    atomic_write_text(readme, figures.with_table(text, table, str(readme)))


LEARNING_CURVE_PNG = "learning_curve.png"


def _plot_learning_curve(path: Path, rows: Sequence[LearningPoint]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.6), dpi=100)
    days = [r.days for r in rows]
    ax.plot(days, [r.average_precision for r in rows], "o-", label="average precision")
    ax.plot(days, [r.best_f1 for r in rows], "s--", label="F1 at the best threshold")
    ax.set_xscale("log", base=2)
    ax.set_xticks(days, [str(d) for d in days])
    ax.set_xlabel("judged days learnt from (log scale)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("What more labelled days are worth (leave one day out)")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _learning_block(rows: Sequence[LearningPoint]) -> str:
    lines = [
        "### Learning curve",
        "",
        "The same recipe with only some of the judged days (nested, in a seeded order), each "
        "day scored by a model trained without it. Average precision needs no threshold; F1 "
        "is at the best threshold of those days. Every maintainer review adds labels the "
        "same way.",
        "",
        "| judged days | papers | relevant | average precision | best F1 |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.days} | {r.papers} | {r.relevant} | {r.average_precision:.3f} | {r.best_f1:.3f} |"
        for r in rows
    ]
    lines += ["", f"![learning curve]({LEARNING_CURVE_PNG})"]
    return "\n".join(lines)


def _evaluation_block(evaluation: Evaluation | None) -> str:
    shipped = evaluation is not None and evaluation.mode == figures.SHIPPED_MODE
    heading = "Figures of the shipped model" if shipped else "Leave-one-day-out figures"
    if evaluation is None:
        body = (
            "Not measured for this model yet: run `hfm-bot evaluate` with the training "
            "command's inputs and `--card model/README.md`."
        )
    else:
        o = evaluation.report.overall
        how = (
            "The shipped model as it is (for labelled days it never saw)"
            if shipped
            else "Each judged day scored by a model trained without it (the other dated "
            "papers in folds)"
        )
        threshold = "-" if o is None else f"{o.threshold:.3f}"
        daily = (
            ""
            if o is None or o.mean_daily_f1 is None
            else f"\n\nMean F1 per judged day: {o.mean_daily_f1:.3f}."
        )
        body = f"""{how}, at the stored threshold {threshold} (the first stage alone at its own). \
Measured with:

```sh
{evaluation.command}
```

{figures.evaluation_table(evaluation)}{daily} {_DEFINITIONS}

{_days_table(evaluation.report, section=True)}"""
        if evaluation.learning_curve:
            body += "\n\n" + _learning_block(evaluation.learning_curve)
    return f"{EVALUATION_START}\n## {heading}\n\n{body}\n{EVALUATION_END}"


_DEFINITIONS = (
    "Every figure counts the judged days' papers, except curated recall (the share of the "
    "curated positives proposed); section accuracy is the share of the correct proposals "
    "(relevant, with a section) filed in their section."
)


def _days_table(report: Report, *, section: bool) -> str:
    """The per-day figures of a report as a table, with or without section accuracy."""
    head = ["day", "papers", "relevant", "proposed", "precision", "recall", "F1", "AP"]
    head += ["section"] if section else []
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for d in report.days:
        f = d.figures
        cells = [d.day, str(f.papers), str(f.relevant), str(f.proposals)]
        cells += [figure(v) for v in (f.precision, f.recall, f.f1, f.average_precision)]
        cells += [figure(f.section_accuracy)] if section else []
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _second_stage_meta(result: TrainResult) -> dict[str, JSON] | None:
    head = result.head
    if head is None or result.tfidf_oof is None:
        return None
    judged = result.matrix.kinds[result.tfidf_oof.rows] == Kind.JUDGED
    out: dict[str, JSON] = {
        "encoder": head.spec.to_json(),
        "floor": head.floor,
        "weight": head.weight,
        "scale": head.scale,
        "offset": head.offset,
        "threshold": head.threshold,
        "tfidf_threshold": result.model.threshold,
    }
    if not judged.any():  # no judged day: the similarity head of a new or reviewed list
        return {**out, "cold_start": result.cold_start, "no_judged_day": True}
    shortlisted = float((result.tfidf_oof.score[judged] >= head.floor).mean())
    return {**out, "shortlisted": shortlisted}


def _times(weight: float) -> str:
    """A weight as the card says it: "half", "a tenth", "twice", else the number."""
    words = {0.5: "half", 0.1: "a tenth", 0.25: "a quarter", 2.0: "twice", 3.0: "three times"}
    return words.get(weight, f"{weight:g} times")


def _calibration(head: SecondOpinion) -> str:
    """How the blended score is calibrated, and what its threshold means on that scale."""
    sign = "+" if head.offset >= 0 else "-"
    return f"""**How the score is calibrated.** Each opinion is a logit z-scored by its mean and
standard deviation on the shortlisted judged papers; the blend is
z = {head.weight:.2f} z_TF-IDF + {1 - head.weight:.2f} z_encoder. **Platt scaling** maps it to
the score: a logistic regression of relevance on z, fitted on the judged days' out-of-fold
rows, gives score = σ({head.scale:.3f} z {sign} {abs(head.offset):.3f}). The score therefore
reads as the probability that a paper is relevant, as those days measured it; the scaling is
monotone, so it changes no ranking and no proposal. The threshold **{head.threshold:.4f}** is
the maximum-F1 cut of the blend carried onto that scale: by that fit, a paper scoring exactly
{head.threshold:.2f} is relevant about {head.threshold:.0%} of the time, and the bot proposes
it. It sits below one half because F1 counts a missed paper as much as a wrong proposal while
relevant papers are rare (about one in twenty of a day), so the best cut accepts some doubt."""


def _about_line(head: SecondOpinion) -> str:
    """The cold start's defining words, where it has them: a maintainer reads what the
    first nights gate on and can override it (``[training.cold] defining_terms``)."""
    terms = head.scope.terms if head.scope is not None else None
    if terms is None:
        return ""
    return (
        f"\n\nWhat this list is about: {terms.describe()}; a paper holding none of these "
        "terms is not proposed (`[training.cold] defining_terms` overrides them)."
    )


def _second_stage(result: TrainResult) -> str:
    """The card's section on the encoder stage, from the trained head itself."""
    head = result.head
    if head is None or result.tfidf_oof is None:
        return """## Second stage

None: this model is the TF-IDF stage alone (trained without the sentence encoder)."""
    e = head.spec
    judged = result.matrix.kinds[result.tfidf_oof.rows] == Kind.JUDGED
    if not judged.any():
        cold = result.cold_start
        title = "cold start" if cold else "no judged day yet"
        why = (
            "No negative labels yet, so nothing to fit a head on"
            if cold
            else "No judged day yet, and the maintainers' decisions are no sample of a night"
        )
        toward = (
            "the mean embedding of the list's entries"
            if cold
            else "the mean embedding of the list's entries and the papers maintainers kept, "
            f"minus {_times(result.config.deleted_weight)} the mean of those they deleted,"
        )
        return f"""## Second stage: a sentence encoder ({title})

{why}: papers with a TF-IDF probability of at least **{head.floor:.4f}** (the top fifth of
the background) are also read by **{e.name}** (revision {e.revision}, {e.licence};
weights SHA-256 `{e.weights_sha256}`; from {e.origin}), and their embedding's
similarity to {toward} is blended {head.weight:.2f} (TF-IDF) to
{1 - head.weight:.2f} (similarity), both z-scored on the background. A paper is proposed at
a blended score of **{head.threshold:.4f}** (the share of the background stated with
the threshold above). Without the encoder the TF-IDF model decides at
**{result.model.threshold:.4f}** (the same share). Measured on the 36
judged days it never saw: `python benchmarks/cold_start.py` (from the list alone) and
`python benchmarks/feedback_replay.py` (night by night, with reviews).{_about_line(head)}"""
    shortlisted = float((result.tfidf_oof.score[judged] >= head.floor).mean())
    knn = head.neighbours
    mixed = (
        f", mixed {1 - knn.mix:.2f} to {knn.mix:.2f} (both z-scored) with the similarity to "
        f"its {knn.k} nearest relevant labelled papers minus that to its {knn.k} nearest "
        f"others (the {len(knn.references)} papers the head learnt from, in "
        f"`encoder_neighbours.npz`),"
        if knn is not None
        else ""
    )
    return f"""## Second stage: a sentence encoder

Papers with a TF-IDF probability of at least **{head.floor:.4f}** (the floor that keeps
98% of the relevant judged papers out of fold; {shortlisted:.1%} of a judged day's
papers) are also read by **{e.name}** (revision {e.revision}, {e.licence}; weights
SHA-256 `{e.weights_sha256}`, tokenizer `{e.tokenizer_sha256}`; {e.max_tokens}
wordpieces; from {e.origin}). A logistic regression on its embedding{mixed} gives a second
opinion; the two z-scored logits are blended {head.weight:.1f} (TF-IDF) to
{1 - head.weight:.1f} (encoder) and a paper is proposed at a blended score of
**{head.threshold:.4f}**. Without the encoder (weights missing or damaged) the bot says so and
uses the TF-IDF model at its own threshold **{result.model.threshold:.4f}** (the first row of
the table above, measured on the same folds).

{_calibration(head)}"""


@dataclass(frozen=True, slots=True)
class _Card:
    """What the card is rendered from: typed values, not the metadata's JSON."""

    result: TrainResult
    stored: StoredFigures
    verdict: Verdict
    about: About
    command: str
    seconds: float
    versions: str

    def second_stage(self) -> str:
        return _second_stage(self.result)

    def promotion(self) -> str:
        v = self.verdict
        forced = (
            "\n\n**Promoted with `--force`** although the gate found it worse." if v.forced else ""
        )
        current = f"The current model was scored by {v.current.scored_from}." if v.current else ""
        return f"""## Promotion

This model replaced the one before it because it is {v.reason}. The rule: {_RULE}.
Both are measured on the same labelled rows, each row scored by a model that did not learn
from it: this model by its out-of-fold scores. {current}{forced}

{table(v)}"""

    def render(self) -> str:
        result, model = self.result, self.result.model
        recipe = result.config
        rel_k, sec_k = recipe.relevance_conjunction_terms, recipe.section_conjunction_terms
        cv = self.stored.cross_validated
        headline = figures.figures_table(
            [
                (figures.FIRST_STAGE, self.stored.tfidf_alone),
                (figures.shipped_name(self.stored.tfidf_alone is not None), cv.overall),
            ]
        )
        daily = (
            f"\n\nMean F1 per judged day: {cv.overall.mean_daily_f1:.3f}."
            if cv.overall is not None and cv.overall.mean_daily_f1 is not None
            else ""
        )
        conjunction = _conjunction(self.about)
        by_title = _by_title(model.title_rule, recipe.judged_section_weight)
        return f"""# hfm-bot model card

Relevance (is this paper for the list?) and section ({", ".join(model.section_labels)}) of new
papers, from a TF-IDF of title and abstract (words and word pairs, {len(model.terms):,}
terms), conjunctions of the most informative terms (every pair of the
{rel_k} terms most tied to relevance, and of the
{sec_k} most tied to the section, present together: {conjunction}), and two
logistic regressions (scikit-learn, exported to plain arrays: `model.json` and
`weights.npz`, loaded without pickle); the shortlist of that first stage gets a second
opinion from a sentence encoder (`encoder_head.json`, below).{by_title}
Trained in {self.seconds} s with {self.versions}.

Rebuilt with:

```sh
{self.command}
```

## Cross-validated figures

Out-of-fold, whole judged days held out together in {recipe.threshold_folds} folds (no day scores
itself), at the stored threshold **{result.threshold:.4f}**, chosen as the
{_threshold_target(result)}. These folds choose the threshold; the leave-one-day-out figures
below measure the model.

{headline}{daily} {_DEFINITIONS}

![precision-recall curve](pr_curve.png)

![section confusion matrix](section_confusion.png)

### Per judged day

{_days_table(cv, section=False)}

{self.second_stage()}

{_evaluation_block(None)}

{forward_block(None)}

{self.promotion()}

{_training_data(result)}"""


def _by_title(rule: TitleRule | None, judged_section_weight: float) -> str:
    """The card's sentence on the section filed by the kind of paper (title words, abstract
    phrases), if the list has one: a reader must know that these papers bypass the section
    model, and by which words."""
    if rule is None:
        return ""
    said = []
    if rule.words:
        said.append(f"whose title has the word {_words(list(rule.words))}")
    if rule.abstract_phrases:
        said.append(
            f"whose title or abstract has the phrase {_words(list(rule.abstract_phrases))}"
            " (a survey says what it is)"
        )
    return (
        f"\nA paper {', or '.join(said)} is filed under "
        f"**{rule.label}** whatever the section model says (a survey is a kind of paper, "
        "not a modality; `[survey]` in hfm-bot.toml). The judged days count "
        f"{_times(judged_section_weight)} in the section model: they are filed as "
        "the bot must file a night's papers."
    )


def _training_data(result: TrainResult) -> str:
    """The card's section on what the model learnt from, with each input's checksum."""
    recipe = result.config
    counts = "\n".join(f"| {k} | {v} |" for k, v in result.data.counts().items())
    inputs = "\n".join(f"| `{p}` | {n} | `{h[:16]}` |" for p, h, n in result.data.inputs)
    return f"""## Training data

| examples | count |
| --- | --- |
{counts}

Every labelled paper with an abstract is also shown title-only at {_times(recipe.title_only_weight)}
weight (the list's own entries have titles only); background papers are weak negatives at
{_times(recipe.background_weight)} of the weight.
Papers labelled twice with different verdicts (the newest kept, a maintainer's decision
over a seed label): {result.data.conflicts}.

| input | records used | sha256 |
| --- | --- | --- |
{inputs}
"""


def _conjunction(about: About) -> str:
    """Why pairs of terms, in the list's own words when the configuration gives them."""
    cannot = "a conjunction a sum of single terms cannot express"
    if not about.topic:
        return f'a paper "about one subject *and* about another" is {cannot}'
    return f"a paper belongs in {about.title or 'the list'} when it is {about.topic}, {cannot}"


def _words(words: list[str]) -> str:
    quoted = [f'"{w}"' for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
