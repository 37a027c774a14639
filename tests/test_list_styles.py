"""Any awesome list: entries of every common shape read, new ones written in the list's style.

The real lists are four of ``tests/fixtures/lists/`` (each with its configuration under
``benchmarks/lists/``, and a person's count in its ``COUNT.md``), the healthcare list, and a
list of field blocks (``protein-contactmap``, read and written only); the small synthetic
lists here each hold one shape the real ones do not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfm_bot import (
    awesome_list,
    config,
    entry_syntax,
    labels,
    list_style,
    pipeline,
    proposing,
    style_check,
)
from hfm_bot.awesome_list import AwesomeList, NewEntry
from hfm_bot.cli import main
from hfm_bot.errors import InputError, ListFormatError
from hfm_bot.ids import PaperKeys
from hfm_bot.list_entry import Kind
from hfm_bot.list_style import (
    Direction,
    Escaping,
    MissingField,
    Values,
    fill,
    host_of,
    is_preprint_venue,
)
from hfm_bot.paper import Origin, Paper
from hfm_bot.prediction import Prediction
from hfm_bot.render import Proposal, Renderer, one_line
from tests.conftest import FIXTURES, REPO, SEED_LIST

LISTS = FIXTURES / "lists"
CONFIGS = REPO / "benchmarks" / "lists"

# A person's count per configured label (benchmarks/lists/<slug>/COUNT.md); the entries the
# parser reads, and the lines it reports as unreadable, must add up to it.
PERSON = {
    "llm-reasoning": {"survey": 8, "analysis": 22, "llm": 85, "mllm": 19, "small": 11},
    "mllm-tables": {
        "instruction": 235,
        "hallucination": 46,
        "icl": 23,
        "cot": 19,
        "llm_aided": 31,
        "foundation": 31,
        "evaluation": 43,
        "rlhf": 8,
        "others": 10,
    },
    "moe-llm": {"moe": 158},
    "efficient-reasoning": {
        "survey": 11,
        "training": 26,
        "latent": 38,
        "long2short": 113,
        "adaptive": 20,
        "shortcuts": 15,
        "decomposition": 5,
        "small": 20,
        "collaboration": 8,
        "speculative": 9,
        "parallel": 9,
        "kvcache": 6,
        "tts": 24,
        "sampling": 11,
        "selfconsistency": 8,
        "longcontext": 2,
        "multimodal": 4,
        "other": 10,
        "benchmarks": 6,
        "analysis": 22,
        "applications": 3,
    },
}
UNREADABLE = {
    "llm-reasoning": [282],
    "mllm-tables": [111, 322],
    "moe-llm": [],
    "efficient-reasoning": [],
}
"""Lines a person also finds to be no paper entry: a blog post with no paper link (282) and two
bold names with no link at all (111, 322)."""

STYLE_TARGET = 0.90
"""The issue's aim: the learnt style writes 90% of a list's entries byte for byte."""
STYLE_FLOOR = {
    "mllm-tables": 0.75,
    "moe-llm": 0.73,
    "healthcare-seed": 0.80,
}
"""The lists that cannot reach the aim, held to what they reach (``python
benchmarks/list_styles.py --all`` shows every other line, and counts them by what differs);
every other list is held to the aim. Each line is checked in the style of its 5 nearest
neighbours (leave-one-out), so a run of a variant is written like itself; what is left is
the list writing a line otherwise than its neighbours, in variants that do not come in runs:
moe-llm (73.4%) alternates a TAB and ", " between title and link line by line (40 of its 42
misses; 2 single brackets); mllm-tables (75.0%, 95.0% ignoring trailing spaces) has a
trailing space after 90 of its 444 rows, scattered through every section, and a stars badge
in three URL forms or with and without its line break (9), and its maintainers' 12 own works
at the top, on two lines (a 🌟 before six of them is each entry's own, as a name before a
title is; 3 written otherwise, by an extra link's label or a trailing space); the
healthcare list (80.4%)
writes 27 scattered entries otherwise only in spaces or punctuation (no period or no space
before the links, doubled spaces, a two-space bullet), and 15 with trailing spaces. The
renderer's own misses (a code link on Hugging Face labelled "Github", a badge rebuilt from
the wrong repository, a table whose code column is headed "Page" read as rows without code,
a row without code losing its pipes, "Coming soon" taken for a placeholder, "?." after a
question, an entry with only a code link not written at all) are fixed and tested below. A
floor fails the test if the parser or the learner gets worse."""


def _settings(slug: str) -> config.Settings:
    return config.load(CONFIGS / slug / "hfm-bot.toml")


@pytest.fixture(scope="module", params=sorted(PERSON))
def real(request: pytest.FixtureRequest) -> tuple[str, Path, AwesomeList]:
    slug: str = request.param
    path = LISTS / slug / "README.md"
    return slug, path, awesome_list.load(path)


def test_real_lists_round_trip_byte_for_byte(real: tuple[str, Path, AwesomeList]) -> None:
    _, path, doc = real
    assert doc.render().encode("utf-8") == path.read_bytes()


def test_real_lists_read_as_a_person_counts(real: tuple[str, Path, AwesomeList]) -> None:
    slug, _, doc = real
    settings = _settings(slug)
    result = labels.import_list(doc, settings)
    assert [p.line_no for p in result.problems] == UNREADABLE[slug]
    lost = Counter(settings.label_for(_path_of(doc, p)) for p in result.problems)
    assert {label: result.counts[label] + lost[label] for label in PERSON[slug]} == PERSON[slug]


def _path_of(doc: AwesomeList, problem: awesome_list.Problem) -> tuple[str, ...]:
    sec = max((s for s in doc.sections if s.line_no < problem.line_no), key=lambda s: s.line_no)
    return sec.path


def test_real_lists_keys_links_and_dates(real: tuple[str, Path, AwesomeList]) -> None:
    slug, _, doc = real
    with_arxiv = sum(1 for e in doc.entries if e.keys.arxiv_id)
    assert (
        with_arxiv
        >= {
            "llm-reasoning": 143,
            "mllm-tables": 410,
            "moe-llm": 142,
            "efficient-reasoning": 351,
        }[slug]
    )
    if slug == "mllm-tables":
        # VITA-1.5 is listed twice: among the maintainers' own works at the top (two lines,
        # "NeurIPS 2025 Highlight") and as a row of its section's table.
        top, vita = (e for e in doc.entries if e.title.startswith("VITA-1.5"))
        assert (top.kind, top.venue, top.date) == (Kind.BULLET, "NeurIPS 2025 Highlight", None)
        assert (vita.venue, vita.date, vita.code_url) == (
            "arXiv",
            "2025-01-03",
            "https://github.com/VITA-MLLM/VITA",
        )
        assert vita.keys.arxiv_id == "2501.01957"
        pink = next(e for e in doc.entries if e.title.startswith("Pink"))  # no leading pipe
        assert pink.line_no == 273 and pink.section == "Multimodal Instruction Tuning"
        # The two "Others": the configured one is the one that lists papers.
        assert doc.section("Others").line_no == 568
        assert doc.section("Awesome Datasets > Others").line_no == 732
    if slug == "moe-llm":
        m4oe = next(e for e in doc.entries if e.title.startswith("M4oE"))
        assert (m4oe.venue, m4oe.date) == ("MICCAI 2024", "2024-05-15")
        assert m4oe.paper_url == "https://papers.miccai.org/miccai-2024/paper/1472_paper.pdf"
        # Two entries share a (wrong) arXiv link: both are read, the id is listed once.
        assert sum(1 for e in doc.entries if e.keys.arxiv_id == "2010.11125") == 2
    if slug == "llm-reasoning":
        judge = next(e for e in doc.entries if e.title.startswith("JudgeLRM"))
        assert judge.section_path[-2:] == (
            "🔤 Reasoning in Large Language Models - An Emergent Ability",
            "2025",
        )
        assert judge.year == 2025 and judge.paper_url == "https://arxiv.org/abs/2504.00050"


def test_the_learnt_style_writes_each_real_list_like_itself(
    real: tuple[str, Path, AwesomeList],
) -> None:
    slug, _, doc = real
    result = style_check.check(doc)
    assert result.entries == len(doc.entries)
    wanted = STYLE_FLOOR.get(slug, STYLE_TARGET)
    assert result.share >= wanted, [m.original for m in result.mismatches[:5]]


def test_the_healthcare_list_style() -> None:
    doc = awesome_list.load(SEED_LIST)
    assert style_check.check(doc).share >= STYLE_FLOOR["healthcare-seed"]
    style = doc.style_for("BFM methods")
    assert style.escaping is Escaping.MINIMAL  # the list never escapes a title
    assert style.order.year_groups and style.order.direction is Direction.NONE
    assert (
        style.with_code.text()
        == "- [{venue}] {title}. [[Paper]]({paper}), [[{code label}]]({code})"
    )
    assert style.code_label("https://github.com/a/b") == "Code"


# ---------------------------------------------------------------- writing in each style

_PAPER = Paper(
    id="2510.04321",
    source=Origin.ARXIV,
    title="Sparse experts for everyone",
    abstract="Code at https://github.com/someone/sparse.",
    date=dt.date(2025, 10, 8),
)


def _proposal(paper: Paper, heading: str) -> Proposal:
    pred = Prediction(paper.id, 0.9, True, "x", (("x", 1.0),), ())
    return Proposal(paper, pred, "x", heading)


def _add(doc: AwesomeList, heading: str, paper: Paper = _PAPER) -> tuple[str, AwesomeList]:
    prop = _proposal(paper, heading)
    date = paper.date or dt.date(2025, 10, 8)
    line = Renderer().entry(prop, doc.style_for(heading, date.year), date)
    new = NewEntry(
        heading,
        date.year,
        line,
        keys=paper.keys,
        month=date.month,
        preprint=is_preprint_venue(prop.venue),
    )
    result = doc.insert([new])
    assert result.added == (new,), result.refused
    return line, result.document


def _written_coded(doc: AwesomeList, heading: str) -> NewEntry:
    """The entry a night adds for a paper with code and four authors (``Lee et al.``)."""
    authors = ("Ann Lee", "Bo Wu", "Cy Do", "Di Ma")
    return _written(doc, heading, abstract="Code: https://github.com/c/d", authors=authors)


def _written(
    doc: AwesomeList,
    heading: str,
    *,
    id: str = "2510.04321",
    title: str = "Sparse experts",
    abstract: str = "",
    authors: tuple[str, ...] = (),
) -> NewEntry:
    """The entry a night adds for an arXiv paper of 2025-10-08, its lines under it included."""
    day = dt.date(2025, 10, 8)
    paper = Paper(id=id, source=Origin.ARXIV, title=title, abstract=abstract, authors=authors,
                  date=day)  # fmt: skip
    return proposing.new_entry(doc, _proposal(paper, heading), Renderer(), day)


def _accepted(doc: AwesomeList, heading: str, title: str) -> str:
    """The line a night writes for an arXiv paper of 2025-10-08 accepted at CVPR 2026."""
    paper = Paper(id="2510.04322", source=Origin.ARXIV, title=title, date=dt.date(2025, 10, 8),
                  comment="Accepted at CVPR 2026")  # fmt: skip
    return _add(doc, heading, paper)[0]


def test_new_entries_in_each_real_lists_style_and_place() -> None:
    moe = awesome_list.load(LISTS / "moe-llm" / "README.md")
    heading = "Paper List (Organized Chronologically and Categorically)"
    line, after = _add(moe, heading)
    # The list links the paper from its venue tag and dates it after; it shows no code.
    assert line == (
        "- Sparse experts for everyone, [[ArXiv 2025]](https://arxiv.org/abs/2510.04321), 2025-10-8"
    )
    placed = next(e for e in after.entries if e.keys.arxiv_id == "2510.04321")
    assert placed.line_no == after.own_entries(after.section(heading))[0].line_no  # newest first

    tables = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    line, after = _add(tables, "Multimodal Hallucination")
    assert line == (
        "| ![Star](https://img.shields.io/github/stars/someone/sparse.svg?style=social&label=Star)"
        " <br> [**Sparse experts for everyone**](https://arxiv.org/pdf/2510.04321.pdf) <br> "
        "| arXiv | 2025-10-08 | [Github](https://github.com/someone/sparse) | - |"
    )
    placed = next(e for e in after.entries if e.keys.arxiv_id == "2510.04321")
    rows = after.own_entries(after.section("Multimodal Hallucination"))
    assert placed is rows[0] or placed.line_no == rows[0].line_no  # right under the header
    no_code = Paper(id="2510.04322", source=Origin.ARXIV, title="Plain", date=dt.date(2025, 10, 8))
    line, _ = _add(tables, "Multimodal Hallucination", no_code)
    # The list links an arXiv paper's PDF (``/pdf/<id>.pdf``), so a new row does too.
    assert (
        line == "| [**Plain**](https://arxiv.org/pdf/2510.04322.pdf) | arXiv | 2025-10-08 | - | - |"
    )

    reasoning = awesome_list.load(LISTS / "llm-reasoning" / "README.md")
    heading = "🧠 Multimodal Reasoning in Large Language Models"
    line, after = _add(reasoning, heading)
    assert line == (
        "1. **[Sparse experts for everyone.](https://arxiv.org/abs/2510.04321)** "
        "[[code](https://github.com/someone/sparse)]"
    )
    placed = next(e for e in after.entries if e.keys.arxiv_id == "2510.04321")
    assert placed.section == "2025" and placed.section_path[-2] == heading
    # Its entries carry their authors and venue on an indented line below, and so does ours.
    authored = Paper(
        id="2510.04324",
        source=Origin.ARXIV,
        title="A survey of sparse experts",
        authors=("Ann Lee", "Bo Wu"),
        date=dt.date(2025, 10, 8),
    )
    prop = _proposal(authored, "Survey")
    style = reasoning.style_for("Survey", 2025)
    details = Renderer().details(prop, style)
    assert details == ("", "    *Ann Lee, Bo Wu.* Preprint'25")
    line = Renderer().entry(prop, style)
    after = reasoning.insert([NewEntry("Survey", 2025, line, month=10, details=details)]).document
    lines = after.render().split("\n")
    at = lines.index(line)
    assert lines[at - 2 : at + 5] == ["### 2025", "", line, "", details[1], "", lines[at + 4]]
    assert lines[at + 4].startswith("1. **[Multimodal Chain-of-Thought Reasoning")
    placed = next(e for e in after.entries if e.keys.arxiv_id == "2510.04324")
    assert placed.venue == "Preprint'25" and placed.details == details


GRAPH_LIST = """# Awesome-Graph-LLM

