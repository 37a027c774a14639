"""The list document model on the two real list files, and editing it by adding lines only."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfm_bot import awesome_list
from hfm_bot.awesome_list import AwesomeList, NewEntry
from hfm_bot.errors import ListFormatError
from hfm_bot.ids import PaperKeys, normalise_title
from tests.conftest import SEED_LIST, UPSTREAM_LIST

# Counted by reading the files: list items with a [[…]] link, per heading.
EXPECTED = {
    SEED_LIST: {
        "Related survey": 17,
        "LFM methods": 44,
        "VFM methods": 69,
        "BFM methods": 31,
        "MFM methods": 58,
    },
    UPSTREAM_LIST: {
        "Related survey": 18,
        "LFM methods": 45,
        "VFM methods": 69,
        "BFM methods": 34,
        "MFM methods": 59,
    },
}
EXPECTED_DATASET_ROWS = {
    "LFM datasets": 34,
    "VFM datasets": 42,
    "BFM datasets": 17,
    "MFM datasets": 17,
    "Large-scale comprehensive databases": 4,
}
METHOD_HEADINGS = ["Related survey", "LFM methods", "VFM methods", "BFM methods", "MFM methods"]


@pytest.fixture(scope="module", params=[SEED_LIST, UPSTREAM_LIST], ids=["seed", "upstream"])
def real_list(request: pytest.FixtureRequest) -> tuple[Path, AwesomeList]:
    path: Path = request.param
    return path, awesome_list.load(path)


def test_round_trip_is_byte_exact(real_list: tuple[Path, AwesomeList]) -> None:
    path, doc = real_list
    assert doc.render().encode("utf-8") == path.read_bytes()


def test_entries_per_section(real_list: tuple[Path, AwesomeList]) -> None:
    path, doc = real_list
    counts = Counter(e.section for e in doc.entries)
    assert dict(counts) == EXPECTED[path]


def test_every_link_list_item_is_an_entry(real_list: tuple[Path, AwesomeList]) -> None:
    path, doc = real_list
    text = path.read_text(encoding="utf-8")
    with_links = [
        n for n, line in enumerate(text.split("\n"), 1) if re.match(r"^\s*- .*\[\[", line)
    ]
    assert [e.line_no for e in doc.entries] == with_links


def test_dataset_rows(real_list: tuple[Path, AwesomeList]) -> None:
    _, doc = real_list
    assert dict(Counter(r.section for r in doc.dataset_rows)) == EXPECTED_DATASET_ROWS
    pmc_vqa = next(r for r in doc.dataset_rows if r.name == "PMC-VQA")
    assert pmc_vqa.keys.arxiv_id == "2305.10415"
    assert pmc_vqa.cells[:2] == ("Multimodal, QA", "149K images, 227K QA pairs")
    # A dataset's paper counts as already listed.
    assert doc.contains(PaperKeys(arxiv_id="2305.10415"))
    # The odd nested link of the CellxGene row still yields its bioRxiv DOI.
    cellxgene = next(r for r in doc.dataset_rows if r.name.startswith("CellxGene"))
    assert cellxgene.keys.doi == "10.1101/2023.10.30.563174"
    plain = next(r for r in doc.dataset_rows if r.name == "10x Genomics")
    assert plain.url is None


def test_every_entry_has_keys(real_list: tuple[Path, AwesomeList]) -> None:
    _, doc = real_list
    for entry in doc.entries:
        assert entry.title, entry
        assert entry.keys.title == normalise_title(entry.title)
        url = entry.paper_url or ""
        if "arxiv.org/" in url:
            expected = re.search(r"(\d{4}\.\d{4,5})", url)
            assert expected and entry.keys.arxiv_id == expected.group(1), entry
        if "biorxiv.org/content/10.1101/" in url:
            assert entry.keys.doi and entry.keys.doi.startswith("10.1101/20"), entry
            assert not re.search(r"v\d+$", entry.keys.doi)
        if "doi.org/" in url or "/doi/" in url:
            assert entry.keys.doi and entry.keys.doi.startswith("10."), entry
        assert entry.year is not None, entry
        assert entry.venue, entry
    arxiv = sum(1 for e in doc.entries if e.keys.arxiv_id)
    assert arxiv >= 107
    # Every entry is found again by each of its own keys.
    for entry in doc.entries:
        for keys in (
            PaperKeys(arxiv_id=entry.keys.arxiv_id),
            PaperKeys(doi=entry.keys.doi),
            PaperKeys(title=entry.keys.title),
        ):
            if keys.arxiv_id or keys.doi or keys.title:
                assert doc.contains(keys), (entry, keys)


def test_untidy_lines_of_the_seed_list() -> None:
    doc = awesome_list.load(SEED_LIST)
    by_line = {e.line_no: e for e in doc.entries}
    rudolfv = next(e for e in doc.entries if e.title.startswith("RudolfV"))
    assert rudolfv.code_url is None  # [[Code]]() is empty
    assert [link.label for link in rudolfv.links] == ["paper", "Code"]  # lower-case [[paper]]
    assert rudolfv.keys.arxiv_id == "2401.04079"  # /pdf/ without .pdf
    usfm = next(e for e in doc.entries if e.title.startswith("USFM"))
    assert usfm.keys.arxiv_id == "2401.00153"  # /html/…v2
    voco = next(e for e in doc.entries if e.title.startswith("VoCo"))
    assert voco.code_url == "https://github.com/Luffy03/VoCo"  # links with no space between
    scgpt = next(e for e in doc.entries if e.title.startswith("scGPT"))
    assert scgpt.indent == "  "  # BFM is indented
    assert scgpt.code_url == "https://github.com/bowang-lab/scGPT"  # comma-separated links
    assert scgpt.title == (
        "scGPT: toward building a foundation model for single-cell multi-omics using generative AI"
    )
    universeg = next(e for e in doc.entries if e.title.startswith("UniverSeg"))
    assert universeg.indent == " "
    progen2 = next(e for e in doc.entries if e.title.startswith("ProGen2"))
    assert progen2.paper_url == "https://www.cell.com/cell-systems/abstract/S2405-4712(23)00272-7"
    visual = next(e for e in doc.entries if e.venue == "Github")
    assert visual.paper_url is None and visual.code_url
    samed = next(e for e in doc.entries if e.title == "SAM-Med2D")  # no period, no space
    assert samed.keys.arxiv_id == "2308.16184"
    assert doc.problems == (awesome_list.Problem(61, "empty list item", "Related survey"),)
    assert by_line[57].section == "Related survey" and by_line[57].year == 2024
    medcomm = next(e for e in doc.entries if e.venue and e.venue.startswith("MedComm"))
    assert medcomm.venue == "MedComm–Future Medicine"
    # The BibTeX block at the top holds no headings or entries.
    assert all(s.line_no > 36 or s.level == 1 for s in doc.sections)
    assert doc.sections[0].title == "Awesome-Foundation-Models-for-Advancing-Healthcare"


def test_contains_by_each_kind_of_key() -> None:
    doc = awesome_list.load(SEED_LIST)
    assert doc.contains(PaperKeys(arxiv_id="2304.14454"))  # PMC-LLaMA
    assert doc.contains(PaperKeys(doi="10.1038/s41591-023-02448-8"))  # nature.com link
    assert doc.contains(PaperKeys(doi="10.1101/2023.05.29.542705"))  # bioRxiv content URL
    published = "Segment Anything in Medical Images"
    assert doc.contains(PaperKeys(title=normalise_title(published)))
    # A published version with a small title edit is the same paper.
    edited = "PMC-LLaMA: Toward Building Open-source Language Models for Medicine"
    assert doc.contains(PaperKeys(title=normalise_title(edited)))
    # Different papers with similar words are not.
    for other in (
        "Vision Language Models in Medicine",
        "Describe Anything in Medical Images",
        "SAM-Med3D-MoE",
        "Toward Global Large Language Models in Medicine",
    ):
        assert not doc.contains(PaperKeys(title=normalise_title(other))), other
    assert not doc.contains(PaperKeys(arxiv_id="2506.00001"))


# ---------------------------------------------------------------- editing


def _entry(section: str, year: int, title: str, arxiv_id: str) -> NewEntry:
    line = f"- [arXiv] {title}. [[Paper]](https://arxiv.org/abs/{arxiv_id})"
    return NewEntry(section=section, year=year, line=line)


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def test_insert_at_top_of_existing_year_group() -> None:
    doc = awesome_list.load(SEED_LIST)
    result = doc.insert([_entry("LFM methods", 2024, "A new medical LLM", "2506.00001")])
    after = result.document.render().split("\n")
    i = after.index("## LFM methods")
    assert after[i + 1] == "**2024**"
    assert (
        after[i + 2] == "- [arXiv] A new medical LLM. [[Paper]](https://arxiv.org/abs/2506.00001)"
    )
    assert after[i + 3].startswith("- [AAAI] Zhongjing")


def test_insert_creates_missing_year_in_order_with_section_indent() -> None:
    doc = awesome_list.load(SEED_LIST)
    new = [
        _entry("BFM methods", 2025, "A DNA language model", "2506.00002"),
        _entry("BFM methods", 2026, "A protein language model", "2606.00003"),
    ]
    result = doc.insert(new)
    lines = result.document.render().split("\n")
    i = lines.index("## BFM methods")
    assert lines[i + 1 : i + 7] == [
        "**2026**",
        "  - [arXiv] A protein language model. [[Paper]](https://arxiv.org/abs/2606.00003)",
        "",
        "**2025**",
        "  - [arXiv] A DNA language model. [[Paper]](https://arxiv.org/abs/2506.00002)",
        "",
    ]
    assert lines[i + 7] == "**2024**"
    assert {e.keys.arxiv_id for e in result.document.entries} >= {"2506.00002", "2606.00003"}


def test_insert_older_year_than_any_goes_last_and_vfm_keeps_blank_lines() -> None:
    doc = awesome_list.load(SEED_LIST)
    result = doc.insert(
        [
            _entry("VFM methods", 2018, "An old vision backbone", "1801.00001"),
            _entry("VFM methods", 2024, "Medical SAM 3", "2506.00004"),
        ]
    )
    new_doc = result.document
    old = next(e for e in new_doc.entries if e.keys.arxiv_id == "1801.00001")
    assert old.year == 2018 and old.section == "VFM methods"
    lines = new_doc.render().split("\n")
    assert lines[old.line_no - 2] == "**2018**"
    assert lines[old.line_no - 3] == ""
    sam = next(e for e in new_doc.entries if e.keys.arxiv_id == "2506.00004")
    assert lines[sam.line_no - 2] == ""  # VFM's "**2024**", blank line, entries style
    assert lines[sam.line_no - 3] == "**2024**"


def test_insert_refuses_listed_and_repeated_papers_and_is_idempotent() -> None:
    doc = awesome_list.load(SEED_LIST)
    listed = _entry("LFM methods", 2024, "PMC-LLaMA again", "2304.14454")
    by_title = _entry("VFM methods", 2024, "Segment anything in medical images", "2506.00009")
    fresh = _entry("MFM methods", 2025, "A radiology VLM", "2506.00005")
    again = _entry("MFM methods", 2025, "A radiology VLM, repeated", "2506.00005")
    result = doc.insert([listed, by_title, fresh, again])
    assert result.added == (fresh,)
    reasons = [reason for _, reason in result.refused]
    assert reasons[0].startswith("already listed at line")
    assert reasons[1].startswith("already listed at line")
    assert reasons[2] == "repeated in this batch"
    second = result.document.insert([listed, by_title, fresh, again])
    assert second.added == ()
    assert second.document.render() == result.document.render()


def test_insert_refuses_by_extra_keys() -> None:
    doc = awesome_list.load(SEED_LIST)
    item = NewEntry(
        "BFM methods",
        2025,
        "- [arXiv] Some preprint. [[Paper]](https://arxiv.org/abs/2506.00006)",
        keys=PaperKeys(doi="10.1101/2023.05.29.542705"),  # scFoundation, already listed
    )
    assert doc.insert([item]).added == ()


def test_insert_rejects_lines_that_are_not_entries() -> None:
    doc = awesome_list.load(SEED_LIST)
    with pytest.raises(ListFormatError, match="one line"):
        doc.insert([NewEntry("LFM methods", 2024, "- [arXiv] a\n- b [[Paper]](x)")])
    with pytest.raises(ListFormatError, match=r"list item with a \[\[Paper\]\] link"):
        doc.insert([NewEntry("LFM methods", 2024, "- [arXiv] no link here")])
    with pytest.raises(ListFormatError, match="no heading 'Nope'"):
        doc.insert([_entry("Nope", 2024, "x", "2506.00007")])


def test_crlf_and_missing_final_newline_are_kept() -> None:
    text = "# List\r\n## A\r\n**2024**\r\n- [x] Old. [[Paper]](https://arxiv.org/abs/2401.00001)"
    doc = awesome_list.parse(text)
    assert doc.render() == text
    out = doc.insert([_entry("A", 2024, "New", "2506.00008")]).document.render()
    assert out == (
        "# List\r\n## A\r\n**2024**\r\n"
        "- [arXiv] New. [[Paper]](https://arxiv.org/abs/2506.00008)\r\n"
        "- [x] Old. [[Paper]](https://arxiv.org/abs/2401.00001)"
    )
    doc2 = awesome_list.parse("# L\n## A\n**2023**\n- [x] Old. [[Paper]](https://x.org/a)")
    out2 = doc2.insert([_entry("A", 2022, "Older", "2201.00001")]).document.render()
    assert out2.startswith("# L\n## A\n**2023**\n- [x] Old. [[Paper]](https://x.org/a)\n")
    assert out2.endswith(
        "\n\n**2022**\n- [arXiv] Older. [[Paper]](https://arxiv.org/abs/2201.00001)\n"
    )


def test_section_without_year_groups() -> None:
    doc = awesome_list.parse("# Papers\n\nintro\n\n- [A] One. [[Paper]](https://x.org/1)\n")
    out = doc.insert([_entry("Papers", 2025, "Two", "2506.00010")]).document
    assert [e.title for e in out.entries] == ["Two", "One"]


# ---------------------------------------------------------------- properties

_TITLE_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
    blacklist_characters="[]()\\`*_|<>#!",
)
_titles = (
    st.text(_TITLE_ALPHABET, min_size=3, max_size=80)
    .map(str.strip)
    .filter(lambda t: len(normalise_title(t)) >= 3 and not t.endswith("."))
)
_new_entries = st.lists(
    st.tuples(
        st.sampled_from(METHOD_HEADINGS),
        st.integers(min_value=2015, max_value=2030),
        _titles,
        st.integers(min_value=0, max_value=99999),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda t: t[3],
)

_docs = {path: awesome_list.load(path) for path in (SEED_LIST, UPSTREAM_LIST) if path.exists()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from([SEED_LIST, UPSTREAM_LIST]), raw=_new_entries)
def test_property_insert_only_adds_lines(path: Path, raw: list[tuple[str, int, str, int]]) -> None:
    before = _docs[path]
    new = [_entry(sec, year, title, f"2999.{n:05d}") for sec, year, title, n in raw]
    result = before.insert(new)
    after = result.document
    # Every original line stays, in order, byte for byte.
    assert _is_subsequence(list(before.lines), list(after.lines))
    added_lines = len(after.lines) - len(before.lines)
    assert added_lines >= len(result.added)
    # parse(after) = parse(before) plus the new entries, each where it was sent.
    old_raw = Counter(e.raw for e in before.entries)
    new_raw = Counter(e.raw for e in after.entries) - old_raw
    assert sum(new_raw.values()) == len(result.added)
    assert Counter(e.raw for e in after.entries) - new_raw == old_raw
    for item in result.added:
        placed = next(e for e in after.entries if e.raw.lstrip() == item.line)
        assert placed.section == item.section and placed.year == item.year
    assert len(result.added) + len(result.refused) == len(new)
    # Inserting the same entries again changes nothing.
    again = after.insert(new)
    assert again.added == ()
    assert again.document.render() == after.render()


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_property_any_text_round_trips_or_is_refused(text: str) -> None:
    try:
        doc = awesome_list.parse("# H\n" + text)
    except ListFormatError:
        assert "\x00" in text
        return
    assert doc.render() == "# H\n" + text


# ---------------------------------------------------------------- bad input


def test_bad_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("  \n\n")
    with pytest.raises(ListFormatError, match="empty"):
        awesome_list.load(empty)
    nosection = tmp_path / "plain.md"
    nosection.write_text("just some text\n- [x] a [[Paper]](u)\n")
    with pytest.raises(ListFormatError, match="no section headings"):
        awesome_list.load(nosection)
    binary = tmp_path / "garbage.md"
    binary.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(ListFormatError, match="binary"):
        awesome_list.load(binary)
    latin1 = tmp_path / "latin1.md"
    latin1.write_bytes(b"# List\n\ncaf\xe9\n")
    with pytest.raises(ListFormatError, match=r"line 3: not UTF-8"):
        awesome_list.load(latin1)
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ListFormatError, match="too large"):
        awesome_list.load(huge)
    with pytest.raises(ListFormatError, match="cannot read"):
        awesome_list.load(tmp_path / "missing.md")
