"""Signing in and out, sessions, CSRF and role checks: every refusal is a 403 and is logged."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from core.settings import Settings
from desk import accounts
from desk.auth import ClientLimiter, SignInLimits, client_key
from store.db import transaction
from store.models import AuditEntry, DeskSession, SignInAttempt
from tests.desk.conftest import ADMIN, APPROVER, EDITOR, EN_ONLY, PASSWORD, REVIEWER

LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
PAGES = ["/", "/queue", "/notices/1", "/notices/1/en", "/admin", "/notices/1/en/preview/site"]


@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_who_is_not_signed_in_is_sent_to_login(
    desk: Any, drafted: int, path: str
) -> None:
    response = desk().get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_a_post_without_a_session_is_refused(desk: Any, drafted: int) -> None:
    response = desk().post("/notices/1/en/approve", {"csrf_token": "x"})
    assert response.status_code == 401


def test_login_sets_a_strict_http_only_session_cookie(desk: Any) -> None:
    client = desk()
    response = client.login(REVIEWER)
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("waiwen_desk=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get("/queue").status_code == 200


def test_the_database_keeps_only_a_hash_of_the_session(desk: Any, settings: Settings) -> None:
    client = desk(REVIEWER)
    token = client.http.cookies["waiwen_desk"]
    with transaction(settings.resolved_database_url) as session:
        stored = session.scalars(select(DeskSession.token_hash)).all()
    assert stored and token not in stored


def test_wrong_password_is_refused_and_recorded(desk: Any, settings: Settings) -> None:
    client = desk()
    response = client.login(REVIEWER, "not the password")
    assert response.status_code == 401
    assert "do not match" in response.text
    assert "waiwen_desk" not in client.http.cookies
    assert _actions(settings)[-1] == (REVIEWER, "sign-in failed")


def test_unknown_name_gets_the_same_answer(desk: Any) -> None:
    response = desk().login("nobody", PASSWORD)
    assert response.status_code == 401 and "do not match" in response.text


def test_login_needs_the_login_forms_token(desk: Any) -> None:
    client = desk()
    client.get("/login")
    response = client.http.post(
        "/login", data={"name": REVIEWER, "password": PASSWORD, "login_token": "forged"}
    )
    assert response.status_code == 403


def test_login_never_redirects_off_the_desk(desk: Any) -> None:
    client = desk()
    page = client.get("/login", params={"next": "https://evil.example/"})
    assert 'value="/queue"' in page.text
    page = client.get("/login", params={"next": "//evil.example/x"})
    assert 'value="/queue"' in page.text
    page = client.get("/login", params={"next": "/\\evil.example/x"})
    assert 'value="/queue"' in page.text
    page = client.get("/login", params={"next": "/notices/1/en"})
    assert 'value="/notices/1/en"' in page.text


def test_logout_ends_the_session_even_for_a_copied_cookie(desk: Any) -> None:
    client = desk(REVIEWER)
    cookie = client.http.cookies["waiwen_desk"]
    assert client.post("/logout").status_code == 303
    thief = desk()
    thief.http.cookies.set("waiwen_desk", cookie)
    assert thief.get("/queue").status_code == 303


def test_logout_needs_the_csrf_token(desk: Any) -> None:
    client = desk(REVIEWER)
    assert client.post("/logout", csrf=False).status_code == 403
    assert client.get("/queue").status_code == 200


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_form_without_the_sessions_csrf_token_is_refused(
    desk: Any, drafted: int, settings: Settings, token: str | None
) -> None:
    client = desk(REVIEWER)
    data = {"text": "Changed", "revision": "1"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/notices/1/en/segments/1", data, csrf=False)
    assert response.status_code == 403
    assert "security token" in response.text
    assert _actions(settings)[-1] == (REVIEWER, "refused")


def test_another_sessions_token_is_refused(desk: Any, drafted: int) -> None:
    other = desk(REVIEWER)
    client = desk(REVIEWER)
    assert other.csrf != client.csrf
    response = client.post(
        "/notices/1/en/segments/1",
        {"text": "x", "revision": "1", "csrf_token": other.csrf},
        csrf=False,
    )
    assert response.status_code == 403


# (who, path, form) that each role may not do.
FORBIDDEN = [
    (EDITOR, "/notices/1/en/segments/1", {"text": "Edited", "revision": "1"}),
    (EDITOR, "/notices/1/en/approve", {}),
    (EDITOR, "/notices/1/en/reject", {"comment": "no"}),
    (EDITOR, "/notices/1/en/segments/1/override", {"check": "numbers", "reason": "r"}),
    (EDITOR, "/notices/1/en/sign-off", {}),
    (EDITOR, "/admin/users", {"name": "x", "password": PASSWORD, "roles": "admin"}),
    (REVIEWER, "/queue", {}),
    (REVIEWER, "/notices/1/en/sign-off", {}),
    (REVIEWER, "/admin/two-stage", {"columns": "要闻动态"}),
    (REVIEWER, "/admin/checks", {"level": "numbers|*|off"}),
    (REVIEWER, "/admin/users", {"name": "x", "password": PASSWORD, "roles": "admin"}),
    (EN_ONLY, "/notices/1/fr/segments/1", {"text": "Modifié", "revision": "1"}),
    (EN_ONLY, "/notices/1/fr/approve", {}),
    (EN_ONLY, "/notices/1/fr/reject", {"comment": "non"}),
    (APPROVER, "/notices/1/en/segments/1", {"text": "Edited", "revision": "1"}),
    (APPROVER, "/notices/1/en/approve", {}),
    (APPROVER, "/queue", {}),
    (ADMIN, "/notices/1/en/segments/1", {"text": "Edited", "revision": "1"}),
    (ADMIN, "/notices/1/en/approve", {}),
    (ADMIN, "/notices/1/en/sign-off", {}),
]


@pytest.mark.parametrize(("who", "path", "form"), FORBIDDEN)
def test_each_roles_forbidden_actions_answer_403_and_are_logged(
    desk: Any,
    drafted: int,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    who: str,
    path: str,
    form: dict[str, str],
) -> None:
    client = desk(who)
    with caplog.at_level(logging.WARNING, logger="waiwen.desk"):
        response = client.post(path, form)
    assert response.status_code == 403, response.text
    assert any(
        who in record.getMessage() and path in record.getMessage() for record in caplog.records
    )
    with transaction(settings.resolved_database_url) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.detail["path"]) == (who, "refused", path)
    # Nothing changed: the language is still in review, the segment untouched.
    assert "in review" in desk(REVIEWER).get("/notices/1/en").text


@pytest.mark.parametrize("who", [EDITOR, REVIEWER, APPROVER])
def test_only_admins_see_the_admin_page(desk: Any, who: str) -> None:
    assert desk(who).get("/admin").status_code == 403
    assert desk(ADMIN).get("/admin").status_code == 200


def test_pages_forbid_framing_and_outside_scripts(desk: Any, drafted: int) -> None:
    response = desk(REVIEWER).get("/notices/1/en")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_a_disabled_account_is_signed_out_at_once(desk: Any) -> None:
    reviewer = desk(REVIEWER)
    admin = desk(ADMIN)
    response = admin.post(f"/admin/users/{REVIEWER}", {"roles": "reviewer"})  # "active" unchecked
    assert response.status_code == 303
    assert reviewer.get("/queue").status_code == 303
    assert desk().login(REVIEWER).status_code == 401


def _actions(settings: Settings) -> list[tuple[str, str]]:
    with transaction(settings.resolved_database_url) as session:
        return [
            (e.actor, e.action) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_repeated_failures_lock_the_name_for_a_while(desk: Any, settings: Settings) -> None:
    client = desk()
    for _ in range(5):
        assert client.login(REVIEWER, "wrong password!").status_code == 401
    locked = client.login(REVIEWER)  # the right password, too late
    assert locked.status_code == 401 and "Too many failed sign-ins" in locked.text
    assert desk().login(EDITOR).status_code == 303  # other names are not affected
    with transaction(settings.resolved_database_url) as session:
        session.execute(
            update(SignInAttempt).values(
                window_started=SignInAttempt.window_started - timedelta(minutes=16)
            )
        )
    assert desk().login(REVIEWER).status_code == 303


def test_a_successful_sign_in_gives_its_slot_back(desk: Any) -> None:
    client = desk()
    for _ in range(4):
        assert client.login(REVIEWER, "wrong password!").status_code == 401
    assert client.login(REVIEWER).status_code == 303
    assert desk().login(REVIEWER, "wrong password!").status_code == 401  # the fifth failure
    assert "Too many failed sign-ins" in desk().login(REVIEWER).text


@pytest.mark.parametrize("name", ["名" * 300, "nul\x00in a name", "\x00"])
def test_a_name_no_account_can_have_is_refused_like_any_other(
    desk: Any, settings: Settings, name: str
) -> None:
    response = desk().login(name, "whatever password")
    assert response.status_code == 401 and "do not match" in response.text
    assert _actions(settings)[-1][1] == "sign-in failed"  # PostgreSQL stores no NUL: replaced


class CountingHasher(PasswordHasher):
    """The tests' cheap argon2, counting verifications and lingering over each so races show."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.verified += 1
        time.sleep(0.05)
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(accounts, "_hasher", counting)
    return counting


