"""Paper identity from the link and id shapes found in real lists and feeds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfm_bot.ids import arxiv_version, keys_from, normalise_arxiv_id, normalise_doi, normalise_title


@pytest.mark.parametrize(
    ("text", "expected", "version"),
    [
        ("https://arxiv.org/abs/2304.12306", "2304.12306", None),
        ("https://arxiv.org/abs/2304.12306v3", "2304.12306", 3),
        ("https://arxiv.org/pdf/2304.06716.pdf", "2304.06716", None),
        ("https://arxiv.org/pdf/2310.17956v2.pdf", "2310.17956", 2),
        ("https://arxiv.org/pdf/2401.04079", "2401.04079", None),
        ("https://arxiv.org/html/2401.00153v2", "2401.00153", 2),
        ("http://export.arxiv.org/abs/0704.0001", "0704.0001", None),
        ("2506.01234", "2506.01234", None),
        ("arXiv:2506.01234v1", "2506.01234", 1),
        ("math/0211159", "math/0211159", None),
        ("http://arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082", 1),
        ("arXiv:math.GT/0309136v2", "math.GT/0309136", 2),
        ("https://doi.org/10.48550/arXiv.2305.10415", "2305.10415", None),
        ("https://www.nature.com/articles/s41586-023-05881-4", None, None),
        ("https://arxiv.org/abs/2304.1230", None, None),
    ],
)
def test_arxiv_ids(text: str, expected: str | None, version: int | None) -> None:
    assert normalise_arxiv_id(text) == expected
    if expected:
        assert arxiv_version(text) == version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://doi.org/10.1093/nar/gks1195", "10.1093/nar/gks1195"),
        (
            "https://www.biorxiv.org/content/10.1101/2023.10.11.561938v1.full",
            "10.1101/2023.10.11.561938",
        ),
        (
            "https://www.medrxiv.org/content/10.1101/2020.03.01.20029694v1.full.pdf",
            "10.1101/2020.03.01.20029694",
        ),
        ("https://www.biorxiv.org/content/early/2019/01/04/512012", "10.1101/512012"),
        ("https://dl.acm.org/doi/full/10.1145/3611651", "10.1145/3611651"),
        ("https://www.science.org/doi/10.1126/science.ade2574", "10.1126/science.ade2574"),
        ("https://www.nature.com/articles/s41597-020-0495-6.", "10.1038/s41597-020-0495-6"),
        ("10.1101/2024.01.01.123456", "10.1101/2024.01.01.123456"),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/29907", None),
    ],
)
def test_dois(text: str, expected: str | None) -> None:
    assert normalise_doi(text) == expected


def test_titles_fold_case_punctuation_latex_and_accents() -> None:
    assert normalise_title("Segment Anything in Medical Images.") == normalise_title(
        "segment anything in medical images"
    )
    assert normalise_title("$\\alpha$-Net: Médical") == normalise_title("α-Net: medical")
    assert normalise_title("MedAlpaca–An  Open-Source") == "medalpaca an open source"
    assert normalise_title('Na\\"ive {B}ayes') == "naive bayes"


def test_keys_from_links_prefer_arxiv_and_keep_journal_doi() -> None:
    keys = keys_from(
        "Title",
        ["https://arxiv.org/pdf/2401.04079", "https://doi.org/10.1038/s41586-023-05881-4"],
    )
    assert keys.arxiv_id == "2401.04079"
    assert keys.doi == "10.1038/s41586-023-05881-4"
    assert keys.as_strings() == ("arxiv:2401.04079", "doi:10.1038/s41586-023-05881-4")


@given(st.text(max_size=200))
def test_title_normalisation_is_idempotent(text: str) -> None:
    once = normalise_title(text)
    assert normalise_title(once) == once


@given(
    st.from_regex(r"\A(1[5-9]|2[0-9])(0[1-9]|1[0-2])\.[0-9]{5}\Z"),
    st.integers(min_value=1, max_value=20),
)
def test_arxiv_id_shapes_agree(arxiv_id: str, version: int) -> None:
    for shape in (
        f"https://arxiv.org/abs/{arxiv_id}v{version}",
        f"https://arxiv.org/pdf/{arxiv_id}v{version}.pdf",
        f"https://arxiv.org/html/{arxiv_id}v{version}",
        f"arXiv:{arxiv_id}v{version}",
    ):
        assert normalise_arxiv_id(shape) == arxiv_id
        assert arxiv_version(shape) == version
