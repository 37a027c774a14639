"""Shared test setup: where the recorded fixtures and ../shared are, and a guard that fails
any non-local connection.

The suite must never touch the network: real clients talk to servers on 127.0.0.1 that
serve recorded responses. The guard wraps socket connects, sends and name lookups for the
whole session, so a test that forgets a base URL fails loudly instead of reaching arXiv.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from hfm_bot.classifier.recipe import TrainingConfig
from hfm_bot.decisions import Decision, Status

if TYPE_CHECKING:
    from hfm_bot.classifier.embeddings import EmbeddingCache
    from hfm_bot.classifier.encoder import Encoder

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HFM_SHARED", REPO.parent / "shared")).resolve()
FIXTURES = REPO / "tests" / "fixtures"
"""The recorded responses and the list the tests read, copied from ../shared with their
origin (tests/fixtures/README.md), so the suite runs in any clone."""
SEED_LIST = FIXTURES / "awesome-list" / "README.seed.md"
UPSTREAM_LIST = FIXTURES / "awesome-list" / "README.upstream-2024-12-13.md"
BENCHMARK = SHARED / "benchmark"
"""The recorded stream of 174k papers and the judged days (97 MB): only beside the repository,
never in it. Tests marked ``benchmark`` need it and are skipped, saying why, without it."""
STREAM = BENCHMARK / "stream"
NIGHT_DAYS = ("2025-06-05", "2025-06-26")
BENCHMARK_MISSING = (
    f"needs ../shared/benchmark (the recorded paper stream), not found at {BENCHMARK}; "
    "set HFM_SHARED to run these tests"
)


ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
"""The thread pools of the numerical libraries, each held to one thread per test process."""
SET_BY_THE_SUITE = "HFM_BOT_TESTS_SET"
"""Names those of ``ONE_THREAD`` the suite set (the others were the caller's), for the xdist
workers and subprocesses that inherit them."""


def users_environment() -> dict[str, str]:
    """The environment a user's own command would run in: this process's, without the
    thread limits the suite set. The committed model is the one ``hfm-bot train`` fits with
    the libraries' default threads; with one BLAS thread the sums run in another order and
    its threshold differs in the fifth decimal (0.1501503 against 0.1501404), so the rebuild
    test trains as the user would."""
    ours = {SET_BY_THE_SUITE, *os.environ.get(SET_BY_THE_SUITE, "").split(",")}
    return {k: v for k, v in os.environ.items() if k not in ours}


def pytest_configure(config: pytest.Config) -> None:
    # One BLAS/OpenMP thread per process, set before numpy or scipy is first imported (no
    # conftest or plugin imports them before this hook; OpenBLAS reads the variable when it
    # loads) and inherited by the xdist workers and the CLI subprocesses. By default each
    # of the two workers starts a pool of one thread per core, whose threads spin while
    # they wait: on two cores a small training's solver then spent 23.8 s of CPU where one
    # thread spends 5.4 s, for the same fit. The folds still run in two threads
    # (``fold_threads``), whose solvers release the GIL and do not spin.
    if SET_BY_THE_SUITE not in os.environ:  # not yet set by the run that started this one
        unset = [name for name in ONE_THREAD if name not in os.environ]
        os.environ.update(dict.fromkeys(unset, "1"))
        os.environ[SET_BY_THE_SUITE] = ",".join(unset)
    config.addinivalue_line(
        "markers", "benchmark: needs ../shared/benchmark; skipped, saying why, without it"
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    return (
        None if STREAM.is_dir() else f"hfm-bot: tests marked benchmark skipped: {BENCHMARK_MISSING}"
    )


HEAVIEST_FIRST = (
    "test_classifier.py",
    "test_retrain.py",
    "test_publish.py",
    "test_feedback_replay.py",
    "test_forward.py",
    "test_action.py",
    "test_e2e.py",
    "test_list_styles.py",
    "test_render.py",
)
"""The test files that take the most CPU (seconds each, measured per test with
``resource.getrusage`` on a loaded machine: 44, 29, 26, 22, 18, 14, 13, 9, 6), in that
order; the rest take under 3 s each. ``--dist loadfile`` hands a worker the next whole file
when it runs dry, in the collection's order (``--no-loadscope-reorder``; xdist's own order
is by number of tests, which put the 20 s file of three tests near the end); heaviest first,
the short files are what is left at the end to even the two workers out, instead of one
worker finishing a heavy file alone. A stale list costs only that balance, never a test."""


def _heaviest_first(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(HEAVIEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the order is the scheduler's queue
        _heaviest_first(items)
    if STREAM.is_dir():
        return
    skip = pytest.mark.skip(reason=BENCHMARK_MISSING)
    for item in items:
        if item.get_closest_marker("benchmark"):
            item.add_marker(skip)


_LOCAL_NAMES = {"localhost", "localhost."}


class NetworkBlockedError(RuntimeError):
    """Raised when a test tries to reach, or look up, anything but this machine.

    Deliberately not an OSError: requests wraps an OSError into its ConnectionError, which
    the bot's clients retry and report as an outage, so a test that forgot its base URL
    could pass quietly; a RuntimeError goes straight through to the test."""


def _is_loopback(host: object) -> bool:
    """Whether a host names this machine without asking a resolver: "localhost" (which
    /etc/hosts answers) or a loopback address literal. Any other name is refused rather
    than resolved, since resolving it is itself a query sent to the network."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_local_address(sock: socket.socket, address: object) -> bool:
    """Whether a socket address reaches this machine. A str or bytes address is a
    filesystem (or abstract) path only on an AF_UNIX socket; on any other family the
    address is a (host, port, ...) tuple whose host must be loopback."""
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    return isinstance(address, tuple) and bool(address) and _is_loopback(address[0])


