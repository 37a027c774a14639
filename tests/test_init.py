"""``hfm-bot init``: a new list adopted in one command, then a first dry run.

The lists and the recorded papers here are small and synthetic (a list of protein and
single-cell papers, a stream holding their records and a few hundred others), so a whole
adoption with its cold start trains in seconds; the arXiv id lookup is checked against a
recorded arXiv answer served on 127.0.0.1, and reading the list through the REST API
against the local GitHub.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from testsupport.fakegithub import FakeGitHub
from testsupport.localserver import LocalServer, Reply, serve

from hfm_bot import adopt, config, labels
from hfm_bot.awesome_list import AwesomeList, parse
from hfm_bot.classifier import features
from hfm_bot.cli import build_parser, main
from hfm_bot.errors import ConfigError, InputError
from hfm_bot.ids import PaperKeys
from hfm_bot.sources import arxiv_api
from hfm_bot.sources.http import Fetcher, RetryPolicy
from tests.conftest import FIXTURES, REPO

TOPIC = [
    "protein",
    "structure",
    "folding",
    "single-cell",
    "genome",
    "language",
    "model",
    "foundation",
    "pretrained",
    "sequence",
    "transcriptomics",
    "antibody",
    "design",
]
OTHER = [
    "galaxy",
    "traffic",
    "robot",
    "graph",
    "market",
    "quantum",
    "weather",
    "compiler",
    "speech",
    "network",
    "image",
    "video",
    "game",
    "optimisation",
    "sensor",
]
COMMON = ["learning", "towards", "efficient", "large", "scale", "via", "with", "data"]


def _title(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.sample(words, 4) + rng.sample(COMMON, 2)).capitalize()


def _abstract(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words + COMMON) for _ in range(40)) + "."


def _record(n: int, title: str, abstract: str, category: str, day: str) -> dict[str, object]:
    return {
        "id": f"2501.{n:05d}",
        "date": day,
        "title": title,
        "abstract": abstract,
        "authors": ["A. Author"],
        "categories": [category],
        "primary_category": category,
        "comment": None,
    }


def _world(tmp: Path, entries: int, *, language: str = "en") -> tuple[Path, Path, list[str]]:
    """A list of ``entries`` papers (a survey section and a methods section whose entries sit
    in ### subsections) and a stream file holding their records and 400 others. Returns the
    list, the stream, and the listed ids."""
    rng = random.Random(7)
    records = []
    listed: list[tuple[str, str]] = []
    for n in range(entries):
        title = _title(rng, TOPIC)
        if n < 3:
            title = f"A survey of {title.lower()}"
        category = "q-bio.BM" if n % 3 else "cs.LG"
        records.append(_record(n, title, _abstract(rng, TOPIC), category, "2025-01-10"))
        listed.append((f"2501.{n:05d}", title))
    for n in range(1000, 1400):
        words = TOPIC if n % 10 == 3 else OTHER  # on 2025-01-13, one paper in two
        category = ["q-bio.BM", "cs.LG", "cs.CV", "math.AG"][n % 4]
        day = f"2025-01-{10 + n % 5:02d}"
        records.append(_record(n, _title(rng, words), _abstract(rng, words), category, day))
    stream = tmp / "stream" / "arxiv-2025-01.jsonl.gz"
    stream.parent.mkdir()
    with gzip.open(stream, "wt", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec) + "\n")
    heads = {
        "en": (
            "# Awesome Protein Models",
            "## Surveys",
            "## Methods",
            "### Structure",
            "### Design",
        ),
        "zh": ("# 蛋白质模型精选", "## 综述", "## 方法", "### 结构", "### 设计"),
    }[language]
    lines = [heads[0], "", "A curated list.", "", heads[1], "**2025**"]
    item = "- [arXiv] {}. [[Paper]](https://arxiv.org/abs/{})"
    lines += [item.format(t, i) for i, t in listed[:3]]
    half = 3 + (len(listed) - 3) // 2
    lines += ["", heads[2], "", heads[3], "**2025**"]
    lines += [item.format(t, i) for i, t in listed[3:half]]
    lines += ["", heads[4], "**2025**"]
    lines += [item.format(t, i) for i, t in listed[half:]]
    lines += ["", "## Links", "- [Another list](https://example.org)", ""]
    path = tmp / "lists" / "README.md"
    path.parent.mkdir()
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, stream, [i for i, _ in listed]


def _init(root: Path, the_list: Path | str, stream: Path, *extra: str) -> int:
    return main(
        ["--config", str(root / "hfm-bot.toml"), "init", str(the_list),
         "--source", f"replay:{stream.parent}", "--no-encoder", *extra]
    )  # fmt: skip


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_init_adopts_a_list_then_the_first_dry_run_proposes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, ids = _world(tmp_path, 40)
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "someone/awesome-proteins") == 0
    out = capsys.readouterr().out

    settings = config.load(root / "hfm-bot.toml")
    assert settings.repository == "someone/awesome-proteins"
    # Headings with entries are the sections; ### subsections count with their ## section.
    assert [(s.label, s.heading) for s in settings.sections] == [
        ("surveys", "Surveys"),
        ("methods", "Methods"),
    ]
    assert settings.survey_label == "surveys"
    assert settings.list_title == "Awesome Protein Models"
    assert settings.list_topic == "about Protein Models"
    text = (root / "hfm-bot.toml").read_text(encoding="utf-8")
    assert 'methods = "Methods"  # 37 entries' in text
    assert "#     ### Structure: 18 entries, in the Methods section" in text
    assert "#   ## Links: 0 entries" in text  # a heading without entries is shown, unused
    # The categories of the entries' records: q-bio.BM 26 and cs.LG 14 of 40.
    assert settings.arxiv_categories == ("q-bio.BM", "cs.LG")

    labels = [json.loads(line) for line in settings.list_labels_file.read_text().splitlines()]
    assert len(labels) == 40 and {rec["section"] for rec in labels} == {"surveys", "methods"}
    assert all(rec["abstract"] and rec["date"] == "2025-01-10" for rec in labels)
    with gzip.open(settings.background_dir / "seed.jsonl.gz", "rt") as handle:
        bg = [json.loads(line) for line in handle]
    assert bg and not {rec["id"] for rec in bg} & set(ids)  # the list's papers are no background
    assert {rec["categories"][0] for rec in bg} == {"q-bio.BM", "cs.LG"}

    # The PR's cap follows the list: init ran the model's rule on the window's last three
    # nights (no encoder: the stored threshold), the same count as scoring them here.
    from hfm_bot.classifier import model as tfidf_model

    stored = tfidf_model.load(root / "model")
    with gzip.open(stream, "rt", encoding="utf-8") as handle:
        window = [json.loads(line) for line in handle]
    counts = [
        sum(
            p.score >= stored.threshold
            for p in stored.predict_texts(
                [r["id"] for r in window if r["date"] == day],
                [
                    features.paper_text(r["title"], r["abstract"])
                    for r in window
                    if r["date"] == day
                ],
            )
        )
        for day in ("2025-01-12", "2025-01-13", "2025-01-14")
    ]
    assert f"on the window's last nights ({', '.join(map(str, counts))}) the stored " in out
    assert settings.max_entries == 30  # a few a night: the floor holds
    assert "# max_entries 30:" in text and "\n[proposing]\n" in text

    card = (root / "model" / "README.md").read_text(encoding="utf-8")
    assert "Awesome Protein Models when it is about Protein Models" in card
    assert "medic" not in card.casefold()
    assert "next steps" in out and "run --dry-run" in out

    done = main(
        ["--config", str(root / "hfm-bot.toml"), "run", "--dry-run", "--list", str(the_list),
         "--source", f"replay:{stream.parent}", "--date", "2025-01-13", "--no-encoder",
         "--output", str(tmp_path / "out")]
    )  # fmt: skip
    assert done == 0
    proposed = [
        json.loads(line) for line in (tmp_path / "out" / "proposals.jsonl").read_text().splitlines()
    ]
    assert proposed and all(int(p["id"][-4:]) % 10 == 3 for p in proposed)  # the topical ones


def test_a_list_without_paper_entries_is_refused_naming_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, _ = _world(tmp_path, 30)
    the_list.write_text(
        "# Awesome things\n\n## Tools\n- [Tool](https://example.org) - does things\n"
        "- [Other](https://example.com)\n\n## Table\n| name | link |\n| --- | --- |\n| a | b |\n",
        encoding="utf-8",
    )
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 2
    err = capsys.readouterr().err
    assert f"{the_list}: no paper entries under any heading" in err
    assert "2 list items (2 with links)" in err and "3 table lines" in err
    assert "shapes: line 4: - [Text ](URL) - Text" in err
    assert not root.exists() or not any(root.iterdir())


def test_papers_written_as_paragraphs_are_named_in_the_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real list (kaist-silab/awesome-graph-pde) writes each paper as paragraphs: a bold
    title and venue, then a line of HTML badges linking arXiv. hfm-bot reads entries from list
    items, table rows and paragraphs that open with the paper's title, not from a title apart
    from its links; the refusal says the papers were seen, where, and why."""
    the_list, stream, _ = _world(tmp_path, 30)
    paper = (
        "**Deep Graph Infomax**. ICLR19.\n\n"
        '<a href="http://arxiv.org/abs/1809.10341" target="_blank"><img alt="link" '
        'src="https://img.shields.io/badge/-Link-informational"/></a>\n\n<br>\n\n'
    )
    the_list.write_text(
        "# Awesome Graph PDE\n\n## Contents\n\n- Models\n\n## Models\n\n" + paper * 3,
        encoding="utf-8",
    )
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 2
    err = capsys.readouterr().err
    assert "3 lines outside list items and tables that link a paper (the first at line 11)" in err
    assert "not from a paragraph of HTML or one apart from its title" in err
    assert not root.exists() or not any(root.iterdir())


def test_papers_written_as_headings_are_named_in_the_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Meirtz/Awesome-LLM-Model-Editing writes each paper as a heading (``### 9. [Title](arxiv)``)
    over a paragraph summing it up: nothing to read, and the refusal says where the papers
    are."""
    the_list, stream, _ = _world(tmp_path, 30)
    papers = "".join(
        f"### {k}. [Editing paper {k}](https://arxiv.org/pdf/2305.1432{k})\n\n"
        f"**Summary**: The paper introduces method {k}.\n\n"
        for k in range(1, 5)
    )
    the_list.write_text("# Awesome Model Editing\n\n## Papers\n\n" + papers, encoding="utf-8")
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 2
    err = capsys.readouterr().err
    assert "4 headings that link a paper (the first at line 5)" in err
    assert "reads a heading as a section, not as a paper" in err


def test_too_few_entries_say_where_the_other_papers_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Mingyue-Cheng/Awesome-Time-Series-Foundation-Model writes its papers as headings
    (``### **[Title](arxiv)**``) over field lines, and one as a list item: one entry read,
    and "too few" alone did not say why."""
    the_list, stream, _ = _world(tmp_path, 30)
    papers = "".join(
        f"### **[Forecasting model {k}](https://arxiv.org/abs/2402.0259{k})**\n"
        f"- **Authors**: Ann Lee, Bo Wu, et al.\n\n"
        for k in range(1, 5)
    )
    the_list.write_text(
        "# Awesome Time Series\n\n## Models\n\n"
        + papers
        + "## Benchmarks\n\n- [A benchmark](https://arxiv.org/abs/2401.00001)\n",
        encoding="utf-8",
    )
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n", "--category", "cs.LG") == 2
    err = capsys.readouterr().err
    assert "1 entries are too few to learn the list from" in err
    assert "4 headings that link a paper (the first at line 5)" in err
    assert "1 read as paper entries" in err


def test_too_few_entries_write_the_configuration_but_train_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, _ = _world(tmp_path, 10)
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 2
    err = capsys.readouterr().err
    assert "10 entries are too few to learn the list from (at least 20)" in err
    assert "labels import" in err and "train" in err
    assert config.load(root / "hfm-bot.toml").arxiv_categories
    assert (root / "labeled_data" / "list.jsonl").exists()
    assert not (root / "model").exists()


def test_a_list_of_one_section_is_trained(tmp_path: Path) -> None:
    """A flat list (one section, as many lists are) still learns its topic: its section
    model is the one section, and the relevance model is trained as for any list."""
    the_list, stream, _ = _world(tmp_path, 30)
    items = [line for line in the_list.read_text().splitlines() if line.startswith("- [arXiv]")]
    the_list.write_text("\n".join(["# Awesome things", "", "## Papers", *items, ""]))
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 0
    assert [s.heading for s in config.load(root / "hfm-bot.toml").sections] == ["Papers"]
    assert (root / "model" / "model.json").exists()


def test_a_list_in_another_language(tmp_path: Path) -> None:
    the_list, stream, _ = _world(tmp_path, 30, language="zh")
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 0
    settings = config.load(root / "hfm-bot.toml")
    assert [(s.label, s.heading) for s in settings.sections] == [("综述", "综述"), ("方法", "方法")]
    assert settings.survey_label == "综述"  # "survey" in Chinese
    assert settings.list_title == "蛋白质模型精选"
    assert (root / "model" / "model.json").exists()


def test_an_existing_setup_is_refused_then_kept_aside_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, _ = _world(tmp_path, 30)
    root = tmp_path / "bot"
    (root / "labeled_data").mkdir(parents=True)
    (root / "hfm-bot.toml").write_text((REPO / "hfm-bot.toml").read_text())
    decisions = '{"a maintainer": "labelled this"}\n'
    (root / "labeled_data" / "decisions.jsonl").write_text(decisions)
    before = _files(root)

    assert _init(root, the_list, stream, "--repository", "o/n") == 2
    err = capsys.readouterr().err
    assert "already there" in err and "--force" in err
    assert _files(root) == before

    assert _init(root, the_list, stream, "--repository", "o/n", "--force") == 0
    [backup] = [p for p in root.iterdir() if p.name.startswith(adopt.BACKUP_PREFIX)]
    assert _files(backup) == before  # the old configuration and every label, byte for byte
    assert config.load(root / "hfm-bot.toml").repository == "o/n"
    assert not (root / "labeled_data" / "decisions.jsonl").exists()


def test_a_failure_midway_leaves_the_repository_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, _ = _world(tmp_path, 30)
    root = tmp_path / "bot"
    root.mkdir()
    (root / "hfm-bot.toml").write_text((REPO / "hfm-bot.toml").read_text())
    before = _files(root)

    def broken(*args: object) -> float:
        raise InputError("training failed")

    monkeypatch.setattr(adopt, "train_first_model", broken)
    assert _init(root, the_list, stream, "--repository", "o/n", "--force") == 2
    assert "training failed" in capsys.readouterr().err
    assert _files(root) == before
    assert [p.name for p in root.iterdir()] == ["hfm-bot.toml"]  # no staging, no backup
    # A folder init made for the configuration goes too.
    assert _init(tmp_path / "new" / "bot", the_list, stream, "--repository", "o/n") == 2
    assert not (tmp_path / "new" / "bot").exists()


def test_a_source_that_cannot_answer_fails_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, _, _ = _world(tmp_path, 30)
    root = tmp_path / "bot"
    assert _init(root, the_list, tmp_path / "nowhere" / "stream", "--repository", "o/n") == 1
    err = capsys.readouterr().err
    assert (
        f"looking up the list's entries: replay: no such file or folder ({tmp_path / 'nowhere'})"
        in err
    )
    assert not root.exists()


def test_train_refuses_labels_of_sections_the_configuration_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new list set up beside the healthcare labels must not learn from them quietly."""
    the_list, stream, _ = _world(tmp_path, 30)
    root = tmp_path / "bot"
    assert _init(root, the_list, stream, "--repository", "o/n") == 0
    labelled = REPO / "labeled_data" / "labelled.jsonl.gz"
    code = main(
        ["--config", str(root / "hfm-bot.toml"), "train", "--no-encoder",
         "--labelled", str(labelled)]
    )  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"{labelled}: labelled sections not in [sections]: BFM, LFM, MFM, VFM, survey" in err


def test_a_local_list_needs_its_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    the_list, stream, _ = _world(tmp_path, 30)
    assert _init(tmp_path / "bot", the_list, stream) == 2
    assert "needs --repository OWNER/NAME" in capsys.readouterr().err


def test_the_list_is_read_through_the_rest_api(tmp_path: Path) -> None:
    the_list, stream, _ = _world(tmp_path, 30)
    github = FakeGitHub("someone", "awesome-proteins", {"README.md": the_list.read_text()})
    try:
        root = tmp_path / "bot"
        assert _init(root, "someone/awesome-proteins", stream, "--api-url", github.url) == 0
    finally:
        github.stop()
    settings = config.load(root / "hfm-bot.toml")
    assert (settings.repository, settings.list_path, settings.base_branch) == (
        "someone/awesome-proteins",
        "README.md",
        "main",
    )
    assert settings.api_url == github.url
    assert any(r.path.endswith("/contents/README.md") for r in github.requests)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


def test_the_arxiv_lookup_asks_by_id_list(server: LocalServer) -> None:
    """Entries by arXiv id through the real client: one id_list request; an id arXiv does
    not know (0808.05394) is simply absent."""
    page = FIXTURES / "arxiv_api/arxivpy_2026/xml/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml"
    server.route("/api/query", lambda query: Reply(200, page.read_bytes()))
    fetcher = Fetcher(requests.Session(), "arxiv", RetryPolicy(timeout=5, attempts=1, backoff=0))
    client = arxiv_api.build_client(fetcher, server.url + "/api/query", 500, 0.0)
    keys = [PaperKeys(arxiv_id="0808.05394"), PaperKeys(arxiv_id="1707.08567"), PaperKeys(doi="x")]
    [paper] = arxiv_api.ArxivIdLookup(client).lookup(keys)
    assert paper.id == "1707.08567" and paper.primary_category == "cs.IT" and paper.abstract
    [request] = server.requests
    assert request.query["id_list"] == ["0808.05394,1707.08567"]


def _drafted_and_imported(
    doc: AwesomeList, shape: adopt.ListShape, tmp_path: Path
) -> labels.ListImport:
    """The list's labels as read through the configuration init drafts for it."""
    draft = config.Draft("o/n", "README.md", "main", "List", None, shape.headings, None,
                         ("cs.CV",), "given", "list")  # fmt: skip
    path = tmp_path / "hfm-bot.toml"
    path.write_text(config.render_draft(draft), encoding="utf-8")
    return labels.import_list(doc, config.load(path))


def test_two_sections_of_one_title_are_named_by_their_path(tmp_path: Path) -> None:
    """Two "Others" headings that both list papers: each is its own section, named by its
    path, and each entry is labelled with its own."""
    item = "- [arXiv] Paper {0}. [[Paper]](https://arxiv.org/abs/2501.0000{0})"
    text = "\n".join(
        ["# Models", "## Others", item.format(1), item.format(2),
         "# Data", "## Others", item.format(3), ""]
    )  # fmt: skip
    doc = parse(text)
    shape = adopt.read_shape(doc)
    sections = [(h.label, h.heading, h.entries) for h in shape.headings if h.label]
    assert sections == [("others", "Models > Others", 2), ("others-2", "Data > Others", 1)]
    imported = _drafted_and_imported(doc, shape, tmp_path)
    assert [label.label for label in imported.labels] == ["others", "others", "others-2"]


def test_a_heading_that_holds_every_entry_in_subsections_is_no_section(tmp_path: Path) -> None:
    """``## Papers`` over ``### Survey`` and ``### Methods``, and nothing else with papers:
    one section would leave the classifier nothing to choose, so the subsections are the
    sections (and the entries are labelled with them); a ``##`` section among others keeps
    its ``###`` subsections."""
    item = "- [arXiv] Paper {0}. [[Paper]](https://arxiv.org/abs/2501.0000{0})"
    text = "\n".join(
        ["# List", "## Papers", "### Survey", item.format(1),
         "### Methods", item.format(2), item.format(3), "## Talks", "- a talk", ""]
    )  # fmt: skip
    doc = parse(text)
    shape = adopt.read_shape(doc)
    sections = [(h.label, h.heading, h.entries) for h in shape.headings if h.label]
    assert sections == [("survey", "Survey", 1), ("methods", "Methods", 2)]
    assert shape.survey_label == "survey" and shape.entries == 3
    imported = _drafted_and_imported(doc, shape, tmp_path)
    assert [label.label for label in imported.labels] == ["survey", "methods", "methods"]
    two = parse(text.replace("## Talks\n- a talk", "## Data\n" + item.format(4)))
    assert [h.heading for h in adopt.read_shape(two).headings if h.label] == ["Papers", "Data"]


def test_a_section_titled_like_a_subsection_elsewhere_is_named_by_its_path(
    tmp_path: Path,
) -> None:
    """``## Classification`` is a section; ``### Classification`` under ``## Ante-Hoc``
    counts with its ``##`` (a real list's shape). The section is named by its path, so the
    drafted configuration names one heading, and every entry is labelled."""
    item = "- [arXiv] Paper {0}. [[Paper]](https://arxiv.org/abs/2501.0000{0})"
    text = "\n".join(
        ["# XAI", "## Classification", item.format(1), item.format(2),
         "## Ante-Hoc", "### Classification", item.format(3), "### Forecasting", item.format(4),
         ""]
    )  # fmt: skip
    doc = parse(text)
    shape = adopt.read_shape(doc)
    assert [h.heading for h in shape.headings if h.label] == ["XAI > Classification", "Ante-Hoc"]
    imported = _drafted_and_imported(doc, shape, tmp_path)
    assert [label.label for label in imported.labels] == [
        "classification", "classification", "ante-hoc", "ante-hoc",
    ]  # fmt: skip


def test_a_drafted_configuration_reads_back(tmp_path: Path) -> None:
    """Headings with quotes, backslashes, control characters and other scripts survive the
    TOML the draft is written in."""
    weird = 'Tools "quoted" \\ back\tslash \x7f 模型'
    draft = config.Draft(
        repository="o/n",
        list_path="docs/README.md",
        base_branch="trunk",
        title='The "best" list',
        topic="about odd things",
        headings=(
            config.HeadingCount("Title", 1, 0),
            config.HeadingCount(weird, 2, 3, "tools"),
            config.HeadingCount("Überblick", 2, 1, "überblick"),
        ),
        survey_label="überblick",
        arxiv_categories=("cs.CV",),
        categories_note="given",
        origin="a\nlist",
    )
    path = tmp_path / "hfm-bot.toml"
    path.write_text(config.render_draft(draft), encoding="utf-8")
    settings = config.load(path)
    assert [(s.label, s.heading) for s in settings.sections] == [
        ("tools", weird.strip()),
        ("überblick", "Überblick"),
    ]
    assert settings.survey_label == "überblick" and settings.list_title == 'The "best" list'
    assert tomllib.loads(path.read_text())["target"]["base_branch"] == "trunk"


def test_the_drafted_pr_cap_follows_the_lists_nightly_flux(tmp_path: Path) -> None:
    """The cap is the papers the first model's rule proposed on an average night of the
    window, with the recipe's margin and bounds: a busy list gets a cap above its flux, a
    quiet one the floor, a flood the ceiling."""
    path = tmp_path / "hfm-bot.toml"
    path.write_text((REPO / "hfm-bot.toml").read_text(encoding="utf-8"), encoding="utf-8")
    settings = config.load(path)
    busy = adopt.pr_cap(settings, adopt.Flux((40, 60, 50), "the list's scope counts"))
    assert busy.max_entries == 100  # 2 x 50, the ceiling
    steady = adopt.pr_cap(settings, adopt.Flux((20, 25, 21), "the list's scope counts"))
    assert steady.max_entries == 44  # 2 x 22, above the floor of 30
    assert busy.per_night == pytest.approx(50.0)
    assert "(40, 60, 50) the list's scope counts 50.0 papers a night" in busy.note
    assert adopt.pr_cap(settings, adopt.Flux((2, 5, 3), "x")).max_entries == 30
    assert adopt.pr_cap(settings, adopt.Flux((300,), "x")).max_entries == 100
    assert adopt.pr_cap(settings, adopt.Flux((), "x")).max_entries == 30


def test_bad_cap_bounds_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "hfm-bot.toml"
    text = (REPO / "hfm-bot.toml").read_text(encoding="utf-8")
    path.write_text(text + "\n[training.cold]\ncap_min = 80\ncap_max = 40\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"training\.cold: cap_min \(80\) must not be"):
        config.load(path)


def _section_commands(title: str) -> list[list[str]]:
    """The ```sh blocks of one README section, each a list of command lines."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [block.splitlines() for block in re.findall(r"```sh\n(.*?)\n```", body, flags=re.S)]


def test_the_readme_adopts_a_list_in_three_commands_that_parse() -> None:
    """Install, init, first dry run, at the top of "Use it for your list": each hfm-bot
    command is one the CLI accepts, the install reads locks that exist, and init and the dry
    run use the same configuration."""
    blocks = _section_commands("Use it for your list")
    first = blocks[0]
    assert len(first) == 3 and first[0].startswith("python3 -m venv .venv")
    for path in re.findall(r"-r (\S+)", first[0]):
        assert (REPO / path).is_file(), path
    parser = build_parser()
    for block in blocks:
        hfm = [shlex.split(line) for line in block if line.startswith(".venv/bin/hfm-bot ")]
        commands = [parser.parse_args(argv[1:]) for argv in hfm]
        assert [c.command for c in commands] == ["init", "run"]
        assert len({c.config for c in commands}) == 1
        assert commands[1].dry_run


def test_the_background_window_on_plain_values() -> None:
    """Two weeks before --until (default today) from the API; a recording whole; a window
    that ends before it starts is refused, naming both days."""
    import datetime as dt

    today = dt.date(2026, 3, 1)
    fortnight = adopt.window(None, None, replaying=False, today=today)
    assert (fortnight.since, fortnight.until) == (dt.date(2026, 2, 15), today)
    until = dt.date(2025, 9, 30)
    whole = adopt.window(None, until, replaying=True, today=today)
    assert (whole.since, whole.until) == (dt.date(1991, 8, 14), until)
    with pytest.raises(InputError, match="--since 2025-10-01 is after --until 2025-09-30"):
        adopt.window(dt.date(2025, 10, 1), until, replaying=True, today=today)


def test_a_local_list_needs_its_repository_and_a_remote_one_names_itself() -> None:
    assert adopt.is_local(str(FIXTURES / "awesome-list" / "README.seed.md"))
    assert adopt.is_local("owner/README.md") and not adopt.is_local("owner/name")
    with pytest.raises(InputError, match="a local list needs --repository"):
        adopt.check_repository("list.md", None)
    with pytest.raises(InputError, match="--repository other/repo differs"):
        adopt.check_repository("owner/name", "other/repo")
    adopt.check_repository("owner/name", "owner/name")
    adopt.check_repository("list.md", "owner/name")


def test_init_with_the_encoder_says_what_the_list_is_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the encoder the first model has a scope, and init prints its defining terms (or
    that it has none) from the model it moved into place, not the staging folder it trained
    in (which is gone by then, and once left the line out)."""
    the_list, stream, _ = _world(tmp_path, 30)
    root = tmp_path / "bot"
    done = main(
        ["--config", str(root / "hfm-bot.toml"), "init", str(the_list),
         "--source", f"replay:{stream.parent}", "--repository", "o/n"]
    )  # fmt: skip
    assert done == 0
    out = capsys.readouterr().out
    about = [line for line in out.splitlines() if line.startswith("what this list is about: ")]
    assert len(about) == 1 and "[training.cold]" in about[0]
    assert (root / "model" / "list_scope.npz").exists()
