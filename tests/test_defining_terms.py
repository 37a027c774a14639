"""The list's defining words (:mod:`hfm_bot.classifier.defining_terms`): what the learner finds
on toy lists with known answers, the gate on a night's papers, the stored file, the
configuration key, the model card's and init's lines."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from hfm_bot import adopt, config
from hfm_bot.classifier import defining_terms, model, night_share
from hfm_bot.classifier.card import _about_line
from hfm_bot.classifier.defining_terms import (
    TERMS_FILE,
    DefiningTerms,
    TermsError,
    fold,
    learn,
    term_of,
    tokens,
)
from hfm_bot.classifier.encoder import MINILM
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.head import SecondOpinion
from hfm_bot.classifier.model import ModelError
from hfm_bot.classifier.night_share import ListScope, ScopeError, list_scope
from hfm_bot.classifier.two_stage import STAGE_GATED, Classifier
from hfm_bot.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
MODEL_DIR = REPO / "model"

MOE_LIST = [
    "Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer",
    "Mixtral of Experts",
    "DeepSeekMoE: Towards Ultimate Expert Specialization in Mixture-of-Experts Models",
    "ST-MoE: Designing Stable and Transferable Sparse Expert Models",
    "Expert Choice Routing for Mixture-of-Experts",
    "MoE-LLaVA: Mixture of Experts for Large Vision-Language Models",
    "Scaling Laws for Fine-Grained Mixture of Experts",
    "Sparse Upcycling: Training Mixture-of-Experts from Dense Checkpoints",
    "A Survey on Mixture of Experts in Large Language Models",
    "MoE-Infinity: Efficient MoE Inference on Personal Machines",
    "Routing Experts for Large Language Models",
    "Multi-Head Mixture-of-Experts",
]
GENERIC = [
    "Low-Rank Adaptation for Efficient Fine-Tuning of Large Language Models",
    "Structured Pruning of Large Language Models",
    "KV Cache Compression for Long-Context Language Models",
    "Quantization of Large Language Models to 4 Bits",
    "Instruction Tuning with Synthetic Data for Language Models",
    "Scaling Laws for Dense Language Models",
    "Speculative Decoding for Fast Inference of Large Language Models",
    "A Survey on Efficient Training of Language Models",
    "Graph Neural Networks for Traffic Forecasting",
    "Diffusion Models for Audio Super-Resolution",
]


def _background(n: int = 200) -> list[str]:
    """A night-like background: generic LLM and other ML papers, and one paper in fifty on
    the list's topic (any background holds a few)."""
    out = [GENERIC[i % len(GENERIC)] + f" ({i})" for i in range(n)]
    for i in range(0, n, 50):
        out[i] = "A Mixture of Experts for Language Models"
    return out


def test_a_narrow_list_gets_its_defining_words() -> None:
    """Every entry holds "mixture", "expert(s)" or "moe"; the generic LLM background almost
    never does: the cover is those words, covering the whole list and 2% of the background."""
    terms = learn(MOE_LIST, _background(), coverage=0.95, max_background=0.15, max_terms=8)
    assert terms is not None
    assert set(terms.terms) <= {"mixture", "expert", "moe"} and "expert" in terms.terms
    assert terms.coverage == 1.0
    assert terms.background == pytest.approx(0.02)
    assert terms.admits(paper_text("Load Balancing Experts", "we route tokens"))
    assert not terms.admits(paper_text(GENERIC[0], "we adapt a large language model"))


def test_a_broad_list_gets_no_gate() -> None:
    """A list of generic LLM papers: its common words ("language", "model") are in most of
    the background, so no small set covers it while leaving the background out."""
    assert learn(GENERIC[:8], _background(), coverage=0.9, max_background=0.15, max_terms=8) is None


def test_entries_that_share_no_word_get_no_gate() -> None:
    """Each entry its own words: no word is held by two entries, so nothing covers the list."""
    entries = ["Alpha beta gamma", "Delta epsilon zeta", "Eta theta iota", "Kappa lambda mu"]
    assert learn(entries, _background(), coverage=0.5, max_background=0.5, max_terms=8) is None
    assert learn([], _background(), coverage=0.5, max_background=0.5, max_terms=8) is None
    assert learn(entries, [], coverage=0.5, max_background=0.5, max_terms=8) is None