def _refuse(what: str, target: object) -> NetworkBlockedError:
    return NetworkBlockedError(
        f"test tried to {what} {target!r}; the suite reaches only 127.0.0.1 "
        "(the no_network guard in tests/conftest.py)"
    )


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """Fails, before any packet leaves, every connect or send to a non-loopback address and
    every name lookup of a non-local name (a DNS query is a packet too)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_sendmsg = socket.socket.sendmsg
    real_getaddrinfo = socket.getaddrinfo
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex
    real_gethostbyaddr = socket.gethostbyaddr
    real_getnameinfo = socket.getnameinfo

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_local_address(self, address):
            raise _refuse("connect to", address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_local_address(self, address):
            raise _refuse("connect to", address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        # sendto(data, address) or sendto(data, flags, address): the address comes last.
        if args and not _is_local_address(self, args[-1]):
            raise _refuse("send to", args[-1])
        return real_sendto(self, data, *args)

    def sendmsg(self: socket.socket, buffers: Any, *args: Any) -> int:
        # sendmsg(buffers[, ancdata[, flags[, address]]]): only the fourth names a peer.
        if len(args) >= 3 and args[2] is not None and not _is_local_address(self, args[2]):
            raise _refuse("send to", args[2])
        return real_sendmsg(self, buffers, *args)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):  # None: the passive/loopback address
            raise _refuse("resolve", host)
        return real_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(hostname: str) -> str:
        if not _is_loopback(hostname):
            raise _refuse("resolve", hostname)
        return real_gethostbyname(hostname)

    def gethostbyname_ex(hostname: str) -> tuple[str, list[str], list[str]]:
        if not _is_loopback(hostname):
            raise _refuse("resolve", hostname)
        return real_gethostbyname_ex(hostname)

    def gethostbyaddr(ip_address: str) -> tuple[str, list[str], list[str]]:
        # http.server asks socket.getfqdn("127.0.0.1") when it binds: loopback stays allowed.
        if not _is_loopback(ip_address):
            raise _refuse("look up", ip_address)
        return real_gethostbyaddr(ip_address)

    def getnameinfo(sockaddr: Any, flags: int) -> tuple[str, str]:
        host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
        if not _is_loopback(host):
            raise _refuse("look up", sockaddr)
        return real_getnameinfo(sockaddr, flags)

    patches: list[tuple[object, str, object]] = [
        (socket.socket, "connect", connect),
        (socket.socket, "connect_ex", connect_ex),
        (socket.socket, "sendto", sendto),
        (socket.socket, "sendmsg", sendmsg),
        (socket, "getaddrinfo", getaddrinfo),
        (socket, "gethostbyname", gethostbyname),
        (socket, "gethostbyname_ex", gethostbyname_ex),
        (socket, "gethostbyaddr", gethostbyaddr),
        (socket, "getnameinfo", getnameinfo),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, guarded in patches:
        setattr(owner, name, guarded)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


@pytest.fixture(autouse=True, scope="session")
def no_github_spacing() -> Iterator[None]:
    """The local GitHub needs no spacing between requests (see ``no_request_spacing``)."""
    from testsupport.fakegithub import no_request_spacing

    with no_request_spacing():
        yield


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Embedding caches go to a folder of the test session, never the user's ~/.cache. The
    workers of one ``pytest -n`` run share it (their base folders have one parent per run),
    so a paper the other worker encoded is not encoded again; the cache writes atomically."""
    old = os.environ.get("XDG_CACHE_HOME")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "cache"
        shared.mkdir(exist_ok=True)
        os.environ["XDG_CACHE_HOME"] = str(shared)
    else:
        os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The repository's own hfm-bot.toml, so tests exercise the shipped configuration."""
    return REPO / "hfm-bot.toml"


