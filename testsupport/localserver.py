"""A real HTTP server on 127.0.0.1 for tests: real clients, recorded or documented bodies.

Routes map a path to a handler that sees the query and returns a Reply; a Reply can also
misbehave the way real servers do (sleep past a timeout, cut the body short). A server with
state of its own (testsupport/fakegithub.py) passes an `app` that sees every request whole.
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


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    verb: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class LocalServer:
    def __init__(self, app: Callable[[Request], Reply] | None = None) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.app = app
        server = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    parsed.path, query, self.command, dict(self.headers), self.rfile.read(length)
                )
                server.requests.append(request)
                handler = server.routes.get(parsed.path)
                if handler:
                    reply = handler(query)
                else:
                    reply = server.app(request) if server.app else Reply(404, b"not found")
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

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        # serve_forever checks for shutdown once per poll interval, 0.5 s by default: every
        # test's server.stop() waited about that long, a quarter of the suite's wall time.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

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
