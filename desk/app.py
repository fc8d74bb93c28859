"""The review desk: the web app where the office's people queue, review, approve and administer.

`create_app` puts together the routes of each area (auth, queue, review, admin), the guards and
the error pages; the shell passes the settings and the hand-over to the running service.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from core import logsafe
from core.handover import HandOver
from core.settings import Settings
from desk import admin, auth, broadcast, queue, review
from desk.guards import FORM_LIMIT, LOGIN_LIMIT, BodyLimit, SecurityHeaders, SignInFirst
from desk.web import (
    HERE,
    MULTIPART_OVERHEAD,
    SIGNED_OUT,
    SITE_STATIC,
    Desk,
    NotSignedIn,
    Refused,
    desk_of,
)
from pipeline.lookups import NotFound
from store.audit import record

log = logging.getLogger("waiwen.desk")
# How uvicorn serves the desk (`waiwen serve`, which `waiwen up` starts); the tests use the same.
SERVER_OPTIONS: dict[str, Any] = {
    "http": "h11",  # the implementation the header limit below applies to
    # A request head not ended within 16 KiB is refused (400): the desk's need a cookie or two.
    "h11_max_incomplete_event_size": 16 * 1024,
    "limit_concurrency": 100,  # connections and requests at once; any more are answered 503
    "server_header": False,
}


def create_app(settings: Settings, hand_over: HandOver) -> FastAPI:
    """The desk as an ASGI app; ``hand_over`` starts drafting and publishing (the shell passes it)."""
    logsafe.install()  # names and paths in the desk's log lines stay on one line
    app = FastAPI(title="waiwen review desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = Desk(settings, hand_over)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.mount("/site-static", StaticFiles(directory=SITE_STATIC), name="site-static")
    for module in (auth, queue, review, admin, broadcast):
        app.include_router(module.router)

    # Each added runs before those added earlier: who is asking, how much they send, the headers.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limits=body_limits(app.state.desk.settings), default=FORM_LIMIT)
    app.add_middleware(
        SignInFirst,
        database_url=app.state.desk.database_url,
        cookie=auth.SESSION_COOKIE,
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

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        # A notice or language asked for by address that is not there, on any page or action.
        return desk_of(request).render(
            request, "message.html", None, 404, heading="Not found", message=str(error)
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
    files = admin.MAX_FILE + MULTIPART_OVERHEAD
    return {
        "/queue": queue.upload_limit(settings),
        "/admin/holidays": files,
        "/admin/glossary": files,
        "/login": LOGIN_LIMIT,
    }
