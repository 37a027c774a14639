"""The classifier: training on real labelled days, the exported scorer, the saved model, and
the train / classify / evaluate commands on good and bad input."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from testsupport.layout import a_cycle

from hfm_bot import decisions
from hfm_bot.classifier import card, features, model, tfidf_stage, training, training_data
from hfm_bot.classifier.embeddings import EmbeddingCache
from hfm_bot.classifier.encoder import Encoder, encoder_text
from hfm_bot.classifier.figures import SHIPPED_MODE, Evaluation, Report
from hfm_bot.classifier.recipe import ColdStart, TrainingConfig
from hfm_bot.classifier.training_data import load_training_data
from hfm_bot.cli import main
from hfm_bot.errors import InputError
from tests.conftest import (
    BACKGROUND_SEED,
    LABELLED,
    REPO,
    SMALL_TRAINING,
    decision,
    labelled_subset,
    small_config,
)

SECTIONS = ["LFM", "VFM", "BFM", "MFM", "survey"]
LIST_LABELS = REPO / "labeled_data" / "list.jsonl"
CONFIG = str(REPO / "hfm-bot.toml")
DAYS = {"2025-06-05", "2025-06-26"}


@pytest.fixture(scope="module")
def small_labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return labelled_subset(tmp_path_factory.mktemp("labelled") / "small.jsonl", DAYS)


@pytest.fixture(scope="module")
def small_training(small_labelled: Path) -> training.TrainResult:
    """A real, small training run from the repository's own data: the list, two judged
    days and the curated papers, and 2,000 background papers, with the small recipe."""
    return _trained(small_labelled, replace(SMALL_TRAINING, background_max=2000))


def _trained(labelled: Path, config: TrainingConfig) -> training.TrainResult:
    data = load_training_data(
        list_labels=LIST_LABELS,
        decisions=None,
        labelled=[labelled],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=config,
    )
    return training.train(data, SECTIONS, config=config)


def test_training_uses_every_kind_of_data(small_training: training.TrainResult) -> None:
    counts = small_training.data.counts()
    assert counts["list:pos"] == 219
    assert counts["background:bg"] == 2000
    assert counts["judged:pos"] > 0 and counts["judged:neg"] > 0
    # Every labelled paper with an abstract is also there title-only, at half weight.
    judged = [ex for ex in small_training.data.examples if ex.kind == "judged"]
    assert sum(ex.evaluable for ex in judged) * 2 == len(judged)
    # (Each day's rows are weighed by their age too: a twin shares its day's factor.)
    half = small_training.config.title_only_weight
    for day in {ex.date for ex in judged}:
        full = {ex.weight for ex in judged if ex.date == day and ex.evaluable}
        title_only = {ex.weight for ex in judged if ex.date == day and not ex.evaluable}
        assert sorted(title_only) == pytest.approx(sorted(w * half for w in full)), day
    assert len({ex.weight for ex in judged if ex.evaluable}) > 1  # older days count less
    assert 0.0 < small_training.model.threshold < 1.0
    assert small_training.threshold_rows == "judged days"


def test_exported_scorer_matches_scikit_learn(small_training: training.TrainResult) -> None:
    """The pickle-free scorer reproduces the scikit-learn models it was exported from:
    TF-IDF plus the conjunction block, then logistic regression, for relevance and section."""
    _exported_scorer_matches_scikit_learn(small_training)


@pytest.mark.realistic
def test_the_shipped_recipe_exports_what_scikit_learn_fitted(small_labelled: Path) -> None:
    """The same at the shipped recipe's full size (200,000 terms, the pairs of 200 terms,
    four folds): the sizes the nightly scores with."""
    result = _trained(small_labelled, replace(TrainingConfig(), background_max=2000))
    assert result.threshold_rows == "judged days"
    assert len(result.model.relevance_pairs.columns) == 200
    assert len(result.model.terms) > SMALL_TRAINING.vocabulary
    _exported_scorer_matches_scikit_learn(result)


def _exported_scorer_matches_scikit_learn(small_training: training.TrainResult) -> None:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    data = small_training.data
    config = small_training.config
    vectorizer = TfidfVectorizer(**features.VECTORIZER_PARAMS, max_features=config.vocabulary)
    vectorizer.fit([ex.text for ex in data.examples])
    m = small_training.matrix
    everything = np.ones(m.X.shape[0], dtype=bool)
    rel = tfidf_stage.fit_relevance(m, everything, config)
    sec = tfidf_stage.fit_section(m, everything, SECTIONS, config)
    assert sec is not None  # several sections: a fitted model
    with gzip.open(BACKGROUND_SEED, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(400), handle, strict=False)]
    texts = [features.paper_text(r["title"], r["abstract"]) for r in records]
    texts += ["", "Ünïcödé 和 中文 ", "a b c", "x" * 5000]
    X = vectorizer.transform(texts)
    present = X.copy()
    present.data[:] = 1.0
    X_rel = sp.hstack(
        [X, features.conjunctions(present[:, rel.pair_terms], rel.scale)], format="csr"
    )
    X_sec = sp.hstack(
        [X[:, sec.columns], features.conjunctions(present[:, sec.pair_terms], sec.scale)],
        format="csr",
    )
    k = config.relevance_conjunction_terms
    assert X_rel.shape[1] == X.shape[1] + k * (k - 1) // 2  # the pairs of k terms
    expected = rel.clf.predict_proba(X_rel)[:, 1]
    expected_sections = sec.clf.predict_proba(X_sec)
    got = small_training.model.predict_texts([str(i) for i in range(len(texts))], texts)
    np.testing.assert_allclose([p.score for p in got], expected, rtol=1e-9, atol=1e-12)
    classes = [str(c) for c in sec.clf.classes_]
    for pred, row in zip(got, expected_sections, strict=True):
        probs = dict(pred.section_scores)
        np.testing.assert_allclose([probs[c] for c in classes], row, rtol=1e-7, atol=1e-9)
    assert sum(rel.clf.coef_[0][X.shape[1] :] != 0) > 0  # the conjunctions are used
    # Scoring's tokens are the vectorizer's: its unigrams in order, then their adjacent pairs.
    analyzer = vectorizer.build_analyzer()
    for text in texts[:50]:
        tokens = features.tokenize(text)
        assert analyzer(text) == [*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))]
    # Sections: probabilities, best first.
    for pred in got:
        probs_sorted = [p for _, p in pred.section_scores]
        assert probs_sorted == sorted(probs_sorted, reverse=True)
        assert abs(sum(probs_sorted) - 1.0) < 1e-9
        assert pred.section == pred.section_scores[0][0]


def test_papers_without_conjunction_terms_score(small_training: training.TrainResult) -> None:
    """A batch in which no paper has any selected term, or only one, or no text at all."""
    scorer = small_training.model
    alone = scorer.terms[int(scorer.relevance_pairs.columns[0])]
    for texts in (["zzzq qqqz"], [""], [alone], ["zzzq", alone, ""]):
        got = scorer.predict_texts([str(i) for i in range(len(texts))], texts)
        assert len(got) == len(texts)
        assert all(0.0 < p.score < 1.0 for p in got)
    assert scorer.predict_texts([], []) == []


def test_conjunction_block_is_the_pairs_of_present_terms() -> None:
    """Column (i, j) of the pair block is 1 exactly when terms i and j are both present,
    in itertools.combinations order, and each row has norm ``scale``."""
    from itertools import combinations

    import scipy.sparse as sp

    present = sp.csr_matrix(np.array([[1, 0, 1, 1], [0, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]]))
    block = features.conjunctions(present, scale=2.0).toarray()
    pairs = list(combinations(range(4), 2))
    assert block.shape == (4, 6)
    for row, bits in enumerate(present.toarray()):
        on = [bits[i] and bits[j] for i, j in pairs]
        n = sum(on)
        assert list(block[row] > 0) == on
        assert np.linalg.norm(block[row]) == pytest.approx(2.0 if n else 0.0)


def test_saved_model_round_trips(small_training: training.TrainResult, tmp_path: Path) -> None:
    small_training.model.save(tmp_path)
    loaded = model.load(tmp_path)
    texts = ["Segment anything for medical images", "A new sorting algorithm"]
    a = small_training.model.predict_texts(["a", "b"], texts)
    b = loaded.predict_texts(["a", "b"], texts)
    assert [p.score for p in a] == pytest.approx([p.score for p in b], rel=1e-5)
    with np.load(tmp_path / model.WEIGHTS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    # The exported arrays are the model: one fitted by another scikit-learn loads the same
    # (the version is provenance only), so a scikit-learn release never breaks the nightly.
    import dataclasses

    dataclasses.replace(small_training.model, sklearn_version="0.24.2").save(tmp_path)
    other = model.load(tmp_path)
    assert other.sklearn_version == "0.24.2"
    assert other.predict_texts(["a"], texts[:1])[0].score == pytest.approx(a[0].score, rel=1e-5)


def _leave_marker(path: str) -> None:
    """What the payload below runs when unpickled: a file appears, so running it shows."""
    Path(path).write_text("the payload ran\n")


class _Payload:
    """A pickled object whose unpickling runs code (``_leave_marker``), as a doctored model
    file from a fork or a download could carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[[str], None], tuple[str]]:
        return _leave_marker, (str(self.marker),)


