"""What every page of the desk shares: the Desk object, the refusals, the policies, images.

Server-rendered (FastAPI + Jinja2), every asset served by waiwen, every form carrying the
session's CSRF token, every action checked against the user's roles on the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from content.calendar import WorkingCalendar
from content.images import image_kind
from core.handover import HandOver
from core.settings import Settings
from desk.accounts import SignedIn
from pipeline.schedules import office_calendar
from publishers.base import LANGUAGE_NAMES
from publishers.site.bidi import text_attributes
from store.db import transaction

HERE = Path(__file__).resolve().parent
SITE_STATIC = HERE.parent / "publishers" / "site" / "static"

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
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and the CSRF field around the files
SIGNED_OUT = "Your session has ended; sign in again."


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
        # lang="" and dir="" of an element holding text in a language: Arabic edits right to left.
        self.templates.env.globals["text_attributes"] = text_attributes

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
