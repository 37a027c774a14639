"""The model card: ``meta.json``, ``README.md`` and two plots, written beside the model.

Maintainers decide whether to trust a retrained model from this page, so it carries the
cross-validated figures, how the threshold was chosen, and the exact command to rebuild it.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from hfm_bot.classifier.evaluation import Scored, figure
from hfm_bot.classifier.gate import MIN_DECISIONS, TOLERANCE, Verdict, table
from hfm_bot.classifier.training import TrainResult, dumps
from hfm_bot.classifier.training_data import describe_inputs
from hfm_bot.errors import InputError
from hfm_bot.files import atomic_write_text
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
    return Scored.from_oof(result.matrix, result.oof)


def write(
    directory: Path,
    result: TrainResult,
    cv_report: dict[str, Any],
    command: str,
    seconds: float,
    verdict: Verdict,
    about: About | None = None,
) -> None:
    model = result.model
    about = about or About()
    meta = {
        "list": {"title": about.title, "topic": about.topic},
        "versions": _versions(),
        "inputs": describe_inputs(result.data),
        "counts": result.data.counts(),
        "vocabulary": len(model.terms),
        "sections": list(model.section_labels),
        "title_rule": None
        if model.title_rule is None
        else {"label": model.title_rule.label, "words": list(model.title_rule.words)},
        "threshold": result.threshold,
        "threshold_target": "maximum F1 on out-of-fold scores of " + result.threshold_rows
        if result.threshold_rows in ("judged days", "labelled papers")
        else result.threshold_rows,
        "cross_validated": cv_report["overall"],
        "cross_validated_days": cv_report["days"],
        "command": command,
        "train_seconds": round(seconds, 1),
        "label_conflicts": result.data.conflicts,
        "promotion": {
            "promoted": verdict.promote,
            "forced": verdict.forced,
            "reason": verdict.reason,
            "current_scored_from": verdict.current.scored_from if verdict.current else None,
            "rule": f"average precision and F1 at each model's stored threshold, on the judged "
            f"days and on the decisions (when {MIN_DECISIONS} or more), each at most "
            f"{TOLERANCE} below the current model's",
            "table": table(verdict),
        },
        "second_stage": _second_stage_meta(result),
    }
    atomic_write_text(directory / "meta.json", dumps(meta) + "\n")
    scored = scored_from_train(result)
    _plot_pr(directory / "pr_curve.png", scored, result.threshold)
    _plot_confusion(directory / "section_confusion.png", scored, model.section_labels)
    atomic_write_text(directory / "README.md", _card(meta, result, verdict))


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


def add_evaluation(card: Path, result: dict[str, Any], command: str) -> None:
    """Put an ``hfm-bot evaluate`` report into the card, in place of the previous one.

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
    if result.get("learning_curve"):
        _plot_learning_curve(card.parent / LEARNING_CURVE_PNG, result["learning_curve"])
    block = _evaluation_block(result, command)
    atomic_write_text(card, text[:start] + block + text[end + len(EVALUATION_END) :])


LEARNING_CURVE_PNG = "learning_curve.png"


def _plot_learning_curve(path: Path, rows: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.6), dpi=100)
    days = [r["days"] for r in rows]
    ax.plot(days, [r["average_precision"] for r in rows], "o-", label="average precision")
    ax.plot(days, [r["best_f1"] for r in rows], "s--", label="F1 at the best threshold")
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


def _learning_block(rows: list[dict[str, Any]]) -> str:
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
        f"| {r['days']} | {r['papers']} | {r['relevant']} | {r['average_precision']:.3f} | "
        f"{r['best_f1']:.3f} |"
        for r in rows
    ]
    lines += ["", f"![learning curve]({LEARNING_CURVE_PNG})"]
    return "\n".join(lines)


def _evaluation_block(result: dict[str, Any] | None, command: str | None) -> str:
    shipped = result is not None and result.get("mode") == "shipped model"
    heading = "Figures of the shipped model" if shipped else "Leave-one-day-out figures"
    if result is None:
        body = (
            "Not measured for this model yet: run `hfm-bot evaluate` with the training "
            "command's inputs and `--card model/README.md`."
        )
    else:
        o = result["overall"]
        table = _metrics_table(o, daily_mean=True)
        days = _days_table(result["days"], section=True)
        how = (
            "The shipped model as it is (for labelled days it never saw)"
            if shipped
            else "Each judged day scored by a model trained without it (the other dated "
            "papers in folds)"
        )
        body = f"""{how}, at the stored threshold {figure(o.get("threshold"))}. Measured with:

```sh
{command}
```

{table}

{days}"""
        if result.get("learning_curve"):
            body += "\n\n" + _learning_block(result["learning_curve"])
    return f"{EVALUATION_START}\n## {heading}\n\n{body}\n{EVALUATION_END}"


