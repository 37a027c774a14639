"""How much of a night a cold start proposes (:mod:`hfm_bot.classifier.night_share`): the list's
scope on synthetic embeddings with known answers, the night's threshold, the stored scope, and
the real encoder counting a small night's titles."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from hfm_bot.classifier import model, night_share
from hfm_bot.classifier.encoder import MINILM
from hfm_bot.classifier.head import HEAD_FILE, SecondOpinion
from hfm_bot.classifier.model import ModelError
from hfm_bot.classifier.night_share import (
    ListScope,
    ScopeError,
    leave_one_out_similarity,
    list_scope,
    nearest_similarity,
    night_threshold,
    unit_rows,
)
from hfm_bot.classifier.two_stage import Classifier

DIM = 32
MODEL_DIR = Path(__file__).resolve().parents[1] / "model"


def _cluster(rng: np.random.Generator, centre: np.ndarray, n: int, spread: float) -> np.ndarray:
    """``n`` unit vectors around ``centre``: the larger ``spread``, the looser the cluster."""
    return unit_rows(centre + spread * rng.standard_normal((n, len(centre))))


def _direction(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(DIM)
    out: np.ndarray = v / np.linalg.norm(v)
    return out


def test_nearest_similarity_is_the_mean_of_the_k_closest_entries() -> None:
    """On axis vectors the cosines are known: a query at 60 degrees from e1 and 90 from the
    rest has nearest similarity 0.5 with k=1, (0.5 + 0) / 2 with k=2."""
    entries = np.eye(3)
    query = np.array([[0.5, 0.0, np.sqrt(0.75)]])
    assert nearest_similarity(query, entries, 1)[0] == pytest.approx(np.sqrt(0.75))
    assert nearest_similarity(query, entries, 2)[0] == pytest.approx((np.sqrt(0.75) + 0.5) / 2)
    assert nearest_similarity(query, entries, 10)[0] == pytest.approx((np.sqrt(0.75) + 0.5) / 3)


def test_an_entry_is_never_its_own_neighbour() -> None:
    """Two identical entries and an orthogonal one: the twins' leave-one-out similarity is 1
    (each other), the third's 0 (not 1, itself)."""
    entries = unit_rows(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    np.testing.assert_allclose(leave_one_out_similarity(entries, 1), [1.0, 1.0, 0.0])


def test_a_tight_list_sets_a_higher_bar_than_a_spread_one() -> None:
    rng = np.random.default_rng(1)
    centre = _direction(rng)
    tight = list_scope(_cluster(rng, centre, 150, 0.05), 3, 0.2)
    loose = list_scope(_cluster(rng, centre, 150, 0.3), 3, 0.2)
    assert tight.level > loose.level + 0.2


@pytest.mark.parametrize(("spread", "on_topic"), [(0.05, 8), (0.12, 60)])
def test_the_count_follows_the_night_for_narrow_and_broad_lists(
    spread: float, on_topic: int
) -> None:
    """A night of 900 papers: ``on_topic`` drawn as the list's entries are, the rest from a
    neighbouring topic (a direction at cosine 0.6 from the list's, the way LLM-efficiency
    papers sit beside a mixture-of-experts list) and from elsewhere. The count is the papers
    on the topic that reach the bar (most, as most entries do) and almost none of the
    others, whatever the list's width; a fixed 5% (45 papers) would be far off both."""
    rng = np.random.default_rng(7)
    centre = _direction(rng)
    other = _direction(rng)
    other = unit_rows((other - (other @ centre) * centre)[None, :])[0]
    beside = 0.6 * centre + 0.8 * other
    scope = list_scope(_cluster(rng, centre, 160, spread), 3, 0.2)
    night = np.vstack(
        [
            _cluster(rng, centre, on_topic, spread),
            _cluster(rng, beside, 300, spread),
            unit_rows(rng.standard_normal((600 - on_topic, DIM))),
        ]
    )
    flags = scope.in_scope(night)
    assert 0.6 * on_topic <= flags[:on_topic].sum() <= on_topic
    assert flags[on_topic:].sum() <= max(2, 0.05 * on_topic)


def test_a_list_of_one_entry_counts_only_its_near_copies() -> None:
    scope = list_scope(np.array([[1.0, 0.0]]), 3, 0.2)
    assert scope.level == 1.0
    assert scope.in_scope(np.array([[2.0, 0.0], [1.0, 0.1]])).tolist() == [True, False]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="quantile"):
        list_scope(np.eye(3), 3, 1.5)
    with pytest.raises(ValueError, match="k must"):
        list_scope(np.eye(3), 0, 0.2)


