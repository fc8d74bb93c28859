"""Signing in and out, who is signed in, role checks and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from pipeline.audit import record
from review.accounts import (
    FAILURE_WINDOW,
    SignedIn,
    authenticate,
    close_session,
    locked_out,
    open_session,
    signed_in,
)
from review.desk import NotSignedIn, Refused, desk_of

SESSION_COOKIE = "waiwen_desk"
LOGIN_COOKIE = "waiwen_login"  # the CSRF token of the login form, before any session exists

router = APIRouter()


def current(request: Request) -> SignedIn:
    """The signed-in user, or NotSignedIn (which sends the visitor to the login page)."""
    with desk_of(request).transaction() as session:
        found = signed_in(session, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise NotSignedIn()
    return found


def require(signed: SignedIn, role: str, language: str | None = None) -> None:
    """Refuse (403) unless the user holds ``role`` and, for a reviewer, is assigned ``language``."""
    account = signed.account
    if not account.has(role):
        raise Refused(
            account.name,
            f"this needs the {role} role; {account.name} has {', '.join(account.roles)}",
        )
    if language is not None and role == "reviewer" and not account.covers(language):
        raise Refused(
            account.name,
            f"{account.name} reviews {', '.join(account.languages)} only, not {language}",
        )


CsrfToken = Annotated[str, Form()]


def posted_by(request: Request, csrf_token: str) -> SignedIn:
    """Who posted this form, if signed in and the form carries the session's CSRF token.

    Routes are synchronous (FastAPI runs them in worker threads, so database work never blocks
    the event loop) and take the token as a form field.
    """
    signed = current(request)
    if not csrf_token or not hmac.compare_digest(csrf_token, signed.csrf_token):
        raise Refused(
            signed.account.name,
            "the form's security token is missing or wrong; reload the page and try again",
        )
    return signed


def _safe_next(target: str) -> str:
    """Only a path on this desk: a login link must not send anyone elsewhere."""
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target  # browsers read /\host as //host
    ):
        return "/queue"
    return target


def _cookie_options(request: Request) -> dict[str, object]:
    secure = desk_of(request).settings.desk_secure_cookies
    return {"httponly": True, "samesite": "strict", "secure": secure, "path": "/"}


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> Response:
    token = secrets.token_urlsafe(32)
    response = desk_of(request).render(
        request, "login.html", None, login_token=token, next=_safe_next(next), problem=""
    )
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **_cookie_options(request))  # type: ignore[arg-type]
    return response


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    desk = desk_of(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(login_token, expected):
        raise Refused(
            name or "anonymous",
            "the login form's security token is missing or wrong; reload the login page",
        )
    problem = "That name and password do not match an active account."
    who = (name.strip() or "anonymous")[:100]  # as the audit log's actor column holds it
    with desk.transaction() as session:
        account = None
        if locked_out(session, who):
            # Not counted as a failure: the hold ends 15 minutes after the failures that caused it.
            problem = (
                f"Too many failed sign-ins for this name: try again in "
                f"{FAILURE_WINDOW.seconds // 60} minutes."
            )
            record(session, who, "sign-in held off")
        else:
            account = authenticate(session, name, password)
            if account is None:
                record(session, who, "sign-in failed")
        if account is not None:
            token = open_session(session, account)
            record(session, account.name, "signed in")
    if account is None:
        fresh = secrets.token_urlsafe(32)
        response: Response = desk.render(
            request,
            "login.html",
            None,
            401,
            login_token=fresh,
            next=_safe_next(next),
            problem=problem,
            name=name,
        )
        response.set_cookie(LOGIN_COOKIE, fresh, max_age=3600, **_cookie_options(request))  # type: ignore[arg-type]
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, **_cookie_options(request))  # type: ignore[arg-type]
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: CsrfToken = "") -> Response:
    signed = posted_by(request, csrf_token)
    with desk_of(request).transaction() as session:
        close_session(session, request.cookies.get(SESSION_COOKIE))
        record(session, signed.account.name, "signed out")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(request: Request) -> Response:
    current(request)
    return RedirectResponse("/queue", status_code=303)
