"""Writing files so that a crash or an error never leaves a half-written one behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def _replacing(path: Path, mode: str) -> Iterator[IO[Any]]:
    """A temporary file beside ``path`` that replaces it only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        binary = "b" in mode
        encoding, newline = (None, None) if binary else ("utf-8", "")
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a written file is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; it replaces ``path`` only if the block succeeds."""
    with _replacing(path, mode) as handle:
        yield handle


@contextlib.contextmanager
def atomic_binary_writer(path: Path) -> Iterator[IO[bytes]]:
    """:func:`atomic_writer` for bytes."""
    with _replacing(path, "wb") as handle:
        yield handle


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, byte for byte (no newline translation)."""
    with atomic_writer(path) as handle:
        handle.write(text)


def atomic_write_gzip_lines(path: Path, lines: Iterable[str]) -> None:
    """Gzip-compressed lines, written atomically and byte-stable: no timestamp or file name
    in the gzip header, so the same records make the same bytes (a retrain's inputs are
    checksummed, and git sees no change when nothing changed)."""
    import gzip

    with (
        atomic_binary_writer(path) as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        for line in lines:
            gz.write(line.encode("utf-8") + b"\n")


def replace_directory(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target`` (a sibling), so a reader sees
    the old folder or the new one, never a mix: the old one is moved aside, the new one
    renamed in, and only then the old one removed. An interruption between the two renames
    leaves ``target`` missing and ``<target>.old`` whole; :func:`restore_directory` puts it
    back."""
    import shutil

    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


def restore_directory(target: Path) -> None:
    """Undo an interrupted :func:`replace_directory`: the old folder comes back."""
    old = target.with_name(target.name + ".old")
    if old.exists() and not target.exists():
        os.replace(old, target)


def sha256_file(path: Path) -> str:
    """The file's SHA-256, read a megabyte at a time (weights and inputs are pinned by it)."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PinnedFileError(ValueError):
    """A file beside a model that is missing, or whose bytes are not the ones the model
    recorded."""


def read_pinned(path: Path, sha256: str) -> bytes:
    """The bytes of a file a model recorded by its SHA-256 (a head's scope, a list's words):
    read once and checked before they are parsed, so an edited, damaged or swapped file is
    refused instead of silently changing what the model proposes."""
    import hashlib

    try:
        data = path.read_bytes()
    except OSError as err:
        raise PinnedFileError(f"{path}: missing or unreadable ({err})") from err
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PinnedFileError(f"{path}: edited, damaged or not this model's")
    return data