_METRICS = (
    ("F1 (judged days)", "f1"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("mean F1 per day", "mean_daily_f1"),
    ("average precision", "average_precision"),
    ("proposals per day", "proposals_per_day"),
    ("section accuracy (correct proposals)", "section_accuracy"),
    ("recall of curated positives", "curated_recall"),
)


def _metrics_table(overall: dict[str, Any], *, daily_mean: bool) -> str:
    """The overall figures of an :func:`~hfm_bot.classifier.evaluation.report` as a table."""
    rows = [(name, key) for name, key in _METRICS if daily_mean or key != "mean_daily_f1"]
    lines = ["| metric | value |", "| --- | --- |"]
    lines += [f"| {name} | {figure(overall.get(key))} |" for name, key in rows]
    return "\n".join(lines)


def _days_table(days: dict[str, Any], *, section: bool) -> str:
    """The per-day figures of a report as a table, with or without section accuracy."""
    head = ["day", "papers", "relevant", "proposed", "precision", "recall", "F1", "AP"]
    head += ["section"] if section else []
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for day, d in days.items():
        cells = [day, d["papers"], d["relevant"], d["proposals"]]
        cells += [figure(d[k]) for k in ("precision", "recall", "f1", "average_precision")]
        cells += [figure(d["section_accuracy"])] if section else []
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def _second_stage_meta(result: TrainResult) -> dict[str, Any] | None:
    head = result.head
    if head is None or result.tfidf_oof is None:
        return None
    from hfm_bot.classifier.evaluation import Scored, report

    judged = result.matrix.kinds[result.tfidf_oof.rows] == Kind.JUDGED
    if not judged.any():  # no judged day: the similarity head of a new or reviewed list
        return {
            "encoder": head.spec.to_json(),
            "cold_start": result.cold_start,
            "no_judged_day": True,
            "floor": head.floor,
            "weight": head.weight,
            "threshold": head.threshold,
            "tfidf_threshold": result.model.threshold,
        }
    tfidf_alone = report(Scored.from_oof(result.matrix, result.tfidf_oof), result.model.threshold)
    return {
        "encoder": head.spec.to_json(),
        "floor": head.floor,
        "shortlisted": float((result.tfidf_oof.score[judged] >= head.floor).mean()),
        "weight": head.weight,
        "threshold": head.threshold,
        "tfidf_threshold": result.model.threshold,
        "tfidf_alone": tfidf_alone["overall"],
    }


def _second_stage(meta: dict[str, Any]) -> str:
    st = meta.get("second_stage")
    if not st:
        return """## Second stage

None: this model is the TF-IDF stage alone (trained without the sentence encoder)."""
    e = st["encoder"]
    if st.get("cold_start") or st.get("no_judged_day"):
        cold = st.get("cold_start", False)
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
            "minus half the mean of those they deleted,"
        )
        return f"""## Second stage: a sentence encoder ({title})

{why}: papers with a TF-IDF probability of at least **{st["floor"]:.4f}** (the top fifth of
the background) are also read by **{e["name"]}** (revision {e["revision"]}, {e["licence"]};
weights SHA-256 `{e["weights_sha256"]}`; from {e["origin"]}), and their embedding's
similarity to {toward} is blended {st["weight"]:.2f} (TF-IDF) to
{1 - st["weight"]:.2f} (similarity), both z-scored on the background. A paper is proposed at
a blended score of **{st["threshold"]:.4f}** (the share of the background stated with
the threshold above). Without the encoder the TF-IDF model decides at
**{st["tfidf_threshold"]:.4f}** (the same share). Measured on the 36
judged days it never saw: `python benchmarks/cold_start.py` (from the list alone) and
`python benchmarks/feedback_replay.py` (night by night, with reviews)."""
    return f"""## Second stage: a sentence encoder

Papers with a TF-IDF probability of at least **{st["floor"]:.4f}** (the floor that keeps
98% of the relevant judged papers out of fold; {st["shortlisted"]:.1%} of a judged day's
papers) are also read by **{e["name"]}** (revision {e["revision"]}, {e["licence"]}; weights
SHA-256 `{e["weights_sha256"]}`, tokenizer `{e["tokenizer_sha256"]}`; {e["max_tokens"]}
wordpieces; from {e["origin"]}). A logistic regression on its embedding gives a second
opinion; the two z-scored logits are blended {st["weight"]:.1f} (TF-IDF) to
{1 - st["weight"]:.1f} (encoder) and a paper is proposed at a blended score of
**{st["threshold"]:.4f}**. Without the encoder (weights missing or damaged) the bot says so and
uses the TF-IDF model at its own threshold **{st["tfidf_threshold"]:.4f}**, where it measured
(same folds):

{_metrics_table(st["tfidf_alone"], daily_mean=False)}"""