HEADINGS = {
    "LFM": "LFM methods",
    "VFM": "VFM methods",
    "BFM": "BFM methods",
    "MFM": "MFM methods",
    "survey": "Related survey",
}
"""The shipped hfm-bot.toml's sections: label -> the list heading it stands for."""


@functools.cache
def nights() -> Path:
    """A replay folder of two announcement days, 2025-06-05 and 2025-06-26 (723 papers),
    built once per session from labeled_data/: both are fully judged days, so every paper
    of them is there with its text, and the stream itself stays in ../shared. The verdicts
    are left out, so a replayed night reads as a night's listing."""
    import atexit
    import gzip
    import json
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="hfm-bot-nights-"))
    atexit.register(shutil.rmtree, folder, True)
    with (
        gzip.open(LABELLED, "rt", encoding="utf-8") as src,
        gzip.open(folder / "arxiv-2025-06.jsonl.gz", "wt", encoding="utf-8") as dst,
    ):
        for line in src:
            record = json.loads(line)
            if record["date"] in NIGHT_DAYS:
                for verdict in ("relevant", "section", "kind"):
                    record.pop(verdict, None)
                dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


LABELED_DATA = REPO / "labeled_data"
LABELLED = LABELED_DATA / "labelled.jsonl.gz"
BACKGROUND_SEED = LABELED_DATA / "background" / "seed.jsonl.gz"


def labelled_subset(out: Path, days: set[str], curated: bool = True) -> Path:
    """The repository's own labelled papers of a few judged days (plus, by default, the
    curated positives), as a small training set that needs nothing outside the clone."""
    import gzip
    import json

    with gzip.open(LABELLED, "rt", encoding="utf-8") as src, out.open("w") as dst:
        for line in src:
            record = json.loads(line)
            if record["date"] in days or (curated and record["kind"] == "curated"):
                dst.write(line)
    return out


def decision(
    paper_id: str,
    title: str,
    status: str,
    section: str = "LFM",
    *,
    abstract: str = "We study it.",
    date: str | None = "2026-01-02",
) -> Decision:
    """A decisions.jsonl record as `hfm-bot sync` writes it."""
    return Decision(
        key=f"arxiv:{paper_id}",
        id=paper_id,
        title=title,
        abstract=abstract,
        section=section,
        proposed_section=section,
        score=0.5,
        status=Status(status),
        pr=1,
        proposed_on="2026-01-02",
        date=date,
    )