def test_the_night_threshold_proposes_the_count_best() -> None:
    scores = np.array([0.3, 0.9, 0.7, 0.8, 0.1])
    assert night_threshold(scores, 2) == 0.8
    assert (scores >= night_threshold(scores, 3)).sum() == 3
    assert (scores >= night_threshold(scores, 0)).sum() == 0
    assert night_threshold(scores, 99) == 0.1
    assert night_threshold(np.array([]), 3) == 1.0


def test_a_scope_saves_and_loads_and_an_edited_file_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    scope = list_scope(rng.standard_normal((20, DIM)), 3, 0.2)
    sha = scope.save(tmp_path)
    loaded = ListScope.load(tmp_path, sha)
    assert (loaded.k, loaded.quantile) == (3, 0.2)
    assert loaded.level == pytest.approx(scope.level)
    np.testing.assert_allclose(loaded.entries, scope.entries, atol=1e-6)
    path = tmp_path / night_share.SCOPE_FILE
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(ScopeError, match="edited, damaged"):
        ListScope.load(tmp_path, sha)
    path.unlink()
    with pytest.raises(ScopeError, match="missing"):
        ListScope.load(tmp_path, sha)


def _head(scope: ListScope | None) -> SecondOpinion:
    """A head as a cold start stores it; only its scope matters here."""
    return SecondOpinion(
        MINILM, np.zeros(384), 0.0, 1 / 3, 0.0, 1.0, 0.0, 1.0, floor=0.1, threshold=0.6,
        scope=scope,
    )  # fmt: skip


def test_an_encoder_head_keeps_its_scope_and_a_head_without_one_loads_as_before(
    tmp_path: Path,
) -> None:
    """The scope file's checksum is in the head's header: a head saved without a scope has no
    such key (heads trained before the scope load unchanged), one with a scope gets it back,
    and a swapped scope file makes the model refuse to load."""

    rng = np.random.default_rng(5)
    scope = list_scope(rng.standard_normal((12, 384)), 3, 0.2)
    plain, scoped = tmp_path / "plain", tmp_path / "scoped"
    plain.mkdir()
    scoped.mkdir()
    _head(None).save(plain)
    _head(scope).save(scoped)
    assert "list_scope_sha256" not in json.loads((plain / HEAD_FILE).read_text())
    assert not (plain / night_share.SCOPE_FILE).exists()
    loaded = SecondOpinion.load(plain)
    assert loaded is not None and loaded.scope is None
    back = SecondOpinion.load(scoped)
    assert back is not None and back.scope is not None
    assert back.scope.level == pytest.approx(scope.level)
    dataclasses.replace(scope, level=0.0).save(scoped)
    with pytest.raises(ModelError, match=r"list_scope\.npz: edited"):
        SecondOpinion.load(scoped)


