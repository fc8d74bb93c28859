"""The review desk: the web app where the office's people queue, review, approve and administer.

Server-rendered (FastAPI + Jinja2), every asset served by waiwen, every form carrying the
session's CSRF token, every action checked against the user's roles on the server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from flows.handoff import hand_over
from pipeline.audit import record
from publishers.base import LANGUAGE_NAMES
from review.accounts import SignedIn
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


def create_app(settings: Settings | None = None, hand_over: HandOver = hand_over) -> FastAPI:
    """The desk as an ASGI app; ``hand_over`` starts publishing on approval (tests pass their own)."""
    from review import desk_admin, desk_auth, desk_queue, desk_review

    app = FastAPI(title="waiwen review desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = Desk(settings or get_settings(), hand_over)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/site-static", StaticFiles(directory=SITE_STATIC), name="site-static")
    for module in (desk_auth, desk_queue, desk_review, desk_admin):
        app.include_router(module.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(NotSignedIn)
    async def to_login(request: Request, _: NotSignedIn) -> Response:
        if request.method != "GET":
            return HTMLResponse("Your session has ended; sign in again.", status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

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