def test_plurals_are_folded_and_words_that_only_look_plural_are_kept() -> None:
    assert [fold(w) for w in ("experts", "mixtures", "modalities", "moes")] == [
        "expert", "mixture", "modality", "moe",
    ]  # fmt: skip
    assert [fold(w) for w in ("class", "corpus", "analysis", "various", "gas", "series")] == [
        "class", "corpus", "analysis", "various", "gas", "series",
    ]  # fmt: skip
    # A time-series list's term reads "time series" where init prints it, not "time sery".
    assert DefiningTerms(("time series",), 1.0, 0.0).admits("Forecasting a Time Series")
    assert fold("sery") == "series"  # as a terms file of an earlier version stored it
    assert tokens("MoE-LLaVA: Sparse Experts!") == {"moe", "llava", "sparse", "expert"}
    # A list that writes "Experts" admits a paper that writes "expert", and the reverse.
    learnt = DefiningTerms(("expert",), 1.0, 0.0)
    assert learnt.admits("a single expert layer") and learnt.admits("EXPERTS everywhere")
    assert not learnt.admits("expertise")  # a whole word, not a prefix


def _cold_head(terms: DefiningTerms, seed: int) -> SecondOpinion:
    """A cold start's head whose scope carries ``terms`` (its embedding parts random: the
    gate reads words, not vectors)."""
    rng = np.random.default_rng(seed)
    scope = dataclasses.replace(list_scope(rng.standard_normal((6, 384)), 3, 0.2), terms=terms)
    return SecondOpinion(
        MINILM, np.zeros(384), 0.0, 1 / 3, 0.0, 1.0, 0.0, 1.0, floor=0.1, threshold=0.6,
        scope=scope,
    )  # fmt: skip


def test_the_gate_keeps_papers_without_the_words_out_of_a_night() -> None:
    """The shipped TF-IDF model with a cold start's head whose scope has the words: a paper
    holding none of them scores 0 (under any near-miss floor, so the night share never sees
    it), labelled with the gate; the others keep their scores. The gate holds without the
    encoder (it reads words) and through a threshold override."""
    tfidf = model.load(MODEL_DIR)
    head = _cold_head(DefiningTerms(("mixture", "expert", "moe"), 1.0, 0.02), seed=1)
    ids = ["2601.00001", "2601.00002"]
    texts = [
        paper_text("Sparse Mixture of Experts for Medical Imaging", "experts route tokens"),
        paper_text("Foundation Models for Medical Imaging", "a medical foundation model"),
    ]
    plain = Classifier(tfidf).predict_texts(ids, texts, texts)
    for gated_model in (
        Classifier(tfidf, head, None),
        Classifier(tfidf, head, None).with_threshold(0.5),
    ):
        moe, other = gated_model.predict_texts(ids, texts, texts)
        assert moe.score == pytest.approx(plain[0].score)
        assert other.score == 0.0 and not other.propose and other.stage == STAGE_GATED
        assert other.tfidf_score == pytest.approx(plain[1].score)  # the model's own opinion shown
    # Without a gate (no scope, or a scope without words) nothing changes.
    assert head.scope is not None
    for ungated in (
        dataclasses.replace(head, scope=None),
        dataclasses.replace(head, scope=dataclasses.replace(head.scope, terms=None)),
    ):
        assert [
            p.score for p in Classifier(tfidf, ungated, None).predict_texts(ids, texts, texts)
        ] == [pytest.approx(p.score) for p in plain]


