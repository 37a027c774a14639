"""Cross-validation: out-of-fold scores on folds that keep each announcement day whole (the
threshold is chosen from them with :func:`hfm_bot.classifier.figures.best_f1_threshold`, the
one definition of the F1-best cut that the figures use too).

A day is held out whole because a night is scored whole: papers of one day share topics,
authors and wording, and a fold that split a day would let its own papers vouch for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from hfm_bot.classifier.model import BoolArray, FloatArray, IndexArray, ObjectArray, TitleRule
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix, fit_relevance, fit_section
from hfm_bot.labelled import Kind


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """Out-of-fold scores of the evaluable rows."""

    rows: IndexArray
    """Indices into the training examples."""
    score: FloatArray
    section: ObjectArray


def folds(m: Matrix, judged_folds: int | None, rest_folds: int) -> list[BoolArray]:
    """Held-out masks that keep each announcement day whole: the judged days round-robin in
    ``judged_folds`` folds (None: one fold per day), every other dated group (curated papers,
    decisions) in ``rest_folds`` folds. Undated rows (the list, the background) always train."""
    judged = sorted(set(m.groups[m.kinds == Kind.JUDGED]))
    rest = sorted(set(m.groups[m.evaluable & (m.groups != "")]) - set(judged))
    if judged_folds is None:
        judged_sets = [[day] for day in judged]
    else:
        judged_sets = [judged[k::judged_folds] for k in range(judged_folds)]
    sets = [*judged_sets, *(rest[k::rest_folds] for k in range(rest_folds))]
    return [np.isin(m.groups, chosen) for chosen in sets if chosen]


def cross_validate(
    m: Matrix,
    folds: Sequence[BoolArray],
    labels: Sequence[str],
    config: TrainingConfig,
    title_rule: TitleRule | None = None,
) -> OutOfFold:
    """Fit on all but each held-out mask and score its evaluable rows (sections with the
    title rule, as the exported model files them)."""
    all_rows = np.ones(m.X.shape[0], dtype=bool)

    def one(held: BoolArray) -> tuple[IndexArray, FloatArray, ObjectArray] | None:
        test = np.flatnonzero(held & m.evaluable)
        if not len(test):
            return None
        rel = fit_relevance(m, all_rows & ~held, config)
        sec = fit_section(m, all_rows & ~held, labels, config)
        score = rel.clf.predict_proba(rel.design(m, test))[:, 1]
        section = (
            [str(c) for c in sec.clf.predict(sec.design(m, test))]
            if sec is not None
            else [labels[0]] * len(test)
        )
        if title_rule is not None:
            section = title_rule.sections([m.texts[i] for i in test], section)
        return test, score, np.array(section, dtype=object)

    # Folds in threads: the solvers spend most of their time outside the GIL.
    with ThreadPoolExecutor(max_workers=config.fold_threads) as pool:
        results = [r for r in pool.map(one, folds) if r is not None]
    if not results:
        return OutOfFold(np.array([], dtype=int), np.array([]), np.array([], dtype=object))
    return OutOfFold(
        np.concatenate([r[0] for r in results]),
        np.concatenate([r[1] for r in results]),
        np.concatenate([r[2] for r in results]),
    )
