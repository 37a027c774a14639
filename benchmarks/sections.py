"""Section accuracy, leave one day out, without refitting the relevance model.

Which section a paper goes to is decided by the section model (a logistic regression over
the TF-IDF features, fitted on labelled positives only) and the survey rule; the relevance
model and the encoder stage never change it. So a change to sections is measured by
refitting the section model alone on each fold (each judged day held out alone, the other
dated papers in 4 folds, as ``hfm-bot evaluate``), a few seconds a fold instead of minutes.

What section accuracy counts (the correct proposals) does depend on relevance. The full
leave-one-day-out run of the shipped two-stage model (relevance, encoder head, blend, at the
stored threshold, exactly as ``hfm-bot evaluate``) is done once with ``--write-proposed``
and its proposals kept in a file; later runs read it with ``--proposed``. Without it the
figures are over every judged relevant paper only.

    python benchmarks/sections.py --write-proposed /tmp/proposed.npz   # once, minutes
    python benchmarks/sections.py --proposed /tmp/proposed.npz         # the configured rule
    python benchmarks/sections.py --proposed /tmp/proposed.npz --no-abstract-rule
    python benchmarks/sections.py --proposed /tmp/proposed.npz --cue-weight 1

Each run prints: accuracy over the correct proposals (the card's figure) and over all judged
relevant papers, the confusion of true against filed sections, and the surveys' recall.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from hfm_bot import config as config_file
from hfm_bot.classifier.cross_validation import folds
from hfm_bot.classifier.model import BoolArray, IndexArray, ObjectArray
from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.classifier.tfidf_stage import Matrix, fit_section, matrix, vectorise
from hfm_bot.classifier.training_data import TrainingData
from hfm_bot.labelled import Kind
from hfm_bot.retrain import Inputs, load_data, recipe, title_rule


def write_proposed(settings: config_file.Settings, path: Path) -> None:
    """The shipped model's correct-proposal candidates, leave one day out (as ``hfm-bot
    evaluate``): ids of the judged rows and whether each was proposed."""
    from hfm_bot.classifier import embeddings, evaluation, figures, two_stage

    shipped = two_stage.load(Path(settings.model_dir), cache_dir=embeddings.default_cache_dir())
    data = load_data(Inputs(), settings)
    labels = [s.label for s in settings.sections]
    cache = None
    if shipped.head is not None:
        cache = embeddings.EmbeddingCache(embeddings.default_cache_dir(), shipped.head.spec)
    config = recipe(Inputs(), settings)
    scored = evaluation.cross_validated(data, labels, shipped, cache, config)
    if cache is not None:
        cache.save()
    # The scored rows in the order cross-validation visits them (fold after fold).
    _, m = vectorise(data, config)
    held = [np.flatnonzero(mask & m.evaluable) for mask in folds(m, None, 4)]
    rows = np.concatenate([h for h in held if len(h)])
    ids = [m.ids[i] or "" for i in rows]
    judged = scored.kind == Kind.JUDGED
    f = figures.measure(scored, shipped.threshold)
    assert f is not None
    print(
        f"full run: F1 {f.f1:.3f}, AP {f.average_precision:.3f}, section accuracy "
        f"{f.section_accuracy:.3f} ({f.section_correct}/{f.section_n})"
    )
    np.savez_compressed(
        path,
        ids=np.array(ids, dtype=str)[judged],
        proposed=(scored.score >= shipped.threshold)[judged],
        predicted_section=scored.predicted_section[judged].astype(str),
    )


def section_out_of_fold(
    m: Matrix, labels: list[str], config: TrainingConfig
) -> tuple[IndexArray, ObjectArray]:
    """The section model's own sections of the evaluable rows (no rule), each fitted
    without its fold."""
    all_rows = np.ones(m.X.shape[0], dtype=bool)

    def one(held: BoolArray) -> tuple[IndexArray, list[str]] | None:
        test = np.flatnonzero(held & m.evaluable)
        if not len(test):
            return None
        sec = fit_section(m, all_rows & ~held, labels, config)
        assert sec is not None
        return test, [str(c) for c in sec.clf.predict(sec.design(m, test))]

    with ThreadPoolExecutor(max_workers=config.fold_threads) as pool:
        results = [r for r in pool.map(one, folds(m, None, 4)) if r is not None]
    rows = np.concatenate([r[0] for r in results])
    sections = np.array([s for r in results for s in r[1]], dtype=object)
    return rows, sections


def model_sections(
    settings: config_file.Settings, config: TrainingConfig, cache: Path | None
) -> tuple[Matrix, IndexArray, ObjectArray]:
    """The training matrix and the section model's out-of-fold sections, read from
    ``cache`` when it holds them for the same rows and recipe (a rule is applied after the
    section model, so trying rules needs no refit)."""
    data = load_data(Inputs(), settings)
    labels = [s.label for s in settings.sections]
    key = repr(config)
    ids = [ex.paper_id or "" for ex in data.examples]
    if cache is not None and cache.exists():
        stored = np.load(cache, allow_pickle=False)
        if str(stored["key"]) == key and stored["ids"].tolist() == ids:
            return _rows(data), stored["rows"], stored["sections"].astype(object)
    _, m = vectorise(data, config)
    rows, sections = section_out_of_fold(m, labels, config)
    if cache is not None:
        np.savez_compressed(
            cache,
            key=np.array(key),
            ids=np.array(ids),
            rows=rows,
            sections=sections.astype(str),
        )
    return m, rows, sections


def _rows(data: TrainingData) -> Matrix:
    """The rows' labels and texts without their TF-IDF vectors (nothing is refitted)."""
    import scipy.sparse as sp

    return matrix(data, sp.csr_matrix((len(data.examples), 0)))


