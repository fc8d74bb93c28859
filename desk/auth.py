"""Signing in and out, who is signed in, role checks and CSRF tokens; the limits on signing in."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from desk.accounts import (
    FAILURE_WINDOW,
    Account,
    SignedIn,
    authenticate,
    close_session,
    forget_sign_ins,
    open_session,
    release_sign_in,
    reserve_sign_in,
    sign_in_name,
    signed_in,
)
from desk.web import Desk, NotSignedIn, Refused, desk_of
from store.audit import record

SESSION_COOKIE = "waiwen_desk"
LOGIN_COOKIE = "waiwen_login"  # the CSRF token of the login form, before any session exists

# Password verifications at once in one desk process; a sign-in beyond them is answered 429 at
# once, unhashed. Each holds 19 MiB and one core for ~25 ms (desk/accounts.py), so four bound
# argon2 to ~80 MiB and still verify about 80 sign-ins a second on two cores, far more than an
# office needs, while the pages keep a share of the CPU. They run on as many threads of their own:
# glibc keeps a freed argon2 buffer in the arena of the thread that used it, so verifying on any
# of the server's 40 worker threads let memory grow with the threads that ever verified, not with
# the verifications under way (sixteen clients at once: 373 MiB; on these four threads: 197 MiB).
VERIFYING_AT_ONCE = 4
BUSY_RETRY_SECONDS = 2
# Failed sign-ins one client address may make per minute, as a token bucket holding as many: a
# person who mistypes a few times is not stopped, a script guessing from one address is, at once.
# A successful sign-in gives its token back, so a whole office behind one address (a proxy) is
# not throttled by signing in, only by failing.
SIGN_INS_PER_MINUTE = 10
# Addresses kept at most; beyond that the least recently seen are forgotten, so a spray of
# addresses costs a bounded table (a bucket idle for a minute is full again: forgetting it loses
# nothing; only more than this many addresses within a minute make the desk forget live ones).
CLIENTS_KEPT = 10_000
# How often one process drops the name counts of windows that are over.
SWEEP_SECONDS = 60.0

log = logging.getLogger("waiwen.desk")
router = APIRouter()


def same_token(given: str, expected: str) -> bool:
    """Constant-time comparison of two tokens as UTF-8 bytes: any text compares, none raises."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def client_key(host: str | None) -> str:
    """The bucket of a peer address: IPv6 by its /64 (what one subscriber usually holds)."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # not an address (the test client's "testclient")
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class ClientLimiter:
    """A token bucket of sign-in attempts per client, in memory, keeping at most ``kept`` clients."""

    def __init__(
        self,
        per_minute: int = SIGN_INS_PER_MINUTE,
        kept: int = CLIENTS_KEPT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.kept = kept
        self.clock = clock
        # client -> (tokens, when counted); least recently seen first
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one attempt of ``client``: 0 if it may go ahead, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1 if not wait else tokens, now)
            while len(self._buckets) > self.kept:
                self._buckets.popitem(last=False)
        return wait

    def give_back(self, client: str) -> None:
        """Return the attempt ``client`` spent last (it signed in, or was never tried)."""
        with self._lock:
            found = self._buckets.get(client)
            if found is not None:
                self._buckets[client] = (min(self.capacity, found[0] + 1), found[1])

    def __len__(self) -> int:
        return len(self._buckets)


class SignInLimits:
    """One desk process's bounds on signing in: verifications at once, attempts per client."""

    def __init__(
        self,
        at_once: int = VERIFYING_AT_ONCE,
        per_minute: int = SIGN_INS_PER_MINUTE,
        kept: int = CLIENTS_KEPT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.at_once = at_once
        self.verifying = threading.BoundedSemaphore(at_once)
        # Never queues: a task is submitted only while holding one of the semaphore's slots.
        self.verifiers = ThreadPoolExecutor(at_once, thread_name_prefix="desk-sign-in")
        self.clients = ClientLimiter(per_minute, kept, clock)
        self.clock = clock
        self._next_sweep = clock()
        self._refused = 0
        self._next_report = clock()
        self._lock = threading.Lock()

    def sweep_due(self) -> bool:
        """True at most once per SWEEP_SECONDS: time to forget name counts of windows that are over."""
        with self._lock:
            now = self.clock()
            if now < self._next_sweep:
                return False
            self._next_sweep = now + SWEEP_SECONDS
            return True

    def refused(self) -> int:
        """Count one sign-in answered 429; how many to log now (at most once a minute), else 0."""
        with self._lock:
            self._refused += 1
            now = self.clock()
            if now < self._next_report:
                return 0
            count, self._refused, self._next_report = self._refused, 0, now + 60.0
            return count


_creating = threading.Lock()


def limits_of(request: Request) -> SignInLimits:
    """The app's sign-in limits, made on first use (tests put their own in app.state first)."""
    state = request.app.state
    limits: SignInLimits | None = getattr(state, "sign_in_limits", None)
    if limits is None:
        with _creating:
            limits = getattr(state, "sign_in_limits", None)
            if limits is None:
                limits = state.sign_in_limits = SignInLimits()
    return limits


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
    if not csrf_token or not same_token(csrf_token, signed.csrf_token):
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


def _login_again(
    request: Request,
    status: int,
    problem: str,
    name: str,
    next: str,
    retry_after: int | None = None,
) -> Response:
    """The login form again, with a fresh token, saying what went wrong."""
    fresh = secrets.token_urlsafe(32)
    response: Response = desk_of(request).render(
        request,
        "login.html",
        None,
        status,
        login_token=fresh,
        next=_safe_next(next),
        problem=problem,
        name=name,
    )
    response.set_cookie(LOGIN_COOKIE, fresh, max_age=3600, **_cookie_options(request))  # type: ignore[arg-type]
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _check_password(
    desk: Desk, who: str, name: str, password: str
) -> tuple[Account | None, str, str]:
    """(account, session cookie, problem): the name's slot is taken and committed first."""
    with desk.transaction() as session:
        window: datetime | None = reserve_sign_in(session, who)
        if window is None:
            # Not counted as a failure: the hold ends 15 minutes after the window it fills began.
            record(session, who, "sign-in held off")
    if window is None:
        minutes = FAILURE_WINDOW.seconds // 60
        return None, "", f"Too many failed sign-ins for this name: try again in {minutes} minutes."
    with desk.transaction() as session:
        account = authenticate(session, name, password)
        if account is None:
            record(session, who, "sign-in failed")  # the slot stays taken: it was a failure
            return None, "", "That name and password do not match an active account."
        release_sign_in(session, who, window)
        token = open_session(session, account)
        record(session, account.name, "signed in")
    return account, token, ""


def _note_refusal(limits: SignInLimits, why: str) -> None:
    """Log 429s at most once a minute, with their count: a spray must not flood the log either."""
    count = limits.refused()
    if count:
        log.warning("sign-ins answered 429 in the last minute: %d (lately: %s)", count, why)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    login_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    desk = desk_of(request)
    who = sign_in_name(name)  # as the audit log's actor column and the hold-off keep it
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not same_token(login_token, expected):
        raise Refused(
            who, "the login form's security token is missing or wrong; reload the login page"
        )
    limits = limits_of(request)
    # The peer address only: the desk reads no proxy headers, which any client could forge.
    client = client_key(request.client.host if request.client else None)
    wait = limits.clients.take(client)
    if wait:
        _note_refusal(limits, f"{client} is over {limits.clients.capacity:g} a minute")
        seconds = math.ceil(wait)
        return _login_again(
            request,
            429,
            f"Too many sign-in attempts from your address: try again in {seconds} seconds.",
            name,
            next,
            seconds,
        )
    if not limits.verifying.acquire(blocking=False):
        limits.clients.give_back(client)  # it was not tried
        _note_refusal(limits, f"{limits.at_once} verifications were under way")
        return _login_again(
            request,
            429,
            "The desk is busy signing people in; try again in a few seconds.",
            name,
            next,
            BUSY_RETRY_SECONDS,
        )
    try:
        if limits.sweep_due():
            with desk.transaction() as session:
                forget_sign_ins(session)
        checked = limits.verifiers.submit(_check_password, desk, who, name, password)
        account, token, problem = checked.result()
    finally:
        limits.verifying.release()
    if account is None:
        return _login_again(request, 401, problem, name, next)
    limits.clients.give_back(client)
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
