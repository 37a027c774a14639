"""Classifying a file of papers: streamed in chunks, scored on every core.

Reading, JSON parsing and the TF-IDF stage are all per paper, so chunks of lines go to worker
processes (forked after the model is loaded, so it is shared, not copied or pickled) and
come back in input order. The encoder stage then re-scores each chunk's shortlist in this
process (the encoder runs its own two threads). Memory stays bounded by the chunks in
flight, whatever the input's size.
"""

from __future__ import annotations

import html
import json
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hfm_bot.classifier.defining_terms import DefiningTerms
from hfm_bot.classifier.encoder import encoder_text
from hfm_bot.classifier.features import paper_text
from hfm_bot.classifier.model import Model
from hfm_bot.classifier.two_stage import Classifier, gate_out
from hfm_bot.errors import InputError
from hfm_bot.paper import RecordError
from hfm_bot.prediction import Prediction
from hfm_bot.stream import BadLine, open_text

CHUNK = 2000

_MODEL: Model | None = None  # set in the parent before the workers fork
_FLOOR = float("inf")  # the encoder stage's shortlist floor (none: no text sent back)
_TERMS: DefiningTerms | None = None  # a cold start's defining words, read where the text is


@dataclass(frozen=True, slots=True)
class ClassifyStats:
    papers: int
    proposed: int
    bad_lines: int
    encoded: int = 0
    """Papers the encoder stage re-scored."""
    seconds_first: float = 0.0
    """Wall time of reading and the TF-IDF stage."""
    seconds_encoder: float = 0.0


Chunk = tuple[list[Prediction], list[str], list[bool] | None, list[BadLine]]
"""A chunk's predictions, the shortlist's encoder texts, whether each paper holds one of the
list's defining words (None: no gate), and the lines that could not be read."""


def _score_chunk(args: tuple[str, int, list[str]]) -> Chunk:
    path, first_line, lines = args
    assert _MODEL is not None
    ids: list[str] = []
    texts: list[str] = []
    titles_abstracts: list[tuple[str, str]] = []
    bad: list[BadLine] = []
    for offset, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            paper_id, title, abstract = _fields(record)
        except json.JSONDecodeError as err:
            bad.append(BadLine(path, first_line + offset, f"not JSON ({err.msg})"))
            continue
        except RecordError as err:
            bad.append(BadLine(path, first_line + offset, str(err)))
            continue
        ids.append(paper_id)
        texts.append(paper_text(title, abstract))
        titles_abstracts.append((title, abstract))
    preds = _MODEL.predict_texts(ids, texts)
    # Only the shortlist travels back with its text: the encoder stage reads nothing else.
    encoder_texts = [
        encoder_text(*titles_abstracts[i]) if p.score >= _FLOOR else "" for i, p in enumerate(preds)
    ]
    admitted = None if _TERMS is None else [_TERMS.admits(t) for t in texts]
    return preds, encoder_texts, admitted, bad


def _fields(record: object) -> tuple[str, str, str]:
    """Only what scoring reads: the full record cleaning of :func:`from_record` (authors,
    dates, entities) would cost more than the scoring itself. Whitespace and HTML entities
    do not change the tokens, so the raw fields score the same."""
    if not isinstance(record, dict):
        raise RecordError(f"a record must be a JSON object, not {type(record).__name__}")
    paper_id = record.get("id")
    if not isinstance(paper_id, str) or not paper_id.strip():
        raise RecordError("field 'id' is missing or empty")
    title = record.get("title") or ""
    abstract = record.get("abstract") or ""
    if not isinstance(title, str) or not isinstance(abstract, str):
        raise RecordError("fields 'title' and 'abstract' must be strings")
    if "&" in title or "&" in abstract:
        return paper_id, html.unescape(title), html.unescape(abstract)
    return paper_id, title, abstract


def _chunks(path: Path) -> Iterator[tuple[str, int, list[str]]]:
    """Chunks of lines; a file that is not UTF-8 text, or a cut-off .gz, is an input error
    naming the file (nothing is written: the output file is atomic)."""
    import gzip
    import zlib

    try:
        yield from _chunks_of(path)
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"{path}: not UTF-8 JSON Lines, or a damaged .gz ({err})") from err


def _chunks_of(path: Path) -> Iterator[tuple[str, int, list[str]]]:
    with open_text(path) as handle:
        lines: list[str] = []
        first = 1
        for n, line in enumerate(handle, 1):
            lines.append(line)
            if len(lines) == CHUNK:
                yield str(path), first, lines
                lines = []
                first = n + 1
        if lines:
            yield str(path), first, lines


def classify_file(
    classifier: Classifier,
    path: Path,
    out: IO[str],
    workers: int = 2,
    on_bad: Callable[[BadLine], None] | None = None,
) -> ClassifyStats:
    """Score every paper of ``path`` into ``out`` (JSON Lines, input order)."""
    import time

    global _MODEL, _FLOOR, _TERMS
    _MODEL = classifier.tfidf
    _FLOOR = classifier.head.floor if classifier.head is not None else float("inf")
    _TERMS = classifier.terms
    papers = proposed = bad_count = encoded = 0
    first = second = 0.0
    started = time.perf_counter()

    def emit(chunk: Chunk) -> None:
        nonlocal papers, proposed, bad_count, encoded, first, second
        preds, encoder_texts, admitted, bad = chunk
        now = time.perf_counter()
        first = now - started - second
        if classifier.head is not None:
            encoded += sum(1 for t in encoder_texts if t)
            preds = classifier.second(preds, encoder_texts)
        else:
            preds = classifier.predict_stage(preds)
        if admitted is not None:  # as the nightly scores: Classifier.predict_texts
            preds = [p if ok else gate_out(p) for p, ok in zip(preds, admitted, strict=True)]
        second += time.perf_counter() - now
        out.write("".join(json.dumps(p.to_record(), ensure_ascii=False) + "\n" for p in preds))
        papers += len(preds)
        proposed += sum(p.propose for p in preds)
        bad_count += _report(bad, on_bad)

    try:
        if workers > 1:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                for chunk in pool.imap(_score_chunk, _chunks(path)):
                    emit(chunk)
        else:
            for lines in _chunks(path):
                emit(_score_chunk(lines))
    finally:
        _MODEL, _TERMS = None, None
    return ClassifyStats(papers, proposed, bad_count, encoded, first, second)


def _report(bad: list[BadLine], on_bad: Callable[[BadLine], None] | None) -> int:
    if on_bad:
        for line in bad:
            on_bad(line)
    return len(bad)
