"""Entries in the list's style, venue tags, code links, and safe PR bodies."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfm_bot import awesome_list
from hfm_bot.awesome_list import NewEntry
from hfm_bot.errors import InputError
from hfm_bot.paper import Origin, Paper
from hfm_bot.prediction import Prediction
from hfm_bot.proposing import ticks_in
from hfm_bot.render import BODY_LIMIT, Proposal, Renderer, code_url, display_title
from hfm_bot.venues import venue_from, venue_year
from tests.conftest import SEED_LIST, STREAM

RENDERER = Renderer()
SEED = awesome_list.load(SEED_LIST)


def _proposal(title: str, abstract: str = "An abstract.", **paper: object) -> Proposal:
    p = Paper(id="2506.01234", source=Origin.ARXIV, title=title, abstract=abstract,
              date=dt.date(2025, 6, 5), **paper)  # type: ignore[arg-type]  # fmt: skip
    pred = Prediction(
        "2506.01234", 0.9, True, "VFM", (("VFM", 0.8), ("MFM", 0.2)), ("sam", "medical")
    )
    return Proposal(p, pred, "VFM", "VFM methods")


def test_entry_in_the_lists_style() -> None:
    prop = _proposal(
        "Segment anything in medical images",
        "We present MedSAM. Code: https://github.com/bowang-lab/MedSAM.",
        comment="Accepted at MICCAI 2025",
    )
    lfm, bfm_style = SEED.style_for("LFM methods"), SEED.style_for("BFM methods")
    # LFM's newest entries (the top of its 2024 group, where a new one goes) write no period
    # before the links, and the new line follows them (the local style, list_style.local).
    assert RENDERER.entry(prop, lfm) == (
        "- [MICCAI] Segment anything in medical images "
        "[[Paper]](https://arxiv.org/abs/2506.01234) [[Code]](https://github.com/bowang-lab/MedSAM)"
    )
    # VFM writes its paper links [[paper]] (40 of its 69 entries) and links an arXiv paper's
    # PDF (22 of its 32 arXiv links `/pdf/<id>`, 10 more `/pdf/<id>.pdf`), and so does the bot.
    assert RENDERER.entry(prop, SEED.style_for("VFM methods")).startswith(
        "- [MICCAI] Segment anything in medical images. [[paper]](https://arxiv.org/pdf/"
    )
    assert RENDERER.entry(_proposal("A DNA model"), bfm_style).endswith(
        "[[Paper]](https://arxiv.org/abs/2506.01234)"
    )
    bfm = _proposal("A DNA model", "See https://huggingface.co/org/model).")
    assert RENDERER.entry(bfm, bfm_style).endswith(
        "(https://arxiv.org/abs/2506.01234), [[Code]](https://huggingface.co/org/model)"
    )


def test_latex_title_becomes_readable_unicode() -> None:
    line = RENDERER.entry(_proposal("$\\alpha$-SAM: $\\mathcal{O}(n)$ segmentation\nof CT"))
    assert "α-SAM" in line and "O\\(n\\)" in line and "\n" not in line


_INVISIBLE = (
    "\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
)


def test_invisible_and_bidirectional_characters_leave_titles() -> None:
    """A title carrying zero-width or bidirectional control characters (U+200B, U+202E, ...)
    used to keep them in the list line and the PR body, where they hide text or show it
    reversed; they are removed. A zero-width joiner inside an emoji sequence stays."""
    title = (
        "Med\u200bSAM: \u202eevil\u202c \u2066segment\u2069 \ufeffanything\u00ad "
        "in \u200emedical\u200f images \U000e0041tags\U000e007f"
    )
    prop = _proposal(title, "An \u202eabstract\u202c with a zero\u200bwidth space.")
    line = RENDERER.entry(prop)
    assert "] MedSAM: evil segment anything in medical images tags. [[Paper]]" in line
    body = RENDERER.pr_body([prop], [prop], ["VFM"], "<!-- m -->", 0, 0.5)
    assert "MedSAM: evil segment anything in medical images tags" in body
    assert "An abstract with a zerowidth space." in body
    for text in (line, body):
        assert not any(ch in text for ch in _INVISIBLE + "\U000e0041\U000e007f")
    # The bot's own zero-width space after @ and # (so nobody is pinged) is added after.
    assert "@\u200bsomeone" in RENDERER.pr_body(
        [_proposal("Hi @some\u200bone")], [], ["VFM"], "<!-- m -->", 0, 0.5
    )
    nurse = "A \U0001f469\u200d\u2695\ufe0f assistant"  # woman + ZWJ + staff: one emoji
    assert display_title(nurse) == nurse
    assert display_title("a\u200db \u200d\U0001f469") == "ab \U0001f469"


@pytest.mark.parametrize(
    ("comment", "journal_ref", "venue"),
    [
        ("Accepted at MICCAI 2025", None, "MICCAI"),
        ("NeurIPS 2025 Datasets and Benchmarks", None, "NeurIPS"),
        ("Accepted to the MICCAI 2025 workshop on foundation models", None, "MICCAI Workshop"),
        ("12 pages, 5 figures. Submitted to MICCAI 2025", None, "arXiv"),
        ("Code: https://github.com/x/y", None, "arXiv"),
        (None, "Nature Medicine 31, 2025", "Nature Medicine"),
        (None, "Medical Image Analysis, 2024, 103", "Medical Image Analysis"),
        ("Published in IEEE Transactions on Medical Imaging", None, "IEEE TMI"),
        ("accepted by ACL 2025 main conference", None, "ACL"),
        ("CVPR 2025 Highlight. Project page: x", None, "CVPR"),
    ],
)
def test_venues(comment: str | None, journal_ref: str | None, venue: str) -> None:
    assert venue_from(comment, journal_ref) == venue


@pytest.mark.parametrize(
    ("comment", "journal_ref", "venue", "year"),
    [
        ("Accepted by AAAI 2026", None, "AAAI", 2026),
        ("10 pages, accepted by AAAI2026", None, "AAAI", 2026),
        ("AAAI-26 oral", None, "AAAI", 2026),
        ("Accepted to CVPR'25", None, "CVPR", 2025),
        ("accepted at the AAAI conference, 2026. 9 pages", None, "AAAI", 2026),
        ("Accepted at ICLR", None, "ICLR", None),
        ("Accepted at ICLR; compared with CVPR 2024 winners", None, "ICLR", None),
        (None, "Nature Medicine 31, 2025", "Nature Medicine", 2025),
        ("Submitted to AAAI 2026", None, "arXiv", None),
    ],
)
def test_the_venues_own_year(
    comment: str | None, journal_ref: str | None, venue: str, year: int | None
) -> None:
    """A paper posted in November 2025 for AAAI 2026 is AAAI's 2026 paper: the year the
    comment gives the venue, not the posting date's; a conference name may run into its
    year (``AAAI2026``)."""
    assert (venue_from(comment, journal_ref), venue_year(comment, journal_ref)) == (venue, year)


def test_a_list_that_writes_venue_years_writes_the_venues_own() -> None:
    """``[AAAI'26]`` for a paper posted in 2025 that says "Accepted by AAAI 2026"."""
    text = (
        "# L\n\n## Papers\n\n"
        "- [CVPR'24] A paper. [[Paper]](https://arxiv.org/abs/2401.00001)\n"
        "- [ICML'24] Another. [[Paper]](https://arxiv.org/abs/2402.00002)\n"
    )
    style = awesome_list.parse(text).style_for("Papers")
    paper = Paper(
        id="2511.00003",
        source=Origin.ARXIV,
        title="New",
        comment="Accepted by AAAI 2026",
        date=dt.date(2025, 11, 14),
    )
    pred = Prediction(paper.id, 0.9, True, "x", (("x", 1.0),), ())
    line = RENDERER.entry(Proposal(paper, pred, "x", "Papers"), style)
    assert line.startswith("- [AAAI'26] New.")


def test_server_tags() -> None:
    assert venue_from(None, None, "biorxiv") == "bioRxiv"
    assert venue_from(None, None, "medrxiv") == "medRxiv"


@pytest.mark.benchmark
def test_venues_on_the_recorded_streams_comments() -> None:
    """Run the alias table over every comment of two recorded months; the counts and a
    sample are in the closing note of the proposing issue (checked by eye)."""
    found: dict[str, int] = {}
    with_comment = 0
    for month in ("2025-06", "2025-09"):
        path = STREAM / f"arxiv-{month}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                comment = json.loads(line).get("comment")
                if not comment:
                    continue
                with_comment += 1
                tag = venue_from(comment, None)
                found[tag] = found.get(tag, 0) + 1
    tagged = with_comment - found.get("arXiv", 0)
    assert with_comment > 5000
    assert tagged > 0.1 * with_comment  # venues are common in comments
    for tag in ("MICCAI", "NeurIPS", "ICCV", "ACL", "EMNLP"):
        assert found.get(tag, 0) > 10, tag


@pytest.mark.parametrize(
    ("texts", "url"),
    [
        (("Code at https://github.com/a/b.",), "https://github.com/a/b"),
        (("(https://gitlab.com/grp/proj/-/tree/main)",), "https://gitlab.com/grp/proj/-/tree/main"),
        (
            ("Models: https://huggingface.co/org/m;", "https://github.com/x/y"),
            "https://huggingface.co/org/m",
        ),
        (("no code", None), None),
        (("https://github.com/",), None),
    ],
)
def test_code_links(texts: tuple[str | None, ...], url: str | None) -> None:
    assert code_url(*texts) == url


# ---------------------------------------------------------------- hostile titles

_hostile = st.one_of(
    st.text(min_size=0, max_size=200),
    st.text(alphabet=st.sampled_from(list("[]()!*_`|<>#@&$\\-+.,; \n\r\tabc:/w")), max_size=120),
    st.sampled_from(
        [
            "[Click](https://evil.example) me",
            "![img](https://x/y.png)",
            "# Heading\n- second item",
            "@octocat please review",
            "<script>alert(1)</script> <b>bold</b>",
            "Ends with a backslash \\",
            "Ends with a period.",
            "A , lone comma ; and semicolon",
            "$\\alpha$ and \\textbf{bold} $x^2$",
            "See https://evil.example and www.evil.example",
            "x" * 10_000,
        ]
    ),
)


# 100 examples: each inserts into the whole seed list (about 30 ms); a third of them draw from
# the hostile titles above (11 of them), the rest from the two text strategies.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_hostile)
def test_any_title_is_one_line_that_parses_back(title: str) -> None:
    prop = _proposal(title)
    line = RENDERER.entry(prop)
    assert "\n" not in line and "\r" not in line
    doc = awesome_list.parse(f"# L\n## VFM methods\n**2025**\n{line}\n")
    [entry] = doc.entries
    assert entry.title == display_title(title)
    assert entry.venue == "arXiv"
    assert [link.label for link in entry.links] == ["Paper"]
    assert entry.paper_url == "https://arxiv.org/abs/2506.01234"
    # Inserted into the real list it is one new entry, nothing else.
    result = SEED.insert([NewEntry("VFM methods", 2025, line)])
    if result.added:
        assert len(result.document.entries) == len(SEED.entries) + 1
        assert len(result.document.sections) == len(SEED.sections)


_ACTIVE_MENTION = re.compile(r"(?<![\w\u200b])@(?!\u200b)[A-Za-z0-9]")
_TAG = re.compile(r"<(?!/?(details|summary)>|!--)[A-Za-z/!]")


@settings(max_examples=200, deadline=None)
@given(title=_hostile, abstract=_hostile)
def test_pr_body_has_no_active_mention_or_html(title: str, abstract: str) -> None:
    prop = _proposal(title, abstract)
    body = RENDERER.pr_body(
        [prop], [prop], ["VFM"], "<!-- hfm-bot:proposed arxiv:2506.01234 -->", 0, 0.5
    )
    assert not _ACTIVE_MENTION.search(body)
    assert not _TAG.search(body)
    assert len(body) < BODY_LIMIT


def test_pr_body_content_and_size_cap() -> None:
    props = [_proposal(f"Paper {i} on medical SAM", "word " * 3000) for i in range(60)]
    body = RENDERER.pr_body(props, props[:5], ["VFM"], "<!-- hfm-bot:proposed a b -->", 12, 0.5)
    assert len(body) < BODY_LIMIT
    assert body.startswith("<!-- hfm-bot:proposed a b -->")
    assert "12 more are waiting" in body
    assert "Delete a line to reject" in body
    assert "### VFM methods (60)" in body
    assert (
        "| [Paper 0 on medical SAM](https://arxiv.org/abs/2506.01234) | 0.90 | 0.90: sam, "
        "medical | - | VFM (0.80) |" in body  # no encoder opinion on this prediction: "-"
    )
    assert "<details><summary>Paper 0 on medical SAM</summary>" in body
    assert body.count("### Near misses") == 1
    # The first step of shortening sufficed: the abstracts are cut, the near misses all stay.
    assert body.count("word") < 60 * 3000 / 10
    assert "Left out to keep this description within GitHub's size limit" not in body
    assert all(f"- [ ] [Paper {i} on medical SAM]" in body for i in range(5))


def test_a_pr_body_of_200_long_entries_is_shortened_never_refused() -> None:
    """max_entries allows 200: abstracts go first, then the near misses, then the table's
    titles are cut, so the body always fits GitHub's limit (it used to raise)."""
    title = "Paper on medical SAM " + "with a very long title " * 11
    props = [_proposal(f"{i} {title}", "word " * 3000) for i in range(200)]
    marker = "<!-- hfm-bot:proposed " + " ".join(f"arxiv:2506.{i:05d}" for i in range(200)) + " -->"
    body = RENDERER.pr_body(props, props[:5], ["VFM"], marker, 0, 0.5)
    assert len(body) < BODY_LIMIT
    assert body.startswith(marker) and "<details>" not in body and "- [ ] [" not in body
    assert "Left out to keep this description within GitHub's size limit" in body
    rows = [line for line in body.splitlines() if line.startswith("| [")]
    assert len(rows) == 200 and all(" …](https://arxiv.org/abs/" in r for r in rows)


def test_near_misses_are_a_task_list_a_tick_can_be_read_from() -> None:
    """Each near miss is a task-list line with its score, section and hidden key; ticking
    it is read back by the key. With none, the body says so."""
    props = [_proposal("Proposed paper")]
    misses = [
        Proposal(
            Paper(id="2506.09999", source=Origin.ARXIV, title="Almost *there* @someone"),
            Prediction("2506.09999", 0.41, False, "MFM", (("MFM", 0.7),), ()),
            "MFM",
            "MFM methods",
        )
    ]
    body = RENDERER.pr_body(props, misses, ["VFM", "MFM"], "<!-- m -->", 0, 0.5, 0.125)
    line = next(ln for ln in body.splitlines() if ln.startswith("- [ ] "))
    assert line.endswith("(0.41, MFM) <!-- hfm-bot:near-miss arxiv:2506.09999 -->")
    assert "@someone" not in line and "Just below the threshold (0.50)" in body
    assert "Closing this pull request without merging rejects every paper" in body
    assert ticks_in(body).keys == frozenset()
    assert ticks_in(body.replace("- [ ] ", "- [x] ")).keys == {"arxiv:2506.09999"}
    none = RENDERER.pr_body(props, [], ["VFM"], "<!-- m -->", 0, 0.5, 0.125)
    assert "None tonight: no new paper scored between 0.12 and the threshold (0.50)." in none


def test_user_templates_override(tmp_path: Path) -> None:
    (tmp_path / "entry.md.j2").write_text("- {{ title }} ({{ venue }}) [[Paper]]({{ url }})\n")
    line = Renderer(tmp_path).entry(_proposal("Custom"))
    assert line == "- Custom (arXiv) [[Paper]](https://arxiv.org/abs/2506.01234)"
    (tmp_path / "entry.md.j2").write_text("- a\n- b [[Paper]](u)\n")
    with pytest.raises(InputError, match=r"entry\.md\.j2: must render one line"):
        Renderer(tmp_path).entry(_proposal("x"))