SMALL_TRAINING = TrainingConfig(
    vocabulary=5_000,
    relevance_conjunction_terms=40,
    section_conjunction_terms=40,
    threshold_folds=2,
    rest_folds=1,
    encoder_tokens=64,
)
"""The recipe of the tests that check behaviour, not figures: a small vocabulary, few
conjunction terms, few folds and an encoder that reads 64 wordpieces of a paper train in
seconds what the shipped recipe (200,000 terms, the pairs of 200, 256 wordpieces) trains in a
minute, through the same code. The shipped recipe itself is trained
by the tests marked ``realistic`` and ``rebuild``."""


def small_training_table(background_max: int | None = None) -> str:
    """``SMALL_TRAINING`` as the ``[training]`` table of an hfm-bot.toml, for the tests that
    train through the CLI (its numbers that differ from the shipped recipe), with fewer
    background papers when ``background_max`` is given."""
    default = TrainingConfig()
    small = SMALL_TRAINING
    if background_max is not None:
        small = dataclasses.replace(small, background_max=background_max)
    lines = [
        f"{f.name} = {getattr(small, f.name)}"
        for f in dataclasses.fields(TrainingConfig)
        if getattr(small, f.name) != getattr(default, f.name)
    ]
    return "\n[training]\n" + "\n".join(lines) + "\n"


def small_config(folder: Path) -> Path:
    """The repository's hfm-bot.toml with the small recipe, written into ``folder``: its model
    and labelled data are still the repository's (absolute paths), so a command reads what it
    would read with the shipped file and only trains smaller."""
    text = (REPO / "hfm-bot.toml").read_text(encoding="utf-8")
    for key, path in (("model_dir", REPO / "model"), ("labeled_data_dir", LABELED_DATA)):
        old = f'{key} = "{path.name}"'
        assert old in text, f"hfm-bot.toml has no {old}"
        text = text.replace(old, f"{key} = {json_string(str(path))}")
    out = folder / "hfm-bot.small.toml"
    out.write_text(text + small_training_table(), encoding="utf-8")
    return out


def json_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    import json

    return json.dumps(text)


@pytest.fixture(scope="session")
def minilm() -> Encoder:
    """The shipped encoder, loaded once: loading checks the 90 MB of weights against their
    pinned hash, which every test that encodes in-process would otherwise pay again. The
    encoder holds no state between calls, so sharing it cannot couple tests."""
    from hfm_bot.classifier.encoder import MINILM, Encoder

    return Encoder.load(MINILM)


@pytest.fixture(scope="session")
def small_minilm() -> Encoder:
    """The pinned sentence encoder reading 64 wordpieces (``SMALL_TRAINING.encoder_tokens``),
    loaded once: for the tests whose subject is not the encoder's cut (tests/test_encoder.py
    holds the shipped 256)."""
    from hfm_bot.classifier.encoder import MINILM, Encoder

    assert SMALL_TRAINING.encoder_tokens is not None
    return Encoder.load(dataclasses.replace(MINILM, max_tokens=SMALL_TRAINING.encoder_tokens))


@pytest.fixture
def embedding_cache(private_cache: None, small_minilm: Encoder) -> Iterator[EmbeddingCache]:
    """The session's embedding cache (the folder ``private_cache`` points hfm-bot at), saved
    after the test: an in-process training embeds the same list entries and background papers
    as the CLI tests before it, and re-encoding them was most of those tests' time. A cached
    vector is the one the encoder gives for that id and text (the key holds the text's hash),
    so reuse changes no result."""
    from hfm_bot.classifier.embeddings import EmbeddingCache, default_cache_dir

    cache = EmbeddingCache(default_cache_dir(), small_minilm.spec)
    yield cache
    cache.save()


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A folder made once per test run by ``build`` (given the empty folder) and then read by
    every test that asks for ``name``, on either xdist worker: a trained model that several
    tests start from is otherwise trained again by each. Built in a staging folder under a
    file lock and renamed into place, so a reader never sees half of it; tests that change
    what they are given copy it first (``shutil.copytree``)."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built-once"
    root.mkdir(exist_ok=True)
    done = root / name
    with FileLock(str(root / f"{name}.lock")):
        if not done.is_dir():
            staging = root / f"{name}.building"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            build(staging)
            staging.rename(done)
    return done
