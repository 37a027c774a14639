"""The promotion gate: a retrain replaces the shipped model only when it is not worse.

Both models are measured on the same rows of today's labelled data (the judged days and
the maintainers' decisions), each row scored by a model that did not learn from it:

* the candidate by its out-of-fold score (whole days held out, as training chose its
  threshold);
* the current model by the out-of-fold score it was shipped with (``oof.npz``, written by
  the training run that made it) for a paper it was trained on, and by its own score for a
  paper it never saw (a decision or label added since).

Each is cut at its own stored threshold, as it would be in the nightly. Like is compared with
like: a candidate of the TF-IDF stage alone (``train --no-encoder``) against a two-stage model
meets that model's TF-IDF stage, by the TF-IDF out-of-fold scores shipped beside the blend's
(``tfidf_score``) and cut at the TF-IDF threshold. (Cutting the blend's scores at the TF-IDF
threshold, as the gate once did, made such a retrain look worse every time: it was never
promoted.) A two-stage model shipped before ``tfidf_score`` existed is scored directly then,
in-sample, which favours it. The rule
(:data:`TOLERANCE`): on the judged days, and on the decisions when there are at least
:data:`MIN_DECISIONS`, the candidate's average precision and F1 are each at most 0.01 below
the current model's. A model from before ``oof.npz`` existed is scored directly everywhere,
in-sample where it was trained, which favours it: the gate errs towards keeping it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from hfm_bot.classifier.figures import Figures, Scored, figure, measure
from hfm_bot.classifier.model import FloatArray, ModelError
from hfm_bot.classifier.two_stage import Classifier
from hfm_bot.labelled import Kind

OOF_FILE = "oof.npz"
TOLERANCE = 0.01
MIN_DECISIONS = 20


@dataclass(frozen=True, slots=True)
class OutOfFoldScores:
    """A shipped model's out-of-fold scores, by paper id."""

    ids: tuple[str, ...]
    score: FloatArray
    """The shipped system's: the blend, for a model with an encoder stage."""
    section: tuple[str, ...]
    tfidf_score: FloatArray | None = None
    """A two-stage model's TF-IDF stage alone (NaN where it has none): what a retrain of the
    TF-IDF stage alone is measured against. None for a TF-IDF model (``score`` is that)."""

    def save(self, directory: Path) -> None:
        arrays: dict[str, FloatArray | NDArray[np.str_]] = {
            "ids": np.array(self.ids, dtype=str),
            "score": self.score,
            "section": np.array(self.section, dtype=str),
        }
        if self.tfidf_score is not None:
            arrays["tfidf_score"] = self.tfidf_score
        np.savez_compressed(directory / OOF_FILE, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, directory: Path) -> OutOfFoldScores | None:
        path = directory / OOF_FILE
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as arrays:
                ids = tuple(str(i) for i in arrays["ids"])
                score = arrays["score"].astype(np.float64)
                section = tuple(str(s) for s in arrays["section"])
                tfidf = (
                    arrays["tfidf_score"].astype(np.float64)
                    if "tfidf_score" in arrays.files
                    else None
                )
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(f"{path}: damaged out-of-fold scores ({err})") from err
        if not len(ids) == len(score) == len(section) or (
            tfidf is not None and len(tfidf) != len(ids)
        ):
            raise ModelError(f"{path}: out-of-fold arrays disagree in length")
        return cls(ids, score, section, tfidf)

    def tfidf_alone(self) -> OutOfFoldScores | None:
        """The TF-IDF stage's own out-of-fold scores of a two-stage model (the papers it has
        one for), or None when they were not shipped."""
        if self.tfidf_score is None:
            return None
        keep = np.flatnonzero(np.isfinite(self.tfidf_score))
        return OutOfFoldScores(
            tuple(self.ids[i] for i in keep),
            self.tfidf_score[keep],
            tuple(self.section[i] for i in keep),
        )


def like_with_like(
    oof: OutOfFoldScores | None, stored_two_stage: bool, scored_two_stage: bool
) -> tuple[OutOfFoldScores | None, str]:
    """The current model's out-of-fold scores of the stage it is scored with, and a note for
    the card: a two-stage model scored without its encoder stage (a ``--no-encoder``
    retrain, or an encoder that cannot run) is its TF-IDF stage, at the TF-IDF threshold, so
    the blend's scores do not apply."""
    if oof is None or not stored_two_stage or scored_two_stage:
        return oof, ""
    alone = oof.tfidf_alone()
    if alone is None:
        return None, (
            "its TF-IDF stage alone, as the candidate (no TF-IDF out-of-fold scores shipped "
            "with it): "
        )
    return alone, "its TF-IDF stage alone, as the candidate: "


@dataclass(frozen=True, slots=True)
class Side:
    """One model's figures on the gate's rows."""

    judged: Figures | None
    """On the judged days (None when the labelled data holds none)."""
    decisions: Figures | None
    """On the maintainers' decisions (None when there are none)."""
    threshold: float
    scored_from: str


@dataclass(frozen=True, slots=True)
class Verdict:
    candidate: Side
    current: Side | None
    promote: bool
    reason: str
    forced: bool = False