def _browser(app: Any, address: str = "testclient") -> TestClient:
    return TestClient(
        app, base_url="http://127.0.0.1", follow_redirects=False, client=(address, 50000)
    )


def _login_form(http: TestClient, name: str, password: str) -> dict[str, str]:
    """The login form as a browser would post it, with the token of a freshly loaded page."""
    token = LOGIN_TOKEN.search(http.get("/login").text)
    assert token
    return {"name": name, "password": password, "login_token": token.group(1), "next": "/queue"}


def test_parallel_tries_for_one_name_check_at_most_five_passwords(
    app: Any, hasher: CountingHasher, settings: Settings
) -> None:
    # Thirty addresses at once, and room for all of them to verify: only the name's count limits.
    app.state.sign_in_limits = SignInLimits(at_once=30)
    browsers = [_browser(app, f"10.0.0.{n}") for n in range(1, 31)]
    forms = [_login_form(http, REVIEWER, f"wrong password {n}") for n, http in enumerate(browsers)]
    start = threading.Barrier(len(browsers))

    def attempt(n: int) -> int:
        start.wait()
        return browsers[n].post("/login", data=forms[n]).status_code

    with ThreadPoolExecutor(len(browsers)) as pool:
        statuses = list(pool.map(attempt, range(len(browsers))))

    assert statuses == [401] * 30
    assert hasher.verified == 5
    actions = Counter(action for who, action in _actions(settings) if who == REVIEWER)
    assert (actions["sign-in failed"], actions["sign-in held off"]) == (5, 25)


