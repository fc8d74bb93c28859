"""The desk's ASGI guards, run before any route: who is asking, how much they send, the headers.

Pure ASGI middlewares, so they act before the form parser and never buffer a body.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desk.accounts import signed_in
from desk.web import PAGE_POLICY, SIGNED_OUT
from store.db import transaction

# What a refusal sent before the app runs carries in place of the pages' headers.
REFUSAL_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"cache-control", b"no-store"),
    # The client may still be sending a body nobody will read: end the connection after the answer.
    (b"connection", b"close"),
]

# Request bodies. Forms are small; the uploads have limits of their own (body_limits).
FORM_LIMIT = 1024 * 1024
LOGIN_LIMIT = 64 * 1024


class SecurityHeaders:
    """Every response: a Content-Security-Policy (the page's own, if it set one), nosniff, no cache.

    A pure ASGI middleware: it leaves ``receive`` alone, so an error raised there (BodyTooLarge)
    reaches the route as it is, not wrapped in a task group's ExceptionGroup.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cached = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", PAGE_POLICY)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if not cached:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refuse(send: Send, status: int, text: str) -> None:
    """Answer before the app runs (and before the body is read), then close the connection."""
    body = text.encode()
    headers = [*REFUSAL_HEADERS, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


class SignInFirst:
    """A request with a body from someone not signed in is answered 401 before the body is read.

    Otherwise anyone could make the desk read (and spool to disk) uploads it then refuses.
    """

    def __init__(
        self, app: ASGIApp, database_url: str, cookie: str, open_paths: frozenset[str]
    ) -> None:
        self.app = app
        self.database_url = database_url
        self.cookie = cookie
        self.open_paths = open_paths  # the login form: the one body a stranger may send

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.open_paths or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        token = Request(scope).cookies.get(self.cookie)
        # The lookup is synchronous database work: off the event loop, as the routes do it.
        if not token or not await run_in_threadpool(self._valid, token):
            await _refuse(send, 401, SIGNED_OUT)
            return
        await self.app(scope, receive, send)

    def _valid(self, token: str) -> bool:
        with transaction(self.database_url) as session:
            return signed_in(session, token) is not None


def _has_body(scope: Scope) -> bool:
    """Whether the request carries (or may carry) a body."""
    if scope["method"] not in ("GET", "HEAD"):
        return True
    length = _header(scope, b"content-length")
    return _header(scope, b"transfer-encoding") is not None or length not in (None, b"0")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its limit; the app answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit))


def too_large(limit: int) -> str:
    return (
        f"The request is larger than {limit:,} bytes, the most this form takes; nothing was kept."
    )


class BodyLimit:
    """Refuses (413) a body over its path's limit: at once by Content-Length, else as it streams.

    A pure ASGI middleware around ``receive``, so it acts before the form parser, which would
    spool an upload to disk; bytes are counted as they arrive and nothing is buffered here.
    """

    def __init__(self, app: ASGIApp, limits: Mapping[str, int], default: int) -> None:
        self.app, self.limits, self.default = app, limits, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        if scope["method"] != "POST":
            limit = self.default
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, 413, too_large(limit))
            return
        received, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            if over:  # the app may ask again after the refusal; it never gets more
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge(limit)
            return message

        async def answered(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if over:
                    # Whatever the app made of the interrupted body, the answer is 413, and the
                    # rest of the body is not read: the connection closes.
                    headers = [*message.get("headers", []), (b"connection", b"close")]
                    message = {**message, "status": 413, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted, answered)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(send, 413, too_large(limit))