def test_classify_scores_a_file_as_the_nightly_does_gate_included(tmp_path: Path) -> None:
    """``hfm-bot classify`` (the batch path, in worker processes) applies the defining words as
    the nightly's :meth:`Classifier.predict_texts` does: before, it scored a gated paper by
    the model alone, so its file said "propose" where the night would not."""
    import io

    from hfm_bot.classifier import batch

    tfidf = model.load(MODEL_DIR)
    head = _cold_head(DefiningTerms(("mixture", "expert", "moe"), 1.0, 0.02), seed=1)
    gated_model = Classifier(tfidf, head, None)
    rows = [
        ("2601.00001", "Sparse Mixture of Experts for Medical Imaging", "experts route tokens"),
        ("2601.00002", "Foundation Models for Medical Imaging", "a medical foundation model"),
        ("2601.00003", "A MoE Pathology Model", "a foundation model for slides"),
    ]
    source = tmp_path / "papers.jsonl"
    source.write_text(
        "".join(json.dumps({"id": i, "title": t, "abstract": a}) + "\n" for i, t, a in rows)
    )
    nightly = gated_model.predict_texts(
        [i for i, _, _ in rows], [paper_text(t, a) for _, t, a in rows], ["", "", ""]
    )
    for workers in (1, 2):
        out = io.StringIO()
        stats = batch.classify_file(gated_model, source, out, workers=workers)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [r["score"] for r in records] == [pytest.approx(p.score, abs=1e-6) for p in nightly]
        assert [r["stage"] for r in records][1] == STAGE_GATED
        assert records[1]["score"] == 0.0 and not records[1]["propose"]
        assert stats.proposed == sum(p.propose for p in nightly)
    # Without words, the file is scored by the model alone, as before.
    out = io.StringIO()
    batch.classify_file(Classifier(tfidf), source, out, workers=1)
    assert STAGE_GATED not in out.getvalue()


def test_the_terms_file_round_trips_and_a_damaged_one_is_refused(tmp_path: Path) -> None:
    terms = DefiningTerms(("mixture", "expert", "moe"), 0.93, 0.04)
    sha = terms.save(tmp_path)
    assert DefiningTerms.load(tmp_path, sha) == terms
    path = tmp_path / TERMS_FILE
    record = json.loads(path.read_text())
    assert record["terms"] == ["mixture", "expert", "moe"]  # plain JSON a person can read
    path.write_text(path.read_text().replace("moe", "llm"))
    with pytest.raises(TermsError, match="edited, damaged"):
        DefiningTerms.load(tmp_path, sha)
    # A file whose checksum matches but whose content is no gate is refused too.
    for bad in ({**record, "terms": []}, {**record, "terms": ["two words"]}, [1, 2]):
        text = json.dumps(bad)
        path.write_text(text)
        with pytest.raises(TermsError, match="damaged"):
            DefiningTerms.load(tmp_path, hashlib.sha256(text.encode()).hexdigest())
    path.unlink()
    with pytest.raises(TermsError, match="missing"):
        DefiningTerms.load(tmp_path, sha)


def test_a_scope_stores_its_words_and_the_model_refuses_a_swapped_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    terms = DefiningTerms(("mixture", "expert"), 0.9, 0.05)
    scope = dataclasses.replace(list_scope(rng.standard_normal((8, 384)), 3, 0.2), terms=terms)
    sha = scope.save(tmp_path)
    assert ListScope.load(tmp_path, sha).terms == terms
    head = SecondOpinion(
        MINILM, np.zeros(384), 0.0, 1 / 3, 0.0, 1.0, 0.0, 1.0, floor=0.1, threshold=0.6,
        scope=scope,
    )  # fmt: skip
    head.save(tmp_path)
    loaded = SecondOpinion.load(tmp_path)
    assert loaded is not None and loaded.scope is not None and loaded.scope.terms == terms
    DefiningTerms(("llm",), 0.9, 0.05).save(tmp_path)  # another model's words
    with pytest.raises(ScopeError, match=r"defining_terms\.json: edited"):
        ListScope.load(tmp_path, sha)
    with pytest.raises(ModelError, match=r"defining_terms\.json: edited"):
        SecondOpinion.load(tmp_path)
    # A scope without words writes no file and loads as before.
    plain = tmp_path / "plain"
    plain.mkdir()
    plain_sha = dataclasses.replace(scope, terms=None).save(plain)
    assert not (plain / TERMS_FILE).exists()
    assert ListScope.load(plain, plain_sha).terms is None


