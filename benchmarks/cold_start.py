"""Cold start: what a new list's first model learns from the list and an unlabelled background
alone, measured on the 36 judged days of labeled_data/ (which it never sees).

``training.train`` makes the cold start as ``hfm-bot train`` does for a new list (the list's
entries and the background seed, the judged papers taken out of it, as the review replay
does), with the encoder; every paper of each judged day is then scored as the nightly scores
it. Per day and over all days it prints average precision, and precision, recall, F1 and
proposals at the model's own threshold (the share of a night it estimated), and how many of
the five near misses (the best papers under the threshold, what the pull request offers to
tick) were relevant. Night 1 (2025-05-01) is the first night of
``benchmarks/feedback_replay.py``.

``--sections LFM`` (or several) makes a narrower list of the healthcare list: only the entries
of those sections, and only the judged papers filed there count as relevant. The healthcare
list's subject is a conjunction (foundation models and medicine), its sections narrower ones
(language models and medicine: 1.7% of a night): the way to measure on dev data how a cold
start copes with a narrow list, as other users' lists are.

Run from the repository root: ``python benchmarks/cold_start.py [--sections S …] [--share X |
--estimate] [--topic] [--scope-quantile Q]`` (about 2 minutes with a warm embedding cache, more
on a cold one; the encoder comes from requirements/encoder.txt). The default is the shipped
recipe (``recipe.ColdStart``: the mean embedding of the list, 5% of a night);
``--night-share`` also counts each night by the list's scope (see
:mod:`hfm_bot.classifier.night_share`) and prints that row beside the stored threshold's, for
the same model (with ``--contrast``, the contrast rule's row too: both scopes come from
the one model, so the rows differ only in the count); ``--topic`` takes the topic head and
``--estimate`` the estimated share instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from hfm_bot import labelled
from hfm_bot.classifier import defining_terms, night_share, training
from hfm_bot.classifier.embeddings import EmbeddingCache, default_cache_dir
from hfm_bot.classifier.encoder import MINILM, Encoder
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.figures import prf
from hfm_bot.classifier.recipe import DEFAULT_TRAINING, ColdStart, TrainingConfig
from hfm_bot.classifier.training_data import load_training_data
from hfm_bot.classifier.two_stage import Classifier, gate_out
from hfm_bot.config import load as load_settings
from hfm_bot.labelled import LabelledPaper
from hfm_bot.prediction import Prediction
from hfm_bot.proposing import NEAR_MISS_FLOOR
from hfm_bot.stream import BadLine, iter_json_lines, read_papers

DATA = Path("labeled_data")
NEAR_MISSES = 5


def _broken(bad: BadLine) -> None:
    raise SystemExit(f"labeled_data is damaged: {bad}")


def day_rows(
    verdicts: Sequence[LabelledPaper], relevant: np.ndarray, preds: Sequence[Prediction]
) -> list[dict[str, float | int | str]]:
    """Per judged day: papers, relevant, proposed, precision, recall, F1, AP and the relevant
    papers among the near misses."""
    days = np.array([v.paper.date.isoformat() if v.paper.date else "" for v in verdicts])
    score = np.array([p.score for p in preds])
    proposed = np.array([p.propose for p in preds])
    rows: list[dict[str, float | int | str]] = []
    for day in sorted(set(days)):
        on = days == day
        y, s, chosen = relevant[on], score[on], proposed[on]
        under = np.flatnonzero(~chosen)
        near = under[np.argsort(-s[under], kind="stable")[:NEAR_MISSES]]
        counts = prf(y, chosen)
        rows.append(
            {
                "day": day,
                "papers": int(on.sum()),
                "relevant": int(y.sum()),
                "proposed": int(chosen.sum()),
                "precision": counts.precision,
                "recall": counts.recall,
                "f1": counts.f1,
                "ap": float(average_precision_score(y, s)) if y.any() else float("nan"),
                "near_relevant": int(y[near].sum()),
            }
        )
    return rows


def night_proposals(
    classifier: Classifier, verdicts: Sequence[LabelledPaper], preds: Sequence[Prediction]
) -> list[Prediction] | None:
    """The predictions with ``propose`` as the nightly decides it with the list's scope: per
    day, the candidates (at least the near-miss floor under the stored threshold) go to
    :meth:`Classifier.night_threshold`; None when the model has no scope."""
    if classifier.head is None or classifier.head.scope is None:
        return None
    stored = classifier.threshold
    days = [v.paper.date for v in verdicts]
    out = list(preds)
    for day in sorted({d for d in days if d is not None}):
        on = [i for i, d in enumerate(days) if d == day]
        candidates = [i for i in on if preds[i].score >= stored * NEAR_MISS_FLOOR]
        threshold, _ = classifier.night_threshold(
            [(verdicts[i].paper, preds[i]) for i in candidates], stored
        )
        for i in on:
            out[i] = dataclasses.replace(preds[i], propose=preds[i].score >= threshold)
    return out


def scopes(
    classifier: Classifier,
    cold: ColdStart,
    quantiles: Sequence[float] = (),
    ks: Sequence[int] = (),
) -> dict[str, Classifier]:
    """The night-share rules to compare on one trained model: the plain scope (closeness to
    the list) and, when the model stores the contrast rule's background, the contrast scope
    (at the recipe's quantile and background k, and at each of ``quantiles`` and ``ks``);
    each a classifier differing only in its head's scope."""
    head = classifier.head
    if head is None or head.scope is None:
        return {}
    scope = head.scope
    plain = night_share.list_scope(scope.entries, cold.scope_k, cold.scope_quantile)
    out = {
        f"night share (k={cold.scope_k}, quantile {cold.scope_quantile})": dataclasses.replace(
            head, scope=plain
        )
    }
    if scope.background is not None:
        for bk in sorted({scope.background_k, *ks}):
            for q in sorted({cold.contrast_quantile, *quantiles}):
                contrast = night_share.contrast_scope(
                    scope.entries, scope.background, cold.scope_k, bk, q
                )
                out[f"contrast (k={cold.scope_k}, background k={bk}, quantile {q})"] = (
                    dataclasses.replace(head, scope=contrast)
                )
                both = night_share.contrast_scope(
                    scope.entries, scope.background, cold.scope_k, bk, q, cold.scope_quantile
                )
                out[
                    f"both: contrast (background k={bk}, quantile {q}) and night share "
                    f"(quantile {cold.scope_quantile})"
                ] = dataclasses.replace(head, scope=both)
    if scope.terms is not None:
        out[f"defining words ({', '.join(scope.terms.terms)}) + night share"] = dataclasses.replace(
            head, scope=dataclasses.replace(plain, terms=scope.terms)
        )
    return {
        name: Classifier(classifier.tfidf, h, classifier.encoder, classifier.cache)
        for name, h in out.items()
    }


@dataclasses.dataclass(frozen=True)
class TermsRule:
    """One setting of the defining-words learner, to compare gates on one trained model."""

    support: float
    phrases: bool
    lift: float
    least: float | None

    def name(self) -> str:
        least = "" if self.least is None else f", least coverage {self.least}"
        words = "words and phrases" if self.phrases else "words"
        return f"{words}, support {self.support}, lift {self.lift}{least}"


def term_rules(
    classifier: Classifier,
    cold: ColdStart,
    entries: Sequence[str],
    background: Sequence[str],
    grid: Sequence[TermsRule],
) -> dict[str, Classifier]:
    """The plain night share with each ``grid`` setting's defining words learnt from the
    list's ``entries`` against the ``background`` (the texts training reads), a rule per
    setting that gets a gate (a setting that gets none is the plain night share's row)."""
    head = classifier.head
    if head is None or head.scope is None or not grid:
        return {}
    plain = night_share.list_scope(head.scope.entries, cold.scope_k, cold.scope_quantile)
    out: dict[str, Classifier] = {}
    for rule in grid:
        terms = defining_terms.learn(
            entries, background, coverage=cold.terms_coverage,
            max_background=cold.terms_background, max_terms=cold.terms_max,
            min_support=rule.support, phrases=rule.phrases, min_lift=rule.lift,
            least_coverage=rule.least,
        )  # fmt: skip
        if terms is None:
            print(f"<!-- {rule.name()}: no gate -->")
            continue
        name = (
            f"{rule.name()}: {', '.join(terms.terms)} ({terms.coverage:.2f}/{terms.background:.2f})"
        )
        h = dataclasses.replace(head, scope=dataclasses.replace(plain, terms=terms))
        out[name] = Classifier(classifier.tfidf, h, classifier.encoder, classifier.cache)
    return out


def gated(
    rule: Classifier, verdicts: Sequence[LabelledPaper], preds: Sequence[Prediction]
) -> list[Prediction]:
    """The predictions as ``rule`` makes them with its defining words (a paper holding none
    is scored 0), from the ungated ones: the gate reads words only, so one scoring serves
    every rule."""
    if rule.terms is None:
        return list(preds)
    return [
        p if rule.terms.admits(paper_text(v.paper.title, v.paper.abstract)) else gate_out(p)
        for v, p in zip(verdicts, preds, strict=True)
    ]


def print_night(
    name: str,
    verdicts: Sequence[LabelledPaper],
    relevant: np.ndarray,
    night: Sequence[Prediction],
) -> None:
    """The same model's figures with each night's count from the list's scope."""
    rows = day_rows(verdicts, relevant, night)
    proposed = np.array([p.propose for p in night])
    overall = prf(relevant, proposed)
    counts = np.array([r["proposed"] for r in rows], dtype=float)
    truth = np.array([r["relevant"] for r in rows], dtype=float)
    print(
        f"| {name} | | | "
        f"{overall.precision:.2f} | {overall.recall:.2f} | {overall.f1:.2f} | "
        f"{np.mean([r['f1'] for r in rows]):.2f} | {counts.mean():.1f} ({truth.mean():.1f}) | "
        f"{np.mean([r['near_relevant'] for r in rows]):.2f} | {rows[0]['f1']:.2f} |"
    )
    print(
        f"\n{name}: {counts.sum() / truth.sum():.2f} times the relevant papers over all "
        f"days (median day {np.median(counts / np.maximum(truth, 1)):.2f}), correlation "
        f"with the relevant count per day {np.corrcoef(counts, truth)[0, 1]:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", nargs="+", help="a narrower list: these sections only")
    parser.add_argument("--share", type=float, help="propose this fixed share of a night")
    parser.add_argument("--estimate", action="store_true", help="estimate the share instead")
    parser.add_argument("--topic", action="store_true", help="the topic head, not the mean")
    parser.add_argument(
        "--night-share", action="store_true", help="count each night by the list's scope"
    )
    parser.add_argument(
        "--contrast",
        action="store_true",
        help="with --night-share: the contrast rule's row too (ColdStart.scope_contrast)",
    )
    parser.add_argument(
        "--scope-quantile", type=float, help="the list scope's bar (ColdStart.scope_quantile)"
    )
    parser.add_argument(
        "--contrast-k", type=int, help="background neighbours (ColdStart.contrast_k)"
    )
    parser.add_argument(
        "--contrast-quantile", type=float, help="the contrast bar (ColdStart.contrast_quantile)"
    )
    parser.add_argument(
        "--sweep-quantiles", type=float, nargs="*", default=[], help="contrast rows at these bars"
    )
    parser.add_argument(
        "--sweep-ks", type=int, nargs="*", default=[], help="contrast rows at these background k"
    )
    parser.add_argument(
        "--terms-support", type=float, nargs="*", default=[],
        help="gate rows: the defining words learnt at these supports (with the grid below)",
    )  # fmt: skip
    parser.add_argument(
        "--terms-lift", type=float, nargs="*", default=[0.0], help="... at these least lifts"
    )
    parser.add_argument(
        "--terms-least", type=float, nargs="*", default=[], help="... these least coverages"
    )
    parser.add_argument(
        "--terms-phrases", choices=["on", "off", "both"], default="both",
        help="... with phrases, without, or both",
    )  # fmt: skip
    parser.add_argument("--days", action="store_true", help="print the per-day table too")
    parser.add_argument("--json", type=Path, help="write the rows here")
    args = parser.parse_args(argv)
    settings = load_settings(Path("hfm-bot.toml"))
    sections = [s.label for s in settings.sections]
    chosen = set(args.sections or sections)
    labels = [s for s in sections if s in chosen]
    entries = [r for _, r in iter_json_lines(DATA / "list.jsonl", _broken)]
    verdicts = [
        lp
        for lp in labelled.read(DATA / "labelled.jsonl.gz", set(sections), _broken)
        if lp.kind is labelled.Kind.JUDGED
    ]
    relevant = np.array([lp.relevant and lp.section in chosen for lp in verdicts])
    judged_ids = {lp.paper.id for lp in verdicts}
    cold = dataclasses.replace(
        DEFAULT_TRAINING.cold,
        share=None if args.estimate else (args.share or DEFAULT_TRAINING.cold.share),
        topic_head=args.topic,
        scope_quantile=args.scope_quantile or DEFAULT_TRAINING.cold.scope_quantile,
        night_share=args.night_share or DEFAULT_TRAINING.cold.night_share,
        scope_contrast=args.contrast or DEFAULT_TRAINING.cold.scope_contrast,
        contrast_k=args.contrast_k or DEFAULT_TRAINING.cold.contrast_k,
        contrast_quantile=args.contrast_quantile or DEFAULT_TRAINING.cold.contrast_quantile,
    )
    encoder = Encoder.load(MINILM)
    cache = EmbeddingCache(default_cache_dir(), MINILM)
    with tempfile.TemporaryDirectory() as tmp:
        list_file = Path(tmp) / "list.jsonl"
        mine = [r for r in entries if r.get("section") in chosen]
        list_file.write_text("".join(json.dumps(r) + "\n" for r in mine), encoding="utf-8")
        background = Path(tmp) / "background.jsonl"
        seed = list(read_papers(DATA / "background" / "seed.jsonl.gz", _broken))
        background.write_text(
            "".join(json.dumps(p.training_record()) + "\n" for p in seed if p.id not in judged_ids),
            encoding="utf-8",
        )
        data = load_training_data(
            list_labels=list_file,
            decisions=None,
            labelled=[],
            background=[background],
            sections=labels,
        )
        start = time.perf_counter()
        result = training.train(data, labels, encoder, cache, config=TrainingConfig(cold=cold))
        trained = time.perf_counter() - start
    start = time.perf_counter()
    classifier = Classifier(result.model, result.head, encoder, cache)
    gate = classifier.terms
    classifier.terms = None  # the rows below add the gate where a rule has it
    preds = classifier.predict([v.paper for v in verdicts])
    scored = time.perf_counter() - start
    rules = scopes(classifier, cold, args.sweep_quantiles, args.sweep_ks)
    grid = [
        TermsRule(support, phrases, lift, least)
        for support in args.terms_support
        for phrases in {"on": [True], "off": [False], "both": [False, True]}[args.terms_phrases]
        for lift in args.terms_lift
        for least in [None, *args.terms_least]
    ]
    rules.update(
        term_rules(
            classifier, cold, list(dict.fromkeys(ex.text for ex in data.examples
                                                 if ex.kind is labelled.Kind.LIST)),
            [paper_text(p.title, p.abstract) for p in seed if p.id not in judged_ids], grid,
        )
    )  # fmt: skip
    nights = {}
    for name, rule in rules.items():
        kept = gated(rule, verdicts, preds)
        nights[name] = night_proposals(rule, verdicts, kept)
        if rule.terms is not None:
            ap = average_precision_score(relevant, [p.score for p in kept])
            print(f"<!-- {name}: AP {ap:.3f} -->")
    if gate is not None:
        ap = average_precision_score(
            relevant, [p.score for p in gated(rules[next(iter(reversed(rules)))], verdicts, preds)]
        )
        print(f"with the defining words ({gate.describe()}): AP {ap:.3f}")
    cache.save()
    rows = day_rows(verdicts, relevant, preds)
    score = np.array([p.score for p in preds])
    proposed = np.array([p.propose for p in preds])
    tfidf = np.array([p.tfidf_score for p in preds])
    overall = prf(relevant, proposed)
    print(
        f"{len(mine)} list entries ({', '.join(sorted(chosen))}); judged: {len(verdicts)} papers "
        f"on {len(rows)} days, {int(relevant.sum())} relevant ({relevant.mean():.2%}); trained "
        f"in {trained:.0f} s, scored in {scored:.0f} s\n{result.threshold_rows}\n"
    )
    first = rows[0]
    print(
        "| cold start | AP | mean AP per day | precision | recall | F1 | mean F1 per day | "
        "proposals/day (relevant/day) | relevant near misses/day (of 5) | night 1: AP / F1 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")  # fmt: skip
    print(
        f"| {'topic head' if args.topic else 'mean head'}, "
        f"{'estimated share' if cold.share is None else format(cold.share, '.1%')} | "
        f"{average_precision_score(relevant, score):.3f} | "
        f"{np.nanmean([r['ap'] for r in rows]):.3f} | {overall.precision:.2f} | "
        f"{overall.recall:.2f} | {overall.f1:.2f} | "
        f"{np.mean([r['f1'] for r in rows]):.2f} | "
        f"{np.mean([r['proposed'] for r in rows]):.1f} "
        f"({np.mean([r['relevant'] for r in rows]):.1f})"
        f" | {np.mean([r['near_relevant'] for r in rows]):.2f} | "
        f"{first['ap']:.2f} / {first['f1']:.2f} |"
    )
    for name, night in nights.items():
        if night is not None:
            print_night(name, verdicts, relevant, night)
    print(f"\n(TF-IDF stage alone: AP {average_precision_score(relevant, tfidf):.3f})")
    if args.days:
        print("\n| day | papers | relevant | proposed | precision | recall | F1 | AP | near |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r['day']} | {r['papers']} | {r['relevant']} | {r['proposed']} | "
                  f"{r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | {r['ap']:.2f} | "
                  f"{r['near_relevant']} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