def _promotion(meta: dict[str, Any], verdict: Verdict) -> str:
    p = meta["promotion"]
    forced = (
        "\n\n**Promoted with `--force`** although the gate found it worse." if p["forced"] else ""
    )
    current = (
        f"The current model was scored by {p['current_scored_from']}."
        if p["current_scored_from"]
        else ""
    )
    return f"""## Promotion

This model replaced the one before it because it is {p["reason"]}. The rule: {p["rule"]}.
Both are measured on the same labelled rows, each row scored by a model that did not learn
from it: this model by its out-of-fold scores. {current}{forced}

{table(verdict)}"""


def _card(meta: dict[str, Any], result: TrainResult, verdict: Verdict) -> str:
    table = _metrics_table(meta["cross_validated"], daily_mean=False)
    days = _days_table(meta["cross_validated_days"], section=False)
    counts = "\n".join(f"| {k} | {v} |" for k, v in meta["counts"].items())
    inputs = "\n".join(
        f"| `{i['path']}` | {i['records']} | `{i['sha256'][:16]}` |" for i in meta["inputs"]
    )
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    conjunction = _conjunction(meta.get("list") or {})
    recipe = result.config
    rel_k, sec_k = recipe.relevance_conjunction_terms, recipe.section_conjunction_terms
    rule = meta.get("title_rule")
    by_title = (
        f"\nA paper whose title has the word {_words(rule['words'])} is filed under "
        f"**{rule['label']}** whatever the section model says (a survey is a kind of paper, "
        "not a modality; `[survey]` in hfm-bot.toml). The judged days count twice in the "
        "section model: they are filed as the bot must file a night's papers."
        if rule
        else ""
    )
    return f"""# hfm-bot model card

Relevance (is this paper for the list?) and section ({", ".join(meta["sections"])}) of new
papers, from a TF-IDF of title and abstract (words and word pairs, {meta["vocabulary"]:,}
terms), conjunctions of the most informative terms (every pair of the
{rel_k} terms most tied to relevance, and of the
{sec_k} most tied to the section, present together: {conjunction}), and two
logistic regressions (scikit-learn, exported to plain arrays: `model.json` and
`weights.npz`, loaded without pickle); the shortlist of that first stage gets a second
opinion from a sentence encoder (`encoder_head.json`, below).{by_title}
Trained in {meta["train_seconds"]} s with {versions}.

Rebuilt with:

```sh
{meta["command"]}
```

## Cross-validated figures

Out-of-fold, whole judged days held out together in {recipe.threshold_folds} folds (no day scores
itself), at the stored threshold **{result.threshold:.4f}**, chosen as the
{meta["threshold_target"]}. These folds choose the threshold; the leave-one-day-out figures
below measure the model.

{table}

![precision-recall curve](pr_curve.png)

![section confusion matrix](section_confusion.png)

### Per judged day

{days}

{_second_stage(meta)}

{_evaluation_block(None, None)}

{_promotion(meta, verdict)}

## Training data

| examples | count |
| --- | --- |
{counts}

Every labelled paper with an abstract is also shown title-only at half weight (the list's own
entries have titles only); background papers are weak negatives at a tenth of the weight.
Papers labelled twice with different verdicts (the newest kept, a maintainer's decision
over a seed label): {meta["label_conflicts"]}.

| input | records used | sha256 |
| --- | --- | --- |
{inputs}
"""


def _conjunction(about: dict[str, Any]) -> str:
    """Why pairs of terms, in the list's own words when the configuration gives them."""
    topic, title = about.get("topic"), about.get("title")
    cannot = "a conjunction a sum of single terms cannot express"
    if not topic:
        return f'a paper "about one subject *and* about another" is {cannot}'
    return f"a paper belongs in {title or 'the list'} when it is {topic}, {cannot}"


def _words(words: list[str]) -> str:
    quoted = [f'"{w}"' for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
