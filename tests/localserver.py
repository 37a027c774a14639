"""A real HTTP server on 127.0.0.1 for tests: real clients, recorded or documented bodies.

Routes map a path to a handler that sees the query and returns a Reply; a Reply can also
misbehave the way real servers do (sleep past a timeout, cut the body short).
"""

from __future__ import annotations

import http.server
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""
    truncate: bool = False
    """Promise the whole body in Content-Length, send half, close (a cut connection)."""


Handler = Callable[[dict[str, list[str]]], Reply]


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        server = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
                server.requests.append(Request(parsed.path, query))
                handler = server.routes.get(parsed.path)
                reply = handler(query) if handler else Reply(404, b"not found")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.truncate:
                        self.wfile.write(reply.body[: len(reply.body) // 2])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def sequence(self, path: str, replies: Sequence[Reply]) -> None:
        """Answer with these replies in order; the last one repeats."""
        queue = list(replies)

        def handler(_: dict[str, list[str]]) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.routes[path] = handler

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()
