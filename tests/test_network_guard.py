"""The suite's network guard: anything but loopback fails, loopback works.

Each refusal is asserted on the guard's own NetworkBlockedError and its message, never on a
bare OSError: a machine without DNS or without a route fails those calls by itself, so only
the guard's own error proves the guard stopped them, before any packet was sent. Without the
guard these tests fail on any machine: with a network the call succeeds, without one it
raises socket.gaierror or OSError, which is not a NetworkBlockedError.
"""

from __future__ import annotations

import http.server
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from tests.conftest import NetworkBlockedError

REMOTE_IP = "192.0.2.1"
"""TEST-NET-1 (RFC 5737): a non-loopback address that no real host answers on."""


@pytest.mark.parametrize(
    "lookup",
    [
        lambda: socket.getaddrinfo("example.org", 443),
        lambda: socket.getaddrinfo(b"example.org", 443, socket.AF_INET, socket.SOCK_STREAM),
        lambda: socket.gethostbyname("example.org"),
        lambda: socket.gethostbyname_ex("example.org"),
        lambda: socket.gethostbyaddr(REMOTE_IP),
        lambda: socket.getnameinfo((REMOTE_IP, 443), 0),
        # A name that merely starts like a loopback address is still a name to resolve.
        lambda: socket.getaddrinfo("127.example.org", 443),
    ],
    ids=[
        "getaddrinfo",
        "getaddrinfo-bytes",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "getnameinfo",
        "loopback-lookalike",
    ],
)
def test_name_lookup_is_refused(lookup: Callable[[], object]) -> None:
    with pytest.raises(NetworkBlockedError, match=r"tried to (resolve|look up)"):
        lookup()


def test_create_connection_is_refused_at_the_lookup() -> None:
    with pytest.raises(NetworkBlockedError, match=r"tried to resolve 'example\.org'"):
        socket.create_connection(("example.org", 443), timeout=1)


def test_http_client_is_refused_at_the_lookup() -> None:
    """A client that forgot its base URL fails with the guard's error, which requests does
    not wrap into its own ConnectionError (that one a client might handle as an outage)."""
    with pytest.raises(NetworkBlockedError, match=r"tried to resolve 'export\.arxiv\.org'"):
        requests.get("https://export.arxiv.org/api/query", timeout=1)


@pytest.mark.parametrize(
    "family, host", [(socket.AF_INET, REMOTE_IP), (socket.AF_INET6, "2001:db8::1")]
)
def test_remote_connection_is_refused(family: socket.AddressFamily, host: str) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkBlockedError, match="tried to connect to"):
            sock.connect((host, 80))
        with pytest.raises(NetworkBlockedError, match="tried to connect to"):
            sock.connect_ex((host, 80))


def test_connect_by_name_is_refused() -> None:
    """connect() resolves a host name inside C, past socket.getaddrinfo: the guard must
    refuse the name itself."""
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkBlockedError, match="tried to connect to"),
    ):
        sock.connect(("example.org", 80))


def test_str_address_counts_as_a_path_only_on_unix_sockets() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkBlockedError, match="tried to connect to"),
    ):
        sock.connect("example.org")


def test_datagram_to_a_remote_address_is_refused() -> None:
    """A DNS query of its own (as dnspython sends) goes out by sendto, with no connect."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises(NetworkBlockedError, match="tried to send to"):
            sock.sendto(b"\0", (REMOTE_IP, 53))
        with pytest.raises(NetworkBlockedError, match="tried to send to"):
            sock.sendto(b"\0", 0, (REMOTE_IP, 53))
        with pytest.raises(NetworkBlockedError, match="tried to send to"):
            sock.sendmsg([b"\0"], [], 0, (REMOTE_IP, 53))


def test_loopback_lookups_are_allowed() -> None:
    assert socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET)[0][4] == ("127.0.0.1", 80)
    assert socket.gethostbyname("127.0.0.1") == "127.0.0.1"
    assert socket.getaddrinfo(None, 80)  # the passive address: no lookup


def test_loopback_datagram_is_allowed() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender,
    ):
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        sender.sendto(b"ping", receiver.getsockname())
        assert receiver.recv(4) == b"ping"


def test_unix_socket_is_allowed() -> None:
    with tempfile.TemporaryDirectory() as folder:  # short: AF_UNIX paths hold ~100 bytes
        path = str(Path(folder) / "s")
        with (
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server,
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client,
        ):
            server.bind(path)
            server.listen(1)
            client.connect(path)
            peer, _ = server.accept()
            with peer:
                client.sendall(b"ping")
                assert peer.recv(4) == b"ping"


def test_loopback_is_allowed() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/", timeout=5)
        assert response.status_code == 200
        response = requests.get(f"http://localhost:{server.server_port}/", timeout=5)
        assert response.status_code == 200
    finally:
        server.shutdown()
        server.server_close()