def test_a_desk_busy_verifying_answers_429_at_once_without_hashing(
    app: Any, desk: Any, hasher: CountingHasher, settings: Settings
) -> None:
    limits = app.state.sign_in_limits = SignInLimits(at_once=1)
    assert limits.verifying.acquire(blocking=False)  # another sign-in is being verified
    try:
        response = desk().login(REVIEWER)
    finally:
        limits.verifying.release()
    assert response.status_code == 429 and "busy signing people in" in response.text
    assert response.headers["retry-after"] == "2"
    assert 'name="login_token"' in response.text  # the form, ready to try again
    assert hasher.verified == 0 and "sign-in failed" not in {a for _, a in _actions(settings)}
    assert desk().login(REVIEWER).status_code == 303


def test_one_address_is_answered_429_with_retry_after_after_ten_failures(app: Any) -> None:
    app.state.sign_in_limits = SignInLimits()
    http = _browser(app, "192.0.2.7")
    for n in range(10):
        assert http.post("/login", data=_login_form(http, f"guess{n}", "no")).status_code == 401
    refused = http.post("/login", data=_login_form(http, "guess10", "no"))
    assert refused.status_code == 429 and "from your address" in refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= 6  # one attempt comes back every 6 s
    other = _browser(app, "192.0.2.8")  # another address is not affected
    assert other.post("/login", data=_login_form(other, REVIEWER, PASSWORD)).status_code == 303


def test_signing_in_does_not_use_up_an_addresss_allowance(app: Any, desk: Any) -> None:
    app.state.sign_in_limits = SignInLimits()
    client = desk()
    for _ in range(15):
        assert client.login(REVIEWER).status_code == 303


def test_the_bucket_refills_and_the_table_stays_bounded() -> None:
    now = [0.0]
    limiter = ClientLimiter(per_minute=10, kept=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(10)] == [0.0] * 10
    assert limiter.take("a") == pytest.approx(6.0)  # one attempt per 6 s comes back
    now[0] += 6.0
    assert limiter.take("a") == 0.0 and limiter.take("a") > 0
    limiter.give_back("a")
    assert limiter.take("a") == 0.0
    for client in ("b", "c", "d", "e"):
        limiter.take(client)
    assert len(limiter) == 3  # "a" and "b", seen least recently, are forgotten
    assert limiter.take("a") == 0.0


def test_clients_are_told_apart_by_peer_address() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:192.0.2.1") == client_key("192.0.2.1") == "192.0.2.1"
    assert client_key(None) == "unknown" and client_key("testclient") == "testclient"


@pytest.mark.parametrize("token", ["令牌", "é", "\x00"])
def test_a_non_ascii_login_token_is_refused_not_an_error(desk: Any, token: str) -> None:
    client = desk()
    form = _login_form(client.http, REVIEWER, PASSWORD)
    response = client.http.post("/login", data={**form, "login_token": token})
    assert response.status_code == 403 and "security token" in response.text
    # The cookie's side too: a browser may send any bytes.
    fresh = _browser(client.http.app)
    response = fresh.post(
        "/login",
        data={**form, "login_token": token},
        headers={"cookie": "waiwen_login=令牌".encode()},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("token", ["令牌", "é"])
def test_a_non_ascii_csrf_token_or_session_cookie_is_refused_not_an_error(
    desk: Any, token: str
) -> None:
    client = desk(REVIEWER)
    assert client.post("/logout", {"csrf_token": token}, csrf=False).status_code == 403
    assert client.get("/queue").status_code == 200  # still signed in
    stranger = _browser(client.http.app)
    response = stranger.get("/queue", headers={"cookie": f"waiwen_desk={token}".encode()})
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_malformed_address_is_a_404_page(desk: Any) -> None:
    client = desk(REVIEWER)
    for path in ("/notices/abc", "/notices/abc/en", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404 and "<html" in response.text, path