def shipped_sections(
    settings: config_file.Settings,
) -> tuple[Matrix, IndexArray, ObjectArray, set[str]]:
    """The shipped model's own out-of-fold sections and proposals (``oof.npz`` beside it,
    written by ``train``: the threshold folds, not one day at a time, with the title rule
    it was trained with), on the rows of the current training data: instant."""
    import json

    model_dir = Path(settings.model_dir)
    stored = np.load(model_dir / "oof.npz", allow_pickle=False)
    threshold = float(json.loads((model_dir / "meta.json").read_text())["threshold"])
    data = load_data(Inputs(), settings)
    m = _rows(data)
    at = {str(i): k for k, i in enumerate(stored["ids"])}
    rows = np.array([r for r in np.flatnonzero(m.evaluable) if m.ids[r] in at], dtype=np.intp)
    sections = np.array([str(stored["section"][at[m.ids[r] or ""]]) for r in rows], object)
    proposed = {
        str(i) for i, s in zip(stored["ids"], stored["score"], strict=True) if s >= threshold
    }
    return m, rows, sections, proposed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="hfm-bot.toml")
    parser.add_argument("--proposed", type=Path, help="proposals of a --write-proposed run")
    parser.add_argument("--write-proposed", type=Path, help="do the full run once, keep it")
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the section model's out-of-fold sections here (rules are tried on them)",
    )
    parser.add_argument(
        "--shipped-oof",
        action="store_true",
        help="the shipped model's out-of-fold sections and proposals (model/oof.npz) instead "
        "of refitting: a rule is measured in seconds, on the training folds",
    )
    parser.add_argument("--no-title-rule", action="store_true", help="the section model alone")
    parser.add_argument(
        "--no-abstract-rule", action="store_true", help="the rule reads titles only"
    )
    parser.add_argument(
        "--phrase",
        action="append",
        help="an abstract phrase of the survey rule instead of the configured ones (repeatable)",
    )
    parser.add_argument("--judged-section-weight", type=float)
    parser.add_argument("--show", action="store_true", help="list the misfiled papers")
    args = parser.parse_args()
    settings = config_file.load(Path(args.config))
    if args.write_proposed:
        write_proposed(settings, args.write_proposed)
        return
    config = recipe(Inputs(), settings)
    if args.judged_section_weight is not None:
        config = dataclasses.replace(config, judged_section_weight=args.judged_section_weight)
    rule = None if args.no_title_rule else title_rule(settings)
    if rule is not None and args.phrase:
        rule = dataclasses.replace(rule, abstract_phrases=tuple(args.phrase))
    if rule is not None and args.no_abstract_rule:
        rule = dataclasses.replace(rule, abstract_phrases=())
    labels = [s.label for s in settings.sections]
    start = time.perf_counter()
    proposed_ids: set[str] | None = None
    if args.shipped_oof:
        m, rows, predicted, proposed_ids = shipped_sections(settings)
    else:
        m, rows, predicted = model_sections(settings, config, args.cache)
    elapsed = time.perf_counter() - start
    if rule is not None:
        predicted = np.array(rule.sections([m.texts[i] for i in rows], list(predicted)), object)
    judged = (m.kinds[rows] == Kind.JUDGED) & m.relevant[rows] & (m.sections[rows] != "")
    ids = np.array([m.ids[i] or "" for i in rows], dtype=object)
    true = m.sections[rows]
    sets = {"all judged relevant": judged}
    if args.proposed:
        stored = np.load(args.proposed, allow_pickle=False)
        proposed_ids = set(stored["ids"][stored["proposed"]].tolist())
    if proposed_ids is not None:
        if not proposed_ids & set(ids[judged].tolist()):
            sys.exit("none of the proposals is a judged relevant row here")
        sets = {
            "correct proposals": judged & np.isin(ids, list(proposed_ids)),
            **sets,
        }
    print(f"rule: {rule}")
    print(f"section models fitted leave one day out (or read) in {elapsed:.0f} s")
    for name, mask in sets.items():
        ok = int((predicted[mask] == true[mask]).sum())
        print(f"{name:<22} section accuracy {ok / mask.sum():.3f} ({ok}/{int(mask.sum())})")
    mask = next(iter(sets.values()))
    pairs = Counter(zip(true[mask], predicted[mask], strict=True))
    print("\nconfusion (rows: true, columns: filed), " + next(iter(sets)))
    print(f"{'':<8}" + "".join(f"{label:>8}" for label in labels))
    for t in labels:
        print(f"{t:<8}" + "".join(f"{pairs[(t, p)]:>8}" for p in labels))
    if args.show:
        texts = [m.texts[i] for i in rows]
        for i in np.flatnonzero(mask & (predicted != true)):
            print(f"{ids[i]}  true {true[i]:<6} filed {predicted[i]:<6} {texts[i][:90]}")


if __name__ == "__main__":
    main()