@pytest.mark.parametrize(
    "stored, form, refusal",
    [
        (model.MODEL_FILE, "pickle", r"model\.json: damaged model file"),
        (model.WEIGHTS_FILE, "pickle", r"damaged model \(.*contains pickled"),
        (model.WEIGHTS_FILE, "object arrays", r"damaged model \(Object arrays cannot be loaded"),
        ("encoder_head.json", "pickle", r"encoder_head\.json: damaged"),
        ("oof.npz", "pickle", r"oof\.npz: damaged .*contains pickled"),
        ("oof.npz", "object arrays", r"oof\.npz: damaged .*Object arrays cannot be loaded"),
    ],
    ids=[
        "model.json-pickle",
        "weights.npz-pickle",
        "weights.npz-object-arrays",
        "encoder_head.json-pickle",
        "oof.npz-pickle",
        "oof.npz-object-arrays",
    ],
)
def test_saved_model_cannot_run_code(stored: str, form: str, refusal: str, tmp_path: Path) -> None:
    """A pickled payload in place of a stored file of the shipped model is refused with a
    ModelError naming the file (the model's own files also say to retrain) and never runs:
    the loaders read JSON, and arrays with pickle refused. The weights are resealed in
    model.json (its checksums), so the payload reaches np.load rather than being stopped by
    the checksum first. Last, the same file read with pickle allowed does run: the payload
    was live, so its silence above is the loader's doing."""
    import hashlib
    import pickle

    from hfm_bot.classifier import gate, two_stage

    folder = tmp_path / "model"
    shutil.copytree(_shipped_model(), folder)
    marker = tmp_path / "payload-ran"
    path = folder / stored
    if form == "pickle":
        path.write_bytes(pickle.dumps(_Payload(marker)))
    else:
        with np.load(path, allow_pickle=False) as arrays:
            names = list(arrays.files)
        with path.open("wb") as handle:
            payloads = {n: np.array([_Payload(marker)], dtype=object) for n in names}
            np.savez(handle, allow_pickle=True, **payloads)  # pickled, as the loader must not
    if stored == model.WEIGHTS_FILE:
        header = json.loads((folder / model.MODEL_FILE).read_text())
        header["weights_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        header["header_sha256"] = model.header_checksum(header)
        (folder / model.MODEL_FILE).write_text(json.dumps(header))

    with pytest.raises(model.ModelError) as refused:
        if stored == "oof.npz":
            gate.OutOfFoldScores.load(folder)
        else:
            two_stage.load(folder, use_encoder=False)
    assert not marker.exists(), f"loading {stored} ran the pickled payload"
    assert re.search(refusal, str(refused.value)), refused.value
    assert stored == "oof.npz" or "retrain with `hfm-bot train`" in str(refused.value)

    # The file is a live payload: read with pickle allowed, it runs.
    if form == "pickle":
        pickle.loads(path.read_bytes())
    else:
        with np.load(path, allow_pickle=True) as arrays:
            arrays[arrays.files[0]]
    assert marker.exists()


def test_a_pickled_embedding_cache_is_rebuilt_and_never_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The embedding cache lives outside the repository, where anyone could put a file: a
    pickled payload there is set aside with a warning (the cache is only time), unrun."""
    import pickle

    from hfm_bot.classifier import embeddings
    from hfm_bot.classifier.head import SecondOpinion

    head = SecondOpinion.load(_shipped_model())
    assert head is not None
    marker = tmp_path / "payload-ran"
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / f"embeddings-{head.spec.identity}.npz").write_bytes(pickle.dumps(_Payload(marker)))
    cache = embeddings.EmbeddingCache(cache_dir, head.spec)
    assert cache.vectors == {}
    assert not marker.exists()
    assert "unreadable embedding cache, rebuilding it" in caplog.text


def test_a_title_naming_a_survey_files_the_paper_under_the_survey_section(
    small_training: training.TrainResult, tmp_path: Path
) -> None:
    """The section model files by modality; the list files a survey by kind. With the
    configured rule a survey of vision-language models goes to the survey section, and the
    rule is stored with the model (and checked on load)."""
    import dataclasses

    titles = [
        "A Survey of Vision-Language Foundation Models for Radiology Report Generation",
        "Medical Vision-Language Models: A Systematic REVIEW",
        "Overview: large language models in clinical notes",
        "Reviewer agreement of a vision-language model for radiology report generation",
        "Vision-language pretraining for radiology report generation",
    ]
    texts = [features.paper_text(t, "We study medical image and report models.") for t in titles]
    bare = small_training.model.predict_texts([str(i) for i in range(5)], texts)
    rule = model.TitleRule("survey", ("survey", "review", "overview"))
    ruled = dataclasses.replace(small_training.model, title_rule=rule)
    with_rule = ruled.predict_texts([str(i) for i in range(5)], texts)
    assert [p.section for p in with_rule[:3]] == ["survey"] * 3
    assert [p.section for p in with_rule[3:]] == [p.section for p in bare[3:]]  # whole words
    assert bare[0].section != "survey"  # what the section model alone does with the first
    assert [p.score for p in with_rule] == [p.score for p in bare]  # relevance untouched
    ruled.save(tmp_path)
    assert model.load(tmp_path).title_rule == rule
    header = json.loads((tmp_path / model.MODEL_FILE).read_text())
    header["title_rule"]["label"] = "nowhere"
    header["header_sha256"] = model.header_checksum(header)
    (tmp_path / model.MODEL_FILE).write_text(json.dumps(header))
    with pytest.raises(model.ModelError, match="title rule's section is not a label"):
        model.load(tmp_path)


def test_damaged_or_foreign_models_say_retrain(
    small_training: training.TrainResult, tmp_path: Path
) -> None:
    small_training.model.save(tmp_path)
    header = json.loads((tmp_path / model.MODEL_FILE).read_text())

    weights = tmp_path / model.WEIGHTS_FILE
    good = weights.read_bytes()
    weights.write_bytes(good[:1000])
    with pytest.raises(model.ModelError, match="retrain"):
        model.load(tmp_path)
    weights.write_bytes(good)

    # Hand edits the weights' checksum cannot see: each is caught by the header's own.
    for edit in (
        {"threshold": 7},
        {"threshold": 0.0},
        {"relevance_intercept": float("nan")},
        {"terms": header["terms"][:-1]},
        {"format_version": 1},
    ):
        (tmp_path / model.MODEL_FILE).write_text(json.dumps(dict(header, **edit)))
        with pytest.raises(model.ModelError, match="retrain"):
            model.load(tmp_path)
    # ... and a well-formed header whose values are out of range (a checksum recomputed).
    bad = dict(header, threshold=7.0)
    bad["header_sha256"] = model.header_checksum(bad)
    (tmp_path / model.MODEL_FILE).write_text(json.dumps(bad))
    with pytest.raises(model.ModelError, match="threshold or intercept out of range"):
        model.load(tmp_path)

    (tmp_path / model.MODEL_FILE).write_text("{not json")
    with pytest.raises(model.ModelError, match=r"damaged.*retrain"):
        model.load(tmp_path)
    with pytest.raises(model.ModelError, match="no model here"):
        model.load(tmp_path / "nowhere")


def test_one_class_or_empty_training_sets_are_refused(tmp_path: Path) -> None:
    only_positive = load_training_data(
        list_labels=LIST_LABELS, decisions=None, labelled=[], background=[], sections=SECTIONS
    )
    with pytest.raises(InputError, match="one class"):
        training.train(only_positive, SECTIONS, config=SMALL_TRAINING)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    nothing = load_training_data(
        list_labels=empty, decisions=None, labelled=[], background=[], sections=SECTIONS
    )
    with pytest.raises(InputError, match="one class"):
        training.train(nothing, SECTIONS, config=SMALL_TRAINING)


def test_decisions_teach_relevance_and_section(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    decisions.save(
        path,
        [
            decision("2601.00001", "A radiology report LLM", "accepted", "MFM"),
            decision("2601.00002", "Sorting networks", "rejected"),
            decision("2601.00003", "Proposed only", "proposed"),
            decision("2601.00004", "A near miss a maintainer ticked", "ticked", "VFM"),
            decision("2601.00005", "A near miss left unticked", "near-miss", "BFM"),
        ],
    )
    data = load_training_data(
        list_labels=LIST_LABELS,
        decisions=path,
        labelled=[],
        background=[],
        sections=SECTIONS,
    )
    kinds = data.counts()
    assert kinds["decision:pos"] == 4 and kinds["decision:neg"] == 2  # with title-only copies
    accepted = [ex for ex in data.examples if ex.kind == "decision" and ex.relevant]
    assert {ex.section for ex in accepted} == {"MFM", "VFM"}  # a tick is a yes; no tick, nothing


@pytest.mark.parametrize(
    ("recipe", "least_ap"),
    [
        pytest.param(SMALL_TRAINING, 0.2, id="small"),
        pytest.param(TrainingConfig(), 0.3, id="shipped", marks=pytest.mark.realistic),
    ],
)
def test_a_new_list_trains_from_its_entries_and_a_background(
    recipe: TrainingConfig, least_ap: float
) -> None:
    """A new user has the list's entries (all positive) and fetched papers, nothing judged:
    the conjunction terms then come from the list against the background, so they are the
    list's own vocabulary, not the first columns of an all-zero score. It ranks a judged day
    it never saw (average precision 0.149 when it proposed nothing): above 0.3 with the
    shipped recipe, above 0.2 with the small one (5,000 terms)."""
    config = replace(recipe, background_max=2000)
    data = load_training_data(
        list_labels=LIST_LABELS,
        decisions=None,
        labelled=[],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=config,
    )
    result = training.train(data, SECTIONS, config=config)
    chosen = {result.model.terms[int(c)] for c in result.model.relevance_pairs.columns}
    assert {"foundation", "medical"} <= chosen
    # Cold start: the background papers the list vouches for become its positives, and the
    # threshold proposes the top 5% of the background.
    assert result.data.counts()["background:bg"] == 2000
    assert (result.matrix.kinds == "self-trained").sum() == 100
    assert result.threshold_rows.startswith("cold start")
    assert 0.0 < result.model.threshold < 0.5
    # On two judged days it never saw, it ranks and proposes (it used to propose nothing).
    from sklearn.metrics import average_precision_score

    with gzip.open(LABELLED, "rt", encoding="utf-8") as handle:
        days = [r for r in map(json.loads, handle) if r["kind"] == "judged" and r["date"] in DAYS]
    scored = result.model.predict_texts(
        [r["id"] for r in days], [features.paper_text(r["title"], r["abstract"]) for r in days]
    )
    y = [r["relevant"] for r in days]
    share = sum(p.propose for p in scored) / len(scored)
    ap = average_precision_score(y, [p.score for p in scored])
    assert 0.01 < share < 0.15 and ap > least_ap, (share, ap)
    preds = result.model.predict_texts(
        ["fm", "other"],
        [
            features.paper_text("A foundation model for medical image segmentation", ""),
            features.paper_text("Faster sorting networks for GPUs", ""),
        ],
    )
    assert preds[0].score > preds[1].score


def test_a_new_list_gets_a_first_model_with_both_stages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hfm-bot train` for a list with no labels beyond its entries: the cold start's TF-IDF
    stage and the encoder's similarity to the list, stored and loaded like any model, and
    described as a cold start in the card; on a judged day it never saw it proposes a few
    percent of the papers, mostly relevant ones."""
    from sklearn.metrics import average_precision_score

    from hfm_bot.classifier import two_stage

    empty = tmp_path / "none.jsonl"
    empty.write_text("")
    out = tmp_path / "model"
    small = str(small_config(tmp_path))
    args = ["--config", small, "train", "--labelled", str(empty), "--decisions", str(empty),
            "--background", str(BACKGROUND_SEED), "--background-max", "250"]  # fmt: skip
    assert main([*args, "-o", str(out)]) == 0
    assert "not measured: no judged day or decision" in capsys.readouterr().out
    trained = two_stage.load(out)
    assert trained.head is not None and trained.encoder is not None
    card_text = (out / "README.md").read_text()
    assert "## Second stage: a sentence encoder (cold start)" in card_text
    assert "cold start: no negative labels yet" in card_text
    with gzip.open(LABELLED, "rt", encoding="utf-8") as handle:
        day = [r for r in map(json.loads, handle) if r["date"] == "2025-06-26"]
    preds = trained.predict_texts(
        [r["id"] for r in day],
        [features.paper_text(r["title"], r["abstract"]) for r in day],
        [encoder_text(r["title"], r["abstract"]) for r in day],
    )
    y = np.array([r["relevant"] for r in day])
    proposed = np.array([p.propose for p in preds])
    ap = average_precision_score(y, [p.score for p in preds])
    assert 0 < proposed.sum() < 0.15 * len(day) and ap > 0.3, (proposed.sum(), ap)
    assert {p.stage for p in preds} == {two_stage.STAGE_TFIDF, two_stage.STAGE_BLEND}


def _cloud(rng: np.random.Generator, n: int, centre: np.ndarray) -> np.ndarray:
    """n unit vectors scattered around a centre: papers of one topic, as an encoder sees them."""
    x = centre / np.linalg.norm(centre) + 0.1 * rng.normal(size=(n, len(centre)))
    return np.asarray(x / np.linalg.norm(x, axis=1, keepdims=True), dtype=np.float32)


def test_a_cold_start_learns_a_conjunction_and_how_much_of_a_night_is_in_scope() -> None:
    """A list of papers on graphs AND language models, against a background where graph papers
    and language-model papers are each ten times as common as papers on both (issue #23): the
    topic head ranks the papers on both above those on one side, and the share it estimates
    is the papers on both (1%), not every paper near the list's mean (the fixed 5% proposed
    three times too much on such a list). The list's mean leans to its most frequent side and
    ranks the papers on graphs alone among those on both."""
    from sklearn.metrics import average_precision_score

    from hfm_bot.classifier import encoder_stage

    rng = np.random.default_rng(7)
    dim = 48
    graph, lm = np.eye(dim)[0], np.eye(dim)[1]
    both = graph + 0.5 * lm  # the list's most frequent word is the stronger side
    others = [np.eye(dim)[k] + 0.5 * np.eye(dim)[k + 1] for k in range(2, dim - 1)]

    def night(n_both: int, n_side: int, n_other: int) -> tuple[np.ndarray, np.ndarray]:
        x = np.vstack(
            [
                _cloud(rng, n_both, both),
                _cloud(rng, n_side, graph),
                _cloud(rng, n_side, lm),
                *(_cloud(rng, n_other // len(others), c) for c in others),
            ]
        )
        y = np.r_[np.ones(n_both, dtype=bool), np.zeros(len(x) - n_both, dtype=bool)]
        return x, y

    listed = _cloud(rng, 150, both)
    background, in_scope = night(30, 300, 2350)
    share = in_scope.mean()
    fit = encoder_stage.topic_fit(listed, background, c=1.0, folds=5, anchor=0.1)
    assert share / 2 < fit.share < share * 2, (fit.share, share)
    # The same count around the list's mean takes in the papers on one side too.
    centroid = listed.astype(np.float64).mean(axis=0)
    level = np.quantile(listed @ centroid, 0.1)
    assert (background @ centroid >= level).mean() / 0.9 > 2.5 * share
    tonight, y = night(10, 100, 800)
    ranked = tonight.astype(np.float64) @ fit.coef
    assert average_precision_score(y, ranked) > 0.85
    assert average_precision_score(y, tonight @ centroid) < average_precision_score(y, ranked) - 0.2
    # A head fitted with every entry scores them higher than out of fold, which is why the
    # estimate reads the out-of-fold scores.
    assert np.median(listed @ fit.coef + fit.intercept) > np.median(fit.list_scores)


def test_the_cold_start_options_fit_the_topic_head_and_propose_the_estimated_share(
    small_minilm: Encoder, embedding_cache: EmbeddingCache
) -> None:
    """With ``ColdStart(topic_head=True, share=None)`` a new list's encoder head is the topic
    fit (not the mean of the entries) and both stages propose the estimated share of the
    background, which the threshold line states."""
    cold = ColdStart(topic_head=True, share=None, background_titles=120)
    config = replace(SMALL_TRAINING, background_max=300, cold=cold)
    data = load_training_data(
        list_labels=LIST_LABELS,
        decisions=None,
        labelled=[],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=config,
    )
    result = training.train(data, SECTIONS, small_minilm, embedding_cache, config=config)
    assert result.cold_start and result.head is not None
    assert "estimated:" in result.threshold_rows and "the list's topic" in result.threshold_rows
    share = float(result.threshold_rows.split("proposes the ")[1].split("%")[0]) / 100
    low, high = cold.share_bounds
    assert low <= share <= high
    background = [ex for ex in result.data.examples if ex.kind == "background"]
    tfidf = result.model.predict_texts(
        [ex.paper_id or "" for ex in background], [ex.text for ex in background]
    )
    proposed = np.mean([p.propose for p in tfidf])
    assert abs(proposed - share) < 0.01, (proposed, share)
    assert abs(result.head.intercept) > 0  # a fitted head, not the mean (intercept 0)


def test_a_list_of_one_section_trains_and_files_every_paper_there(tmp_path: Path) -> None:
    """A list with one paper section (a flat bullet list) has no section model to fit: every
    proposal goes to its one section, and the model saves and loads as any other."""
    one = tmp_path / "list.jsonl"
    with LIST_LABELS.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    one.write_text(
        "".join(json.dumps({**r, "section": "papers"}) + "\n" for r in rows), encoding="utf-8"
    )
    config = replace(SMALL_TRAINING, background_max=400)
    data = load_training_data(
        list_labels=one,
        decisions=None,
        labelled=[],
        background=[BACKGROUND_SEED],
        sections=["papers"],
        config=config,
    )
    result = training.train(data, ["papers"], config=config)
    result.model.save(tmp_path / "model")
    loaded = model.load(tmp_path / "model")
    preds = loaded.predict_texts(
        ["a", "b"],
        [
            features.paper_text("A foundation model for medical image segmentation", ""),
            features.paper_text("Faster sorting networks for GPUs", ""),
        ],
    )
    assert [p.section for p in preds] == ["papers", "papers"]
    assert preds[0].score > preds[1].score


def test_reviews_teach_a_list_with_no_judged_day(
    tmp_path: Path, small_minilm: Encoder, embedding_cache: EmbeddingCache
) -> None:
    """A list with only its entries and the maintainers' reviews keeps the cold start's
    recipe and adds the reviews to it: the encoder's direction is the mean embedding of the
    list and the kept papers minus half the deleted papers' mean, and the gate's scores of
    the decisions are out of fold (each fold's direction made without that fold)."""
    with gzip.open(LABELLED, "rt", encoding="utf-8") as handle:
        day = [r for r in map(json.loads, handle) if r["date"] == "2025-06-05"]
    kept = [r for r in day if r["relevant"]][:12]
    deleted = [r for r in day if not r["relevant"] and "model" in r["title"].lower()][:12]
    memory = tmp_path / "decisions.jsonl"
    records = [
        decision(r["id"], r["title"], "accepted" if r["relevant"] else "rejected",
                 r["section"] or "LFM", abstract=r["abstract"], date=f"2025-06-0{1 + i % 4}")
        for i, r in enumerate([*kept, *deleted])
    ]  # fmt: skip
    decisions.save(memory, records)
    config = replace(SMALL_TRAINING, background_max=400)
    data = load_training_data(
        list_labels=LIST_LABELS,
        decisions=memory,
        labelled=[],
        background=[BACKGROUND_SEED],
        sections=SECTIONS,
        config=config,
    )
    encoder, cache = small_minilm, embedding_cache
    result = training.train(data, SECTIONS, encoder, cache, config=config)
    assert not result.cold_start and result.head is not None
    assert result.threshold_rows.startswith("no judged day yet")
    assert (result.matrix.kinds == "self-trained").sum() == 20  # 5% of the background
    listed = [ex.encoder_text for ex in data.examples if ex.kind == "list" and ex.encoder_text]
    unique = list(dict.fromkeys(listed))

    def embedded(rows: list[dict[str, str]]) -> np.ndarray:
        return cache.embed(
            encoder,
            [r["id"] for r in rows],
            [encoder_text(r["title"], r["abstract"]) for r in rows],
        ).astype(np.float64)

    lists = cache.embed(encoder, [f"list:{t}" for t in unique], unique).astype(np.float64)
    toward = np.vstack([lists, embedded(kept)]).mean(axis=0) - 0.5 * embedded(deleted).mean(axis=0)
    np.testing.assert_allclose(result.head.coef, toward, atol=1e-6)
    # Out of fold: the decisions' blended scores, none computed with its own fold's direction.
    oof_ids = {result.data.examples[int(i)].paper_id for i in result.oof.rows}
    assert oof_ids == {r["id"] for r in [*kept, *deleted]}
    assert result.tfidf_oof is not None and np.isfinite(result.oof.score).all()
    assert not np.allclose(result.oof.score, result.tfidf_oof.score)
    whole = result.head.blend(
        result.tfidf_oof.score,
        np.where(
            result.tfidf_oof.score >= result.head.floor,
            np.vstack([embedded([r]) for r in (
                next(x for x in day if x["id"] == result.data.examples[int(i)].paper_id)
                for i in result.oof.rows)]) @ result.head.coef,
            np.nan,
        ),
    )  # fmt: skip
    assert not np.allclose(result.oof.score, whole)  # the full direction would differ
    meta = card._second_stage_meta(result)
    assert meta is not None and meta["no_judged_day"] and not meta["cold_start"]
    text = card._second_stage(result)
    assert "(no judged day yet)" in text and "minus half the mean of those they deleted" in text


# ---------------------------------------------------------------- commands


def _shipped_model() -> Path:
    path = REPO / "model"
    if not (path / model.MODEL_FILE).exists():
        pytest.fail("model/ is not committed; run the command in model/README.md")
    return path


def test_shipped_model_loads_and_has_a_card() -> None:
    from hfm_bot.classifier import two_stage

    path = _shipped_model()
    trained = two_stage.load(path)
    assert trained.tfidf.section_labels == tuple(SECTIONS)
    assert trained.head is not None  # the encoder stage is part of the shipped model
    meta = json.loads((path / "meta.json").read_text())
    assert meta["threshold"] == pytest.approx(trained.threshold)
    assert meta["second_stage"]["tfidf_threshold"] == pytest.approx(trained.tfidf.threshold)
    assert meta["command"] == "hfm-bot train"  # from the repository alone
    card_text = (path / "README.md").read_text()
    assert meta["command"] in card_text
    # The leave-one-day-out figures were measured for this very model and put in its card.
    assert "## Leave-one-day-out figures" in card_text and "hfm-bot evaluate" in card_text
    assert f"threshold {trained.threshold:.3f}" in card_text
    assert (path / "pr_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert (path / "learning_curve.png").read_bytes()[:4] == b"\x89PNG"
    assert "### Learning curve" in card_text and "| 36 |" in card_text
    assert (path / "section_confusion.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_the_shipped_two_stage_model_as_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`evaluate --no-cv` on the shipped model (both stages) measures it on the labelled
    days without retraining; it used to crash after measuring, whenever no learning curve
    was asked for. --learning-curve with --no-cv is refused before any work."""
    one_day = labelled_subset(tmp_path / "one.jsonl", {"2025-06-26"}, curated=False)
    report = tmp_path / "direct.json"
    args = ["--config", CONFIG, "evaluate", "--no-cv", "--labelled", str(one_day)]
    assert main([*args, "--json", str(report)]) == 0
    result = json.loads(report.read_text())
    assert result["mode"] == "shipped model" and set(result["report"]["days"]) == {"2025-06-26"}
    assert result["report"]["overall"]["f1"] > 0.5  # a day it was trained on
    assert main([*args, "--learning-curve"]) == 2
    assert "--learning-curve retrains" in capsys.readouterr().err


def test_evaluation_needs_a_card_with_its_place(tmp_path: Path) -> None:
    """A card without the marked section (hand-written, or from an older hfm-bot) is refused
    with its path, and left as it was."""
    page = tmp_path / "README.md"
    page.write_text("# my own notes\n")
    with pytest.raises(InputError, match=r"README\.md: no evaluation section"):
        card.add_evaluation(page, _NO_EVALUATION)
    assert page.read_text() == "# my own notes\n"
    with pytest.raises(InputError, match="cannot read the model card"):
        card.add_evaluation(tmp_path / "missing.md", _NO_EVALUATION)


_NO_EVALUATION = Evaluation(SHIPPED_MODE, "hfm-bot evaluate", Report(None, ()))


def test_classify_on_hostile_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    papers = tmp_path / "papers.jsonl"
    lines = [
        json.dumps(
            {
                "id": "2506.00001",
                "title": "Med-SAM 2: segment anything in medical images",
                "abstract": "We adapt SAM 2 to CT, MRI and ultrasound segmentation.",
            }
        ),
        json.dumps({"id": "2506.00002", "title": "No abstract here"}),
        json.dumps({"id": "2506.00003", "title": "", "abstract": "Only an abstract."}),
        json.dumps({"id": "2506.00004", "title": "大型语言模型在医学中的应用", "abstract": "研究"}),
        json.dumps({"id": "2506.00005", "title": "Big", "abstract": "word " * 20000}),
        json.dumps({"id": "2506.00006", "title": "$\\mathcal{O}(n^2)$ $\\alpha$", "abstract": "x"}),
        json.dumps({"id": "2506.00007", "title": "t", "abstract": "a", "unknown": {"x": 1}}),
        "{not json",
        json.dumps(["a", "list"]),
        "",
        json.dumps({"title": "no id"}),
    ]
    papers.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "--config",
            CONFIG,
            "classify",
            str(papers),
            "-o",
            str(out),
            "--model",
            str(_shipped_model()),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert f"{papers}:8: skipped: not JSON" in err
    assert f"{papers}:9: skipped: a record must be a JSON object" in err
    assert f"{papers}:11: skipped: field 'id' is missing" in err
    assert "classified 7 papers" in err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"2506.0000{i}" for i in range(1, 8)]
    for row in rows:
        assert set(row) == {
            "id", "score", "propose", "section", "section_scores", "why",
            "stage", "tfidf_score", "encoder_score",
        }  # fmt: skip
        assert 0.0 <= row["score"] <= 1.0
        assert set(row["section_scores"]) == set(SECTIONS)
    assert rows[0]["propose"] and rows[0]["section"] == "VFM"
    assert rows[0]["why"]
    assert not rows[4]["propose"]


def test_classify_empty_and_gzip_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    assert main(["--config", CONFIG, "classify", str(empty), "-o", str(out)]) == 0
    assert out.read_text() == ""
    gz = tmp_path / "one.jsonl.gz"
    with gzip.open(gz, "wt") as handle:
        handle.write(
            json.dumps({"id": "2506.00001", "title": "A clinical LLM", "abstract": "x"}) + "\n"
        )
    assert main(["--config", CONFIG, "classify", str(gz), "-o", str(out), "--workers", "1"]) == 0
    assert json.loads(out.read_text())["id"] == "2506.00001"
    assert (
        main(["--config", CONFIG, "classify", str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 2
    )


def test_classify_with_a_damaged_model_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "model"
    shutil.copytree(_shipped_model(), broken)
    (broken / model.WEIGHTS_FILE).write_bytes(b"garbage")
    papers = tmp_path / "p.jsonl"
    papers.write_text(json.dumps({"id": "1", "title": "t", "abstract": "a"}) + "\n")
    code = main(
        [
            "--config",
            CONFIG,
            "classify",
            str(papers),
            "-o",
            str(tmp_path / "o"),
            "--model",
            str(broken),
        ]
    )
    assert code == 1
    assert "retrain with `hfm-bot train`" in capsys.readouterr().err


def test_train_and_evaluate_commands(
    small_labelled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model"
    small = str(small_config(tmp_path))
    args = [
        "--labelled",
        str(small_labelled),
        "--background",
        str(BACKGROUND_SEED),
        "--background-max",
        "1500",
    ]
    assert main(["--config", small, "train", *args, "-o", str(out), "--no-encoder"]) == 0
    assert "model written to" in capsys.readouterr().out
    for name in (
        "model.json",
        "weights.npz",
        "meta.json",
        "README.md",
        "pr_curve.png",
        "section_confusion.png",
    ):
        assert (out / name).exists(), name
    meta = json.loads((out / "meta.json").read_text())
    assert meta["counts"]["background:bg"] == 1500
    assert {i["path"] for i in meta["inputs"]} >= {str(small_labelled), str(BACKGROUND_SEED)}
    report = tmp_path / "eval.json"
    card_before = (out / "README.md").read_text()
    assert "Not measured for this model yet" in card_before
    evaluate = ["--config", small, "evaluate", *args, "--model", str(out), "--json", str(report)]
    assert main([*evaluate, "--card", str(out / "README.md")]) == 0
    card_after = (out / "README.md").read_text()
    assert "Not measured for this model yet" not in card_after
    assert "## Leave-one-day-out figures" in card_after and "| 2025-06-26 |" in card_after
    assert "hfm-bot --config" in card_after  # the exact command that measured it
    # Everything else in the card is as train wrote it.
    head = card_before.split(card.EVALUATION_START)[0]
    tail = card_before.split(card.EVALUATION_END)[1]
    assert card_after.startswith(head) and card_after.endswith(tail)
    printed = capsys.readouterr().out
    assert "2025-06-05" in printed and "2025-06-26" in printed
    result = json.loads(report.read_text())["report"]
    assert set(result["days"]) == {"2025-06-05", "2025-06-26"}
    for key in (
        "precision",
        "recall",
        "f1",
        "average_precision",
        "proposals_per_day",
        "section_accuracy",
    ):
        assert key in result["overall"], key
    direct = tmp_path / "direct.json"
    assert (
        main(
            [
                "--config",
                CONFIG,
                "evaluate",
                *args,
                "--model",
                str(out),
                "--no-cv",
                "--json",
                str(direct),
                "--card",
                str(out / "README.md"),
            ]
        )
        == 0
    )
    assert json.loads(direct.read_text())["mode"] == "shipped model"
    card_direct = (out / "README.md").read_text()  # replaced, and not called leave-one-day-out
    assert "## Figures of the shipped model" in card_direct
    assert "## Leave-one-day-out figures" not in card_direct


@pytest.mark.parametrize("workers", ["1", "2"])
def test_classify_refuses_damaged_files_with_their_name(
    tmp_path: Path, workers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Non-UTF-8 bytes and a cut-off .gz: exit 2 naming the file, no traceback, no output."""
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"id": "1", "title": "\xe9t\xe9", "abstract": "x"}\n')
    lines = "".join(
        json.dumps({"id": str(i), "title": "t", "abstract": "a"}) + "\n" for i in range(5000)
    )
    packed = gzip.compress(lines.encode())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "out.jsonl"
    for path, message in ((bad, "not UTF-8"), (cut, "damaged .gz")):
        args = ["--config", CONFIG, "classify", str(path), "-o", str(out), "--workers", workers]
        assert main([*args, "--no-encoder"]) == 2
        err = capsys.readouterr().err
        assert f"{path}: " in err and message in err and "Traceback" not in err
        assert not out.exists()


def test_a_lost_encoder_head_is_said_not_silently_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped model without its encoder_head.json used to score with the TF-IDF stage
    alone and say nothing; it now gives the README's "encoder unavailable" warning. A model
    whose card says it was trained without a head (second_stage null) stays quiet."""
    from hfm_bot.classifier import two_stage
    from hfm_bot.classifier.head import HEAD_FILE

    folder = tmp_path / "model"
    shutil.copytree(REPO / "model", folder)
    (folder / HEAD_FILE).unlink()
    warnings: list[str] = []
    alone = two_stage.load(folder, on_warning=warnings.append)
    assert alone.head is None and alone.threshold == alone.tfidf.threshold
    assert len(warnings) == 1
    assert HEAD_FILE in warnings[0] and "falling back to the TF-IDF model" in warnings[0]
    two_stage.load(folder, use_encoder=False, on_warning=warnings.append)  # asked for: quiet
    assert len(warnings) == 1

    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"id": "2601.00001", "title": "A title", "abstract": "x"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["--config", CONFIG, "classify", str(papers), "-o", str(out), "--model",
                 str(folder), "--workers", "1"]) == 0  # fmt: skip
    assert f"warning: the encoder stage cannot run ({folder / HEAD_FILE}" in (
        capsys.readouterr().err
    )

    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "second_stage": None}))
    two_stage.load(folder, on_warning=warnings.append)  # trained without one: nothing to say
    assert len(warnings) == 1


# ---------------------------------------------------------------- layout

CLASSIFIER = REPO / "src" / "hfm_bot" / "classifier"


def _imports_graph(package: Path) -> dict[str, set[str]]:
    """Which modules of the package each module imports, read with ``ast`` from every import
    statement anywhere in it: at the top, inside functions and under ``TYPE_CHECKING`` alike
    (an import hidden there is still a dependency the reader must follow)."""
    import ast

    prefix = "hfm_bot." + package.name
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for name in sorted(modules):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name.removeprefix(prefix + ".") for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from . import x, from .x import y
                    base = f"{prefix}.{base}".rstrip(".")
                if base == prefix:
                    found |= {a.name for a in node.names}
                else:
                    found.add(base.removeprefix(prefix + "."))
        graph[name] = (found & modules) - {name}
    return graph


def test_the_classifier_modules_import_each_other_without_a_circle(tmp_path: Path) -> None:
    """Each module of hfm_bot.classifier holds one responsibility, and the imports between
    them run one way: no circle, also none behind TYPE_CHECKING or inside a function."""
    graph = _imports_graph(CLASSIFIER)
    assert {"training_data", "tfidf_stage", "encoder_stage", "two_stage"} <= set(graph)
    assert graph["tfidf_stage"] >= {"training_data", "recipe"}  # the graph is read, not empty
    assert a_cycle(graph) is None, a_cycle(graph)
    # The reader sees a circle hidden where the old training/second pair hid theirs.
    fake = tmp_path / "classifier"
    fake.mkdir()
    (fake / "a.py").write_text("from hfm_bot.classifier.b import thing\n")
    (fake / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import c\n"
    )
    (fake / "c.py").write_text("def f() -> None:\n    from hfm_bot.classifier import a\n")
    assert a_cycle(_imports_graph(fake)) == ["a", "b", "c", "a"]


def test_no_function_of_the_classifier_is_longer_than_80_lines() -> None:
    """Issue #22: a function a reader can hold at once (decorators and docstring included)."""
    import ast

    longest: list[tuple[int, str]] = []
    for path in sorted(CLASSIFIER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                longest.append((node.end_lineno - first + 1, f"{path.name}:{node.name}"))
    assert len(longest) > 50
    assert max(longest)[0] <= 80, sorted(longest)[-5:]


# ---------------------------------------------------------------- the recipe


def test_a_training_table_sets_the_recipe_and_names_a_wrong_key(tmp_path: Path) -> None:
    """hfm-bot.toml's [training] table sets the recipe's numbers by name; the shipped
    configuration has none and trains with the shipped recipe; a wrong key, kind or value is
    refused naming it."""
    from hfm_bot import config
    from hfm_bot.errors import ConfigError

    assert config.load(REPO / "hfm-bot.toml").training == TrainingConfig()
    path = small_config(tmp_path)
    assert config.load(path).training == SMALL_TRAINING
    base = path.read_text(encoding="utf-8")
    path.write_text(base + "background_max = 900\nconjunction_scale = 1\n", encoding="utf-8")
    recipe = config.load(path).training
    assert recipe.background_max == 900 and recipe.conjunction_scale == 1.0
    assert recipe.cold == TrainingConfig().cold  # what the table does not name keeps its value
    for line, message in (
        ("vocabulary = 5.5", "training.vocabulary must be int, not float"),
        ("fold_threads = 0", "training.fold_threads must be above 0"),
        ("relevance_c = true", "training.relevance_c must be float, not bool"),
        ("vocabulary_size = 10", "unknown key training.vocabulary_size"),
        ("cold = 1", r"training.cold must be a table \(\[training.cold\]\)"),
    ):
        path.write_text(base.replace("vocabulary = 5000", line), encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            config.load(path)

    # [training.cold]: the cold start's switches and numbers, the rest as shipped.
    cold = "\n[training.cold]\nnight_share = true\nscope_quantile = 0.25\n"
    path.write_text(base + cold, encoding="utf-8")
    recipe = config.load(path).training
    assert recipe.cold == dataclasses.replace(
        TrainingConfig().cold, night_share=True, scope_quantile=0.25
    )
    assert recipe.vocabulary == SMALL_TRAINING.vocabulary
    for line, message in (
        ("night_share = 1", "training.cold.night_share must be true or false, not 1"),
        ("scope_k = 0", "training.cold.scope_k must be above 0"),
        ("night = true", r"training.cold.night: unknown key \(known: .*night_share"),
    ):
        path.write_text(base + "\n[training.cold]\n" + line + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            config.load(path)


def _dated_rows(texts_and_dates: list[tuple[str, str]]) -> training_data.TrainingData:
    """Background rows with these texts and dates (the vocabulary reads nothing else)."""
    from hfm_bot.labelled import Kind

    rows = tuple(
        training_data.Example(text, None, None, 0.1, "", Kind.BACKGROUND, f"p{i}", date=date)
        for i, (text, date) in enumerate(texts_and_dates)
    )
    return training_data.TrainingData(rows, ())


def test_the_idf_can_be_counted_on_the_recent_rows_alone() -> None:
    """idf_recent_days: the idf is scikit-learn's, counted on the rows dated within that
    many days of the newest (the vocabulary still chosen on every row), and the vectors are
    those the fitted vectorizer gives: the exported model scores as it was trained."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    old = [("segmentation network data", "2025-01-10")] * 2 + [
        ("segmentation net", "2025-01-11")
    ] * 2
    new = [("foundation model data", "2025-06-01")] * 2 + [("foundation model", "2025-06-02")] * 2
    data = _dated_rows(old + new)
    plain, m0 = tfidf_stage.vectorise(data, TrainingConfig(vocabulary=1000))
    cfg = TrainingConfig(vocabulary=1000, idf_recent_days=30)
    vectorizer, m = tfidf_stage.vectorise(data, cfg)
    assert vectorizer.vocabulary_ == plain.vocabulary_
    recent = [t for t, _ in new]
    params = {**features.VECTORIZER_PARAMS, "min_df": 1, "max_df": 1.0}
    expected = TfidfVectorizer(**params, vocabulary=plain.vocabulary_).fit(recent)
    np.testing.assert_allclose(vectorizer.idf_, expected.idf_)
    # "segmentation" is in no recent row: the idf weighs it most; "foundation" less than before
    seg, found = plain.vocabulary_["segmentation"], plain.vocabulary_["foundation"]
    assert vectorizer.idf_[seg] == vectorizer.idf_.max() > plain.idf_[seg]
    assert vectorizer.idf_[found] < vectorizer.idf_[seg]
    texts = [t for t, _ in old + new]
    np.testing.assert_allclose(m.X.toarray(), vectorizer.transform(texts).toarray(), atol=1e-12)
    assert not np.allclose(m.X.toarray(), m0.X.toarray())


def test_recent_rows_count_more_in_the_vocabulary() -> None:
    """vocabulary_recent_days: under the vocabulary's cap, a term of the recent rows
    outranks an older term seen as often once the recent rows count three times; the idf is
    the one of that weighted fit."""
    old = [("alpha", "2025-01-01"), ("beta", "2025-01-02")] * 3
    new = [("omega", "2025-06-01"), ("omega", "2025-06-02")]
    data = _dated_rows(old + new)
    plain, _ = tfidf_stage.vectorise(data, TrainingConfig(vocabulary=2))
    assert set(plain.vocabulary_) == {"alpha", "beta"}
    cfg = TrainingConfig(vocabulary=2, vocabulary_recent_days=30, vocabulary_recent_copies=3)
    vectorizer, m = tfidf_stage.vectorise(data, cfg)
    assert "omega" in vectorizer.vocabulary_
    assert m.X.shape == (len(old) + len(new), 2)  # the copies only weigh, they are no rows
    texts = [t for t, _ in old + new] + [t for t, _ in new] * 2
    refit = features.build_vectorizer(2).fit(texts)
    assert refit.vocabulary_ == vectorizer.vocabulary_
    np.testing.assert_allclose(refit.idf_, vectorizer.idf_)
