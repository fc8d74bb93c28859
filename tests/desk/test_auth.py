"""Signing in and out, sessions, CSRF and role checks: every refusal is a 403 and is logged."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from store.db import transaction
from store.models import AuditEntry, DeskSession
from tests.desk.conftest import ADMIN, APPROVER, EDITOR, EN_ONLY, PASSWORD, REVIEWER
from waiwen.settings import Settings

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
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sign-in failed")
        ):
            entry.at = entry.at - timedelta(minutes=16)
    assert desk().login(REVIEWER).status_code == 303


def test_an_overlong_name_is_refused_like_any_other(desk: Any) -> None:
    response = desk().login("名" * 300, "whatever password")
    assert response.status_code == 401 and "do not match" in response.text


def test_a_malformed_address_is_a_404_page(desk: Any) -> None:
    client = desk(REVIEWER)
    for path in ("/notices/abc", "/notices/abc/en", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404 and "<html" in response.text, path