def test_the_classifier_counts_tonights_titles_in_the_lists_scope() -> None:
    """With the real encoder: a list of mixture-of-experts titles, a night of three such
    papers among seven on other topics. The scope counts the three, so the threshold
    proposes the three best by score (here two of them and a robotics paper the model
    scores above the third: the count says how many, the score which); without a scope the
    stored threshold stands. (On a list this short the bar is low: a title on KV-cache
    compression for LLM inference reaches it, 0.485 against 0.446.)"""
    from hfm_bot.classifier.encoder import Encoder, encoder_text
    from hfm_bot.paper import Origin, Paper
    from hfm_bot.prediction import Prediction

    listed = [
        "Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer",
        "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient "
        "Sparsity",
        "GShard: Scaling Giant Models with Conditional Computation and Automatic Sharding",
        "Mixtral of Experts",
        "DeepSeekMoE: Towards Ultimate Expert Specialization in Mixture-of-Experts Language Models",
        "ST-MoE: Designing Stable and Transferable Sparse Expert Models",
        "Expert Choice Routing for Mixture-of-Experts",
        "MoE-LLaVA: Mixture of Experts for Large Vision-Language Models",
        "Scaling Laws for Fine-Grained Mixture of Experts",
        "Sparse Upcycling: Training Mixture-of-Experts from Dense Checkpoints",
        "A Survey on Mixture of Experts in Large Language Models",
        "MoE-Infinity: Efficient MoE Inference on Personal Machines with Sparsity-Aware "
        "Expert Cache",
    ]
    night_titles = [
        ("Load-Balanced Expert Routing for Sparse Mixture-of-Experts Language Models", 0.9),
        ("Upcycling Dense LLMs into Fine-Grained Mixture of Experts", 0.6),
        ("Expert Offloading for Fast MoE Inference on Consumer GPUs", 0.4),
        ("Contrastive Pretraining for Robot Grasping", 0.7),
        ("Low-Rank Adaptation with Structured Pruning for Efficient Fine-Tuning", 0.3),
        ("A Benchmark for Protein Structure Prediction", 0.1),
        ("Graph Neural Networks for Traffic Forecasting", 0.15),
        ("Robust Visual Odometry in Low Light", 0.05),
        ("Diffusion Models for Audio Super-Resolution", 0.12),
        ("Federated Learning with Differential Privacy for Hospitals", 0.11),
    ]
    encoder = Encoder.load(MINILM)
    texts = [encoder_text(t, "") for t in listed]
    scope = list_scope(encoder.encode(texts), 3, 0.2)
    head = _head(scope)
    scored = [
        (
            Paper(f"2601.{i:05d}", Origin.REPLAY, title),
            Prediction(f"2601.{i:05d}", score, False, "papers", (), ()),
        )
        for i, (title, score) in enumerate(night_titles)
    ]
    tfidf = model.load(MODEL_DIR)
    classifier = Classifier(tfidf, head, encoder)
    threshold, count = classifier.night_threshold(scored, 0.5)
    assert count == 3
    assert threshold == 0.6
    assert [p.title for p, pred in scored if pred.score >= threshold] == [
        night_titles[0][0], night_titles[1][0], night_titles[3][0],
    ]  # fmt: skip
    plain = Classifier(tfidf, dataclasses.replace(head, scope=None), encoder)
    assert plain.night_threshold(scored, 0.5) == (0.5, None)


def _beside(rng: np.random.Generator, centre: np.ndarray, cosine: float) -> np.ndarray:
    """A unit direction at ``cosine`` from ``centre``."""
    other = _direction(rng)
    other = unit_rows((other - (other @ centre) * centre)[None, :])[0]
    out: np.ndarray = cosine * centre + np.sqrt(1 - cosine**2) * other
    return out


def test_contrast_similarity_is_closeness_to_the_list_minus_to_the_background() -> None:
    """Axis vectors with known cosines: the query is at cosine 0.8 from the one entry and 0.6
    from the one background title, so d = 0.8 - 0.6."""
    entries = np.array([[1.0, 0.0, 0.0]])
    background = np.array([[0.0, 1.0, 0.0]])
    query = np.array([[0.8, 0.6, 0.0]])
    got = night_share.contrast_similarity(query, entries, background, 1, 1)
    assert got[0] == pytest.approx(0.2)


def test_the_contrast_rule_leaves_out_the_generic_papers_the_plain_rule_counts() -> None:
    """The narrow-list case (moe-llm): the entries sit in a tight corner of a broad field
    (generic papers at cosine 0.75 from them, as generic LLM papers are to "<X> for LLMs"),
    and the background is mostly that field. A night of 20 papers on the list's topic and
    300 generic ones: the plain rule counts many generic papers, the contrast rule counts
    the topic's papers and almost none of the generic ones."""
    rng = np.random.default_rng(11)
    centre = _direction(rng)
    field = _beside(rng, centre, 0.75)
    entries = _cluster(rng, centre, 120, 0.13)
    background = np.vstack([_cluster(rng, field, 1800, 0.13), _cluster(rng, centre, 10, 0.13)])
    night = np.vstack([_cluster(rng, centre, 20, 0.13), _cluster(rng, field, 300, 0.13)])
    plain = list_scope(entries, 3, 0.2)
    contrast = night_share.contrast_scope(entries, background, 3, 10, 0.2)
    assert contrast.background is not None
    plain_flags, flags = plain.in_scope(night), contrast.in_scope(night)
    assert flags[:20].sum() >= 12
    assert flags[20:].sum() <= 5
    assert plain_flags[20:].sum() > 5 * max(1, flags[20:].sum())


