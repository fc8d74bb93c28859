"""The review desk: the web app where the office's people queue, review, approve and administer.

Server-rendered (FastAPI + Jinja2), every asset served by waiwen, every form carrying the
session's CSRF token, every action checked against the user's roles on the server.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from content.images import image_kind
from flows.handoff import hand_over
from pipeline import logsafe
from pipeline.audit import record
from publishers.base import LANGUAGE_NAMES
from review.accounts import SignedIn, signed_in
from review.calendar import WorkingCalendar
from review.schedules import office_calendar
from store.db import transaction
from waiwen.settings import Settings, get_settings

HERE = Path(__file__).resolve().parent
SITE_STATIC = HERE.parent / "publishers" / "site" / "static"
log = logging.getLogger("waiwen.desk")

# Pages may load only the desk's own files; previews (no scripts at all) allow inline styles,
# which is how WeChat articles carry theirs.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PREVIEW_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

# An image is shown as an image and nothing else: no script, no plugin, no same-origin document.
IMAGE_POLICY = "default-src 'none'; sandbox"
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
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and the CSRF field around the files
SIGNED_OUT = "Your session has ended; sign in again."
# How uvicorn serves the desk (`waiwen serve`, which `waiwen up` starts); the tests use the same.
SERVER_OPTIONS: dict[str, Any] = {
    "http": "h11",  # the implementation the header limit below applies to
    # A request head not ended within 16 KiB is refused (400): the desk's need a cookie or two.
    "h11_max_incomplete_event_size": 16 * 1024,
    "limit_concurrency": 100,  # connections and requests at once; any more are answered 503
    "server_header": False,
}

HandOver = Callable[[Settings, str, list[tuple[dict[str, Any], str]]], str]


class NotSignedIn(Exception):
    """No valid session: the visitor is sent to the login page."""


class Refused(Exception):
    """A signed-in user asked for something their roles do not allow, or sent a bad CSRF token."""

    def __init__(self, who: str, why: str) -> None:
        self.who, self.why = who, why
        super().__init__(why)


class Desk:
    """What every page needs: settings, the database, templates, the hand-over to the service."""

    def __init__(self, settings: Settings, hand_over: HandOver) -> None:
        self.settings = settings
        self.database_url = settings.resolved_database_url
        self.hand_over = hand_over
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.templates.env.globals["language_names"] = LANGUAGE_NAMES

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.database_url) as session:
            yield session

    def calendar(self, session: Session) -> WorkingCalendar:
        return office_calendar(self.settings, session)

    def render(
        self,
        request: Request,
        template: str,
        signed: SignedIn | None,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        context.update(
            user=signed.account if signed else None,
            csrf_token=signed.csrf_token if signed else "",
        )
        return self.templates.TemplateResponse(request, template, context, status_code=status_code)


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def image_response(data: bytes, source: str) -> Response:
    """Stored image bytes, served only as the image type they decode as; a 404 if they are none.

    The type comes from the bytes, never from the name the editor gave the file.
    """
    kind = image_kind(data)
    if kind is None:
        raise HTTPException(404, "this file is not a PNG, JPEG or GIF image, so it is not shown")
    name = (Path(source).stem or "image") + kind.suffix
    plain = re.sub(r"[^A-Za-z0-9._-]", "_", name)  # nothing that could end the header's quotes
    # Inline, since the previews show it; named as what it really is, whatever it was called.
    disposition = f'inline; filename="{plain}"'
    if plain != name:  # a Chinese name, say: its own spelling for browsers that read it
        disposition += f"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(
        data,
        media_type=kind.media_type,
        headers={
            "Content-Security-Policy": IMAGE_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": disposition,
        },
    )


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


def create_app(settings: Settings | None = None, hand_over: HandOver = hand_over) -> FastAPI:
    """The desk as an ASGI app; ``hand_over`` starts publishing on approval (tests pass their own)."""
    from review import desk_admin, desk_auth, desk_queue, desk_review

    logsafe.install()  # names and paths in the desk's log lines stay on one line
    app = FastAPI(title="waiwen review desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = Desk(settings or get_settings(), hand_over)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/site-static", StaticFiles(directory=SITE_STATIC), name="site-static")
    for module in (desk_auth, desk_queue, desk_review, desk_admin):
        app.include_router(module.router)

    # Each added runs before those added earlier: who is asking, how much they send, the headers.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limits=body_limits(app.state.desk.settings), default=FORM_LIMIT)
    app.add_middleware(
        SignInFirst,
        database_url=app.state.desk.database_url,
        cookie=desk_auth.SESSION_COOKIE,
        open_paths=frozenset({"/login"}),
    )

    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, _: NotSignedIn) -> Response:
        if request.method != "GET":
            return HTMLResponse(SIGNED_OUT, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Refused)
    async def forbidden(request: Request, refused: Refused) -> Response:
        desk = desk_of(request)
        log.warning(
            "refused %s %s for %s: %s", request.method, request.url.path, refused.who, refused.why
        )
        with desk.transaction() as session:
            record(
                session,
                refused.who[:100],
                "refused",
                method=request.method,
                path=request.url.path,
                why=refused.why,
            )
        return desk.render(
            request, "message.html", None, 403, heading="Not allowed", message=refused.why
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return desk_of(request).render(
            request,
            "message.html",
            None,
            error.status_code,
            heading="Not found" if error.status_code == 404 else "Cannot do that",
            message=str(error.detail),
        )

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, _: RequestValidationError) -> Response:
        # Only addresses reach here (/notices/abc): every form field has a default.
        return desk_of(request).render(
            request, "message.html", None, 404, heading="Not found", message="No such page."
        )

    return app


def body_limits(settings: Settings) -> dict[str, int]:
    """The largest body each path takes, in bytes; every other path takes FORM_LIMIT."""
    from review import desk_admin, desk_queue

    files = desk_admin.MAX_FILE + MULTIPART_OVERHEAD
    return {
        "/queue": desk_queue.upload_limit(settings),
        "/admin/holidays": files,
        "/admin/glossary": files,
        "/login": LOGIN_LIMIT,
    }
