"""The recorded fixtures in tests/fixtures are the recordings named in their ORIGIN.txt.

The copies exist so the suite runs without ../shared; this keeps them honest: each file's
SHA-256 must be the one ORIGIN.txt's MANIFEST gives for the same path (the list and the
stream slice, which the MANIFEST does not cover, are checked against ../shared when it is
there)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, NIGHT_DAYS, SHARED, STREAM, nights

MANIFEST_LINE = re.compile(r"^([0-9a-f]{64})\s+(\d+)\s+(\S+)$")


def _manifest() -> dict[str, tuple[str, int]]:
    text = (FIXTURES / "ORIGIN.txt").read_text(encoding="utf-8")
    body = text.split("MANIFEST (sha256  bytes  path)", 1)[1]
    out = {}
    for line in body.splitlines():
        match = MANIFEST_LINE.match(line.strip())
        if match:
            out[match[3]] = (match[1], int(match[2]))
    return out


RECORDED = sorted(
    p
    for sub in ("arxiv_api", "biorxiv", "github_rest")
    for p in (FIXTURES / sub).rglob("*")
    if p.is_file()
)


def test_every_recorded_copy_is_listed_in_the_manifest() -> None:
    manifest = _manifest()
    assert len(manifest) > 100 and len(RECORDED) > 30
    unlisted = [str(p.relative_to(FIXTURES)) for p in RECORDED]
    assert [p for p in unlisted if p not in manifest] == []


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_recorded_copy_matches_its_manifest_hash(path: Path) -> None:
    digest, size = _manifest()[str(path.relative_to(FIXTURES))]
    data = path.read_bytes()
    assert (hashlib.sha256(data).hexdigest(), len(data)) == (digest, size)


@pytest.mark.skipif(not (SHARED / "awesome-list").is_dir(), reason="../shared is not beside")
@pytest.mark.parametrize("name", ["README.seed.md", "README.upstream-2024-12-13.md"])
def test_list_copies_are_the_users(name: str) -> None:
    assert (FIXTURES / "awesome-list" / name).read_bytes() == (
        SHARED / "awesome-list" / name
    ).read_bytes()


@pytest.mark.benchmark
def test_the_replayed_nights_are_the_streams_papers() -> None:
    """The nights built from labeled_data/ hold every paper the stream announced on those
    days, with the same text."""
    fields = ("id", "date", "title", "abstract", "categories")
    with gzip.open(STREAM / "arxiv-2025-06.jsonl.gz", "rt", encoding="utf-8") as full:
        stream = [json.loads(ln) for ln in full]
    with gzip.open(nights() / "arxiv-2025-06.jsonl.gz", "rt", encoding="utf-8") as part:
        built = [json.loads(ln) for ln in part]

    def key(r: dict[str, object]) -> tuple[object, ...]:
        return tuple(r.get(f) for f in fields)

    assert sorted(map(key, built)) == sorted(key(r) for r in stream if r["date"] in NIGHT_DAYS)


LISTS = sorted(p for p in (FIXTURES / "lists").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", LISTS, ids=lambda p: p.name)
def test_real_list_copies_match_their_origin(folder: Path) -> None:
    """Each real list copied for the style and cold-start tests is the file its ORIGIN.txt
    names (repository and commit there), byte for byte: a list edited by hand would test the
    parser on a list nobody wrote."""
    text = (folder / "ORIGIN.txt").read_text(encoding="utf-8")
    body = text.split("MANIFEST (sha256  bytes  path)", 1)[1]
    entries = [m for m in map(MANIFEST_LINE.match, map(str.strip, body.splitlines())) if m]
    # The list, and the licence where the list's licence asks for a copy beside it.
    assert [m[3] for m in entries] in (["README.md"], ["README.md", "LICENSE"])
    for entry in entries:
        data = (folder / entry[3]).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry[1], int(entry[2]))
    assert re.search(r"\b[0-9a-f]{40}\b", text), "ORIGIN.txt names no commit"