def test_the_contrast_bar_drops_background_copies_of_the_entries() -> None:
    """A background holding the list's own papers (under other ids) would make every entry
    look generic; near-copies are left out of the contrast set."""
    rng = np.random.default_rng(2)
    entries = unit_rows(rng.standard_normal((30, DIM)))
    background = np.vstack([entries[:10], unit_rows(rng.standard_normal((200, DIM)))])
    scope = night_share.contrast_scope(entries, background, 3, 5, 0.2)
    assert scope.background is not None
    assert len(scope.background) == 200


def test_the_contrast_scope_without_background_is_the_plain_scope() -> None:
    rng = np.random.default_rng(4)
    entries = rng.standard_normal((20, DIM))
    scope = night_share.contrast_scope(entries, np.zeros((0, DIM)), 3, 10, 0.2)
    assert scope.background is None
    assert scope.level == pytest.approx(list_scope(entries, 3, 0.2).level)
    with pytest.raises(ValueError, match="background_k"):
        night_share.contrast_scope(entries, entries, 3, 0, 0.2)


def test_a_contrast_scope_saves_its_background_and_both_bars(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    entries, background = rng.standard_normal((20, DIM)), rng.standard_normal((50, DIM))
    scope = night_share.contrast_scope(entries, background, 3, 7, 0.2, 0.3)
    loaded = ListScope.load(tmp_path, scope.save(tmp_path))
    assert loaded.background is not None and scope.background is not None
    np.testing.assert_allclose(loaded.background, scope.background, atol=1e-6)
    assert loaded.background_k == 7
    assert scope.list_level is not None and loaded.list_level == pytest.approx(scope.list_level)
    night = rng.standard_normal((9, DIM))
    np.testing.assert_allclose(loaded.similarity(night), scope.similarity(night), atol=1e-5)


def test_the_pr_cap_follows_the_nightly_flux_within_its_bounds() -> None:
    assert night_share.pr_cap(10.0, (30, 100)) == 30
    assert night_share.pr_cap(40.0, (30, 100)) == 80
    assert night_share.pr_cap(20.0, (30, 100), margin=1.5) == 30
    assert night_share.pr_cap(40.1, (30, 100), margin=1.0) == 41
    assert night_share.pr_cap(500.0, (30, 100)) == 100
    with pytest.raises(ValueError, match="bounds"):
        night_share.pr_cap(10.0, (50, 30))
    with pytest.raises(ValueError, match="non-negative"):
        night_share.pr_cap(float("nan"), (30, 100))


def test_both_views_count_only_titles_past_both_bars() -> None:
    """With ``list_quantile`` the contrast scope also keeps the plain bar: a title counts
    only if it is close to the list (the plain rule) and stands out from the background (the
    contrast), so the count is at most either rule's."""
    rng = np.random.default_rng(11)
    centre = _direction(rng)
    field = _beside(rng, centre, 0.75)
    entries = _cluster(rng, centre, 120, 0.13)
    background = _cluster(rng, field, 1000, 0.13)
    night = np.vstack(
        [
            _cluster(rng, centre, 20, 0.13),
            _cluster(rng, field, 300, 0.13),
            _cluster(rng, centre, 30, 0.4),
        ]
    )
    plain = list_scope(entries, 3, 0.2)
    contrast = night_share.contrast_scope(entries, background, 3, 10, 0.2)
    both = night_share.contrast_scope(entries, background, 3, 10, 0.2, list_quantile=0.2)
    assert both.list_level == pytest.approx(plain.level)
    assert contrast.list_level is None
    flags = both.in_scope(night)
    np.testing.assert_array_equal(flags, plain.in_scope(night) & contrast.in_scope(night))
    assert flags[:20].sum() >= 12
    assert flags.sum() < min(plain.in_scope(night).sum(), contrast.in_scope(night).sum())


def test_the_recipe_refuses_a_bar_outside_zero_and_one() -> None:
    from hfm_bot.classifier.recipe import ColdStart

    with pytest.raises(ValueError, match="contrast_quantile must be between 0 and 1"):
        ColdStart(contrast_quantile=1.5)
    with pytest.raises(ValueError, match="cap_min"):
        ColdStart(cap_min=50, cap_max=40)