## Node Classification
- (*ICLR'24*) Explanations as Features [[paper](https://arxiv.org/abs/2305.19523)][[code](https://github.com/XiaoxinHe/TAPE)]
- (*ICLR'24*) Label-free Node Classification [[paper](https://arxiv.org/abs/2310.04668)]
- (*NeurIPS'23*) GraphAdapter [[paper](https://arxiv.org/abs/2309.13625)][[code](https://github.com/lixinustc/GraphAdapter)]
- (*arXiv 2023.07*) Exploring the Potential of LLMs [[paper](https://arxiv.org/abs/2307.03393)][[code](https://github.com/CurryTang/Graph-LLM)]
- (*arXiv 2023.10*) Empower Text-Attributed Graphs [[paper](https://arxiv.org/abs/2310.09872)]
- (*arXiv 2024.02*) Similarity-based Neighbor Selection [[paper](https://arxiv.org/abs/2402.03720)]

## Contributing
"""


def test_published_first_preprints_last_in_date_order() -> None:
    doc = awesome_list.parse(GRAPH_LIST)
    style = doc.style_for("Node Classification")
    assert style.order.preprints_last and style.order.direction is Direction.OLDEST_FIRST
    assert (style.preprint_venue, style.published_venue) == ("{name} {yyyy}.{mm}", "{name}'{yy}")
    line, after = _add(doc, "Node Classification")
    assert line == (
        "- (*arXiv 2025.10*) Sparse experts for everyone "
        "[[paper](https://arxiv.org/abs/2510.04321)][[code](https://github.com/someone/sparse)]"
    )
    lines = after.render().split("\n")
    assert lines[9] == line  # after the last preprint, before the blank line
    published = Paper(
        id="2510.04323",
        source=Origin.ARXIV,
        title="A published one",
        comment="Accepted at ICLR 2025",
        date=dt.date(2025, 10, 8),
    )
    line, after = _add(doc, "Node Classification", published)
    assert line == "- (*ICLR'25*) A published one [[paper](https://arxiv.org/abs/2510.04323)]"
    assert after.render().split("\n")[6] == line  # the last published entry, before preprints
    assert doc.find(_PAPER.keys) is None  # the list itself is untouched


SHAPES = """# Papers

## Shapes
- **[arXiv 2024]** A bold-venue title. [PDF](https://arxiv.org/pdf/2401.00001v2.pdf) | [Code](https://github.com/a/b)
- [A linked title](https://arxiv.org/abs/2401.00002) - a note
- **Bold title** [arXiv](https://www.alphaxiv.org/abs/2401.00003) [![Stars](https://img.shields.io/github/stars/c/d)](https://github.com/c/d)
- *Italic title*, [paper](https://huggingface.co/papers/2401.00004)
  - *Some Author, Other Author*
- [2024.05] A dated title [[Paper]](https://export.arxiv.org/abs/2401.00005)
- A DOI title [[Paper]](https://doi.org/10.1101/2023.10.30.563174)
- Two preprints [[paper]](https://arxiv.org/abs/2401.00006) [[v2]](https://arxiv.org/abs/2402.00007)
- A resource, not a paper
- [A blog](https://example.org/blog)
"""


def test_every_common_entry_shape_is_read() -> None:
    doc = awesome_list.parse(SHAPES, origin="shapes.md")
    by_title = {e.title: e for e in doc.entries}
    assert list(by_title) == [
        "A bold-venue title",
        "A linked title",
        "Bold title",
        "Italic title",
        "A dated title",
        "A DOI title",
        "Two preprints",
    ]
    bold = by_title["A bold-venue title"]
    assert (bold.venue, bold.keys.arxiv_id, bold.code_url) == (
        "arXiv 2024",
        "2401.00001",
        "https://github.com/a/b",
    )
    assert by_title["A linked title"].paper_url == "https://arxiv.org/abs/2401.00002"
    badge = by_title["Bold title"]
    assert badge.keys.arxiv_id == "2401.00003" and badge.code_url == "https://github.com/c/d"
    assert by_title["Italic title"].keys.arxiv_id == "2401.00004"
    assert by_title["A dated title"].date == "2024.05"
    assert by_title["A dated title"].keys.arxiv_id == "2401.00005"
    assert by_title["A DOI title"].keys.doi == "10.1101/2023.10.30.563174"
    two = by_title["Two preprints"]
    assert two.keys.arxiv_id == "2401.00006" and two.arxiv_ids == ("2401.00006", "2402.00007")
    # Both ids count as listed, and the second is not dropped silently.
    assert doc.contains(PaperKeys(arxiv_id="2402.00007"))
    assert [(n.line_no, n.message.split(":")[0]) for n in doc.notes] == [
        (11, "2 arXiv links (2401.00006, 2402.00007)")
    ]
    # The nested author line belongs to its entry; the two items without a paper are shown.
    assert [(p.line_no, p.message) for p in doc.problems] == [
        (12, "list item without a link"),
        (13, "list item with a link but no paper link"),
    ]
    # check_entry_line takes any line the parser reads as an entry with a paper link.
    assert awesome_list.check_entry_line(
        "- (*ICLR'24*) T [[paper](https://arxiv.org/abs/2401.00009)]"
    ).arxiv_id == ("2401.00009")


TABLE = """# Papers

## Models
| Title | Venue | Date | Code |
|:---|:---:|:---:|:---:|
| [**A model**](https://arxiv.org/abs/2401.00011) | arXiv | 2024-01-05 | [Github](https://github.com/e/f) |
| <a href="https://arxiv.org/abs/2401.00012">An HTML title</a><br>with a second line | CVPR | 2024-01-04 | - |
| [**Missing cells**](https://arxiv.org/abs/2401.00013) | arXiv |
| **No link at all** | arXiv | 2024-01-02 | - |
"""  # noqa: E501


def test_tables_with_html_and_missing_cells() -> None:
    doc = awesome_list.parse(TABLE)
    titles = [(e.title, e.keys.arxiv_id, e.venue, e.date) for e in doc.entries]
    assert titles == [
        ("A model", "2401.00011", "arXiv", "2024-01-05"),
        ("An HTML title", "2401.00012", "CVPR", "2024-01-04"),
        ("Missing cells", "2401.00013", "arXiv", None),
    ]
    assert [(p.line_no, p.message) for p in doc.problems] == [(9, "table row without a paper link")]
    line, after = _add(doc, "Models")
    assert line == (
        "| [**Sparse experts for everyone**](https://arxiv.org/abs/2510.04321) | arXiv | "
        "2025-10-08 | [Github](https://github.com/someone/sparse) |"
    )
    assert after.render().split("\n")[5] == line  # newest first: under the header


CHINESE = """# 大模型论文列表

## 多模态
- [CVPR 2024] 视觉语言模型的高效微调 [[论文]](https://arxiv.org/abs/2401.00021) [[代码]](https://github.com/g/h)
- [arXiv] 医学图像分割基础模型 [[论文]](https://arxiv.org/abs/2401.00022)
- [arXiv] 第三篇 [[论文]](https://arxiv.org/abs/2401.00023)
"""


def test_a_list_in_another_language() -> None:
    doc = awesome_list.parse(CHINESE)
    assert doc.render() == CHINESE
    first = doc.entries[0]
    assert (first.title, first.venue, first.section) == (
        "视觉语言模型的高效微调",
        "CVPR 2024",
        "多模态",
    )
    assert first.paper_url == "https://arxiv.org/abs/2401.00021"
    assert first.code_url == "https://github.com/g/h"
    line, after = _add(doc, "多模态")
    assert line == (
        "- [arXiv] Sparse experts for everyone [[论文]](https://arxiv.org/abs/2510.04321) "
        "[[代码]](https://github.com/someone/sparse)"
    )
    assert after.render().startswith(CHINESE.split("\n- ")[0])


# ---------------------------------------------------------------- headings and bad input

NESTED = """# List

## Applications
### Node Classification
- [A] One [[paper]](https://arxiv.org/abs/2401.00031)
### Others
- [A] Two [[paper]](https://arxiv.org/abs/2401.00032)

## Tools
### Others
- [A] Three [[paper]](https://arxiv.org/abs/2401.00033)
"""


def _mapping(sections: dict[str, str], tmp_path: Path) -> config.Settings:
    raw = {"target": {"repository": "o/n"}, "sections": sections}
    return config.from_mapping(raw, tmp_path / "hfm-bot.toml")


def test_a_configured_heading_collects_its_subsections(tmp_path: Path) -> None:
    doc = awesome_list.parse(NESTED)
    result = labels.import_list(doc, _mapping({"apps": "Applications"}, tmp_path))
    assert [(x.entry.title, x.label) for x in result.labels] == [("One", "apps"), ("Two", "apps")]
    # The innermost configured heading wins; a path names one of two equal headings.
    settings = _mapping({"apps": "Applications", "tools": "Tools > Others"}, tmp_path)
    result = labels.import_list(doc, settings)
    assert [(x.entry.title, x.label) for x in result.labels] == [
        ("One", "apps"),
        ("Two", "apps"),
        ("Three", "tools"),
    ]
    # A new entry of "Applications" goes to its catch-all subsection.
    assert doc.target("Applications").line_no == 6


def test_duplicate_headings_are_resolved_by_path_or_refused() -> None:
    doc = awesome_list.parse(NESTED)
    with pytest.raises(ListFormatError, match=r"heading 'Others' is ambiguous: line 6 "):
        doc.section("Others")
    with pytest.raises(ListFormatError, match=r"line 10 \(List > Tools > Others\)"):
        doc.section("Others")
    assert doc.section("Applications > Others").line_no == 6
    assert doc.section("tools > others").line_no == 10


def test_headings_that_match_no_configured_section(tmp_path: Path) -> None:
    doc = awesome_list.parse(NESTED, origin="README.md")
    settings = _mapping({"vision": "Vision models", "apps": "Applications"}, tmp_path)
    with pytest.raises(ListFormatError) as err:
        labels.import_list(doc, settings)
    message = str(err.value)
    assert "README.md: no heading 'Vision models' in the list (named by sections.vision" in message
    assert "the list's headings: 'List', 'Applications', 'List > Applications > Node" in message


def test_import_list_refuses_a_list_it_cannot_read_and_keeps_the_old_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable = tmp_path / "README.md"
    unreadable.write_text(
        "# L\n\n## Papers\n- Title one <https://arxiv.org/abs/2401.00041>\n"
        "- Title two https://arxiv.org/abs/2401.00042\n",
        encoding="utf-8",
    )
    cfg = tmp_path / "hfm-bot.toml"
    cfg.write_text('[target]\nrepository = "o/n"\n[sections]\npapers = "Papers"\n')
    out = tmp_path / "list.jsonl"
    out.write_text("the old labels\n")
    code = main(["--config", str(cfg), "labels", "import-list", str(unreadable), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 list items or table rows under the mapped headings but no entry" in err
    assert "line 4: - Text <URL>" in err
    assert out.read_text() == "the old labels\n"


def test_import_list_reads_a_table_list_and_warns_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "list.jsonl"
    path = LISTS / "mllm-tables" / "README.md"
    cfg = CONFIGS / "mllm-tables" / "hfm-bot.toml"
    assert main(["--config", str(cfg), "labels", "import-list", str(path), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert f"warning: {path}:111: table row without a paper link" in captured.err
    assert "wrote 444 entries" in captured.out
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert Counter(r["section"] for r in records)["hallucination"] == 46
    assert all(r["keys"]["title"] for r in records)


# ---------------------------------------------------------------- hostile titles, every style

NAMED = "# L\n\n## Models\n\n" + "".join(
    f'{k}. **M{k}**: "Model number {k} for code" [2024-0{k}]'
    f" [[paper](https://arxiv.org/abs/2401.0000{k})]\n"
    for k in range(1, 5)
)
"""A list that names each model before its quoted title (codefuse-ai/Awesome-Code-LLM)."""
NAMED_TABLE = (
    "# L\n\n## Training\n\n|Date|Category|Title|Paper|Code|Venue|\n"
    "|:---:|:---|:---|:---:|:---:|:---:|\n"
    + "".join(
        f"|2025.0{k}| Kind {k % 2} |[**M{k}**] Model number {k} (@Lab {k})  |"
        f" [[pdf]](https://arxiv.org/pdf/2501.0000{k}) | |arXiv|\n"
        for k in range(1, 5)
    )
)
"""A table that names each model in bold brackets before its title, and its makers after
it (chengshuang18/Awesome-Efficient-dLLMs)."""

PARAGRAPHS = (
    "# Awesome Multimodal ML\n\n"
    "By [A. Person](https://example.org/~a), with help from friends.\n\n"
    "## Course content\n\n"
    "Check out our tutorial paper [Foundations of Multimodal Learning]"
    "(https://arxiv.org/abs/2209.03430).\n\n"
    "## Representations\n\n"
    + "".join(
        f"[Representation paper {k}](https://arxiv.org/abs/2{k}03.0916{k}), ICLR 202{k}"
        + (f" [[code]](https://github.com/lab/rep{k})" if k % 2 else "")
        + "\n\n"
        for k in range(5, 0, -1)
    )
)
"""A list that writes each paper as a paragraph, newest first (pliang279/awesome-multimodal-ml:
``[Title](u), ICLR 2023 [[code]](u)``), and links a paper in the sentences of its
introduction."""
TITLED_PARAGRAPHS = "# L\n\n## Approaches\n\n" + "".join(
    f"Report generation approach {k} [[paper](https://aclanthology.org/P18-124{k}/)]"
    + (f", [[code](https://github.com/x/y{k})]" if k % 2 else "")
    + "\n\n"
    for k in range(1, 5)
)
"""Each paper a paragraph that opens with its title, then labelled links
(Dragon-Wu/awesome-medical-report-generation)."""
NERF = "# L\n\n## Completion\n\n" + "".join(
    f"- [Point completion {k}](https://arxiv.org/abs/2501.0000{k}), Yuan{k} et al., 3DV 2018 |"
    f" [github](https://github.com/a/b{k}) | [bibtex](./citations/p{k}.txt)\n"
    for k in range(1, 5)
)
"""Authors and venue after a linked title, links set apart by bars (awesome-NeRF)."""
AUTHORED = "# L\n\n## Faces\n\n" + "".join(
    f"    * (arXiv preprint 202{k}) **Face generation {k}**, Ann Lee{k} et al. "
    f"[[Paper](https://arxiv.org/abs/2501.0000{k})] [[Code](https://github.com/a/b{k})]\n"
    for k in range(1, 5)
)
"""A venue before a bold title and its authors after it (Yutong-Zhou-cv/Awesome-Text-to-Image)."""
NAME_MARKED = "# L\n\n## Models\n\n" + "".join(
    f"- ***Model{k}:*** Zero-shot generation number {k} [[Paper]](https://arxiv.org/pdf/2401.0751{k})\n"
    for k in range(1, 5)
)
"""Each title's name emphasised (AlonzoLeeeooo/awesome-text-to-image-studies)."""
_STYLED = {
    "nerf": (awesome_list.parse(NERF), "Completion"),
    "authored": (awesome_list.parse(AUTHORED), "Faces"),
    "name-marked": (awesome_list.parse(NAME_MARKED), "Models"),
    "healthcare": (awesome_list.load(SEED_LIST), "VFM methods"),
    "named": (awesome_list.parse(NAMED), "Models"),
    "named-table": (awesome_list.parse(NAMED_TABLE), "Training"),
    "graph": (awesome_list.parse(GRAPH_LIST), "Node Classification"),
    "table": (awesome_list.parse(TABLE), "Models"),
    "chinese": (awesome_list.parse(CHINESE), "多模态"),
    "moe": (
        awesome_list.load(LISTS / "moe-llm" / "README.md"),
        "Paper List (Organized Chronologically and Categorically)",
    ),
    "reasoning": (
        awesome_list.load(LISTS / "llm-reasoning" / "README.md"),
        "Survey",
    ),
    "paragraphs": (awesome_list.parse(PARAGRAPHS), "Representations"),
    "titled-paragraphs": (awesome_list.parse(TITLED_PARAGRAPHS), "Approaches"),
}
_hostile = st.one_of(
    st.text(min_size=0, max_size=120),
    st.text(
        alphabet=st.sampled_from(list("[]()!*_`|<>#@&$\\-+.,;: \n\tab'‘’–\u200b\u202e")),
        max_size=80,
    ),
    st.sampled_from(
        [
            "[Click](https://evil.example) me",
            "![img](https://x/y.png)",
            "# Heading\n- second item",
            "| a | b |",
            "@octocat please review",
            "<script>alert(1)</script> <b>bold</b>",
            "Ends with a backslash \\",
            "Ends with a period.",
            "Ends with a dash -",
            "(*NeurIPS'24*) a fake venue",
            "**[Venue 2024]** another",
            "$\\alpha$ and \\textbf{bold} $x^2$",
            "zero\u200bwidth and \u202ebidi",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(_STYLED)), title=_hostile, with_code=st.booleans())
def test_a_hostile_title_in_every_style_only_adds_one_entry(
    name: str, title: str, with_code: bool
) -> None:
    doc, heading = _STYLED[name]
    paper = Paper(
        id="2999.00001",
        source=Origin.ARXIV,
        title=title,
        abstract="https://github.com/x/y" if with_code else "",
        authors=(title, "A. Person"),
        date=dt.date(2025, 10, 8),
    )
    prop = _proposal(paper, heading)
    style = doc.style_for(heading, 2025)
    line = Renderer().entry(prop, style, dt.date(2025, 10, 8))
    details = Renderer().details(prop, style, dt.date(2025, 10, 8))
    assert "\n" not in line and "\r" not in line
    assert bool(details) == (name == "reasoning")  # the one list with author lines
    new_entry = NewEntry(heading, 2025, line, month=10, preprint=True, details=details)
    result = doc.insert([new_entry])
    after = result.document
    if not result.added:  # a title equal to a listed one: refused, nothing changes
        assert after.render() == doc.render()
        return
    old = list(doc.lines)
    it = iter(after.lines)
    assert all(any(x == y for y in it) for x in old)  # every old line kept, in order
    added = list((Counter(after.lines) - Counter(old)).elements())
    extra = [x for x in added if x.strip() and "2999.00001" not in x]
    assert [x.rstrip("\n") for x in extra] in (
        [],
        ["**2025**"],  # the healthcare list's VFM has no 2025 group yet
        [d for d in details if d.strip()],
    )
    new = [e for e in after.entries if e.keys.arxiv_id == "2999.00001"]
    assert len(new) == 1 and len(after.entries) == len(doc.entries) + 1
    assert new[0].title.rstrip(".") == prop.title.rstrip(".")
    assert not {"\u200b", "\u202e"} & set(line)  # invisible characters never reach the list
    assert after.section(heading).title in new[0].section_path
    assert len(after.sections) == len(doc.sections)


def test_render_refuses_a_style_that_needs_what_the_paper_lacks() -> None:
    doc = awesome_list.parse(TABLE)
    paper = Paper(id="2510.00001", source=Origin.ARXIV, title="Undated")
    with pytest.raises(InputError, match="needs the paper's date"):
        Renderer().entry(_proposal(paper, "Models"), doc.style_for("Models"))


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2401.00051",
        "https://arxiv.org/abs/2401.00051v3",
        "http://arxiv.org/pdf/2401.00051v1.pdf",
        "https://arxiv.org/html/2401.00051v2",
        "https://export.arxiv.org/abs/2401.00051",
        "https://www.arxiv.org/abs/2401.00051",
        "https://arxiv.org/abs/arXiv:2401.00051",
        "https://www.alphaxiv.org/abs/2401.00051",
        "https://www.alphaxiv.org/overview/2401.00051v2",
        "https://huggingface.co/papers/2401.00051",
        "https://doi.org/10.48550/arXiv.2401.00051",
    ],
)
def test_every_arxiv_url_form_names_the_paper(url: str) -> None:
    doc = awesome_list.parse(f"# L\n## A\n- A title [paper]({url})\n")
    assert doc.entries[0].keys.arxiv_id == "2401.00051"


def test_the_night_refuses_a_list_it_cannot_read_before_the_fetch(tmp_path: Path) -> None:
    """``run`` checks the list with the headings, before any source is asked: items it cannot
    read would otherwise be proposed again in the default style."""
    settings = _mapping({"papers": "Papers"}, tmp_path)
    unreadable = awesome_list.parse(
        "# L\n\n## Papers\n- Title one <https://arxiv.org/abs/2401.00041>\n"
        "- Title two https://arxiv.org/abs/2401.00042\n",
        origin="README.md",
    )
    with pytest.raises(ListFormatError) as err:
        pipeline.check_headings(unreadable, settings)
    assert err.value.exit_code == 2
    assert str(err.value).startswith(
        "README.md: 2 list items or table rows under the mapped headings but no entry"
    )
    assert "line 4: - Text <URL>" in str(err.value)
    # An empty section is a new list, and one readable entry is enough.
    pipeline.check_headings(awesome_list.parse("# L\n\n## Papers\n"), settings)
    readable = "# L\n\n## Papers\n- [arXiv] One. [[Paper]](https://arxiv.org/abs/2401.00041)\n"
    pipeline.check_headings(awesome_list.parse(readable), settings)


RUNS = (
    "# L\n\n## Papers\n"
    + "".join(
        f"- New {k}\t[[arXiv 2025]](https://arxiv.org/abs/25{k:02d}.00001), 2025-{k}-1\n"
        for k in range(6, 0, -1)
    )
    + "".join(
        f"- Old {k}, [[arXiv 2024]](https://arxiv.org/abs/24{k:02d}.00001), 2024-{k}-1\n"
        for k in range(10, 0, -1)
    )
)
"""A list that changed its habit: the ten older entries separate title and link with ", ",
the six newer (at the top) with a TAB."""


def test_a_run_of_a_variant_is_written_like_itself() -> None:
    doc = awesome_list.parse(RUNS)
    sec = doc.section("Papers")
    # The section's majority is ", ": alone it writes the six TAB entries wrongly.
    assert style_check.check(doc, k=0).matched == 10
    # Each line in its neighbours' shape, itself left out: both runs are written back but for
    # the first ", " line (10), whose 5 nearest neighbours (9, 11, 8, 12, 7) are 3 TAB lines.
    result = style_check.check(doc)
    assert [m.line_no for m in result.mismatches] == [10]
    assert result.mismatches[0].rendered == (
        "- Old 10\t[[arXiv 2024]](https://arxiv.org/abs/2410.00001), 2024-10-1"
    )
    # A new entry goes at the top (newest first) and takes the newest entries' TAB.
    style = doc.style_for("Papers", 2025)
    assert style.order.direction is Direction.NEWEST_FIRST
    assert (
        "\t[[" in style.without_code.text() and ", [[" in doc.section_style(sec).without_code.text()
    )


def test_a_year_without_its_heading_gets_one_in_order() -> None:
    """The list groups its papers under ``### YYYY`` headings: a 2026 paper gets a
    ``### 2026`` heading above ``### 2025`` (the headings run newest first), written like
    them, and nothing else changes; a year older than all goes below the last group."""
    reasoning = awesome_list.load(LISTS / "llm-reasoning" / "README.md")
    paper = Paper(id="2601.00001", source=Origin.ARXIV, title="New", date=dt.date(2026, 1, 5))
    line, after = _add(reasoning, "Survey", paper)
    old, new = reasoning.render().split("\n"), after.render().split("\n")
    at = new.index(line)
    assert new[at - 2 : at + 3] == ["### 2026", "", line, "", "### 2025"]
    assert new[: at - 2] + new[at + 2 :] == old  # only the three lines added
    placed = next(e for e in after.entries if e.keys.arxiv_id == "2601.00001")
    assert placed.section_path[-2:] == ("Survey", "2026")
    ancient = Paper(id="2001.00001", source=Origin.ARXIV, title="Old", date=dt.date(2020, 1, 5))
    line, after = _add(reasoning, "Survey", ancient)
    new = after.render().split("\n")
    at = new.index(line)
    assert new[at - 3 : at] == ["", "### 2020", ""] and new[at - 4].startswith("    *")
    assert next(e for e in after.entries if e.keys.arxiv_id == "2001.00001").section == "2020"


COUNTED = (
    "# L\n\n## Papers\n"
    "1. **[One.](https://arxiv.org/abs/2401.00001)**\n"
    "2. **[Two.](https://arxiv.org/abs/2402.00001)**\n"
    "3. **[Three.](https://arxiv.org/abs/2403.00001)**\n"
)


def test_a_counted_list_numbers_on_and_a_list_of_ones_keeps_its_habit() -> None:
    doc = awesome_list.parse(COUNTED)
    assert doc.section_style(doc.section("Papers")).order.direction is Direction.OLDEST_FIRST
    line = "1. **[Four.](https://arxiv.org/abs/2404.00001)**"
    after = doc.insert([NewEntry("Papers", 2024, line, month=4)]).document
    assert after.render() == COUNTED + "4. **[Four.](https://arxiv.org/abs/2404.00001)**\n"
    ones = COUNTED.replace("2. **", "1. **").replace("3. **", "1. **")
    after = awesome_list.parse(ones).insert([NewEntry("Papers", 2024, line, month=4)]).document
    assert after.render() == ones + line + "\n"


def test_a_list_that_ends_its_lines_with_spaces_gets_them_on_a_new_line() -> None:
    """Invisible on GitHub, but a diff shows them: where every neighbour ends with two
    spaces (a markdown line break some editors add), so does the new line."""
    text = "# L\n\n## Papers\n" + "".join(
        f"- [arXiv] Paper {k}. [[Paper]](https://arxiv.org/abs/25{k:02d}.00001)  \n"
        for k in range(9, 0, -1)
    )
    doc = awesome_list.parse(text)
    style = doc.style_for("Papers", 2025)
    assert style.trailing_spaces == 2
    assert style_check.check(doc).share == 1.0
    line, after = _add(doc, "Papers")
    assert (
        line
        == "- [arXiv] Sparse experts for everyone. [[Paper]](https://arxiv.org/abs/2510.04321)  "
    )
    assert after.render() == text.replace("## Papers\n", "## Papers\n" + line + "\n")


# ---------------------------------------------------------------- the renderer's own misses


def _line(doc: AwesomeList, line_no: int) -> awesome_list.Entry:
    return next(e for e in doc.entries if e.line_no == line_no)


def _missed(doc: AwesomeList) -> set[int]:
    """The lines written back otherwise than they stand, trailing spaces aside (the scattered
    trailing spaces of mllm-tables are the list's, counted apart by the benchmark)."""
    return {
        m.line_no
        for m in style_check.check(doc).mismatches
        if m.original.rstrip() != m.rendered.rstrip()
    }


def test_a_code_link_is_labelled_as_the_list_labels_its_host() -> None:
    doc = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    # Lines 138 and 143 link their code on Hugging Face and call it so, the ~300 others
    # on GitHub call theirs "Github": each is written back with its own host's label.
    llama = _line(doc, 138)
    assert llama.code_url and llama.code_url.startswith("https://huggingface.co/")
    assert "[Hugging Face](https://huggingface.co/collections/meta-llama/" in llama.raw
    assert not {138, 143} & _missed(doc)
    style = doc.style_for("Multimodal Instruction Tuning")
    assert style.code_label("https://github.com/a/b") == "Github"
    assert style.code_label("https://huggingface.co/a/b") == "Hugging Face"
    # Hosts as labels go: a project page is "github.io" whoever's it is.
    assert [host_of(u) for u in ("https://www.GitHub.com/a/b", "https://me.github.io/x")] == [
        "github.com",
        "github.io",
    ]
    # A new paper whose code is a Hugging Face model: that label, and no GitHub stars badge.
    hf = Paper(
        id="2510.04325",
        source=Origin.ARXIV,
        title="Open weights",
        abstract="Weights at https://huggingface.co/someone/open-weights.",
        date=dt.date(2025, 10, 8),
    )
    line = Renderer().entry(_proposal(hf, "Multimodal Instruction Tuning"), style)
    assert line == (
        "| [**Open weights**](https://arxiv.org/pdf/2510.04325.pdf) | arXiv | 2025-10-08 "
        "| [Hugging Face](https://huggingface.co/someone/open-weights) | - |"
    )
    # llm-reasoning labels its GitHub code "code"; one entry (232) says "project": a one-off
    # of the list, which does not make its neighbour (216) a "project".
    reasoning = awesome_list.load(LISTS / "llm-reasoning" / "README.md")
    missed = _missed(reasoning)
    assert 232 in missed and 216 not in missed


def test_a_stars_badge_shows_the_repository_it_names() -> None:
    doc = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    # Line 115's badge names another repository than its code link (copied from a row
    # above): the badge's repository is a field of the row, written back as it is.
    step3 = _line(doc, 115)
    assert step3.badge_repo == "THUDM/GLM-4.1V-Thinking"
    assert step3.code_url == "https://github.com/stepfun-ai/Step3"
    assert _line(doc, 114).badge_repo == "rednote-hilab/dots.vlm1"
    assert 115 not in _missed(doc)
    # A new row's badge shows its own code's repository (the test above: someone/sparse).


def test_a_table_without_a_code_column_links_the_code_in_another() -> None:
    doc = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    # "Evaluation" heads its code column "Page": the GitHub link there is the code link,
    # and the stars badge of each row shows it (it was read as a row without code, and
    # written without its badge: 38 of its 43 rows missed).
    row = _line(doc, 514)
    assert row.code_url == "https://github.com/multimodal-art-projection/OmniBench"
    assert row.badge_repo == "multimodal-art-projection/OmniBench"
    missed = _missed(doc)
    evaluation = doc.own_entries(doc.section("Evaluation"))
    exact = [e for e in evaluation if e.line_no not in missed]
    assert len(exact) >= 40, len(exact)  # the rest: badges written three ways


def test_a_row_without_code_keeps_its_pipes_title_and_cells() -> None:
    doc = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    # A section whose rows all have code learns the no-code form from the code form: the
    # title cell loses the badge and the line breaks that go with it, the code cell its
    # link, and every pipe stays (it once gave "| - | arXiv | 2024-10-09 - | - |").
    sec = doc.section("Multimodal RLHF")
    style = doc.section_style(sec)
    assert style.without_code.text() == (
        "| [**{title}**]({paper}) | {venue} | {date} | - |{other}|"
    )
    assert 562 not in _missed(doc)
    # A row with fewer cells than its neighbours (no demo cell) is written without it.
    assert 575 not in _missed(doc)
    # A row whose venue cell says "-" gets the table's placeholder there.
    assert _line(doc, 227).venue is None and 227 not in _missed(doc)


def test_a_title_ending_in_a_question_mark_takes_no_period() -> None:
    doc = awesome_list.load(SEED_LIST)
    # "- [arXiv] Polyp-sam++: … for polyp segmentation? [[paper]](…)": the list puts ". "
    # before its links, but not after a question mark.
    assert 196 not in _missed(doc)
    question = Paper(
        id="2510.04326",
        source=Origin.ARXIV,
        title="Can a model segment anything?",
        date=dt.date(2025, 10, 8),
    )
    line = Renderer().entry(_proposal(question, "VFM methods"), doc.style_for("VFM methods"))
    assert "anything? [[" in line and "?." not in line


def test_each_miss_is_named_by_what_differs() -> None:
    def cause(original: str, rendered: str) -> style_check.Cause:
        return style_check.cause_of(style_check.Mismatch(1, original, rendered))

    C = style_check.Cause
    # Real lines (moe-llm 167, healthcare 150, mllm-tables 153/165/105/273/311, llm-reasoning 50).
    tab = "- Mixture-of-Depths\t[[ArXiv 2024]](https://arxiv.org/abs/2404.02258), 2024-4-2"
    assert cause(tab, tab.replace("\t", ", ")) is C.PUNCTUATION
    dot = "- [arXiv] Bone localization on MRI [[paper]](https://arxiv.org/abs/2401.1)"
    assert cause(dot, dot.replace(" [[", ". [[")) is C.PUNCTUATION
    row = "| [**StreamChat**](https://arxiv.org/pdf/2412.08646) | arXiv | 2024-12-11 |"
    assert cause(row + " Coming soon | - |", row + " - | - |") is C.CELL
    assert cause(row + " - | ", row + " - |") is C.TRAILING
    hf = row + " [Huggingface](https://huggingface.co/a/b) |"
    assert cause(hf, hf.replace("Huggingface", "Hugging Face")) is C.LABEL
    badge = "![Star](https://img.shields.io/github/stars/a/b.svg?style=social&label=Star) <br> "
    titled = "| " + badge + "[**T**](https://arxiv.org/pdf/2510.1) | arXiv |"
    assert cause(titled, titled.replace(") | arXiv", ") <br> | arXiv")) is C.BADGE
    assert cause(titled[2:], titled.replace(") | arXiv", ") <br> | arXiv")) is C.SEVERAL
    html = "| [**M<sup>3</sup>IT**](https://arxiv.org/pdf/2306.04387.pdf) | arXiv |"
    assert cause(html, html.replace("<sup>3</sup>", "3")) is C.MARKUP
    numbered = "2. **[Recent Advances](https://arxiv.org/abs/2502.17521)**"
    assert cause(numbered, "1" + numbered[1:]) is C.NUMBER
    assert cause(numbered, "<no paper>") is C.MISSING
    assert cause(numbered, numbered.replace("Recent", "Old")) is C.OTHER


def test_a_code_cell_that_says_coming_soon_is_the_rows_own() -> None:
    doc = awesome_list.load(LISTS / "mllm-tables" / "README.md")
    # "Coming soon" (the authors announced code) is what the row says about its paper, not
    # the table's placeholder: rows with it are written like the nearest rows with one
    # ("[Coming soon]()"), rows with "-" like the nearest with "-" (they alternate: 17 rows
    # were written with the other one).
    assert _line(doc, 223).code_note == "Coming soon"
    assert "| [Coming soon]() |" in _line(doc, 223).raw
    assert _line(doc, 153).code_note == "Coming soon"  # written "Coming soon", no brackets
    assert _line(doc, 228).code_note is None and "| - | - |" in _line(doc, 228).raw
    missed = _missed(doc)
    assert not {223, 234, 236, 264, 278, 346, 347, 348, 228, 239, 242, 342, 349, 350} & missed
    assert {153, 214} <= missed  # the two plain "Coming soon" among "[Coming soon]()"
    # A new paper has no note: its code cell is the placeholder, never a promise.
    no_code = Paper(id="2510.04327", source=Origin.ARXIV, title="Plain", date=dt.date(2025, 10, 8))
    heading = "Multimodal Hallucination"
    line = Renderer().entry(_proposal(no_code, heading), doc.style_for(heading))
    assert (
        line == "| [**Plain**](https://arxiv.org/pdf/2510.04327.pdf) | arXiv | 2025-10-08 | - | - |"
    )


def test_an_entry_that_links_only_its_code_is_written_back() -> None:
    doc = awesome_list.load(SEED_LIST)
    # "- [Github] Visual med-alpaca: … capabilities. [[Code]](…)": no paper link; the code
    # link takes its place, after the period the paper link would have had.
    alpaca = _line(doc, 103)
    assert alpaca.paper_url is None and alpaca.code_url
    assert 103 not in _missed(doc)
    style = doc.style_for("LFM methods")
    values = Values(title="T", paper=None, venue="V")
    with pytest.raises(MissingField):  # neither paper nor code: no entry to write
        fill(style.template(False), values)


# ---------------------------------------------------------------- a list of field blocks


def test_a_list_of_field_blocks_reads_each_paper_field_and_writes_beside_the_blocks() -> None:
    """A real list that gives each tool a ``<details>`` block of field bullets
    (``- **Paper:** [Title](url) (Nature, 2021)``, ``- **Code:** ...``, ``- **Docs:**
    [Read more →](docs/x)``): each paper field is an entry titled by its link, with the venue
    and year after it; the other fields are neither entries nor unreadable lines; a new paper
    is written in the same shape, in its own place beside the blocks, not inside one."""
    path = LISTS / "protein-contactmap" / "README.md"
    doc = awesome_list.load(path)
    assert doc.render().encode("utf-8") == path.read_bytes()
    assert len(doc.entries) == 47
    assert not any(e.title.rstrip(":").casefold() in {"paper", "docs", "code"} for e in doc.entries)
    alphafold = next(e for e in doc.entries if e.line_no == 61)
    assert (alphafold.title, alphafold.venue, alphafold.date) == (
        "Highly accurate protein structure prediction with AlphaFold",
        "Nature",
        "2021",
    )
    assert alphafold.paper_url == "https://www.nature.com/articles/s41586-021-03819-2"
    # A paper on a host the parser does not know is still the paper field's paper.
    assert next(e for e in doc.entries if e.line_no == 394).title.startswith("Phanto-IDP")
    # What is left unreadable has no link at all ("- **For IDR**", "- Code: https://...").
    assert [p.line_no for p in doc.problems][-2:] == [671, 673]
    assert len(doc.problems) == 14
    # A name before a linked title is the entry's own, not its title.
    assert next(e for e in doc.entries if e.line_no == 232).title == (
        "Boltz-1 Democratizing Biomolecular Interaction Modeling"
    )
    # 43 of 47 (91.5%; 39 before the nested papers of a block learnt from each other and the
    # names were read): the rest, spaces and a plain "Paper:", in benchmarks/list_styles.py.
    assert style_check.check(doc).matched >= 43

    line, after = _add(doc, "Single structure prediction")
    assert line == (
        "- **Paper:** [Sparse experts for everyone](https://arxiv.org/abs/2510.04321) (arxiv, 2025)"
    )
    lines = after.render().split("\n")
    at = lines.index(line)
    assert lines[at + 1 : at + 4] == ["", "<details>", "<summary>AlphaFold2</summary>"]
    assert after.render().replace(line + "\n\n", "", 1) == doc.render()  # only lines added


@pytest.mark.parametrize(
    ("line", "title", "venue"),
    [
        (
            "- **Paper**: [A study of X](https://arxiv.org/abs/2501.00001) (ICML, 2024)",
            "A study of X",
            "ICML",
        ),
        ("- Paper: [A study of X](https://arxiv.org/abs/2501.00001)", "A study of X", None),
        ("- ChatGPT: a study [paper](https://arxiv.org/abs/2501.00001)", "ChatGPT: a study", None),
    ],
)
def test_a_paper_field_label_opens_a_linked_title(line: str, title: str, venue: str | None) -> None:
    """``**Paper:**`` (or ``Paper:``) before a linked title is the field's label and the link
    text the title; a title of its own that opens with a name and a colon stays whole."""
    doc = awesome_list.parse(f"# L\n\n## S\n\n{line}\n")
    (entry,) = doc.entries
    assert (entry.title, entry.venue) == (title, venue)
    assert doc.render() == f"# L\n\n## S\n\n{line}\n"


@pytest.mark.parametrize(
    "line",
    [
        "- **Code:** [repo](https://github.com/a/b)",
        "- **Docs:** [Read more →](docs/x/)",
        "- __Web server:__ [site](https://example.org)",
        "- **Approach:** DL",
        "- **Code:** https://github.com/a/b",
    ],
)
def test_other_fields_are_neither_entries_nor_unreadable(line: str) -> None:
    """A field line of a paper's block (its code, docs, approach) beside a paper entry: the
    section lists papers, so an unreadable item would be reported; this one is no item."""
    paper = "- **Paper:** [A study of X](https://arxiv.org/abs/2501.00001)"
    doc = awesome_list.parse(f"# L\n\n## S\n\n{paper}\n{line}\n")
    assert [e.title for e in doc.entries] == ["A study of X"]
    assert list(doc.problems) == []


def test_a_paper_column_after_the_title_column_links_the_paper() -> None:
    """``| Time | Title | Venue | Paper | Code |`` with ``[link]`` in both link columns (a real
    list's shape): "Paper" there is the paper's link, not a second title, so the code column
    keeps the code and a new row puts each link in its own column."""
    text = (
        "# L\n\n## Papers\n\n"
        "| Time | Title | Venue | Paper | Code |\n"
        "| --- | --- | :---: | :---: | :---: |\n"
        "| 2025.04 | **Efficient Reasoning Models** | arXiv'25 | [link](https://arxiv.org/pdf/2504.10903)"
        " | [link](https://github.com/a/efficient) |\n"
        "| 2025.03 | **Stop Overthinking** | arXiv'25 | [link](https://arxiv.org/pdf/2503.16419)"
        " | - |\n"
        "| 2025.03 | **Reasoning Economy** | ACL'25 | [link](https://arxiv.org/abs/2503.24377)"
        " | [link](https://github.com/b/economy) |\n"
    )
    doc = awesome_list.parse(text)
    first = doc.entries[0]
    assert (first.paper_url, first.code_url) == (
        "https://arxiv.org/pdf/2504.10903",
        "https://github.com/a/efficient",
    )
    assert style_check.check(doc).matched == 3
    line, _ = _add(doc, "Papers")
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[3] == "[link](https://arxiv.org/pdf/2510.04321)"  # the list links PDFs
    assert cells[4] == "[link](https://github.com/someone/sparse)"


def test_a_paper_column_of_linked_badges_links_the_paper() -> None:
    """A real list (swagshaw/Awesome-Speech-and-Audio-Continual-Learning) links each paper
    from a badge in its "Paper" column: ``[![Paper](https://img.shields.io/…)](https://arxiv.
    org/abs/…)``. Its 156 rows were read as none (a badge was taken for an image only, and
    the rows had no paper link); a linked badge points at the paper. A row with no link
    (``| - |``) is still unreadable, and a new row carries the badge."""
    badge = "[![Paper](https://img.shields.io/badge/Paper-A42C25?style=for-the-badge)]"
    text = "# L\n\n## Surveys\n\n| Year | Title | Venue | Paper | TLDR |\n|:-:|:-|:-|:-:|:-|\n" + (
        "".join(
            f"| 2025 | Continual speech model {k} | arXiv | {badge}(https://arxiv.org/abs/2510.1000{k})"
            f" | Studies speech model {k}. |\n"
            for k in range(1, 4)
        )
        + "| 2024 | A benchmark without a link | - | - | No link. |\n"
    )
    doc = awesome_list.parse(text)
    assert [e.paper_url for e in doc.entries] == [
        f"https://arxiv.org/abs/2510.1000{k}" for k in range(1, 4)
    ]
    assert [e.keys.arxiv_id for e in doc.entries] == [f"2510.1000{k}" for k in range(1, 4)]
    assert [p.message for p in doc.problems] == ["table row without a paper link"]
    assert style_check.check(doc).share == 1.0
    line, _ = _add(doc, "Surveys")
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[3] == f"{badge}(https://arxiv.org/abs/2510.04321)"


@pytest.mark.parametrize("header", ["| Title | Venue | Code |", "| Title | Paper | Code |"])
def test_a_tables_paper_link_labelled_with_its_venue_gives_the_venue(header: str) -> None:
    """Real tables label each paper's link with its venue: ``| **Title** | [ICML 2025](u)
    |`` under a "Venue" column (Pandalin98/Awesome-Time-Series-QA-Papers) or a "Paper" one
    (juntaic7/Awesome-Single-Cell-Foundation-Models: ``[Nature](u)``, ``[bioRxiv](u)``).
    The label is the row's venue; a new row was written with another row's label."""
    rows = [
        ("ITFormer: Bridging Time Series and Language", "ICML 2025", "2506.20093"),
        ("ChatTime: A Multimodal Time Series Model", "AAAI 2025", "2412.11376"),
        ("ChatTS: Aligning Time Series with LLMs", "VLDB 2025", "2412.03104"),
    ]
    text = f"# L\n\n## Papers\n\n{header}\n| --- | --- | --- |\n" + "".join(
        f"| **{t}** | [{v}](https://arxiv.org/abs/{i}) | [Github](https://github.com/a/{i}) |\n"
        for t, v, i in rows
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.paper_url) for e in doc.entries] == [
        (t, v, f"https://arxiv.org/abs/{i}") for t, v, i in rows
    ]
    assert style_check.check(doc).share == 1.0
    line = _accepted(doc, "Papers", "Sparse series")
    assert line.startswith("| **Sparse series** | [CVPR 2026](https://arxiv.org/abs/2510.04322) |")


def test_a_table_without_outer_pipes_and_bold_cells_is_read() -> None:
    """A real list (Jun-Pu/Awesome-Quantum-Computer-Vision) writes its tables as GFM allows,
    without outer pipes, the header too, and bolds its year and venue cells: ``**2023** |
    **CVPR** | [Title](u) <br><sub> **QMMF:** a summary``. Its 16 rows were read as none.
    The bold is the table's, the summary the row's own: a new row is bold where the table
    is, and has no summary (it was left with a dangling ``<br><sub> **``)."""
    text = (
        "# L\n\n### Year 2023\n\n**Year** | **Publication** | **Title** | **Preprint**\n"
        ":-: | :-:| :- | :-:\n"
        + "".join(
            f"**2023** | **CVPR** | [Quantum model {k}](https://openaccess.thecvf.com/p{k}.pdf)"
            f" <br><sub> **QM{k}:** Formulating problem {k} as a QUBO. | "
            f"[arXiv](https://arxiv.org/abs/2303.1544{k})\n"
            for k in range(1, 4)
        )
    )
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [(e.title, e.venue, e.date, e.keys.arxiv_id) for e in doc.entries] == [
        (f"Quantum model {k}", "CVPR", "2023", f"2303.1544{k}") for k in range(1, 4)
    ]
    assert style_check.check(doc).share == 1.0
    line, _ = _add(doc, "Year 2023")
    assert line.startswith("**2025** | **arXiv** | [Sparse experts")
    assert "<sub>" not in line and "**QM" not in line


@pytest.mark.parametrize(
    ("tail", "heading"),
    [
        # ddlBoJack/Awesome-Speech-Pretraining: a new entry ended ``- *``, an emphasis opened
        # and never closed.
        (" - *A Author{k} et al*, `ACL 2021`", "Papers"),
        # 0xSweet/awesome-llm-security-alignment (and weimingwill/awesome-federated-learning's
        # ``[[Github]](u) [ACMMM20]``): a new entry ended in ``[``.
        (" [arXiv:2101.0759{k}] — Defines risk number {k}.", "Safety"),
    ],
)
def test_the_mark_that_opens_an_entrys_own_words_is_never_left_in_a_new_one(
    tail: str, heading: str
) -> None:
    """Real lists end each entry with words of its own after its links, opened by an
    emphasis (``- [Title](u) - *S Schneider et al*, `INTERSPEECH 2019```) or a bracket
    (``- [Title](u) [arXiv:1606.06565] — A description.``). The own words began after that
    mark, so it was left in every new entry."""
    text = f"# L\n\n## {heading}\n\n" + "".join(
        f"- [Speech model number {k}](https://arxiv.org/abs/2101.0759{k})" + tail.format(k=k) + "\n"
        for k in range(1, 4)
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    assert _written(doc, heading).line == "- [Sparse experts](https://arxiv.org/abs/2510.04321)"


def test_a_cell_that_links_the_paper_and_its_code_keeps_the_papers_link() -> None:
    """A real list (Keytoyze/Awesome-RecSys-Fairness) links each paper and its code in one
    "Resources" column: ``| [[pdf](u)] [[code](u)] |``. A new paper without code lost its
    paper's link with the code's (``| - |``), so every new row was refused; and a column
    the header does not name as links, but which links the paper, is the paper's."""
    rows = [
        ("Beyond Parity: Fairness Objectives", "NIPS 2017", "1709.00001", "a/parity"),
        ("Fairness of Exposure in Rankings", "KDD 2018", "1802.07281", None),
        ("Controlling Fairness and Bias", "SIGIR 2020", "2005.14713", "b/dynamic"),
    ]
    text = "# L\n\n## Fairness\n\n| Title | Published | Resources |\n| --- | --- | --- |\n"
    for title, venue, aid, repo in rows:
        code = f" [[code](https://github.com/{repo})]" if repo else ""
        text += f"| {title} | {venue} | [[pdf](https://arxiv.org/pdf/{aid})]{code} |\n"
    doc = awesome_list.parse(text)
    assert [e.code_url for e in doc.entries] == ["https://github.com/a/parity", None,
                                                 "https://github.com/b/dynamic"]  # fmt: skip
    assert style_check.check(doc).share == 1.0
    plain = _written(doc, "Fairness")
    assert plain.line.endswith("| [[pdf](https://arxiv.org/pdf/2510.04321)] |")
    line, _ = _add(doc, "Fairness")  # a paper with code
    assert line.endswith(
        "| [[pdf](https://arxiv.org/pdf/2510.04321)] [[code](https://github.com/someone/sparse)] |"
    )


@pytest.mark.parametrize(
    ("header", "cell"),
    [
        # MachineLearningLifeScience/awesome-protein-foundation-models
        ("| Model | Paper | Venue | Year |", "[{title}](https://doi.org/10.1006/{k})"),
        # YuzheWangPKU/awesome-protein-ligand-interactions
        ("| Name | Paper Title | Venue | Year |", "{title} [[paper]](https://doi.org/10.1006/{k})"),
    ],
)
def test_a_table_that_names_its_methods_first_has_its_titles_where_the_paper_is(
    header: str, cell: str
) -> None:
    """Tables that name each method first (``| Model | Paper |``, ``| Name | Paper Title
    |``) took the name for the title and the paper's title for a link label, which a new row
    then copied: every new row carried the first paper's title. The title is the paper's
    column when its rows hold titles; the name is the row's own."""
    titles = ["Hidden Markov Models in Biology", "Gapped BLAST and PSI-BLAST search",
              "Sequence co-evolution gives contacts"]  # fmt: skip
    text = f"# L\n\n## Models\n\n{header}\n| --- | --- | --- | --- |\n" + "".join(
        f"| M{k} | {cell.format(title=t, k=k)} | Nature | 199{k} |\n" for k, t in enumerate(titles)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == titles
    assert style_check.check(doc).share == 1.0
    line, _ = _add(doc, "Models")
    assert "Sparse experts for everyone" in line and not any(t in line for t in titles)
    assert not any(f"M{k}" in line for k in range(3))  # another row's name neither


def test_a_paper_column_of_journal_names_is_no_title_column() -> None:
    """``| Model | Date | Paper |`` whose paper cells are ``[Nature](u), [bioRxiv](u)``
    (juntaic7/Awesome-Single-Cell-Foundation-Models): the model's name stays the title."""
    text = "# L\n\n## Models\n\n| Model | Date | Paper |\n| --- | --- | --- |\n" + "".join(
        f"| Cell model {k} | 2026-0{k}-01 | [Nature](https://www.nature.com/articles/s{k}), "
        f"[bioRxiv](https://www.biorxiv.org/content/10.1101/2025.0{k}.01.1)|\n"
        for k in range(1, 4)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == [f"Cell model {k}" for k in range(1, 4)]


def test_a_results_table_linking_within_the_page_holds_no_papers() -> None:
    """A leaderboard (Run542968/Awesome-3D-Human-Motion-Generation, wyzjack/Awesome-3D-
    AnomalyDetection) links each model to its place in the page: ``| 2022 | ECCV | [TM2T](#1006)
    | 0.424 |``. Its 45 rows were read as papers whose link was ``#1006``."""
    text = (
        "# L\n\n## Results\n\n| ID | Year | Venue | Model | Top-1 |\n"
        "| :-: | :-: | :-: | :-: | :-: |\n"
        "| 6 | 2022 | ECCV | [TM2T](#1006) | 0.424 |\n"
        "| 7 | 2023 | CVPR | [T2M-GPT](#1007) | 0.491 |\n"
    )
    doc = awesome_list.parse(text)
    assert doc.entries == () and doc.render() == text


def test_a_name_in_bold_before_a_rows_title_is_the_rows_own() -> None:
    """``| ***LDCast*** - Latent diffusion models for nowcasting |`` (hoonerg/Awesome-
    Diffusion-Models-for-Weather-Forecasting): the title was read with its asterisks and the
    name, and written back escaped."""
    text = (
        "# L\n\n## Nowcasting\n\n| Title | Task | Venue | Date | Link |\n|---|---|---|---|---|\n"
        + "".join(
            f"| ***Cast{k}*** - Latent diffusion model number {k} for nowcasting | Nowcasting | - "
            f"| 2023.0{k} | [[paper]](https://arxiv.org/pdf/2304.1289{k}.pdf) |\n"
            for k in range(1, 4)
        )
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.lead) for e in doc.entries] == [
        (f"Latent diffusion model number {k} for nowcasting", f"***Cast{k}*** - ")
        for k in range(1, 4)
    ]
    assert style_check.check(doc).share == 1.0
    # A bold title before its description is no name: no more than three words are.
    row = "| **Attention Is All You Need** - the transformer | NLP | - | 2017.06 | [[paper]]"
    titled = awesome_list.parse(text + row + "(https://arxiv.org/abs/1706.03762) |\n")
    assert titled.entries[-1].lead == ""


def test_a_label_in_code_with_brackets_is_a_label() -> None:
    """``- **Humanml3D** | [`[project]`](u) | [`[paper]`](u)``: a label in a code span may
    hold brackets; the links were not seen at all."""
    line = (
        "- **PoseScript** | [`[project]`](https://github.com/naver/posescript) | "
        "[`[paper]`](https://arxiv.org/pdf/2210.11795)"
    )
    parts = entry_syntax.parse_bullet(line)
    assert parts is not None and parts.title == "PoseScript"
    found = entry_syntax.roles(parts)
    assert found.paper is not None and found.paper.url == "https://arxiv.org/pdf/2210.11795"
    assert found.paper.word == "paper"
    assert found.code is not None and found.code.url == "https://github.com/naver/posescript"


def test_a_preprint_is_written_as_the_list_writes_its_preprints() -> None:
    """swagshaw/Awesome-Speech-and-Audio-Continual-Learning gives a paper on arXiv a red
    badge and a journal's paper a blue one; YuzheWangPKU/awesome-protein-ligand-interactions
    labels a bioRxiv paper ``[[preprint]]`` and a journal's ``[[paper]]``. A new paper, nearly
    always a preprint, got the form of the majority (79.5% of the speech list written back,
    96.8% now). A list that writes both alike has no preprint form."""
    red = "[![Paper](https://img.shields.io/badge/Paper-A42C25?logo=arxiv)]"
    blue = "[![Paper](https://img.shields.io/badge/Paper-1F4E79)]"
    rows = [
        (red, "https://arxiv.org/abs/2601.05543"),
        (blue, "https://doi.org/10.1109/icassp55912.2026.1"),
        (blue, "https://doi.org/10.21437/interspeech.2025-2"),
        (red, "https://arxiv.org/abs/2512.17932"),
        (blue, "https://doi.org/10.1109/access.2024.3"),
    ]
    text = "# L\n\n## Speech\n\n| Year | Title | Venue | Paper |\n|:-:|:-|:-|:-:|\n" + "".join(
        f"| 2025 | Continual speech model {k} | arXiv | {badge}({url}) |\n"
        for k, (badge, url) in enumerate(rows)
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    line, _ = _add(doc, "Speech")
    assert f"{red}(https://arxiv.org/abs/2510.04321)" in line
    # Bullets: [[preprint]] on bioRxiv (its DOI too), [[paper]] elsewhere.
    bullets = "# L\n\n## Docking\n\n" + "".join(
        f"- Docking model {k} [[{label}]]({url})\n"
        for k, (label, url) in enumerate(
            [
                ("paper", "https://doi.org/10.1039/C9SC06017K"),
                ("preprint", "https://doi.org/10.1101/2020.07.29.227959"),
                ("paper", "https://doi.org/10.1021/acs.jcim.3c00773"),
                ("preprint", "https://www.biorxiv.org/content/10.1101/2024.01.01.1"),
                ("paper", "https://www.nature.com/articles/s41586-023-06291-2"),
            ]
        )
    )
    doc = awesome_list.parse(bullets)
    assert style_check.check(doc).share == 1.0
    assert _written(doc, "Docking").line.endswith("[[preprint]](https://arxiv.org/abs/2510.04321)")
    alike = awesome_list.parse(bullets.replace("[[preprint]]", "[[paper]]"))
    assert _written(alike, "Docking").line.endswith("[[paper]](https://arxiv.org/abs/2510.04321)")


def test_a_padded_table_gets_its_new_rows_padded() -> None:
    """Tables aligned by a formatter pad each cell to its column's width (Keytoyze/Awesome-
    RecSys-Fairness, 7.7% written back before, 92.3% now): each row's spaces made it a shape
    of its own, and a new row took one row's spaces. A new row is padded as the table is, a
    cell longer than its column left as it is; a table with fixed margins around its
    contents (``|   arXiv'25     |``) is not padded."""
    header = "| Title                          | Published   | Resources                  |\n"
    rule = "| ------------------------------ | ----------- | -------------------------- |\n"
    papers = [
        ("Beyond Parity: Fairness", "NIPS 2017", "1709.00001"),
        ("Fairness of Exposure", "KDD ’18", "1802.07281"),
        ("Controlling Fairness and Bias in Learning to Rank", "SIGIR ’20", "2005.14713"),
        ("Equity of Attention", "SIGIR ’18", "1805.01788"),
    ]
    rows = [
        f"| {t.ljust(30)} | {v.ljust(11)} | [[pdf](https://arxiv.org/pdf/{i})] |\n"
        for t, v, i in papers
    ]  # fmt: skip
    doc = awesome_list.parse("# L\n\n## Fairness\n\n" + header + rule + "".join(rows))
    style = doc.section_style(doc.section("Fairness"))
    assert style.column_widths[:2] == (32, 13)
    # Its "Published" column holds venues, not dates: the venue column.
    assert [e.venue for e in doc.entries] == [v for _, v, _ in papers]
    assert all(e.date is None for e in doc.entries)
    assert style_check.check(doc).share == 1.0
    written = _written(doc, "Fairness", title="Sparse experts").line
    assert written.startswith("| Sparse experts                 | ")
    assert [len(c) for c in written.split("|")[1:3]] == [32, 13]
    assert "2025-10-08" not in written
    margins = "# L\n\n## Surveys\n\n| Time | Title | Venue |\n| --- | --- | --- |\n" + "".join(
        f"| 2025.0{k} | [Survey {k}](https://arxiv.org/abs/2503.2307{k}) |   {v}     |\n"
        for k, v in enumerate(["arXiv'25", "OpenAI'25", "arXiv'25"])
    )
    plain = awesome_list.parse(margins)
    assert plain.section_style(plain.section("Surveys")).column_widths == ()
    assert style_check.check(plain).share == 1.0


def test_authors_and_a_description_after_a_linked_title_are_never_copied() -> None:
    """A real list (js-lee-AI/awesome-llm-agent-papers, 499 entries, 5.8% written back
    before, 98.2% now) writes ``- **[Title](u)** (Xi et al., arXiv 2023) - *a description*
    [[code](u)]``. The bracket of authors was taken for the entry's date, and every new entry
    was written with another paper's authors, venue and description."""
    lines = [
        "- **[The Rise of LLM Agents: A Survey](https://arxiv.org/abs/2309.07864)** "
        "(Xi et al., arXiv 2023) - *One of the two seminal surveys.* "
        "[[code](https://github.com/WooooDyy/LLM-Agent-Paper-List)]",
        "- **[A Survey on LLM-based Agents](https://arxiv.org/abs/2308.11432)** "
        "(Wang et al., arXiv 2023) - *The canonical general survey.* "
        "[[code](https://github.com/Paitesanshi/LLM-Agent-Survey)]",
        "- **[Agents in Medicine](https://arxiv.org/abs/2401.00001)** (Chen et al., arXiv 2024)"
        " - *Agents for clinics.*",
        "- **[Agent Memory](https://arxiv.org/abs/2401.00002)** (Lee et al., arXiv 2024)"
        " - *How agents remember.*",
    ]
    doc = awesome_list.parse("# L\n\n## Surveys\n\n" + "".join(line + "\n" for line in lines))
    assert style_check.check(doc).share == 1.0
    plain = _written(doc, "Surveys", title="Sparse experts").line
    assert plain == "- **[Sparse experts](https://arxiv.org/abs/2510.04321)**"
    coded, _ = _add(doc, "Surveys")
    assert coded == (
        "- **[Sparse experts for everyone](https://arxiv.org/abs/2510.04321)** "
        "[[code](https://github.com/someone/sparse)]"
    )


def test_a_description_after_a_bold_title_is_the_entrys_own() -> None:
    """xaddwell/Awesome-LLM-Agent-Memory writes ``- **Title** A description.␠␠`` and its link
    on the next line: the description was read into the title (``**Title** Proposes ...``),
    and a new entry was written without the bold. Now the title is the bold words, the
    description the entry's own, and a new entry is bold with no description."""
    lines = [
        f"- **Agent memory survey number {k}** Proposes a taxonomy of memory number {k}.  \n"
        f"  [[Paper](https://arxiv.org/abs/2505.0067{k})]\n\n"
        for k in range(1, 4)
    ]
    doc = awesome_list.parse("# L\n\n## Surveys\n\n" + "".join(lines))
    assert [e.title for e in doc.entries] == [f"Agent memory survey number {k}" for k in (1, 2, 3)]
    assert style_check.check(doc).share == 1.0
    written = _written(doc, "Surveys", title="Sparse experts")
    assert written.line == "- **Sparse experts**  "
    assert "Proposes" not in "\n".join((written.line, *written.details))


def test_an_entry_whose_paper_is_linked_by_a_badge_is_read_and_written() -> None:
    """EuniAI/awesome-code-agents writes each paper on three lines: ``- **Title.**␠␠``, its
    authors and venue, then ``[![Paper](…badge…)](https://arxiv.org/abs/…)`` with a kind
    badge. Its 225 entries were read as none: a badge linking the paper was no paper link.
    A new entry is written on its three lines with the paper's badge, once, and no other
    entry's kind badge. A line whose link lost its ``[`` is refused, not read with
    ``](https://…`` in its title."""
    badge = "[![Paper](https://img.shields.io/badge/Paper-A42C25?logo=arxiv)]"
    text = "# L\n\n## Models\n\n" + "".join(
        f"- **Code model number {k}.**  \n  _Ann Lee{k}, Bo Wu, et al._ arXiv 2025/0{k}.  \n"
        f"  {badge}(https://arxiv.org/abs/2506.1802{k}) "
        "![Model](https://img.shields.io/badge/Model-E76F51)\n\n"
        for k in range(1, 4)
    )
    doc = awesome_list.parse(text)
    assert [e.keys.arxiv_id for e in doc.entries] == [f"2506.1802{k}" for k in range(1, 4)]
    assert [e.title for e in doc.entries] == [f"Code model number {k}." for k in range(1, 4)]
    assert style_check.check(doc).share == 1.0
    written = _written(doc, "Models", title="Sparse experts", authors=("Ann Lee", "Bo Wu"))
    assert written.line == "- **Sparse experts.**  "
    assert written.details == (
        "  _Ann Lee, Bo Wu_ arXiv 2025/10.  ",
        f"  {badge}(https://arxiv.org/abs/2510.04321)",
    )
    broken = awesome_list.parse(
        "# L\n\n## Video\n\n+ [Video model one](https://arxiv.org/abs/2504.00001) (Apr, 2025)\n"
        "+ Video model two](https://arxiv.org/abs/2504.21855) (Apr, 2025)\n"
        "  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2504.21855)\n"
    )
    assert [e.title for e in broken.entries] == ["Video model one"]
    assert [p.line_no for p in broken.problems] == [6]  # unreadable, and shown


def test_an_entrys_own_description_is_never_copied_into_a_new_one() -> None:
    """``- [Title](u) (2021) - a description `[tags]``` (a real list's shape): the year is
    the entry's date, the description its own words; a new entry is written with its own
    year and no description, never another paper's, and each entry reads back whole."""
    text = (
        "# L\n\n## Lightweight architectures\n\n"
        "- [Hydra](https://arxiv.org/abs/2203.13652) (2022) - Competing convolutional kernels"
        " for fast time-series classification. `[📄 paper] [⚡ efficient]`\n"
        "- [MultiROCKET](https://arxiv.org/abs/2102.00457) (2021) - Extends ROCKET with"
        " multiple pooling operators. `[📄 paper] [💻 code]`\n"
        "- [MiniROCKET](https://arxiv.org/abs/2012.08791) (2020) - A faster deterministic"
        " ROCKET variant. `[📄 paper]`\n"
    )
    doc = awesome_list.parse(text)
    assert [e.date for e in doc.entries] == ["2022", "2021", "2020"]
    assert [e.title for e in doc.entries] == ["Hydra", "MultiROCKET", "MiniROCKET"]
    assert style_check.check(doc).matched == 3
    line, after = _add(doc, "Lightweight architectures")
    assert line == "- [Sparse experts for everyone](https://arxiv.org/abs/2510.04321) (2025)"
    assert after.render().replace(line + "\n", "", 1) == text


def test_a_rows_authors_after_its_title_are_never_copied_into_a_new_row() -> None:
    """``| [Title](u) <br> Ann Lee, Bo Wu | ICML'24 | ... |``: the words after a row's title
    are the row's own (its authors), written back for the row itself and never into a new
    row; a ``<br>`` alone after the title (mllm-tables) is the table's form and stays."""
    text = (
        "# L\n\n## Papers\n\n| Title | Venue | Code |\n| --- | --- | --- |\n"
        "| [Alpha paper](https://arxiv.org/abs/2401.00001) <br> Ann Lee, Bo Wu | ICML'24 |"
        " [Github](https://github.com/a/alpha) |\n"
        "| [Beta paper](https://arxiv.org/abs/2401.00002) <br> Cy Dee | ICLR'24 |"
        " [Github](https://github.com/b/beta) |\n"
        "| [Gamma paper](https://arxiv.org/abs/2401.00003) <br> Ed Fox | NeurIPS'23 | - |\n"
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).matched == 3
    line, after = _add(doc, "Papers")
    assert line == (
        "| [Sparse experts for everyone](https://arxiv.org/abs/2510.04321) | arXiv'25 |"
        " [Github](https://github.com/someone/sparse) |"
    )
    assert after.render().replace(line + "\n", "", 1) == text


def test_a_section_folded_in_one_details_block_gets_its_new_entries_inside() -> None:
    """A long section behind "click to expand" (one ``<details>`` block around all its
    entries): a new entry goes among its siblings, inside the block, not before it."""
    text = (
        "# L\n\n## Papers\n\n<details>\n<summary>Click to expand</summary>\n\n"
        "- A first paper [[Paper]](https://arxiv.org/abs/2401.00001)\n"
        "- A second paper [[Paper]](https://arxiv.org/abs/2401.00002)\n\n</details>\n"
    )
    doc = awesome_list.parse(text)
    line, after = _add(doc, "Papers")
    lines = after.render().split("\n")
    assert lines.index(line) > lines.index("<details>")
    assert lines.index(line) < lines.index("</details>")
    assert after.render().replace(line + "\n", "", 1) == text


# ---------------------------------------------------------------- entries on two lines


def test_a_list_of_two_line_entries_reads_each_and_writes_a_new_one_alike() -> None:
    """A real list that writes each paper on two lines: ``- **Title**`` ending in a hard
    line break, then ``  *Authors*. [[pdf](u)], [[code](u)], 2025.03. ![](…/Arxiv-orange)
    ![](…/s1-blue)``. Each is one entry, its links, date and venue badge read from its
    second line; a new paper is written on two lines too, with its own authors, date and
    venue badge and none of another entry's (its name badge, its code), in date order. (An
    unindented second line, which later versions of the list have, is read too: see
    ``test_a_title_only_item_is_no_entry_without_links_on_its_next_line``.)"""
    path = LISTS / "efficient-reasoning" / "README.md"
    doc = awesome_list.load(path)
    assert doc.render().encode("utf-8") == path.read_bytes()
    assert len(doc.entries) == 370 and list(doc.problems) == []
    s1 = next(e for e in doc.entries if e.line_no == 75)
    assert (s1.title, s1.keys.arxiv_id, s1.code_url, s1.date, s1.venue) == (
        "s1: Simple test-time scaling",
        "2501.19393",
        "https://github.com/simplescaling/s1",
        "2025.01",
        "Arxiv",
    )
    assert s1.raw.count("\n") == 1 and s1.details == ()
    assert next(e for e in doc.entries if e.line_no == 77).venue == "COLM2025"
    check = style_check.check(doc)
    assert check.share >= STYLE_TARGET

    new = _written(
        doc, "Survey", title="Sparse experts for everyone", authors=("Ann Lee", "Bo *Wu*")
    )
    assert new.line == "- **Sparse experts for everyone**  "
    assert new.details == (
        "  *Ann Lee, Bo \\*Wu\\**. [[pdf](https://arxiv.org/pdf/2510.04321)], 2025.10. "
        "![](https://img.shields.io/badge/Arxiv-orange)",
    )
    after = doc.insert([new]).document
    lines = after.render().split("\n")
    at = lines.index(new.line)
    assert lines[at - 2].startswith("- **Implicit Reasoning in Large Language Models")  # 2025.09
    assert lines[at + 2] == ""  # the section's last entry: the list is oldest first
    assert after.render().replace(new.line + "\n" + new.details[0] + "\n", "", 1) == doc.render()
    read = next(e for e in after.entries if e.keys.arxiv_id == "2510.04321")
    assert (read.title, read.date, read.venue) == (
        "Sparse experts for everyone",
        "2025.10",
        "Arxiv",
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_hostile, authors=st.lists(_hostile, min_size=1, max_size=3))
def test_a_hostile_title_and_authors_on_two_lines_only_add_one_entry(
    title: str, authors: list[str]
) -> None:
    """Whatever the title and authors hold, a two-line list gets one entry: its item line
    and its continuation, every other byte as it was."""
    text = (
        "# L\n\n## Papers\n\n"
        "- **A first paper**  \n"
        "  *Ann Lee*. [[pdf](https://arxiv.org/pdf/2401.00001)], 2024.01.\n"
        "- **A second paper**  \n"
        "  *Bo Wu, Cy Ng*. [[pdf](https://arxiv.org/pdf/2402.00002)], 2024.02.\n"
    )
    doc = awesome_list.parse(text)
    paper = Paper(
        id="2510.04321",
        source=Origin.ARXIV,
        title=title,
        abstract="x",
        authors=tuple(authors),
        date=dt.date(2025, 10, 8),
    )
    try:
        new = proposing.new_entry(doc, _proposal(paper, "Papers"), Renderer(), dt.date(2025, 10, 8))
    except InputError:  # no author with a visible name: the style's authors cannot be filled
        assert not any(one_line(a) for a in authors)
        return
    after = doc.insert([new]).document
    added = [new.line, *new.details]
    assert all("\n" not in line and "\r" not in line for line in added)
    assert after.render().replace("".join(line + "\n" for line in added), "", 1) == text
    (read,) = [e for e in after.entries if e.keys.arxiv_id == "2510.04321"]
    assert read.date == "2025.10" and len(after.entries) == 3


def test_a_title_only_item_is_no_entry_without_links_on_its_next_line() -> None:
    """A bold group name with its papers nested under it stays a group, not an entry; a
    title with a venue and links on its next line (``NeurIPS 2025, [Paper](u)``) is one,
    the venue read there; a mark before a bold title (``🌟``) is not the title's; a
    table of contents (links within the page) is no unreadable line."""
    text = (
        "# L\n\n- [Papers](#papers)\n\n## Papers\n\n"
        "- **Group name**\n"
        "  - A nested paper [[Paper]](https://arxiv.org/abs/2401.00001)\n"
        "- 🌟 **A highlighted paper**  \n"
        "NeurIPS 2025, [Paper](https://arxiv.org/pdf/2505.03739.pdf), [Project](https://x.io/)\n"
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == ["A nested paper", "A highlighted paper"]
    star = doc.entries[1]
    assert (star.venue, star.keys.arxiv_id) == ("NeurIPS 2025", "2505.03739")
    assert [p.line_no for p in doc.problems] == [7]  # the group name: no link at all
    assert doc.render() == text


@pytest.mark.parametrize(
    ("links", "form"),
    [
        (["https://arxiv.org/pdf/2501.00001", "https://arxiv.org/pdf/2502.00002v3"], "pdf"),
        (["https://arxiv.org/pdf/2501.00001.pdf", "https://arxiv.org/abs/2502.00002"], "abs"),
        (
            ["https://arxiv.org/pdf/2501.00001.pdf", "https://arxiv.org/pdf/2502.00002.pdf"],
            "pdf.pdf",
        ),
        (["https://openreview.net/pdf?id=x", "https://doi.org/10.1/x"], "abs"),
    ],
)
def test_a_new_entry_links_arxiv_as_the_list_does(links: list[str], form: str) -> None:
    """A new arXiv paper is linked in the form most of the section's arXiv links take (its
    abstract page, its PDF, the PDF with ``.pdf``; versions left out); with no majority, or
    no arXiv link at all, its abstract page; a paper not on arXiv keeps its own link."""
    text = "# L\n\n## Papers\n\n" + "".join(
        f"- Paper {k} [[paper]]({url})\n" for k, url in enumerate(links)
    )
    doc = awesome_list.parse(text)
    line, after = _add(doc, "Papers")
    want = {
        "pdf": "https://arxiv.org/pdf/2510.04321",
        "pdf.pdf": "https://arxiv.org/pdf/2510.04321.pdf",
        "abs": "https://arxiv.org/abs/2510.04321",
    }[form]
    assert f"({want})" in line
    assert next(e for e in after.entries if e.keys.arxiv_id == "2510.04321")
    # A paper from arXiv's RSS feed (or a replay) is an arXiv paper too.
    fed = Paper(
        id="2510.04330", source=Origin.RSS, title="From the feed", date=dt.date(2025, 10, 8)
    )
    line, _ = _add(doc, "Papers", fed)
    assert f"({want.replace('2510.04321', '2510.04330')})" in line
    rxiv = Paper(id="doi:10.1101/2025.10.01.123456", source=Origin.BIORXIV, title="A cell atlas",
                 date=dt.date(2025, 10, 8))  # fmt: skip
    line, _ = _add(doc, "Papers", rxiv)
    assert "(https://www.biorxiv.org/content/10.1101/2025.10.01.123456)" in line


def test_a_linked_title_on_a_publishers_site_with_year_and_authors_after_it() -> None:
    """``- [**Title**](https://ieeexplore.ieee.org/…) (2022) by *Lee, A.* [code](u)`` (a real
    list's shape): a linked title on a publisher's site is the paper (one on GitHub is a
    tool, not a paper); the bracketed year and the authors after "by" are the entry's own
    fields, so a new entry writes its own year and authors, never a neighbour's."""
    text = (
        "# L\n\n## Methods\n\n"
        "- [**A study of X**](https://ieeexplore.ieee.org/document/9810094) (2022) by *Lee, A.,"
        " & Wu, B.* [https://github.com/a/x](https://github.com/a/x)\n"
        "- [**A study of Y**](https://link.springer.com/chapter/10.1007/978-3-031-1_2) (2023) by"
        " *Ng, C.* [https://github.com/c/y](https://github.com/c/y)\n"
        "- [**A study of Z**](https://www.mdpi.com/1424-8220/21/21/7373) (2021) by *Oh, D.*\n"
        "- [**ToolKit: a library**](https://github.com/e/toolkit) (2024) by *Pak, E.*\n"
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.date) for e in doc.entries] == [
        ("A study of X", "2022"),
        ("A study of Y", "2023"),
        ("A study of Z", "2021"),
    ]
    assert [p.line_no for p in doc.problems] == [8]  # the tool on GitHub: no paper link
    code = "Code at https://github.com/someone/sparse."
    new = _written(doc, "Methods", abstract=code, authors=("Ann Lee", "Bo Wu"))
    assert new.line == (
        "- [**Sparse experts**](https://arxiv.org/abs/2510.04321) (2025) by *Ann Lee, Bo Wu*"
        " [https://github.com/someone/sparse](https://github.com/someone/sparse)"
    )
    new = _written(doc, "Methods", id="2510.04322", title="Plain", authors=("Cy Ng",))
    assert new.line == "- [**Plain**](https://arxiv.org/abs/2510.04322) (2025) by *Cy Ng*"
    check = style_check.check(doc)
    assert check.matched == 3, [m.rendered for m in check.mismatches]


def test_a_date_written_with_its_months_name() -> None:
    """``+ [Title](u) (Mar., 2023)`` and ``(Dec., 2024 | CVPR 2025)`` (a real list's shape):
    the bracket holds a month-named date (not a venue called "Mar."), and a venue after the
    bar; a new entry is dated the list's way, with the list's spelling of the month, where
    the list's date order puts it."""
    text = (
        "# L\n\n## Video Generation\n\n"
        "+ [Newest](https://arxiv.org/abs/2507.16116) (Sept., 2025)\n"
        "+ [Newer](https://arxiv.org/abs/2412.06016) (Dec., 2024 | CVPR 2025)\n"
        "+ [Older](https://arxiv.org/abs/2303.12644) (Mar., 2023)\n"
        "+ [Oldest](https://arxiv.org/abs/2212.03250) (Dec., 2022)\n"
    )
    doc = awesome_list.parse(text)
    assert [(e.date, e.venue) for e in doc.entries] == [
        ("Sept., 2025", None),
        ("Dec., 2024", "CVPR 2025"),
        ("Mar., 2023", None),
        ("Dec., 2022", None),
    ]
    for day, written in (
        (dt.date(2025, 10, 8), "Oct., 2025"),
        (dt.date(2025, 9, 1), "Sept., 2025"),
    ):
        paper = Paper(id="2510.04321", source=Origin.ARXIV, title="New", date=day)
        line, after = _add(doc, "Video Generation", paper)
        assert line == f"+ [New](https://arxiv.org/abs/2510.04321) ({written})"
        assert after.entries[0].keys.arxiv_id == "2510.04321"  # newest first
    # A venue's own bracket is no date: "(Nature, 2021)" is still a venue and a year.
    other = awesome_list.parse("# L\n\n## S\n\n- [A](https://doi.org/10.1/a) (Nature, 2021)\n")
    assert (other.entries[0].venue, other.entries[0].date) == ("Nature", "2021")


def test_tags_after_a_quoted_title_and_a_list_that_tags_published_papers_only() -> None:
    """``1. "Title" [2024-03] [ACL 2024] [[paper](u)]`` (a real list's shape, numbered): the
    date and venue tags after the title are the entry's date and venue, not its title; the
    list tags published papers only, so a new preprint gets no venue tag and a published
    paper its venue, with the venue's own year; the item is numbered where it goes."""
    text = (
        "# L\n\n## Surveys\n\n"
        '1. "Large Models Meet Code: A Survey" [2022-12] [ACL 2023]'
        " [[paper](https://arxiv.org/abs/2212.09420)]\n"
        '2. "A Survey of Code Models" [2023-02] [[paper](https://arxiv.org/abs/2302.04026)]\n'
        '3. "Code Intelligence: A Review" [2023-08] [[paper](https://arxiv.org/abs/2308.10620)]\n'
        '4. "Pitfalls in Code Models" [2023-10] [ICSE 2024]'
        " [[paper](https://arxiv.org/abs/2310.17903)]\n"
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.date, e.venue) for e in doc.entries] == [
        ("Large Models Meet Code: A Survey", "2022-12", "ACL 2023"),
        ("A Survey of Code Models", "2023-02", None),
        ("Code Intelligence: A Review", "2023-08", None),
        ("Pitfalls in Code Models", "2023-10", "ICSE 2024"),
    ]
    assert doc.render() == text
    # Each numbered as it stands, the tagged two with their tag and the untagged two without:
    # a venue tag is optional in one shape.
    assert style_check.check(doc).share == 1.0
    preprint = _written(doc, "Surveys", title="Sparse code experts")
    assert (
        doc.insert([preprint])
        .document.render()
        .endswith(
            '5. "Sparse code experts" [2025-10] [[paper](https://arxiv.org/abs/2510.04321)]\n'
        )
    )
    published = Paper(id="2510.04322", source=Origin.ARXIV, title="Published", date=dt.date(
        2025, 10, 8), comment="Accepted at ACL 2026")  # fmt: skip
    line, _ = _add(doc, "Surveys", published)
    assert line.endswith(
        ' "Published" [2025-10] [ACL 2026] [[paper](https://arxiv.org/abs/2510.04322)]'
    )


@pytest.mark.parametrize(
    ("line", "title", "lead"),
    [
        (  # a real list (codefuse-ai/Awesome-Code-LLM): the model's name, then its paper
            '1. **LaMDA**: "LaMDA: Language Models for Dialog Applications" [2022-01]'
            " [[paper](https://arxiv.org/abs/2201.08239)]",
            "LaMDA: Language Models for Dialog Applications",
            "**LaMDA**: ",
        ),
        (  # a real list (protein-contactmap): a name before a linked title
            "  - Boltz-1: [Boltz-1 Democratizing Biomolecular Interaction Modeling]"
            "(https://www.biorxiv.org/content/10.1101/2024.11.19.624167v4) (bioRxiv, 2025)",
            "Boltz-1 Democratizing Biomolecular Interaction Modeling",
            "Boltz-1: ",
        ),
        (  # the same list: the model it was built on, after its name
            '- **Codex** (GPT-3): "Evaluating Large Language Models Trained on Code" [2021-07]'
            " [[paper](https://arxiv.org/abs/2107.03374)]",
            "Evaluating Large Language Models Trained on Code",
            "**Codex** (GPT-3): ",
        ),
        (
            "- **Boltz-2**: [Boltz-2: Towards Accurate Binding](https://arxiv.org/abs/2506.14659)",
            "Boltz-2: Towards Accurate Binding",
            "**Boltz-2**: ",
        ),
        # A title that holds a colon, and a name before a link that is a label, stay titles.
        (
            "- USFM: A universal model [[paper]](https://arxiv.org/abs/2401.00153)",
            "USFM: A universal model",
            "",
        ),
        ("- Boltz-1: [paper](https://arxiv.org/abs/2401.00153)", "Boltz-1", ""),
        ("- Boltz-1: [Boltz 1](https://arxiv.org/abs/2401.00153)", "Boltz-1", ""),
        # A mark before a linked title (ddlBoJack/Awesome-Speech-Pretraining stars its
        # favourites; codefuse's news items are fired up): the title was read as "🌟".
        (
            "- 🌟 [wav2vec: Unsupervised Pre-training for Speech Recognition]"
            "(https://arxiv.org/abs/1904.05862) - *S Schneider et al*, `INTERSPEECH 2019`",
            "wav2vec: Unsupervised Pre-training for Speech Recognition",
            "🌟 ",
        ),
        (
            "- 🔥🔥 [GLM-5: Agentic Engineering](https://arxiv.org/abs/2602.15763)",
            "GLM-5: Agentic Engineering",
            "🔥🔥 ",
        ),
        # zhengxuJosh/Awesome-RAG-Vision writes the mark with no space after it: the title
        # was read as "🔥" and the paper's title as its venue.
        (
            "- 🔥[Visual RAG: Retrieval for Images](https://arxiv.org/abs/2502.18536)",
            "Visual RAG: Retrieval for Images",
            "🔥",
        ),
        # JXLiu-AI/Awesome-Medical-LLM-in-Top-Journals flags its newest papers with an image
        (
            '- <img src="https://img.shields.io/badge/NEW-FFD1DC" alt="new" align="top">&nbsp;'
            "**[Parental Perspectives on Chatbots in Rare Disease Care](https://doi.org/10.1056/"
            "aics2600199)**<br/>Kerr A et al. · *NEJM AI* · 2026-08-19",
            "Parental Perspectives on Chatbots in Rare Disease Care",
            '<img src="https://img.shields.io/badge/NEW-FFD1DC" alt="new" align="top">&nbsp;',
        ),
    ],
)
def test_a_methods_name_before_its_title_is_the_entrys_own(
    line: str, title: str, lead: str
) -> None:
    """Lists that name each method before its paper's title (``**LaMDA**: "Title"``,
    ``Boltz-1: [Title](u)``) are read with the paper's title as the title, and the name as
    the entry's own: written back, never part of the title nor copied to a new entry."""
    doc = awesome_list.parse(f"# L\n\n## Models\n\n{line}\n")
    assert doc.render() == f"# L\n\n## Models\n\n{line}\n"
    (entry,) = doc.entries
    assert entry.title == title
    assert entry.parts is not None and entry.parts.lead == lead
    assert style_check.check(doc).share == 1.0


def test_a_new_entry_never_copies_another_entrys_name() -> None:
    text = "# L\n\n## Models\n\n" + "".join(
        f'{k}. **M{k}**: "Model number {k} for code" [2024-0{k}]'
        f" [[paper](https://arxiv.org/abs/2401.0000{k})]\n"
        for k in range(1, 5)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == [f"Model number {k} for code" for k in range(1, 5)]
    assert style_check.check(doc).share == 1.0
    after = doc.insert([_written(doc, "Models", title="Sparse experts")]).document.render()
    (added,) = set(after.split("\n")) - set(text.split("\n"))
    assert added.endswith(' "Sparse experts" [2025-10] [[paper](https://arxiv.org/abs/2510.04321)]')
    assert added.split(" ", 1)[0] in ("1.", "5.")  # numbered where it goes


def test_a_rows_name_tag_and_affiliation_are_its_own_and_its_category_never_copied() -> None:
    """A real list's table (chengshuang18/Awesome-Efficient-dLLMs): ``|2024.10| AR-to-diffusion
    |[**DiffuLLaMA**] Title (@HKU) | [[pdf]](u) | [[code]](u) |ICLR 2025|``. The bracketed
    name and the affiliation are the row's own, not its title; the category is each row's
    own too, so a new row leaves it empty rather than filing the paper under another's."""
    rows = [
        ("2024.10", "AR-to-diffusion", "DiffuLLaMA", "Scaling Diffusion", "HKU", "2410.17891"),
        ("2025.07", "AR-to-diffusion", "Dream 7B", "Dream 7B: Diffusion", "HKU", "2508.15487"),
        ("2025.09", "AR-to-block", "SDLM", "Sequential Diffusion", "Shanghai AI", "2509.24007"),
        ("2025.10", "Encoder-Decoder", "E2D2", "Encoder-Decoder Diffusion", "UC", "2510.22852"),
    ]
    header = "|Date|Category|Title|Paper|Code|Venue|\n|:---:|:---|:---|:---:|:---:|:---:|\n"
    text = "# L\n\n## Training\n\n" + header
    for d, c, n, t, a, i in rows:
        text += f"|{d}| {c} |[**{n}**] {t} (@{a})  | [[pdf]](https://arxiv.org/pdf/{i}) | |arXiv|\n"
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [(e.title, e.lead) for e in doc.entries] == [
        (t, f"[**{n}**] ") for _, _, n, t, _, _ in rows
    ]
    assert style_check.check(doc).share == 1.0
    after = doc.insert([_written(doc, "Training", title="Sparse experts")]).document.render()
    (added,) = set(after.split("\n")) - set(text.split("\n"))
    assert (
        added == "|2025.10| |Sparse experts  | [[pdf]](https://arxiv.org/pdf/2510.04321) | |arXiv|"
    )


def test_a_venue_after_a_bar_in_the_dates_brackets_is_optional() -> None:
    """A real list (showlab/Awesome-Video-Diffusion) dates each paper ``(Oct., 2024)`` and
    adds the venue of a published one after a bar: ``(Dec., 2024 | CVPR 2025)``. Both are
    one shape, written back as they are; a new preprint gets the date alone, a published
    paper its venue after the bar, even when the entries around the new one have none."""
    lines = [
        "+ [Video Agents at Scale](https://arxiv.org/abs/2511.00001) (Nov., 2025)",
        "+ [Motion Priors for Video](https://arxiv.org/abs/2510.00002) (Oct., 2025)",
        "+ [Track Points in Video](https://arxiv.org/abs/2412.06016) (Dec., 2024 | CVPR 2025)",
        "+ [Decomposed Video Encoding](https://arxiv.org/abs/2410.24219) (Oct., 2024)",
        "+ [Masked Video Diffusion](https://arxiv.org/abs/2409.00003) (Sep., 2024 | NeurIPS 2024)",
    ]
    text = "# L\n\n## Video Generation\n\n" + "".join(line + "\n" for line in lines)
    doc = awesome_list.parse(text)
    assert [e.venue for e in doc.entries] == [None, None, "CVPR 2025", None, "NeurIPS 2024"]
    assert style_check.check(doc).share == 1.0
    preprint = _written(doc, "Video Generation", title="Sparse video experts")
    assert preprint.line == (
        "+ [Sparse video experts](https://arxiv.org/abs/2510.04321) (Oct., 2025)"
    )
    line = _accepted(doc, "Video Generation", "Published")
    assert line == "+ [Published](https://arxiv.org/abs/2510.04322) (Oct., 2025 | CVPR 2026)"


def test_a_venue_in_plain_words_after_a_bold_title_is_the_entrys_venue() -> None:
    """A real list (ChandlerBang/awesome-graph-attack-papers, CC0) writes ``1. **Title.**
    NeurIPS 2022. [[paper]](u)``: the venue in plain words after the bold title. It was read
    into the title (``**Title.** NeurIPS 2022``, its asterisks and all), and a new entry was
    written with the markers escaped and no venue. Now the venue is the entry's, and a new
    paper is written as the list writes one: its venue, or ``arxiv`` and its year."""
    lines = [
        "1. **Are Defenses for Graph Neural Networks Robust?** NeurIPS 2022. [[paper]]"
        "(https://www.cs.cit.tum.de/daml/are-gnn-defenses-robust/) [[code]]"
        "(http://github.com/LoadingByte/are-gnn-defenses-robust)",
        "1. **Transferable Graph Backdoor Attack.** RAID 2022. [[paper]]"
        "(https://arxiv.org/abs/2207.00425)",
        "1. **Adversarial Attack on Large Scale Graph.** arxiv 2020. [[paper]]"
        "(https://arxiv.org/pdf/2009.03488.pdf)",
        "1. **Efficient Evasion Attacks to Graph Neural Networks via Influence Function.** "
        "arxiv 2020. [[paper]](https://arxiv.org/abs/2009.00203)",
    ]
    text = "# L\n\n### 2.1 Targeted Attack\n\n" + "".join(line + "\n" for line in lines)
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [(e.title, e.venue) for e in doc.entries] == [
        ("Are Defenses for Graph Neural Networks Robust?", "NeurIPS 2022"),
        ("Transferable Graph Backdoor Attack.", "RAID 2022"),
        ("Adversarial Attack on Large Scale Graph.", "arxiv 2020"),
        (
            "Efficient Evasion Attacks to Graph Neural Networks via Influence Function.",
            "arxiv 2020",
        ),
    ]
    assert style_check.check(doc).share == 1.0
    preprint = _written(doc, "2.1 Targeted Attack", title="Sparse graph attacks")
    assert preprint.line == (
        "1. **Sparse graph attacks.** arxiv 2025. [[paper]](https://arxiv.org/abs/2510.04321)"
    )
    line = _accepted(doc, "2.1 Targeted Attack", "Robust graphs?")
    assert line == "1. **Robust graphs?** CVPR 2026. [[paper]](https://arxiv.org/abs/2510.04322)"


@pytest.mark.parametrize(
    ("line", "title", "tags"),
    [
        # codefuse-ai/Awesome-Code-LLM's other form: a date, then a venue, after the quotes.
        ('- "Seeking the user interface", 2014-09, ASE 2014, [[paper](https://dl.acm.org/doi/'
         '10.1145/2642937.2642976)]', "Seeking the user interface", ("2014-09", "ASE 2014")),
        ('- "A Survey of Deep Code Search", 2023-05, arXiv, [[paper](https://arxiv.org/abs/'
         '2305.05959)]', "A Survey of Deep Code Search", ("2023-05", "arXiv")),
        ("- *Graph Backdoor*, arxiv 2020 [[paper](https://arxiv.org/abs/2006.11890)]",
         "Graph Backdoor", ("arxiv 2020",)),
        # corca-ai/awesome-llm-security: a venue with its track in brackets
        ('- "Jailbroken: How Does LLM Safety Training Fail?", 2023-07, NeurIPS(Oral) 23, '
         "[[paper]](https://arxiv.org/abs/2307.02483)", "Jailbroken: How Does LLM Safety "
         "Training Fail?", ("2023-07", "NeurIPS(Oral) 23")),
        # Words that are no venue stay the title's: a description, or no year in them.
        ("- **BioBERT**, a pre-trained language model for biomedical text 2020. [[paper]"
         "(https://arxiv.org/abs/1901.08746)]", None, ()),
        ("- **BioBERT** for biomedical text. [[paper](https://arxiv.org/abs/1901.08746)]",
         None, ()),
        ("- **A** and **B** 2020. [[paper](https://arxiv.org/abs/1901.08746)]", None, ()),
    ],
)  # fmt: skip
def test_what_follows_a_decorated_title_is_a_venue_only_when_it_reads_as_one(
    line: str, title: str | None, tags: tuple[str, ...]
) -> None:
    parts = entry_syntax.parse_bullet(line)
    assert parts is not None and parts.text() == line
    assert tuple(t.text for t in parts.suffixes) == tags
    if title is not None:
        assert parts.title == title
    else:
        assert "**" in parts.title_raw or parts.title_open == "**"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("named", '"'),  # a list that quotes its titles: a bare quote would end the title
        ("named", 'The "best" model'),
        ("table", "链接"),  # a title that is a link label's word ("link"), linked in its cell
        ("table", "Code"),
        ("linked", "Checkpoint"),  # the same, as a bullet's linked title
        ("linked", "arXiv"),
        ("protein", "Code"),  # after a paper field's label
        ("chinese", '"0"'),  # a title in quotes of its own, in a list that quotes none
        ("chinese", "](0"),  # an escaped bracket is no broken link
        ("healthcare", '"Why Should I Trust You?" Explaining Classifiers'),
        ("graph", '"Why Should I Trust You?"'),
    ],
)
def test_a_title_that_reads_as_markup_of_its_style_comes_back_whole(name: str, title: str) -> None:
    """Found by the hostile-title property above, with more examples: a quote in a title a
    list writes between quotes, and a title that is a link label's word ("Code", "链接")
    linked in a table's title cell or a bullet, each read back as the paper's title (the
    line was refused before, and with it the whole night's change)."""
    linked = "# L\n\n## Video\n\n" + "".join(
        f"+ [Video model number {k}](https://arxiv.org/abs/2510.0000{k}) (Oct., 2025)\n"
        for k in range(1, 4)
    )
    protein = awesome_list.load(LISTS / "protein-contactmap" / "README.md")
    more = {
        "linked": (awesome_list.parse(linked), "Video"),
        "protein": (protein, "Single structure prediction"),
    }
    doc, heading = {**_STYLED, **more}[name]
    paper = Paper(id="2999.00001", source=Origin.ARXIV, title=title, date=dt.date(2025, 10, 8))
    line = Renderer().entry(_proposal(paper, heading), doc.style_for(heading, 2025), None)
    after = doc.insert([NewEntry(heading, 2025, line, month=10, preprint=True)]).document
    (new,) = [e for e in after.entries if e.keys.arxiv_id == "2999.00001"]
    assert new.title == title


def test_a_nested_label_link_under_an_entry_is_no_entry_of_its_own() -> None:
    """``  - [Paper](u)`` under an entry is that entry's link, not a paper titled "Paper"
    (a top-level ``- [Code](u) (Oct., 2025)`` is a paper titled "Code": see above)."""
    text = (
        "# L\n\n## A\n\n- Sparse experts for everyone\n"
        "  - [Paper](https://arxiv.org/abs/2510.04321)\n"
        "  - [Code](https://github.com/a/b)\n"
        "- [Dense experts for no one](https://arxiv.org/abs/2510.04322) (Oct., 2025)\n"
    )
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [e.title for e in doc.entries] == ["Dense experts for no one"]


@pytest.mark.parametrize(
    ("name", "written", "lead"),
    [
        ("named", '**FastDiff**: "FastDiff: Sparse video experts" [2025-10]', "**FastDiff**: "),
        (
            "named-table",
            "|2025.10| |[**FastDiff**] FastDiff: Sparse video experts  |",
            "[**FastDiff**] ",
        ),
    ],
)
def test_a_new_entry_is_named_as_the_section_names_its_methods(
    name: str, written: str, lead: str
) -> None:
    """Where most entries name their method before the title, in one form (``**LaMDA**:
    "LaMDA: ..."``, ``[**D1**] d1: ...``), a new paper whose title opens with its name gets
    that name in the same form, and reads back with it; a title that opens with no name
    gets none (another entry's is never copied), and so does a list that seldom names."""
    doc, heading = _STYLED[name]
    entry = _written(doc, heading, title="FastDiff: Sparse video experts")
    assert written in entry.line
    after = doc.insert([entry]).document
    (new,) = [e for e in after.entries if e.keys.arxiv_id == "2510.04321"]
    assert (new.title, new.lead) == ("FastDiff: Sparse video experts", lead)
    plain = _written(doc, heading, title="Sparse video experts for everyone")
    assert "**" not in plain.line
    protein = awesome_list.load(LISTS / "protein-contactmap" / "README.md")
    few = _written(protein, "Single structure prediction", title="FastDiff: Sparse experts")
    assert few.line.startswith("- **Paper:** [FastDiff: Sparse experts](")  # 2 of 47 named


def test_a_mark_before_a_title_is_the_entrys_own_and_never_given_to_a_new_one() -> None:
    """A real list (mllm-tables) marks some of its maintainers' own works ``- 🌟 **Title**``:
    the mark is the entry's, as its title is; each entry is written back with or without it,
    and a new paper never gets one, even where most entries around it have it."""
    text = "# L\n\n## Highlights\n\n" + "".join(
        f"- {'🌟 ' if k % 4 else ''}**Survey number {k} of models**  \n"
        f"arXiv 2025, [Paper](https://arxiv.org/pdf/2501.0000{k}.pdf)\n\n"
        for k in range(1, 6)
    )
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [e.title for e in doc.entries] == [f"Survey number {k} of models" for k in range(1, 6)]
    assert [e.lead for e in doc.entries] == ["🌟 ", "🌟 ", "🌟 ", "", "🌟 "]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Highlights", title="FastDiff: Sparse experts")
    assert entry.line == "- **FastDiff: Sparse experts**  "


@pytest.mark.parametrize(
    ("escaped", "written"),
    [
        ("A\\*-Thought: fast reasoning", "Walk Before You Run!"),  # a needed escape only
        ("Run\\! Reasoning \\(fast\\)", "Walk Before You Run\\!"),  # every mark escaped
    ],
)
def test_a_list_that_escapes_only_what_it_must_is_not_taken_to_escape_everything(
    escaped: str, written: str
) -> None:
    """Two real lists (efficient-reasoning, llm-reasoning) escape one title each, ``A\\*``
    and ``Q\\*``, as any list must; they write ``Run!`` as it is, and so do new entries. A
    list that escapes what it need not (``\\!``, ``\\(``) has its new titles escaped so."""
    text = "# L\n\n## A\n\n" + "".join(
        f"- [{title}](https://arxiv.org/abs/2501.0000{k}) (2025)\n"
        for k, title in enumerate([escaped, "Plain title one", "Plain title two"], 1)
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "A", title="Walk Before You Run!")
    assert entry.line.startswith(f"- [{written}](")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.researchgate.net/publication/215639692_Long-Term_Experiments",
        "https://citeseerx.ist.psu.edu/document?repid=rep1&type=pdf&doi=d8315aae",
        "https://scholarworks.umass.edu/cgi/viewcontent.cgi?article=2327",
    ],
)
def test_paper_archives_host_papers(url: str) -> None:
    """Shuijing725/awesome-robot-social-navigation links its classic papers where they are
    archived; those entries were unreadable ("no paper link"). A lab's or a project's page,
    or a repository, stays no paper."""
    assert entry_syntax.is_paper_host(url)
    doc = awesome_list.parse(
        f"# L\n\n## Classics\n\n- [Reciprocal n-Body Collision Avoidance]({url})\n"
    )
    assert [e.paper_url for e in doc.entries] == [url]
    for other in ("https://sites.google.com/view/crowdnav", "https://github.com/a/b"):
        assert not entry_syntax.is_paper_host(other)


# ---------------------------------------------------------------- papers written as paragraphs


def test_papers_written_as_paragraphs_are_read_and_prose_is_not() -> None:
    """Three real lists of 60 probed (pliang279/awesome-multimodal-ml,
    donghao51/Awesome-Multimodal-Adaptation, Dragon-Wu/awesome-medical-report-generation)
    write no list items: each paper is a paragraph. They read as nothing (init refused them);
    now each paragraph that opens with a paper's title is an entry, with its venue and code,
    and the sentences that link a paper (the introduction's) are not."""
    doc = awesome_list.parse(PARAGRAPHS)
    assert doc.render() == PARAGRAPHS
    assert [(e.title, e.venue, e.code_url) for e in doc.entries] == [
        (
            f"Representation paper {k}",
            f"ICLR 202{k}",
            f"https://github.com/lab/rep{k}" if k % 2 else None,
        )
        for k in range(5, 0, -1)
    ]
    assert {e.section for e in doc.entries} == {"Representations"}
    assert style_check.check(doc).share == 1.0
    titled = awesome_list.parse(TITLED_PARAGRAPHS)
    assert [e.title for e in titled.entries] == [
        f"Report generation approach {k}" for k in range(1, 5)
    ]
    assert style_check.check(titled).share == 1.0


def test_a_title_wrapped_onto_the_next_line_of_its_paragraph_is_one_entry() -> None:
    text = (
        "# L\n\n## A\n\n"
        + "".join(
            f"(CVPR 202{k}) [Cross-modal learning for domain {k}]"
            f"(https://arxiv.org/abs/210{k}.07253) by Jaritz et al.\n\n"
            for k in range(1, 4)
        )
        + "(TPAMI 2022) [Cross-modal Learning for Domain Adaptation\nin 3D Semantic Segmentation]"
        "(https://arxiv.org/abs/2101.07254) by Jaritz et al.\n\n"
    )
    doc = awesome_list.parse(text)
    assert doc.render() == text
    wrapped = doc.entries[-1]
    assert wrapped.title == "Cross-modal Learning for Domain Adaptation in 3D Semantic Segmentation"
    assert (wrapped.venue, wrapped.line_no, wrapped.last_line_no) == ("TPAMI 2022", 11, 12)
    assert [e.venue for e in doc.entries[:3]] == ["CVPR 2021", "CVPR 2022", "CVPR 2023"]


def test_a_bullet_list_reads_no_entry_from_its_paragraphs() -> None:
    """A list of list items whose introduction links its survey (the healthcare list does) is
    read as before: the paragraph is no entry."""
    text = (
        "# L\n\n[A Survey of Everything](https://arxiv.org/abs/2404.03264) is our survey.\n\n"
        "[Our other survey](https://arxiv.org/abs/2404.03265), arXiv 2024\n\n## A\n\n"
        + "".join(f"- [Paper {k}](https://arxiv.org/abs/2501.0000{k})\n" for k in range(1, 4))
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == ["Paper 1", "Paper 2", "Paper 3"]


def test_a_new_paper_in_a_paragraph_list_is_a_paragraph_of_its_own() -> None:
    doc = awesome_list.parse(PARAGRAPHS)
    line, after = _add(doc, "Representations")
    assert line == (
        "[Sparse experts for everyone](https://arxiv.org/abs/2510.04321), arXiv 2025 "
        "[[code]](https://github.com/someone/sparse)"
    )
    assert after.entries[0].title == "Sparse experts for everyone"  # newest first
    start = after.render().index(line)
    assert after.render()[start - 2 : start + len(line) + 3] == f"\n\n{line}\n\n["
    oldest_first = awesome_list.parse(TITLED_PARAGRAPHS)
    line, after = _add(oldest_first, "Approaches")
    assert line == (
        "Sparse experts for everyone [[paper](https://arxiv.org/abs/2510.04321)], "
        "[[code](https://github.com/someone/sparse)]"
    )
    assert after.render().endswith(f"\n\n{line}\n") or f"\n\n{line}\n\n" in after.render()


@pytest.mark.parametrize(
    ("title", "written"),
    [
        ("# 1 model", "\\# 1 model"),
        ("1. Intro to models", "1\\. Intro to models"),
        ("- a dash", "\\- a dash"),
        ("> quoted", "\\> quoted"),
    ],
)
def test_a_paragraph_entry_never_opens_another_block(title: str, written: str) -> None:
    """A paragraph whose title opens the line would become a heading, a list item or a
    quote: its first mark is escaped, and the title reads back as written."""
    doc = awesome_list.parse(TITLED_PARAGRAPHS)
    paper = dataclasses.replace(_PAPER, title=title, abstract="")
    line, after = _add(doc, "Approaches", paper)
    assert line.startswith(written + " [[paper](")
    assert [e.title for e in after.entries if e.keys.arxiv_id == _PAPER.id] == [title]


def test_a_venue_in_plain_words_after_a_linked_title_is_read_and_written() -> None:
    """``- [Title](u), ICRA 2010.`` (Shuijing725/awesome-robot-social-navigation, 105 entries
    read without their venue): the venue after a linked title, or after its last link, and a
    method's name in brackets before it (``(SCAND) [Title](u)``), which was read as the
    title."""
    text = (
        "# L\n\n## A\n\n"
        + "".join(
            f"- [Crowd navigation paper {k}](https://arxiv.org/abs/230{k}.00001), ICRA 202{k}.\n"
            for k in range(1, 4)
        )
        + (
            "- (ORCA) [Optimal Reciprocal Collision Avoidance](https://arxiv.org/abs/2310.00001), "
            "[website](https://gamma.cs.unc.edu/ORCA/), IROS 2010.\n"
            "- [News](https://arxiv.org/abs/2311.00001) was accepted at NeurIPS'24\n"
        )
    )
    doc = awesome_list.parse(text)
    got = [(e.title, e.venue, e.lead) for e in doc.entries]
    assert got == [
        *[(f"Crowd navigation paper {k}", f"ICRA 202{k}", "") for k in range(1, 4)],
        ("Optimal Reciprocal Collision Avoidance", "IROS 2010", "(ORCA) "),
        ("News", None, ""),
    ]
    entry = _written(doc, "A")
    assert entry.line == "- [Sparse experts](https://arxiv.org/abs/2510.04321), arXiv 2025."


def test_a_title_linked_to_its_own_page_never_gives_a_new_entry_that_page() -> None:
    """``- [Title](https://project.github.io/) [[paper]](arxiv)``: the title links the
    entry's own page (a project page; tigerneil/awesome-deep-rl links a note of its own,
    ``[Title](RLNL.md)``). Every new entry linked its title to the first entry's page; now
    it links its own paper, and the style check writes each entry back with its own."""
    text = "# L\n\n## A\n\n" + "".join(
        f"- [Project {k} title here](https://proj{k}.github.io/)"
        f" [[paper]](https://arxiv.org/abs/2501.0000{k})\n"
        for k in range(1, 5)
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    assert _written(doc, "A").line == (
        "- [Sparse experts](https://arxiv.org/abs/2510.04321)"
        " [[paper]](https://arxiv.org/abs/2510.04321)"
    )


def test_an_arxiv_id_in_a_link_label_is_the_new_papers_own() -> None:
    """Pandalin98/Awesome-Time-Series-QA-Papers labels each paper link with its id
    (``[arxiv:202503.01875](https://arxiv.org/pdf/2503.01875)``): a new row carried the first
    row's id in its label."""
    text = "# L\n\n## A\n\n| Paper | ArXiv | Code |\n| --- | --- | --- |\n" + "".join(
        f"| **Paper {k}** | [arxiv:20250{k}.0187{k}](https://arxiv.org/pdf/250{k}.0187{k}) |"
        f" [Github](https://github.com/a/b{k}) |\n"
        for k in range(1, 5)
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    assert _written(doc, "A", abstract="https://github.com/c/d").line == (
        "| **Sparse experts** | [arxiv:202510.04321](https://arxiv.org/pdf/2510.04321) |"
        " [Github](https://github.com/c/d) |"
    )
    bullets = awesome_list.parse(
        "# L\n\n## A\n\n"
        + "".join(
            f"- Paper {k} [arXiv:2501.0000{k}](https://arxiv.org/abs/2501.0000{k})\n"
            for k in range(1, 4)
        )
    )
    assert _written(bullets, "A").line == (
        "- Sparse experts [arXiv:2510.04321](https://arxiv.org/abs/2510.04321)"
    )


def test_a_date_written_day_first_is_read_and_written() -> None:
    """``* [Title](note.md) 10 Jun 2019 [arxiv](u)`` and ``… [repo](u) 23 Feb 2024``
    (tigerneil/awesome-deep-rl, arXiv's own date form): the date was half read, and a new
    entry ended in another entry's day (``… [repo](u) 23``)."""
    text = (
        "# L\n\n## A\n\n"
        + "".join(
            f"* [Paper {k}](https://arxiv.org/abs/1906.0392{k}) {k} Jun 2019"
            f" [repo](https://github.com/a/b{k})\n"
            for k in range(1, 4)
        )
        + "* [Paper 4](https://arxiv.org/abs/1906.03924) 25 Jun 2019\n"
    )
    doc = awesome_list.parse(text)
    assert [e.date for e in doc.entries] == [
        "1 Jun 2019",
        "2 Jun 2019",
        "3 Jun 2019",
        "25 Jun 2019",
    ]
    assert style_check.check(doc).share == 1.0
    assert (
        _written(doc, "A").line == "* [Sparse experts](https://arxiv.org/abs/2510.04321) 8 Oct 2025"
    )
    assert entry_syntax.month_date("10 Jun 2019") == (2019, 6)
    assert entry_syntax.month_date("40 Jun 2019") is None


def test_a_table_without_a_code_column_never_takes_another_tables_row() -> None:
    """KangLiao929/Awesome-Deep-Camera-Calibration: a methods table (year, venue, title, ...)
    with no code column, and a datasets table that links each dataset. A paper with code
    was written in the datasets table's shape under the methods (its title in the first
    cell, its code as a "Dataset"); now it is a methods row, its code left out as the
    table leaves it."""
    text = (
        "# L\n\n## Methods\n\n|Year|Publication|Title|Network|\n|---|---|---|---|\n"
        + "".join(
            f"|201{k}|[ICCV](https://arxiv.org/abs/1604.0212{k})|Calibration method {k}|Net{k}|\n"
            for k in range(1, 5)
        )
        + "\n## Datasets\n\n|Name|Publication|Kind|Link|\n|---|---|---|---|\n"
        + "".join(
            f"|Set{k}|[CVPR](https://arxiv.org/abs/1605.0212{k})|Real|"
            f"[Dataset](https://github.com/d/s{k})|\n"
            for k in range(1, 5)
        )
    )
    doc = awesome_list.parse(text)
    entry = _written(doc, "Methods", abstract="Code: https://github.com/c/d")
    assert entry.line == "|2025|[arXiv](https://arxiv.org/abs/2510.04321)|Sparse experts||"


def test_a_google_scholar_search_links_a_paper() -> None:
    """x-zheng16/Awesome-Embodied-AI-Safety links 458 of its papers to a Google Scholar
    search for their title (no page of their own): they were unreadable."""
    url = "https://scholar.google.com/scholar?q=Securing+the+Lane%3A+Defences"
    assert entry_syntax.is_paper_host(url)
    assert not entry_syntax.is_paper_host("https://scholar.google.com/citations?user=abc")
    doc = awesome_list.parse(
        f"# L\n\n## A\n\n- [Securing the Lane: Defences]({url}). Blazevic et al.\n"
    )
    assert [(e.title, e.paper_url) for e in doc.entries] == [("Securing the Lane: Defences", url)]


def test_a_citation_key_and_a_venue_in_italics_are_the_new_papers_own() -> None:
    """mala-lab/Awesome-Deep-Graph-Anomaly-Detection: ``- [Dou2020] Title in *CIKM*, 2020.
    [\\[paper\\]](u)``. The key was read as the venue and the venue as the title's words
    (0 of 204 entries written back); a new entry had neither."""
    text = "# L\n\n## A\n\n" + "".join(
        f"- [{name}202{k}] Graph anomaly paper {k} in *{venue}*, 202{k}."
        f" [\\[paper\\]](https://arxiv.org/abs/200{k}.0869{k})\n"
        for k, (name, venue) in enumerate([("Dou", "CIKM"), ("Liu", "SIGIR"), ("Zhang", "WWW")], 1)
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.date, e.parts.key) for e in doc.entries if e.parts] == [
        ("Graph anomaly paper 1", "CIKM", "2021", "Dou2021"),
        ("Graph anomaly paper 2", "SIGIR", "2022", "Liu2022"),
        ("Graph anomaly paper 3", "WWW", "2023", "Zhang2023"),
    ]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "A", authors=("Ann Lee", "Bo Wu"), abstract="")
    assert entry.line == (
        "- [Lee2025] Sparse experts in *arXiv*, 2025. [\\[paper\\]](https://arxiv.org/abs/2510.04321)"
    )
    assert not entry_syntax.is_cite_key("CVPR2020") and not entry_syntax.is_cite_key("NeurIPS2023")


def test_a_citation_after_the_title_is_read_and_written_with_short_authors() -> None:
    """x-zheng16/Awesome-Embodied-AI-Safety: ``[Title](u). Zhu et al.. *CVPR*, 2025.``, three
    authors or fewer by surname (``Li, Li, Zhang``). A new entry was the bare title."""
    text = "# L\n\n## A\n\n" + "".join(
        f"- [Embodied attack {k}](https://arxiv.org/abs/2501.0000{k}). {who}. *{venue}*, 2025.\n"
        for k, (who, venue) in enumerate(
            [("Zhu et al.", "CVPR"), ("Li, Li, Zhang", "ICASSP"), ("Xu et al.", "ICML")], 1
        )
    )
    doc = awesome_list.parse(text)
    assert [(e.venue, e.date) for e in doc.entries] == [
        ("CVPR", "2025"),
        ("ICASSP", "2025"),
        ("ICML", "2025"),
    ]
    assert style_check.check(doc).share == 1.0
    many = _written(doc, "A", authors=("Ann Lee", "Bo Wu", "Cy Do", "Di Ma"))
    assert (
        many.line
        == "- [Sparse experts](https://arxiv.org/abs/2510.04321). Lee et al.. *arXiv*, 2025."
    )
    few = _written(doc, "A", authors=("Ann Lee", "Bo Wu"))
    assert (
        few.line == "- [Sparse experts](https://arxiv.org/abs/2510.04321). Lee, Wu. *arXiv*, 2025."
    )


def test_a_venue_in_brackets_after_a_linked_title_is_written_with_the_papers_own() -> None:
    """zchoi/Awesome-Embodied-Agent-with-LLMs: ``* [**Title**](u) [**CVPR 2024**]
    [[**Github**](u)]<br>``. The bracketed venue was the entry's own words, and a new entry
    was written with a bracket left open (``[**Title**](u) [ [[**Github**](u)]<br>``)."""
    text = "# L\n\n## A\n\n" + "".join(
        f"* [**Agent paper {k}**](https://arxiv.org/pdf/2404.0134{k}) [**CVPR 202{k}**]"
        f" [[**Github**](https://github.com/a/b{k})]<br>\n"
        for k in range(1, 4)
    )
    doc = awesome_list.parse(text)
    assert [e.venue for e in doc.entries] == ["CVPR 2021", "CVPR 2022", "CVPR 2023"]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "A", abstract="Code: https://github.com/c/d")
    assert entry.line == (
        "* [**Sparse experts**](https://arxiv.org/pdf/2510.04321) [**arXiv 2025**]"
        " [[**Github**](https://github.com/c/d)]<br>"
    )


def test_authors_and_venue_after_a_linked_title_are_read_and_written() -> None:
    """awesome-NeRF/awesome-NeRF and the lists made from it (yyeboah/Awesome-Text-to-3D,
    hitcslj/Awesome-Point-Cloud-Completion): ``[Title](u), Yuan et al., 3DV 2018 |
    [github](u) | [bibtex](u)``. The authors and venue were the entry's own words, so a new
    entry had neither, and its links lost the bar between them. The HTML comment after the
    links (the entry's citation key) is its own."""
    text = "# L\n\n## A\n\n" + "".join(
        f"- [Point completion {k}](https://arxiv.org/abs/2501.0000{k}), {who}, {venue} |"
        f" [github](https://github.com/a/b{k}) | [bibtex](./citations/p{k}.txt)"
        f" <!---Key{k}-->\n"
        for k, (who, venue) in enumerate(
            [
                ("Yuan et al.", "3DV 2018"),
                ("Dellaert and Yen-Chen", "Arxiv 2020"),
                ("Yu et al.", "ICCV 2021"),
            ],
            1,
        )
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue) for e in doc.entries] == [
        ("Point completion 1", "3DV 2018"),
        ("Point completion 2", "Arxiv 2020"),
        ("Point completion 3", "ICCV 2021"),
    ]
    assert style_check.check(doc).share == 1.0
    entry = _written_coded(doc, "A")
    assert entry.line == (
        "- [Sparse experts](https://arxiv.org/abs/2510.04321), Lee et al., Arxiv 2025 |"
        " [github](https://github.com/c/d)"
    )
    # A description after a linked title is no author: it stays the entry's own words.
    prose = awesome_list.parse(
        "# L\n\n## A\n\n- [Title one](https://arxiv.org/abs/2501.00001), a model for point"
        " clouds, trained on 2019 data | [github](https://github.com/a/b)\n"
    )
    assert prose.entries[0].parts is not None and prose.entries[0].parts.authors is None


def test_authors_after_a_bold_title_and_a_topic_mark_before_it() -> None:
    """Yutong-Zhou-cv/Awesome-Text-to-Image: ``* (arXiv preprint 2024) [💬 3D] **Title**,
    Jinlu Zhang et al. [[Paper](u)] [[Code](u)]``. Every title was read with its authors
    (``**Title**, Jinlu Zhang et al``), the mark was a second venue, and a new entry had no
    venue: "arXiv preprint" was not read as arXiv."""
    rows = [
        ("arXiv preprint 2024", "[💬 3D] ", "Jinlu Zhang et al."),
        ("CVPR 2023", "", "Menghua Wu et al."),
        ("NeurIPS 2023", "", "Tony Lee et al."),
        ("arXiv preprint 2022", "", "Ziqi Huang et al."),
        ("BMVC 2022", "[💬 Face] ", "Justin N. M. Pinkney et al."),
    ]
    text = "# L\n\n## A\n\n" + "".join(
        f"    * {'⭐⭐' if k == 3 else ''}({venue}) {mark}**Face generation {k}**, {who} "
        f"[[Paper](https://arxiv.org/abs/2501.0000{k})] [[Code](https://github.com/a/b{k})]\n"
        for k, (venue, mark, who) in enumerate(rows, 1)
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.lead) for e in doc.entries] == [
        ("Face generation 1", "arXiv preprint 2024", "[💬 3D] "),
        ("Face generation 2", "CVPR 2023", ""),
        ("Face generation 3", "NeurIPS 2023", ""),  # a maintainer's ⭐⭐ before its venue
        ("Face generation 4", "arXiv preprint 2022", ""),
        ("Face generation 5", "BMVC 2022", "[💬 Face] "),
    ]
    assert [e.parts.mark for e in doc.entries if e.parts] == ["", "", "⭐⭐", "", ""]
    assert style_check.check(doc).matched == 4  # all but the marked one
    assert is_preprint_venue("arXiv preprint 2024") and not is_preprint_venue("ICLR 2024")
    entry = _written_coded(doc, "A")
    assert entry.line == (
        "* (arXiv preprint 2025) **Sparse experts**, Ann Lee et al."
        " [[Paper](https://arxiv.org/abs/2510.04321)] [[Code](https://github.com/c/d)]"
    )
    # Names that would not read back as names are left out with their comma, never written
    # where the next read takes them for the title's words.
    unnamed = _written(doc, "A", authors=("danah boyd",))
    assert (
        unnamed.line
        == "* (arXiv preprint 2025) **Sparse experts** [[Paper](https://arxiv.org/abs/2510.04321)]"
    )


def test_a_title_whose_name_is_emphasised_is_read_whole_and_written_so() -> None:
    """AlonzoLeeeooo/awesome-text-to-image-studies: ``- ***InstantID:*** Zero-shot
    Identity-Preserving Generation [[Paper]](u)``. The title was read as ``*InstantID:*``
    alone, and the rest as the entry's own words."""
    titles = ["InstantID: Zero-shot generation", "ELLA: Equip diffusion models", "Face adapters"]
    text = "# L\n\n## A\n\n" + "".join(
        f"- {'***' + t.replace(': ', ':*** ', 1) if ': ' in t else t}"
        f" [[Paper]](https://arxiv.org/pdf/2401.0751{k})\n"
        for k, t in enumerate(titles, 1)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == titles
    assert style_check.check(doc).share == 1.0
    named = _written(doc, "A", title="SparseX: Sparse experts for everyone")
    assert named.line == (
        "- ***SparseX:*** Sparse experts for everyone [[Paper]](https://arxiv.org/pdf/2510.04321)"
    )
    assert _written(doc, "A").line == "- Sparse experts [[Paper]](https://arxiv.org/pdf/2510.04321)"


def test_a_padded_table_with_some_rows_added_unpadded_is_still_padded() -> None:
    """JindongGu/Awesome-Prompting-on-Vision-Language-Model: a formatter padded the table
    once, and later rows were added without it (8.2% written back before, 63.9% now). A
    column of mostly padded cells is padded; the rows near a new one say whether it is
    padded too; a centred table (``|   arXiv    |``) is no padding."""
    venues = ["ICML", "ICLR", "NeurIPS", "ICML", "CVPR", "ECCV", "ICCV", "ACL"]
    rows = [
        f"| [Prompt paper {k}](https://arxiv.org/abs/2102.0277{k}) | {v.ljust(11)} | 202{k % 4} |\n"
        for k, v in enumerate(venues)
    ]
    rows.insert(3, "| [Prompt paper late](https://arxiv.org/abs/2301.00001) | WACV | 2023 |\n")
    text = "# L\n\n## Prompts\n\n| Title | Venue | Year |\n| :-- | --- | --- |\n" + "".join(rows)
    doc = awesome_list.parse(text)
    style = doc.section_style(doc.section("Prompts"))
    assert style.column_widths[1] == 13
    assert style_check.check(doc).matched == len(venues)  # all but the one unpadded row
    written = _written(doc, "Prompts").line
    assert "| arXiv       | 2025 |" in written
    # Rows unpadded at the end: a new row there is written as they are.
    late = text + "".join(
        f"| [Prompt paper {k}](https://arxiv.org/abs/2401.0000{k}) | WACV | 2024 |\n"
        for k in range(1, 6)
    )
    late_doc = awesome_list.parse(late)
    near_end = list_style.local(
        late_doc.section_style(late_doc.section("Prompts")),
        late_doc.own_entries(late_doc.section("Prompts")),
        len(late_doc.entries),
    )
    assert near_end.column_widths == ()
    centred = "# L\n\n## C\n\n| Title | Venue |\n| --- | --- |\n" + "".join(
        f"| [Cluster {k}](https://arxiv.org/abs/2501.0000{k}) |{v} |\n"
        for k, v in enumerate(["    arXiv    ", "    TNNLS    ", "    TCSS    ", "  AAAI   "])
    )
    centred_doc = awesome_list.parse(centred)
    assert centred_doc.section_style(centred_doc.section("C")).column_widths == ()


def test_links_in_one_bracket_after_a_plain_title_and_its_venue() -> None:
    """SXKDZ/awesome-self-supervised-learning-for-graphs: ``* Title, ICML 2021  [[PDF](u),
    [Code](u)]``. The bracket around both links was read as the title's last character, so
    a new entry lost it and kept the one that closes it (``Title[PDF](u), [Code](u)]``);
    the venue after the comma was the title's."""
    text = "# L\n\n## Contrastive\n\n" + "".join(
        f"* Graph contrastive learning {k}, {v}  [[PDF](https://arxiv.org/abs/2106.0759{k})"
        + (f", [Code](https://github.com/a/b{k})]" if k % 2 else "]")
        + "\n"
        for k, v in enumerate(["ICML 2021", "IJCAI 2021", "NeurIPS 2021", "arXiv 2021"])
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue) for e in doc.entries] == [
        ("Graph contrastive learning 0", "ICML 2021"),
        ("Graph contrastive learning 1", "IJCAI 2021"),
        ("Graph contrastive learning 2", "NeurIPS 2021"),
        ("Graph contrastive learning 3", "arXiv 2021"),
    ]
    assert style_check.check(doc).share == 1.0
    coded = _written(doc, "Contrastive", abstract="Code: https://github.com/c/d")
    assert coded.line == (
        "* Sparse experts, arXiv 2025  [[PDF](https://arxiv.org/abs/2510.04321),"
        " [Code](https://github.com/c/d)]"
    )
    plain = _written(doc, "Contrastive")
    assert plain.line == "* Sparse experts, arXiv 2025  [[PDF](https://arxiv.org/abs/2510.04321)]"
    # A title's own words after a comma are no venue.
    own = awesome_list.parse(
        "# L\n\n## A\n\n* Thinking, Fast and Slow [[PDF](https://arxiv.org/abs/2106.07591)]\n"
    )
    assert own.entries[0].title == "Thinking, Fast and Slow" and own.entries[0].venue is None


def test_a_name_in_brackets_before_a_title_is_no_venue() -> None:
    """eric-ai-lab/awesome-vision-language-navigation: ``- [R2R]: Title␠␠⏎CVPR 2018
    [paper](u)``, ``- [XL-R2R] Title␠␠⏎arXiv 2019 [paper](u)``. The name was read as the
    entry's venue, and every line was written with the name on the line under the title
    (42.0% written back before, 61.9% now)."""
    text = (
        "# L\n\n## Datasets\n\n"
        "- [R2R]: Vision-and-Language Navigation  \nCVPR 2018 [paper](https://arxiv.org/abs/1711.07280)\n\n"
        "- [XL-R2R] Cross-Lingual Navigation  \narXiv 2019 [paper](http://arxiv.org/abs/1910.11301)\n\n"
        "- Learning To Follow Directions  \narXiv 2019 [paper](https://arxiv.org/abs/1903.00401)\n\n"
        "- [Touchdown]: Natural Language Navigation  \nCVPR 2019 [paper](https://arxiv.org/abs/1811.12354)\n"
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.lead) for e in doc.entries] == [
        ("Vision-and-Language Navigation", "CVPR 2018", "[R2R]: "),
        ("Cross-Lingual Navigation", "arXiv 2019", "[XL-R2R] "),
        ("Learning To Follow Directions", "arXiv 2019", ""),
        ("Natural Language Navigation", "CVPR 2019", "[Touchdown]: "),
    ]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Datasets")
    assert (entry.line, entry.details) == (
        "- Sparse experts  ",
        ("arXiv 2025 [paper](https://arxiv.org/abs/2510.04321)",),
    )
    # A venue in brackets with no venue under the title stays the entry's venue.
    tagged = awesome_list.parse(
        "# L\n\n## A\n\n- [MICCAI] Segmenting organs [[Paper]](https://arxiv.org/abs/2401.00001)\n"
    )
    assert tagged.entries[0].venue == "MICCAI" and tagged.entries[0].lead == ""


def test_a_paper_column_of_bare_labels_leaves_the_title_to_the_names() -> None:
    """zhengli97/Awesome-Prompt-Adapter-Learning-for-VLMs: ``| Methods | Paper | Pub |`` of
    ``| CoOp | [Link](u) | IJCV 22 |``. Every row was titled "Link"."""
    text = (
        "# L\n\n## Results\n\n| Methods | Paper | Pub | Code |\n| :-: | :-: | :-: | :-: |\n"
        + "".join(
            f"| {name} | [Link](https://arxiv.org/abs/2203.0555{k}) | {venue} |"
            f" [Link](https://github.com/a/b{k}) |\n"
            for k, (name, venue) in enumerate(
                [("CoOp", "IJCV 22"), ("CoCoOp", "CVPR 22"), ("MaPLe", "CVPR 23")]
            )
        )
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.paper_url) for e in doc.entries] == [
        ("CoOp", "IJCV 22", "https://arxiv.org/abs/2203.05550"),
        ("CoCoOp", "CVPR 22", "https://arxiv.org/abs/2203.05551"),
        ("MaPLe", "CVPR 23", "https://arxiv.org/abs/2203.05552"),
    ]
    assert style_check.check(doc).share == 1.0


def test_a_name_in_code_before_a_title_with_its_venue_after_is_no_venue() -> None:
    """zhengli97/Awesome-Prompt-Adapter-Learning-for-VLMs: ``- `VPT` **Title**. ECCV
    2022.␠␠⏎[[Paper](u)] [[Code](u)]``. The name was read as the venue, and a new entry was
    written `` `arXiv` **Title.** arXiv.`` (9.5% written back before, 35.4% now)."""
    rows = [("VPT", "ECCV 2022"), ("MaPLe", "CVPR 2023"), ("KgCoOp", "CVPR 2023")]
    text = "# L\n\n## Prompts\n\n" + "".join(
        f"- `{name}` **Prompt learning {k}**. {venue}.  \n"
        f"[[Paper](https://arxiv.org/abs/2203.1211{k})] [[Code](https://github.com/a/b{k})]\n"
        for k, (name, venue) in enumerate(rows)
    )
    doc = awesome_list.parse(text)
    assert [(e.venue, e.lead) for e in doc.entries] == [(v, f"`{n}` ") for n, v in rows]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Prompts", abstract="Code: https://github.com/c/d")
    assert (entry.line, entry.details) == (
        "- **Sparse experts**. arXiv 2025.  ",
        ("[[Paper](https://arxiv.org/abs/2510.04321)] [[Code](https://github.com/c/d)]",),
    )


_odd_url = st.one_of(
    st.sampled_from(
        [
            "https://arxiv.org/abs/2401.00001",
            "https://arxiv.org/pdf/2401.00002v2.pdf",
            "https://[Github].com/divelab/GOOD",  # usail-hkust/Awesome-Causality-Inspired-GNNs
            "https://proceedings.neurips.cc/[Paper]_files/x.pdf",
            "http://[::1]:80/x",
            "https://github.com:99999/a/b",
            "https://github.com/a/b",
            "",
            "#section",
            "./notes.md",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("ab/:.[]%?#=&-_ 0")), max_size=30).map(
        lambda t: "https://" + t
    ),
)
_odd_link = st.builds(
    lambda label, url, shape: shape.format(label=label, url=url),
    st.sampled_from(["Paper", "Code", "PDF", "Github", "arXiv", "link", "", "Title words here"]),
    _odd_url,
    st.sampled_from(
        ["[{label}]({url})", "[[{label}]]({url})", "[[{label}]({url})]", "![{label}]({url})"]
    ),
)
_odd_line = st.builds(
    lambda marker, tag, title, links, tail: marker + tag + title + " " + " ".join(links) + tail,
    st.sampled_from(["- ", "* ", "1. ", "  - ", "| ", ""]),
    st.sampled_from(["", "(*ICLR'24*) ", "[arXiv] ", "**[CVPR 2024]** ", "`VPT` ", "[R2R]: "]),
    st.one_of(st.text(max_size=30), st.sampled_from(["**Bold title**", "***Name:*** rest"])),
    st.lists(_odd_link, max_size=3),
    st.sampled_from(["", " |", ", CVPR 2022", " <!---key-->", "  ", ", Lee et al., 3DV 2018"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_odd_line, min_size=1, max_size=6))
def test_any_list_content_is_read_learnt_and_written_or_refused_never_a_crash(
    lines: list[str],
) -> None:
    """Whatever a list's lines hold (a URL with a bracketed host, ``https://[Github].com/…``,
    made ``init`` fail with a ValueError from the URL parser), reading it, learning its
    styles, checking them and writing a new entry either works or says why."""
    text = (
        "# L\n\n## A\n\n| Title | Venue | Code |\n| --- | --- | --- |\n" + "\n".join(lines) + "\n"
    )
    try:
        doc = awesome_list.parse(text)
    except ListFormatError:
        return
    assert doc.render() == text
    style_check.check(doc)
    if not any(e.section_path[-1] == "A" for e in doc.entries):
        return
    with contextlib.suppress(InputError):  # a style that needs what the paper lacks
        _written(doc, "A", abstract="Code: https://github.com/c/d", authors=("Ann Lee",))


def test_a_venue_in_plain_words_before_a_linked_title_and_slides_on_github() -> None:
    """huiyang-yi/Awesome-Causality-and-ML-Papers: ``1. NIPS 2018 Spotlight [Title](u)(a
    description). [[Slides]](https://github.com/…/x.pdf)``. The venue was read as the title
    and the paper's title as a link's label, so a new entry was written ``1. New title
    [Another entry's title](arxiv)(another entry's description)``; slides kept on GitHub were
    read as code."""
    rows = [("NIPS 2018 Spotlight", "DAGs with no tears"), ("ICML 2019", "DAG-GNN learning"),
            ("ICLR 2020", "Gradient-based DAG learning")]  # fmt: skip
    text = "# L\n\n## Structure learning\n\n" + "".join(
        f"{k}. {venue} [{title}](https://arxiv.org/abs/1803.0142{k})(将组合无环约束). "
        f"[[Slides]](https://github.com/h/a/blob/main/Slides/s{k}.pdf)\n"
        for k, (venue, title) in enumerate(rows, 1)
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.code_url) for e in doc.entries] == [(t, v, None) for v, t in rows]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Structure learning", abstract="Code: https://github.com/c/d")
    assert entry.line == "1. arXiv 2025 [Sparse experts](https://arxiv.org/abs/2510.04321)"


def test_entries_in_html_comments_are_hidden_but_listed() -> None:
    """rguo12/awesome-causality-algorithms comments rows out (``<!-- |ABCEI|[Title](u)|NA|
    -->``): they were read as entries, and a new row was written after ``|<!-- |``. Hidden on
    the page, they are no entries and no form for new ones; their papers stay listed, so a
    night never proposes what a maintainer took out."""
    text = (
        "# L\n\n## Methods\n\n|Name|Paper|Code|\n|---|---|---|\n"
        "|DoWhy|[A tutorial on causal inference](https://arxiv.org/abs/2011.04216)|[Python](https://github.com/a/b)|\n"
        "<!-- |ABCEI|[Adversarial balancing](https://arxiv.org/pdf/1904.13335.pdf)|NA| -->\n"
        "|CEVAE|[Causal effect inference with VAEs](https://arxiv.org/abs/1705.08821)|[Python](https://github.com/c/d)|\n"
        "<!--\n|Old|[An older method](https://arxiv.org/abs/1606.03976)|NA|\n-->\n"
        "|TARNet|[Estimating individual treatment effects](https://arxiv.org/abs/1606.03976v5)|[Python](https://github.com/e/f)|\n"
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == [
        "A tutorial on causal inference",
        "Causal effect inference with VAEs",
        "Estimating individual treatment effects",
    ]
    assert doc.render() == text
    assert doc.contains(PaperKeys(arxiv_id="1904.13335"))
    assert style_check.check(doc).share == 1.0
    line = _written(doc, "Methods", abstract="Code: https://github.com/g/h").line
    assert "<!--" not in line and line.startswith("||[Sparse experts](")


def test_words_around_one_entrys_links_are_never_a_new_entrys() -> None:
    """CHAI-UK/Awesome-Time-Series-Causal-Discovery's one entry with code writes a sentence
    around its links (``see [DoWhy](u) and the [Awesome Causal Inference](u)``), and
    showlab/Awesome-Video-Diffusion's (``(CVPR, 2026) [![Star](…)](code)``): every new entry
    with code was written with those words (``and the``, ``(CVPR, 2026)``), its code link
    labelled ``Awesome Causal Inference``."""
    sentence = (
        "- [Causal effects](https://arxiv.org/abs/2403.00003) see"
        " [DoWhy](https://github.com/py-why/dowhy) and the"
        " [Awesome Causal Inference](https://github.com/a/b)\n"
    )
    venue = (
        "- [Video models](https://arxiv.org/abs/2404.00004) (CVPR, 2026)"
        " [![Star](https://img.shields.io/github/stars/e/f.svg?style=social)](https://github.com/e/f)\n"
    )
    for odd in (sentence, venue):
        text = (
            "# L\n\n## Related\n\n"
            "- [Spatial causal discovery](https://arxiv.org/abs/2401.00001)\n"
            "- [Signal processing for causality](https://arxiv.org/abs/2402.00002)\n" + odd
        )
        doc = awesome_list.parse(text)
        line = _written(doc, "Related", abstract="Code: https://github.com/c/d").line
        assert re.search(r"see|and the|CVPR|Awesome|DoWhy", line) is None, line
        assert line.startswith("- [Sparse experts](https://arxiv.org/abs/2510.04321)")


def test_a_table_of_names_and_links_with_venues_in_a_column_of_no_known_name() -> None:
    """awesome-physics/awesome-neural-physics: ``|Name|Info|Link|Label|`` of
    ``|**Title**| TOG 2015| [Link](doi) | ![][~fluid]``. No column said venue, date or code,
    so the rows were no paper rows: 0 entries, and ``init`` refused the list."""
    text = "# L\n\n## Fluid\n\n|Name|Info|Link|Label|\n|---|---|---|---|\n" + "".join(
        f"|**Fluid simulation {k}**| {v}| [Link](https://dl.acm.org/doi/10.1145/281679{k}) |"
        " ![][~fluid]\n"
        for k, v in enumerate(["TOG 2015", "CAVW 2016", "TOG 2019"])
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue) for e in doc.entries] == [
        ("Fluid simulation 0", "TOG 2015"),
        ("Fluid simulation 1", "CAVW 2016"),
        ("Fluid simulation 2", "TOG 2019"),
    ]
    assert style_check.check(doc).share == 1.0
    assert _written(doc, "Fluid").line.startswith(
        "|**Sparse experts**| arXiv 2025| [Link](https://arxiv.org/abs/2510.04321) |"
    )


def test_a_title_ended_by_a_hard_line_break_and_its_links_on_the_next_lines() -> None:
    """wangkai930418/awesome-diffusion-categorized (2,762 papers): ``**Title** \\`` (a hard
    line break), then ``[[CVPR 2025](arxiv)]`` and ``[[Code](u)]`` on lines of their own.
    The backslash was read as the title's, so no line was written back (0.0%, 88.3% now)
    and a new entry lost its bold."""
    text = "# L\n\n## Illusions\n\n" + "".join(
        f"**Illusion paper {k}** \\\n[[CVPR 202{k}](https://arxiv.org/abs/2412.1012{k})]\n"
        f"[[Code](https://github.com/a/b{k})]\n\n"
        for k in range(1, 5)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == [f"Illusion paper {k}" for k in range(1, 5)]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Illusions")
    assert entry.line.startswith("**Sparse experts** \\")


def test_a_field_nested_under_an_entry_is_no_entry() -> None:
    """opendilab/awesome-diffusion-model-in-rl nests fields under each paper (``  - Code:
    [official](u)``, ``  - ExpEnv: [D4RL](u)，[MetaWorld](u)``): 51 of them were read as
    papers titled "Code" and "ExpEnv", and a new entry was written ``- Title: [arXiv](u)，
    [D4RL](code)``. A nested paper with words after its name stays a paper."""
    text = "# L\n\n## Offline RL\n\n" + "".join(
        f"- [Diffusion policy {k}](https://arxiv.org/abs/2506.2142{k})\n"
        f"  - Key: Offline RL, Diffusion Models\n"
        f"  - Code: [official](https://github.com/a/b{k})\n"
        f"  - ExpEnv: [D4RL](https://github.com/rail-berkeley/d4rl)，[MetaWorld](https://github.com/f/m)\n\n"
        for k in range(1, 4)
    )
    doc = awesome_list.parse(text)
    assert [e.title for e in doc.entries] == [f"Diffusion policy {k}" for k in range(1, 4)]
    assert (
        _written(doc, "Offline RL").line == "- [Sparse experts](https://arxiv.org/abs/2510.04321)"
    )
    nested = awesome_list.parse(
        "# L\n\n## A\n\n- CVPR 2023\n  - DreamFusion: Text-to-3D using 2D diffusion"
        " [[Paper]](https://arxiv.org/abs/2209.14988)\n"
    )
    assert [e.title for e in nested.entries] == ["DreamFusion: Text-to-3D using 2D diffusion"]


def test_a_four_line_paragraph_with_its_date_and_venue_in_brackets() -> None:
    """amirhossein-kz/Awesome-Diffusion-Models-in-Medical-Imaging writes each paper over four
    lines: ``**Title** \\``, ``*Authors* \\``, ``[7th Aug., 2025] [arXiv, 2025] \\``, then
    ``[[Paper](u)]``. Three papers of 571 were read; read on four lines, its dates (with an
    ordinal) would have been another paper's in every new entry."""
    days = ["7th Aug., 2025", "21st Jul., 2025", "12th Jun., 2025", "03rd May, 2025"]
    text = "# L\n\n## Segmentation\n\n" + "".join(
        f"**Medical diffusion {k}** \\\n*Xuanru Zhou, Cheng Li* \\\n[{day}] [arXiv, 2025] \\\n"
        f"[[Paper](http://arxiv.org/abs/2508.0917{k}v1)]\n\n"
        for k, day in enumerate(days)
    )
    doc = awesome_list.parse(text)
    assert [(e.date, e.venue) for e in doc.entries] == [(d, "arXiv, 2025") for d in days]
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "Segmentation", authors=("Ann Lee", "Bo Wu"))
    assert (entry.line, entry.details) == (
        "**Sparse experts** \\",
        ("*Ann Lee, Bo Wu* \\", "[8th Oct., 2025] [arXiv, 2025] \\",
         "[[Paper](http://arxiv.org/abs/2510.04321)]"),  # its arXiv links' form
    )  # fmt: skip


def test_a_venue_and_month_in_emphasis_after_a_quoted_title() -> None:
    """zubair-irshad/Awesome-Robotics-3D: ``* **ManiCM**: "Title", *arXiv Jun 2024*.
    [[Paper](u)]``, ``* "Title", *TCYB 2021*. [[Paper](u)]``. The venue, the month and the
    method's name were read as the title's words (0.0% written back, 55.3% now)."""
    text = (
        "# L\n\n## Policies\n\n"
        '* **ManiCM**: "Real-time 3D diffusion policy", *arXiv Jun 2024*.'
        " [[Paper](https://arxiv.org/pdf/2406.01586)]\n"
        '* "A study of 3-D robot manipulation", *TCYB 2021*.'
        " [[Paper](https://ieeexplore.ieee.org/document/9541299)]\n"
        '* "Neural fields in robotics", *arXiv, Oct 2024*. [[Paper](https://arxiv.org/pdf/2410.20220)]\n'
    )
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue, e.date, e.lead) for e in doc.entries] == [
        ("Real-time 3D diffusion policy", "arXiv", "Jun 2024", "**ManiCM**: "),
        ("A study of 3-D robot manipulation", "TCYB 2021", None, ""),
        ("Neural fields in robotics", "arXiv", "Oct 2024", ""),
    ]
    line = _written(doc, "Policies").line
    assert line.startswith('* "Sparse experts", *arXiv')
    assert re.search(r"ManiCM|TCYB|Jun|Oct 2024", line) is None, line


def test_authors_in_plain_words_on_a_line_of_their_own_under_the_title() -> None:
    """TongjiFinLab/awesome-time-series-forecasting writes each paper as a bullet over four
    lines: ``- **Title**␠␠``, the authors in plain words, ``Venue, Year.␠␠``, then the links.
    The authors were read as words of the form, a different form for every entry, so 22 of
    203 entries were written back and a new entry had no authors (80.8% now). A line of a
    venue (``ICLR 2026.``) is no authors line, and an entry without one keeps none."""
    rows = [
        ("Time-LLM: Reprogramming", "Ming Jin, Shiyu Wang, Lintao Ma", "ICLR 2024", "2310.01728"),
        ("UniTime: A unified model", "Ye, Jiexia and Zhang, Weiqi", "WWW 2024", "2310.09751"),
        ("PromptCast: A paradigm", "Hao Xue, Flora D Salim", "IEEE TKDE, 2023", "2210.08964"),
    ]  # fmt: skip
    text = "# L\n\n## Forecasting\n\n" + "".join(
        f"- **{title}**  \n  {names}  \n  {venue}.  \n"
        f"  [Paper](https://arxiv.org/abs/{id_}) | [Code](https://github.com/x/{id_})\n\n"
        for title, names, venue, id_ in rows
    )
    text += "- **SE-LLM: Semantic forecasting**  \n  ICLR 2026.  \n  [Paper](https://arxiv.org/abs/2508.07697)\n"
    doc = awesome_list.parse(text)
    assert [(e.title, e.venue) for e in doc.entries] == [
        (title, venue) for title, _, venue, _ in rows
    ] + [("SE-LLM: Semantic forecasting", "ICLR 2026")]
    assert [list_style.entry_authors(e) for e in doc.entries] == [n for _, n, _, _ in rows] + [None]
    assert style_check.check(doc).share == 0.75  # the last lacks the authors the others have
    authors = ("Ann Lee", "Bo Wu")
    entry = _written(doc, "Forecasting", abstract="Code: https://github.com/c/d", authors=authors)
    assert (entry.line, entry.details) == (
        "- **Sparse experts**  ",
        ("  Ann Lee, Bo Wu  ", "  arXiv 2025.  ",
         "  [Paper](https://arxiv.org/abs/2510.04321) | [Code](https://github.com/c/d)"),
    )  # fmt: skip


def test_a_tables_authors_column_is_filled_in_the_lists_form() -> None:
    """zhengxuJosh/Awesome-RAG-Vision, huckiyang/awesome-deep-causal-learning and
    WILLOSCAR/Awesome-HCI-LLM give each row an Authors column (``Hu *et al.*``, ``Tang et
    al.``, ``Lei Wang, et al.``): it was no column of a known kind, so a new row left it
    empty. A new row writes "et al." as the list does (``*et al.*`` here; ``, et al.`` where
    the list puts a comma). A header that holds the title and the authors (``Title &
    Authors``) is the title's column."""
    text = (
        "# L\n\n## Methods\n\n| Title | Authors | Venue/Date | Links |\n|---|---|---|---|\n"
        "| FilterRAG: VQA | Sarwar | arXiv 2025 | [paper](https://arxiv.org/pdf/2502.18536) |\n"
        "| mRAG: Multi | Hu *et al.* | arXiv 2025 | [paper](https://arxiv.org/abs/2505.24073) |\n"
        "| DIR: Caption | Wu *et al.* | arXiv 2024 | [paper](https://arxiv.org/pdf/2412.01115) |\n"
    )
    doc = awesome_list.parse(text)
    assert [list_style.entry_authors(e) for e in doc.entries] == [
        "Sarwar",
        "Hu *et al.*",
        "Wu *et al.*",
    ]
    assert style_check.check(doc).share == 1.0
    many = ("Ann Lee", "Bo Wu", "Cy Do", "Di Ma")
    assert _written(doc, "Methods", authors=many).line == (
        "| Sparse experts | Lee *et al.* | arXiv 2025 | [paper](https://arxiv.org/pdf/2510.04321) |"
    )
    assert _written(doc, "Methods", authors=("Ann Lee", "Bo Wu")).line.startswith(
        "| Sparse experts | Lee, Wu | arXiv"
    )
    # A name with a pipe ends no cell: the row keeps its four columns.
    line = _written(doc, "Methods", authors=("Ann Lee|Wu", "Bo\nDi")).line
    assert "| Lee\\|Wu, Di |" in line  # surnames, as the list writes them
    assert len(entry_syntax.split_row(line)) == 4
    comma = awesome_list.parse(
        text.replace("Hu *et al.*", "Hu Li, et al.").replace("Wu *et al.*", "Wu Di, et al.")
    )
    assert _written(comma, "Methods", authors=many).line.startswith(
        "| Sparse experts | Ann Lee, et al. |"
    )
    header = "| Title & Authors | Introduction | Links |"
    assert entry_syntax.column_roles(entry_syntax.split_row(header)) == (
        entry_syntax.Column.TITLE, entry_syntax.Column.OTHER, entry_syntax.Column.LINK,
    )  # fmt: skip


def test_an_entrys_own_note_in_a_tag_is_kept_whole() -> None:
    """JXLiu-AI/Awesome-Medical-Reasoning ends each entry with its month and citations in a
    tag (``<sub>2026-07 · 1 citation</sub>``), some with a venue in bold before it. The
    entry's own words started at the first letter, inside the tag or the bold, so the form
    kept half of them and every entry was written back broken (`` citation</sub>``): 55.1%
    of 303, 98.0% now. A new entry writes none of another entry's note."""
    text = (
        "# L\n\n## Papers\n\n"
        "- [Clinical QA](https://arxiv.org/abs/2607.25947) <sub>2026-07 · 1 citation</sub>\n"
        "- [Stable distillation](https://arxiv.org/abs/2601.07155) — **ACL**"
        " <sub>2026-01 · 35 citations</sub>\n"
        "- [Contextual medical QA](https://arxiv.org/abs/2506.12182) — **2025 International"
        " Conference on AI** <sub>2025-06 · 14 citations</sub>\n"
        "- [Knowledge or reasoning?](https://arxiv.org/abs/2506.02126)"
        " <sub>2025-06 · 14 citations</sub>\n"
    )
    doc = awesome_list.parse(text)
    assert style_check.check(doc).share == 1.0
    line = _written(doc, "Papers").line
    assert line == "- [Sparse experts](https://arxiv.org/abs/2510.04321)"


def test_a_project_name_holding_a_frameworks_is_no_code_label() -> None:
    """WenzheLiu-Speech/awesome-speech-enhancement labels each code link with its project's
    name (``[[FullSubNet]](u)``); one of 108 is ``[[TensorFlow-SE]](u)``, label-like for the
    framework it names, so every new entry's code was labelled TensorFlow-SE."""
    names = ["FullSubNet", "PercepNet", "RNNoise", "TensorFlow-SE", "DCCRN", "MetricGAN"]
    text = "# L\n\n## Enhancement\n\n" + "".join(
        f"* 2020, Speech model {k}. [[Paper]](https://arxiv.org/abs/2010.1550{k})"
        f" [[{name}]](https://github.com/a/{name.lower()})\n"
        for k, name in enumerate(names)
    )
    doc = awesome_list.parse(text)
    line = _written(doc, "Enhancement", abstract="Code: https://github.com/c/d").line
    assert line.endswith(" [[Code]](https://github.com/c/d)"), line


def test_a_citation_with_its_authors_first_and_its_title_in_quotes() -> None:
    """983632847/Awesome-Multimodal-Object-Tracking writes each paper as a citation, authors
    first: ``- [**Name:**] Ann Lee, Bo Wu.<br />``, then ``  "Title." Venue (Year).``, then
    its links on lines of their own. Its 534 entries were read with the authors' line as the
    title (1.7% written back, 60.5% now: the rest are its own trailing spaces and no-break
    spaces). A new entry opens with its own authors, never another's; a paper whose authors
    do not read as names is refused, not written ``- .<br />``; a quote in its title is
    escaped, so the title reads back whole."""
    text = (
        "# L\n\n## 2025\n\n"
        "- Pengyu Zhang, Dong Wang, Huchuan Lu.<br />\n"
        '  "Multi-modal visual tracking: review and comparison." ArXiv (2022).\n'
        "  [[paper](https://arxiv.org/abs/2012.04176)]\n\n"
        "- **MoETrack:** Zhangyong Tang,\u00a0Tianyang Xu; Josef Kittler.<br />\n"
        '  "Revisiting RGBT tracking benchmarks." TIP (2025).\n'
        "  [[paper](https://arxiv.org/abs/2405.00168)]\n"
        "  [[code](https://github.com/Zhangyong-Tang/MoETrack)]\n\n"
        "- Mingzheng Feng and Jianbo Su.<br />\n"
        '  "RGBT tracking: A comprehensive review?" Information Fusion (2024).\n'
        "  [[paper](https://arxiv.org/abs/2401.00001)]\n"
    )
    doc = awesome_list.parse(text)
    assert doc.render() == text
    assert [(e.title, e.venue, list_style.entry_authors(e)) for e in doc.entries] == [
        ("Multi-modal visual tracking: review and comparison", "ArXiv (2022)",
         "Pengyu Zhang, Dong Wang, Huchuan Lu"),
        ("Revisiting RGBT tracking benchmarks", "TIP (2025)",
         "Zhangyong Tang,\u00a0Tianyang Xu; Josef Kittler"),
        ("RGBT tracking: A comprehensive review?", "Information Fusion (2024)",
         "Mingzheng Feng and Jianbo Su"),
    ]  # fmt: skip
    assert doc.entries[1].parts is not None and doc.entries[1].parts.mark == "**MoETrack:** "
    assert style_check.check(doc).share == 1.0
    entry = _written(doc, "2025", title='Sparse "experts"', abstract="Code: https://github.com/c/d",
                     authors=("Ann Lee", "Bo Wu"))  # fmt: skip
    assert (entry.line, entry.details) == (
        "- Ann Lee, Bo Wu.<br />",
        ('  "Sparse \\"experts\\"." ArXiv (2025).', "  [[paper](https://arxiv.org/abs/2510.04321)]",
         "  [[code](https://github.com/c/d)]"),
    )  # fmt: skip
    after = doc.insert([entry]).document
    (added,) = [e for e in after.entries if e.keys.arxiv_id == "2510.04321"]
    assert (added.title, list_style.entry_authors(added)) == ('Sparse "experts"', "Ann Lee, Bo Wu")
    with pytest.raises(InputError, match="opens each entry with its authors"):
        _written(doc, "2025", authors=())


CITED = "# L\n\n## 2025\n\n" + "".join(
    f"- Ann Lee{k}, Bo Wu{k}.<br />\n"
    f'  "Tracking model {k}." ArXiv (202{k}).\n'
    f"  [[paper](https://arxiv.org/abs/2401.0000{k})]\n"
    f"  [[code](https://github.com/a/b{k})]\n\n"
    for k in range(1, 5)
)
"""Citations, authors first, the title in quotes on the next line (983632847/Awesome-
Multimodal-Object-Tracking)."""
FOUR_LINES = "# L\n\n## Forecasting\n\n" + "".join(
    f"- **Forecasting model {k}**  \n  Ann Lee{k}, Bo Wu{k}  \n  ICLR 202{k}.  \n"
    f"  [Paper](https://arxiv.org/abs/2401.0000{k}) | [Code](https://github.com/a/b{k})\n\n"
    for k in range(1, 5)
)
"""Title, authors, venue and links on four lines (TongjiFinLab/awesome-time-series-forecasting)."""
_MULTILINE = {
    "cited": (awesome_list.parse(CITED), "2025"),
    "four-lines": (awesome_list.parse(FOUR_LINES), "Forecasting"),
}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(_MULTILINE)),
    title=_hostile,
    author=_hostile,
    with_code=st.booleans(),
)
def test_a_hostile_title_or_author_in_a_style_of_several_lines_adds_one_entry(
    name: str, title: str, author: str, with_code: bool
) -> None:
    """The styles whose entries span lines, the authors on one of them: a hostile title or
    author name becomes one entry whose lines are all new, every old line kept, its title
    and (when they read as names) its authors reading back; or the paper is refused."""
    doc, heading = _MULTILINE[name]
    day = dt.date(2025, 10, 8)
    paper = Paper(id="2999.00001", source=Origin.ARXIV, title=title, date=day,
                  abstract="https://github.com/x/y" if with_code else "",
                  authors=(author, "A. Person"))  # fmt: skip
    try:
        entry = proposing.new_entry(doc, _proposal(paper, heading), Renderer(), day)
    except InputError:
        return  # authors that do not read as names, where the entry opens with them
    result = doc.insert([entry])
    after = result.document
    if not result.added:
        assert after.render() == doc.render()
        return
    old = list(doc.lines)
    it = iter(after.lines)
    assert all(any(x == y for y in it) for x in old)  # every old line kept, in order
    new = [e for e in after.entries if e.keys.arxiv_id == "2999.00001"]
    assert len(new) == 1 and len(after.entries) == len(doc.entries) + 1
    assert new[0].title.rstrip(".") == _proposal(paper, heading).title.rstrip(".")
    assert (new[0].code_url is not None) == with_code