def test_the_card_and_init_say_what_the_list_is_about(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    terms = DefiningTerms(("mixture", "expert", "moe"), 0.93, 0.04)
    scope = list_scope(rng.standard_normal((8, 384)), 3, 0.2)
    head = SecondOpinion(
        MINILM, np.zeros(384), 0.0, 1 / 3, 0.0, 1.0, 0.0, 1.0, floor=0.1, threshold=0.6,
        scope=dataclasses.replace(scope, terms=terms),
    )  # fmt: skip
    line = _about_line(head)
    assert (
        'What this list is about: "mixture", "expert", "moe" (in 93% of the list\'s entries '
        "and 4% of the background)" in line
    )
    assert "defining_terms" in line
    assert _about_line(dataclasses.replace(head, scope=scope)) == ""
    head.save(tmp_path)
    said = adopt.defining_words(tmp_path)
    assert said is not None and said.startswith('what this list is about: "mixture", "expert"')
    assert "defining_terms = [...]" in said
    dataclasses.replace(head, scope=scope).save(tmp_path)
    broad = adopt.defining_words(tmp_path)
    assert broad is not None and "a broad list" in broad
    assert adopt.defining_words(tmp_path / "nothing-here") is None  # no head: no words learnt


def test_the_configuration_key_sets_the_words_and_bad_values_name_the_field(
    tmp_path: Path,
) -> None:
    base = (REPO / "hfm-bot.toml").read_text(encoding="utf-8")
    path = tmp_path / "hfm-bot.toml"
    path.write_text(
        base + '\n[training.cold]\ndefining_terms = ["Experts", "MoE", "experts"]\n'
        "terms_coverage = 0.9\nterms_max = 5\n",
        encoding="utf-8",
    )
    cold = config.load(path).training.cold
    assert cold.defining_terms == ("expert", "moe")
    assert (cold.terms_coverage, cold.terms_max) == (0.9, 5)
    assert defining_terms.configured(cold.defining_terms).describe().startswith('"expert", "moe"')
    # A phrase, written as a person writes it, is stored folded without its stop words; the
    # ways a list writes it are one term.
    path.write_text(
        base + '\n[training.cold]\ndefining_terms = ["Mixture of Experts", "MoE", '
        '"mixture-of-experts"]\nterms_phrases = false\nterms_lift = 2.5\nterms_least = 0.7\n',
        encoding="utf-8",
    )
    cold = config.load(path).training.cold
    assert cold.defining_terms == ("mixture expert", "moe")
    assert (cold.terms_phrases, cold.terms_lift, cold.terms_least) == (False, 2.5, 0.7)
    said = defining_terms.configured(cold.defining_terms).describe()
    assert said.startswith('"mixture expert", "moe" (a phrase where its two words stand side')
    path.write_text(base + "\n[training.cold]\ndefining_terms = []\n", encoding="utf-8")
    assert config.load(path).training.cold.defining_terms == ()  # no gate
    for line, message in (
        ('defining_terms = "moe"', r"training\.cold\.defining_terms must be a list of words"),
        ("defining_terms = [1]", r"training\.cold\.defining_terms must be a list of words"),
        (
            'defining_terms = ["large language model"]',
            r"training\.cold\.defining_terms: 'large language model' is not a word or a two-word",
        ),
        (
            'defining_terms = ["of the"]',
            r"training\.cold\.defining_terms: 'of the' is not a word or a two-word phrase",
        ),
        (
            'defining_terms = ["mixture: experts"]',
            r"training\.cold\.defining_terms: 'mixture: experts' is not a word or a two-word",
        ),
        ("terms_least = 1.5", r"training\.cold: terms_least must be above 0 and at most 1"),
        ("terms_lift = -1", r"training\.cold\.terms_lift must be above 0"),
        ("terms_phrases = 1", r"training\.cold\.terms_phrases must be true or false"),
        ("terms_coverage = 1.5", r"training\.cold: terms_coverage must be above 0 and at most 1"),
        ("terms_background = 0", r"training\.cold\.terms_background must be above 0"),
        ("terms_max = 0", r"training\.cold\.terms_max must be above 0"),
        ("terms_gate = 1", r"training\.cold\.terms_gate must be true or false"),
    ):
        path.write_text(base + "\n[training.cold]\n" + line + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            config.load(path)
    assert term_of("Experts") == "expert"
    with pytest.raises(TermsError):
        defining_terms.configured([])
    assert night_share.SCOPE_FILE != TERMS_FILE


def test_a_night_neither_counts_nor_proposes_papers_without_the_words() -> None:
    """With the real encoder, as the nightly does it: the night's papers are scored, the
    candidates (at the near-miss floor) go to the night share. With the list's bar at 0.5
    (the real mixture-of-experts list's was 0.545), generic LLM-efficiency titles sit as
    close to the list as its entries do (the overshoot the gate is for): without the words
    the scope counts them and the night proposes that many; with the words they score 0,
    fall under the floor, and are neither counted nor proposed."""
    from hfm_bot.classifier.encoder import Encoder, encoder_text
    from hfm_bot.paper import Origin, Paper
    from hfm_bot.proposing import NEAR_MISS_FLOOR

    encoder = Encoder.load(MINILM)
    scope = list_scope(encoder.encode([encoder_text(t, "") for t in MOE_LIST]), 3, 0.2)
    scope = dataclasses.replace(scope, level=0.5)
    terms = learn(MOE_LIST, _background(), coverage=0.95, max_background=0.15, max_terms=8)
    assert terms is not None
    night = [
        "Load-Balanced Expert Routing for Sparse Mixture-of-Experts Language Models",
        "Upcycling Dense LLMs into Fine-Grained Mixture of Experts",
        "Efficient KV Cache Compression for Large Language Model Inference",
        "Sparse Attention for Efficient Large Language Models",
        "Contrastive Pretraining for Robot Grasping",
    ]
    generic = set(night[2:4])
    in_scope = scope.in_scope(encoder.encode([encoder_text(t, "") for t in night]))
    assert list(in_scope) == [True, True, True, True, False]  # the overshoot, measured
    papers = [Paper(f"2601.{i:05d}", Origin.REPLAY, t, "") for i, t in enumerate(night)]
    tfidf = model.load(MODEL_DIR).with_threshold(0.0001)

    def night_of(with_terms: DefiningTerms | None) -> tuple[int | None, list[str]]:
        head = SecondOpinion(
            MINILM, np.zeros(384), 0.0, 1 / 3, 0.0, 1.0, 0.0, 1.0, floor=0.0, threshold=0.0001,
            scope=dataclasses.replace(scope, terms=with_terms),
        )  # fmt: skip
        classifier = Classifier(tfidf, head, encoder)
        stored = classifier.threshold
        scored = [
            (paper, pred)
            for paper, pred in zip(papers, classifier.predict(papers), strict=True)
            if pred.score >= stored * NEAR_MISS_FLOOR
        ]
        threshold, count = classifier.night_threshold(scored, stored)
        return count, [p.title for p, pred in scored if pred.score >= threshold]

    count, proposed = night_of(None)
    assert count == 4 and len(proposed) == 4
    gated_count, gated_proposed = night_of(terms)
    assert gated_count == 2 and len(gated_proposed) == 2
    assert not generic & set(gated_proposed)


def test_training_learns_the_words_unless_the_configuration_names_or_refuses_them() -> None:
    """The cold start's choice (``encoder_stage._defining_terms``): learnt from the list's
    rows against the background rows by default, the maintainer's words when
    ``defining_terms`` is set, none for ``defining_terms = []`` or ``terms_gate = false``."""
    from hfm_bot.classifier import encoder_stage
    from hfm_bot.classifier.recipe import ColdStart
    from hfm_bot.classifier.training_data import Example, TrainingData
    from hfm_bot.labelled import Kind

    def row(text: str, kind: Kind) -> Example:
        return Example(
            paper_text(text, ""), True if kind == Kind.LIST else None, None, 1.0, "", kind
        )

    listed = [row(t, Kind.LIST) for t in MOE_LIST]
    background = [row(t, Kind.BACKGROUND) for t in _background()]
    data = TrainingData(tuple(listed + background), ())
    seen = encoder_stage._Unjudged(
        background, [], [], np.zeros(0), np.zeros((0, 384), dtype=np.float32),
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
    )  # fmt: skip
    cold = dataclasses.replace(ColdStart(), terms_coverage=0.95)
    learnt = encoder_stage._defining_terms(data, seen, cold)
    assert learnt is not None and "expert" in learnt.terms and not learnt.configured
    named = encoder_stage._defining_terms(
        data, seen, dataclasses.replace(cold, defining_terms=("routing", "expert"))
    )
    assert named == DefiningTerms(("routing", "expert"), 0.0, 0.0, configured=True)
    assert (
        encoder_stage._defining_terms(data, seen, dataclasses.replace(cold, defining_terms=()))
        is None
    )
    assert (
        encoder_stage._defining_terms(data, seen, dataclasses.replace(cold, terms_gate=False))
        is None
    )


DATA_MIXTURE = [
    "Data Mixture Optimisation for Language Model Pretraining",
    "Gaussian Mixture Priors for Image Generation",
    "Expert Annotators Disagree: Label Noise in Medical Imaging",
    "Learning from Expert Demonstrations for Robot Control",
]


def _noisy_background(n: int = 200) -> list[str]:
    """A background where the list's words are common alone ("mixture" of data, "expert"
    annotators) and the phrase is rare (one paper in fifty)."""
    out = [DATA_MIXTURE[i % len(DATA_MIXTURE)] + f" ({i})" for i in range(n)]
    for i in range(0, n, 50):
        out[i] = "A Mixture of Experts for Language Models"
    return out


def test_phrases_are_read_where_the_words_stand_side_by_side() -> None:
    assert defining_terms.grams("Sparse Mixture-of-Experts Models") == {
        "sparse", "mixture", "of", "expert", "model",
        "sparse mixture", "mixture expert", "expert model",
    }  # fmt: skip
    # Not across a clause, nor without phrases.
    assert "moe scaling" not in defining_terms.grams("MoE: Scaling Up")
    assert defining_terms.grams("Mixture of Experts", phrases=False) == {"mixture", "of", "expert"}
    gate = DefiningTerms(("mixture expert",), 1.0, 0.0)
    assert gate.admits("we train a mixture of experts")
    assert gate.admits(paper_text("Mixtures-of-Experts at Scale", ""))
    assert not gate.admits("a data mixture chosen by experts")
    assert not gate.admits("experts of a mixture")  # the other order is another phrase


def test_a_narrow_list_learns_its_phrase_where_its_words_alone_are_common() -> None:
    """The background holds "mixture" (data mixtures) and "expert" (expert annotators) in
    half its papers each, the phrase in 2%: words alone cannot make a gate under 15% of the
    background, the phrase does."""
    entries = [
        "Mixture of Experts for Large Language Models",
        "Sparse Mixture-of-Experts Layers",
        "Scaling Mixture of Experts to a Trillion Parameters",
        "Routing in Mixtures of Experts",
        "Fine-Grained Mixture of Experts",
        "Mixture of Experts Inference on One GPU",
    ]
    background = _noisy_background()
    words = learn(
        entries, background, coverage=0.95, max_background=0.15, max_terms=8, phrases=False
    )
    assert words is None
    terms = learn(entries, background, coverage=0.95, max_background=0.15, max_terms=8)
    assert terms is not None and terms.terms == ("mixture expert",)
    assert terms.coverage == 1.0 and terms.background == pytest.approx(0.02)


def test_support_keeps_a_rare_word_out() -> None:
    """Two of forty entries hold a word no background paper holds ("cloudmatrix"): at a
    support of 1% it is taken to reach the coverage, at 10% it is not a candidate, and the
    list's common word alone makes the gate (the coverage goal met by the supported words
    with a least coverage under it)."""
    entries = [f"Mixture of Experts, part {i}" for i in range(36)] + [
        "CloudMatrix Serving at Scale",
        "CloudMatrix Training Report",
        "Something Else Entirely",
        "Another Unrelated Title",
    ]
    background = _background()
    rare = learn(entries, background, coverage=0.95, max_background=0.15, max_terms=8)
    assert rare is not None and "cloudmatrix" in rare.terms
    kept_out = functools.partial(
        learn, entries, background, coverage=0.95, max_background=0.15, max_terms=8,
        min_support=0.1,
    )  # fmt: skip
    assert kept_out() is None  # 90% < 95%: no gate
    supported = kept_out(least_coverage=0.85)
    assert supported is not None and "cloudmatrix" not in supported.terms
    assert supported.coverage == pytest.approx(0.9)


def test_the_cover_stops_at_a_weak_term() -> None:
    """A term that adds few entries for nearly all the background ("language model": 2
    entries more, 98% of the background) is taken without a least lift to reach the
    coverage; with one the cover stops before it."""
    entries = [f"Mixture of Experts {i}" for i in range(9)]
    entries += ["Language Model One", "Language Model Two"]
    background = [f"Language Model {i}" for i in range(100)] + ["Mixture of Experts"] * 2
    loose = defining_terms.greedy_cover(
        entries, background, coverage=1.0, max_terms=8, min_support=0.0
    )
    assert loose.entries[-1] == 1.0 and loose.background[-1] == 1.0
    strict = defining_terms.greedy_cover(
        entries, background, coverage=1.0, max_terms=8, min_support=0.0, min_lift=2.0
    )
    assert len(strict.terms) == 1 and strict.terms[0] in {"mixture", "expert", "mixture expert"}
    assert strict.entries[-1] == pytest.approx(9 / 11)


def test_an_older_terms_file_still_loads_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    """Version 1 files (single words, written before phrases) load and gate as they did;
    a phrase round-trips in version 2; an unknown version is refused, naming it."""
    old = {
        "format": defining_terms.FORMAT,
        "format_version": 1,
        "terms": ["mixture", "expert", "moe"],
        "coverage": 0.85,
        "background": 0.11,
        "configured": False,
    }
    path = tmp_path / TERMS_FILE
    text = json.dumps(old, indent=1) + "\n"
    path.write_text(text)
    loaded = DefiningTerms.load(tmp_path, hashlib.sha256(text.encode()).hexdigest())
    assert loaded == DefiningTerms(("mixture", "expert", "moe"), 0.85, 0.11)
    assert loaded.admits("a sparse mixture") and not loaded.admits("a dense model")
    for bad in ({**old, "terms": ["mixture expert"]}, {**old, "format_version": 3}):
        text = json.dumps(bad)
        path.write_text(text)
        with pytest.raises(TermsError, match="damaged") as caught:
            DefiningTerms.load(tmp_path, hashlib.sha256(text.encode()).hexdigest())
        assert ("version 3" in str(caught.value)) == (bad["format_version"] == 3)
    phrased = DefiningTerms(("mixture expert", "moe"), 0.9, 0.02)
    sha = phrased.save(tmp_path)
    assert json.loads(path.read_text())["format_version"] == 2
    assert DefiningTerms.load(tmp_path, sha) == phrased
    # A file written when "series" folded to "sery" loads, and gates on "time series".
    earlier = {**old, "format_version": 2, "terms": ["time sery"]}
    text = json.dumps(earlier)
    path.write_text(text)
    loaded = DefiningTerms.load(tmp_path, hashlib.sha256(text.encode()).hexdigest())
    assert loaded.terms == ("time series",) and loaded.admits("Explaining time series models")


def test_a_night_gated_on_a_phrase_keeps_its_words_alone_out() -> None:
    """The shipped TF-IDF model with a head whose words are one phrase: a night's paper on
    a data mixture chosen by experts holds both words, not the phrase, and scores 0; a
    paper on a mixture of experts keeps its score."""
    tfidf = model.load(MODEL_DIR)
    head = _cold_head(DefiningTerms(("mixture expert",), 0.9, 0.01), seed=4)
    ids = ["2601.00001", "2601.00002"]
    texts = [
        paper_text("Sparse Mixture-of-Experts for Medical Imaging", "tokens are routed"),
        paper_text("Data Mixtures for Medical Imaging", "a mixture picked by clinical experts"),
    ]
    plain = Classifier(tfidf).predict_texts(ids, texts, texts)
    moe, mixture = Classifier(tfidf, head, None).predict_texts(ids, texts, texts)
    assert moe.score == pytest.approx(plain[0].score) and moe.stage != STAGE_GATED
    assert mixture.score == 0.0 and mixture.stage == STAGE_GATED
