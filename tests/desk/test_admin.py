"""Administration: accounts, holiday schedules and the glossary, with refusals that say why."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings
from desk.accounts import add_user
from store.db import transaction
from store.models import User
from tests.desk.conftest import ADMIN, PASSWORD

SCHEDULE_2027 = Path(__file__).resolve().parent.parent / "content" / "data" / "2027.yaml"


def test_an_admin_adds_a_user_who_can_then_sign_in(desk: Any, settings: Settings) -> None:
    admin = desk(ADMIN)
    response = admin.post(
        "/admin/users",
        {"name": "韩文审校", "password": PASSWORD, "roles": ["reviewer"], "languages": ["ko"]},
    )
    assert response.status_code == 303
    assert "韩文审校" in admin.get("/admin").text
    assert desk().login("韩文审校").status_code == 303
    with transaction(settings.resolved_database_url) as session:
        user = session.scalars(select(User).where(User.name == "韩文审校")).one()
    assert (user.roles, user.languages) == (["reviewer"], ["ko"])
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_account_rules_are_named(desk: Any) -> None:
    admin = desk(ADMIN)
    short = admin.post("/admin/users", {"name": "x", "password": "short", "roles": ["editor"]})
    assert short.status_code == 400 and "password: must be at least 10 characters" in short.text
    twice = admin.post("/admin/users", {"name": ADMIN, "password": PASSWORD, "roles": ["editor"]})
    assert twice.status_code == 400 and "exists already" in twice.text
    no_role = admin.post("/admin/users", {"name": "y", "password": PASSWORD})
    assert no_role.status_code == 400 and "role:" in no_role.text
    bad = admin.post("/admin/users", {"name": "z", "password": PASSWORD, "roles": ["root"]})
    assert bad.status_code == 400 and "root is not a role" in bad.text


def test_roles_and_password_change(desk: Any) -> None:
    admin = desk(ADMIN)
    response = admin.post(
        "/admin/users/编辑甲",
        {"roles": ["editor", "reviewer"], "active": "on", "password": "another long password"},
    )
    assert response.status_code == 303
    assert desk().login("编辑甲").status_code == 401
    assert desk().login("编辑甲", "another long password").status_code == 303


def test_loading_a_holiday_schedule(desk: Any) -> None:
    admin = desk(ADMIN)
    response = admin.post(
        "/admin/holidays",
        files={"file": ("2027.yaml", SCHEDULE_2027.read_bytes(), "application/yaml")},
    )
    assert response.status_code == 200, response.text
    assert "the 2027 schedule is loaded" in response.text
    assert "2027 (2027.yaml)" in admin.get("/admin").text


def test_a_bad_schedule_is_refused_naming_file_line_and_rule(desk: Any) -> None:
    admin = desk(ADMIN)
    text = b"year: 2027\nholidays:\n  - 2027-13-01\n"
    response = admin.post(
        "/admin/holidays", files={"file": ("2027.yaml", text, "application/yaml")}
    )
    assert response.status_code == 400
    assert "2027.yaml" in response.text and "2027-13-01" in response.text
    wrong_kind = admin.post("/admin/holidays", files={"file": ("2027.txt", b"x", "text/plain")})
    assert wrong_kind.status_code == 400 and "unknown format" in wrong_kind.text


def test_glossary_import(desk: Any) -> None:
    admin = desk(ADMIN)
    before = re.search(r"(\d+) term\(s\) in force", admin.get("/admin").text)
    assert before
    csv = (
        "source,language,target,note\n外事礼宾,en,foreign affairs protocol,office usage\n".encode()
    )
    response = admin.post("/admin/glossary", files={"file": ("terms.csv", csv, "text/csv")})
    assert response.status_code == 200 and "terms.csv: 1 term(s) added" in response.text
    assert f"{int(before.group(1)) + 1} term(s) in force" in admin.get("/admin").text
    broken = admin.post(
        "/admin/glossary", files={"file": ("bad.csv", b"source,language\nx,en\n", "text/csv")}
    )
    assert broken.status_code == 400 and "bad.csv" in broken.text
    assert "/tmp" not in broken.text


def test_an_admin_cannot_lock_themselves_out(desk: Any) -> None:
    admin = desk(ADMIN)
    response = admin.post(f"/admin/users/{ADMIN}", {"roles": ["editor"], "active": "on"})
    assert response.status_code == 400 and "your own admin role" in response.text
    response = admin.post(f"/admin/users/{ADMIN}", {"roles": ["admin"]})
    assert response.status_code == 400
    assert admin.get("/admin").status_code == 200


def test_uploads_without_a_file_or_too_large_are_refused(desk: Any) -> None:
    admin = desk(ADMIN)
    none = admin.post("/admin/holidays", {})
    assert none.status_code == 400 and "holiday schedule: choose a file" in none.text
    big = admin.post(
        "/admin/glossary", files={"file": ("huge.csv", b"x" * (2 * 1024 * 1024 + 1), "text/csv")}
    )
    assert big.status_code == 400 and "huge.csv: larger than" in big.text


@pytest.mark.parametrize("name", ["..", "/", ".", "甲" * 93 + ".csv", "x" * 201 + ".csv"])
def test_a_glossary_with_an_unusable_file_name_is_a_clear_refusal(desk: Any, name: str) -> None:
    admin = desk(ADMIN)
    csv = "source,language,target\n外事礼宾,en,foreign affairs protocol\n".encode()
    response = admin.post("/admin/glossary", files={"file": (name, csv, "text/csv")})
    assert response.status_code == 400
    assert "the file name must be a plain name of 1 to 200 characters" in response.text


def test_a_tbx_with_a_dtd_is_refused_not_an_error(desk: Any) -> None:
    admin = desk(ADMIN)
    tbx = (
        b'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;">]>\n<martif><text><body>'
        b'<termEntry id="t1"><langSet xml:lang="zh"><tig><term>&b;</term></tig></langSet>'
        b"</termEntry></body></text></martif>"
    )
    response = admin.post("/admin/glossary", files={"file": ("terms.tbx", tbx, "application/xml")})
    assert response.status_code == 400
    assert "terms.tbx: declares a DTD or entities" in response.text


def test_a_language_taken_out_keeps_its_assignment_on_the_admin_page_and_takes_no_new_one(
    desk: Any, settings: Settings
) -> None:
    # 德文审校 was assigned de while the office drafted into de; the desk now runs the default four.
    with transaction(settings.resolved_database_url) as session:
        add_user(
            session,
            "德文审校",
            PASSWORD,
            ["reviewer"],
            "test",
            ["de"],
            targets=("en", "ja", "fr", "ko", "de"),
        )
    admin = desk(ADMIN)
    page = admin.get("/admin").text
    assert re.search(r'name="languages" value="de" checked', page), "the assignment is not shown"
    kept = admin.post(
        "/admin/users/德文审校", {"roles": ["reviewer"], "languages": ["de", "en"], "active": "on"}
    )
    assert kept.status_code == 303
    with transaction(settings.resolved_database_url) as session:
        user = session.scalars(select(User).where(User.name == "德文审校")).one()
    assert user.languages == ["en", "de"]
    refused = admin.post(
        "/admin/users",
        {"name": "新德文审校", "password": PASSWORD, "roles": ["reviewer"], "languages": ["de"]},
    )
    assert refused.status_code == 400
    assert (
        "new user: languages: de is not among the configured target languages "
        "(WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)" in refused.text
    )
