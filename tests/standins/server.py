"""The loopback server every provider stand-in is built on: real HTTP, scripted faults, a request log.

A provider stand-in says how to answer one parsed request and what its provider's error answers look
like; this base does the serving, the fault script (fail with a status, hang until stopped, answer in
the wrong language, answer empty) and the log tests count requests with.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["Reply", "Request", "StandIn"]


@dataclass
class Request:
    """One HTTP request as the stand-in saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    form: dict[str, str] = field(default_factory=dict)
    json: Any = None


@dataclass
class Reply:
    """One HTTP answer."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)  # more headers (Retry-After)

    @classmethod
    def of_json(cls, status: int, payload: object, headers: dict[str, str] | None = None) -> Reply:
        """A JSON answer."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status, body, headers=dict(headers or {}))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: StandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            self.command,
            parts.path,
            {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind == "application/json" and body:
            try:
                request.json = json.loads(body)
            except ValueError:
                request.json = None
        elif body and kind != "multipart/form-data":  # file uploads stay bytes for the stand-in
            request.form = {
                k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()
            }
        reply = self.server.standin.handle(request)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


class StandIn:
    """Base of the provider stand-ins; subclasses implement `answer` and `error`."""

    name = "stand-in"

    def __init__(self) -> None:
        """Not started yet; `start()` or `with` picks a free port."""
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._script: deque[tuple[str, int]] = deque()
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. "http://127.0.0.1:PORT"."""
        if self._server is None:
            raise RuntimeError(f"{self.name} stand-in is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next `count` translation requests with the provider's error for `status`."""
        self._queue("fail", status, count)

    def hang_next(self, count: int = 1) -> None:
        """Hold the next `count` translation requests open until stop()."""
        self._queue("hang", 0, count)

    def wrong_language_next(self, count: int = 1) -> None:
        """Answer the next `count` translation requests with the source text unchanged."""
        self._queue("wrong", 0, count)

    def empty_next(self, count: int = 1) -> None:
        """Answer the next `count` translation requests with an empty translation."""
        self._queue("empty", 0, count)

    def _queue(self, action: str, status: int, count: int) -> None:
        with self._lock:
            self._script.extend([(action, status)] * count)

    def is_translation(self, request: Request) -> bool:
        """Whether the request is one the fault script and the log are about."""
        return True

    def describe(self, request: Request) -> dict[str, Any]:
        """What the log keeps of a translation request (at least "q" and "target")."""
        return {"path": request.path}

    def answer(self, request: Request, action: str) -> Reply:
        """The provider's answer; `action` is "", "wrong" or "empty"."""
        raise NotImplementedError

    def error(self, status: int) -> Reply:
        """The provider's error answer for an HTTP status."""
        return Reply.of_json(status, {"error": f"stand-in scripted failure (HTTP {status})"})

    def handle(self, request: Request) -> Reply:
        """Log, apply the fault script, then answer (runs on a handler thread)."""
        if not self.is_translation(request):
            return self.answer(request, "")
        with self._lock:
            self.requests.append(self.describe(request))
            action, status = self._script.popleft() if self._script else ("", 0)
        if action == "hang":
            self._release.wait()
            return self.error(503)
        if action == "fail":
            return self.error(status)
        return self.answer(request, action)

    def start(self) -> Self:
        """Listen on a free loopback port in a daemon thread."""
        if self._server is None:
            self._release.clear()
            server = _Server(("127.0.0.1", 0), _Handler)
            server.standin = self
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name=f"{self.name}-standin",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Release hung requests and shut the server down."""
        self._release.set()
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        """Start on entry."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on exit."""
        self.stop()
