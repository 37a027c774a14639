"""The suite's network guard: anything but loopback fails, loopback works."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest
import requests

from tests.conftest import NetworkBlockedError


def test_remote_connection_is_refused() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlockedError):
        sock.connect(("10.255.255.1", 80))
    sock.close()


def test_name_lookup_is_refused() -> None:
    with pytest.raises(requests.exceptions.ConnectionError, match="resolve"):
        requests.get("https://export.arxiv.org/api/query", timeout=1)


def test_loopback_is_allowed() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/", timeout=5)
        assert response.status_code == 200
    finally:
        server.shutdown()
        server.server_close()