def current_scores(
    model: Classifier,
    oof: OutOfFoldScores | None,
    candidate: Scored,
    ids: list[str],
    texts: list[str],
    encoder_texts: list[str],
) -> tuple[Scored, str]:
    """The current model's honest score of each of the candidate's rows."""
    known = {pid: i for i, pid in enumerate(oof.ids)} if oof else {}
    oof_score = oof.score if oof else np.empty(0)
    oof_section = oof.section if oof else ()
    score = np.empty(len(ids))
    section = np.empty(len(ids), dtype=object)
    fresh = [i for i, pid in enumerate(ids) if pid not in known]
    if fresh:
        preds = model.predict_texts(
            [ids[i] for i in fresh], [texts[i] for i in fresh], [encoder_texts[i] for i in fresh]
        )
        for i, p in zip(fresh, preds, strict=True):
            score[i], section[i] = p.score, p.section
    for i, pid in enumerate(ids):
        j = known.get(pid)
        if j is not None:
            score[i], section[i] = oof_score[j], oof_section[j]
    how = (
        f"its shipped out-of-fold scores ({len(ids) - len(fresh)} rows) and its own score "
        f"on papers it never saw ({len(fresh)})"
        if oof
        else "its own scores (no out-of-fold scores shipped with it: in-sample where it "
        "was trained)"
    )
    return (
        Scored(
            kind=candidate.kind,
            group=candidate.group,
            relevant=candidate.relevant,
            section=candidate.section,
            score=score,
            predicted_section=section,
        ),
        how,
    )


def _side(scored: Scored, threshold: float, how: str) -> Side:
    return Side(
        judged=measure(scored, threshold, Kind.JUDGED),
        decisions=measure(scored, threshold, Kind.DECISION),
        threshold=threshold,
        scored_from=how,
    )


def judge(
    candidate: Scored,
    candidate_threshold: float,
    current: tuple[Scored, str, float] | None,
    *,
    force: bool = False,
    current_problem: str | None = None,
) -> Verdict:
    """Apply the rule; ``current`` is the current model's scores, how they were obtained,
    and its threshold (None when there is no usable current model)."""
    cand = _side(candidate, candidate_threshold, "out-of-fold (whole days held out)")
    if current is None:
        reason = current_problem or "no current model"
        return Verdict(cand, None, True, f"{reason}: the candidate is promoted", force)
    cur = _side(current[0], current[2], current[1])
    worse: list[str] = []
    pairs = [("judged days", cand.judged, cur.judged)]
    if cand.decisions and cur.decisions and cand.decisions.papers >= MIN_DECISIONS:
        pairs.append(("decisions", cand.decisions, cur.decisions))
    for name, c, k in pairs:
        if c is None or k is None:
            continue
        for metric, value in _COMPARED.items():
            mine, theirs = value(c), value(k)
            if mine is None or theirs is None:
                continue
            if mine < theirs - TOLERANCE:
                worse.append(f"{metric} on {name} {mine:.3f} < {theirs:.3f} - {TOLERANCE}")
    if not worse:
        return Verdict(cand, cur, True, "not worse than the current model", force)
    if force:
        return Verdict(
            cand, cur, True, "worse (" + "; ".join(worse) + "), promoted by --force", True
        )
    return Verdict(cand, cur, False, "worse: " + "; ".join(worse), False)


_COMPARED: dict[str, Callable[[Figures], float | None]] = {
    "average_precision": lambda f: f.average_precision,
    "f1": lambda f: f.f1,
}
"""The figures the rule compares, by the name its reason gives them."""


_ROWS: tuple[tuple[str, str, Callable[[Figures], float | int | None]], ...] = (
    ("F1, judged days", "judged", lambda f: f.f1),
    ("precision", "judged", lambda f: f.precision),
    ("recall", "judged", lambda f: f.recall),
    ("average precision", "judged", lambda f: f.average_precision),
    ("proposals on judged days", "judged", lambda f: f.proposals),
    ("section accuracy", "judged", lambda f: f.section_accuracy),
    ("recall of curated positives", "judged", lambda f: f.curated_recall),
    ("F1, decisions", "decisions", lambda f: f.f1),
    ("average precision, decisions", "decisions", lambda f: f.average_precision),
)


def table(verdict: Verdict) -> str:
    """The before/after table (the card's, and the retrain PR's body)."""

    def cell(side: Side | None, part: str, value: Callable[[Figures], float | int | None]) -> str:
        if side is None:
            return "-"
        figures = side.judged if part == "judged" else side.decisions
        return "-" if figures is None else figure(value(figures))

    lines = ["| metric | current model | candidate |", "| --- | --- | --- |"]
    cur = verdict.current
    lines.append(
        f"| threshold | {'-' if cur is None else f'{cur.threshold:.4f}'} | "
        f"{verdict.candidate.threshold:.4f} |"
    )
    for name, part, value in _ROWS:
        row = f"| {name} | {cell(cur, part, value)} | {cell(verdict.candidate, part, value)} |"
        if not row.endswith("| - | - |"):
            lines.append(row)
    return "\n".join(lines)
