"""A name with a newline cannot forge a line in the desk's log or an entry in the audit log."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from core import logsafe
from core.settings import Settings
from store.audit import record
from store.db import transaction
from store.models import AuditEntry

FORGED = "译审甲\n2026-12-01 09:00:00 INFO waiwen.desk: admin 审批丁 signed in\r"


def test_a_refused_login_with_a_forged_name_is_one_line_in_log_and_audit(
    desk: Any, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    client = desk(None)
    client.get("/login")
    with caplog.at_level(logging.WARNING, logger="waiwen.desk"):
        # A wrong login token: refused, logged with the name as typed.
        response = client.http.post(
            "/login", data={"name": FORGED, "password": "x" * 12, "login_token": "wrong"}
        )
    assert response.status_code == 403
    messages = [r.getMessage() for r in caplog.records if r.name == "waiwen.desk"]
    assert messages and all("\n" not in m and "\r" not in m for m in messages)
    assert any("译审甲\\n2026-12-01" in m for m in messages), messages
    with transaction(settings.resolved_database_url) as session:
        actors = list(session.scalars(select(AuditEntry.actor)))
    assert actors and all("\n" not in a and "\r" not in a and len(a) <= 100 for a in actors)


def test_the_audit_actor_is_single_line_and_bounded(settings: Settings) -> None:
    with transaction(settings.resolved_database_url) as session:
        record(session, FORGED + "x" * 300, "edited")
    with transaction(settings.resolved_database_url) as session:
        [actor] = session.scalars(select(AuditEntry.actor))
    assert actor.startswith("译审甲\\n2026-12-01") and len(actor) == 100
    assert "\n" not in actor and "\r" not in actor


def test_every_waiwen_log_value_is_single_line_and_bounded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logsafe.install()
    with caplog.at_level(logging.INFO, logger="waiwen.handoff"):
        logging.getLogger("waiwen.handoff").info("handed %s to %s", "a\nb", "y" * 5000)
    [message] = [r.getMessage() for r in caplog.records]
    assert message.startswith("handed a\\nb to yyy") and len(message) < 400
    # Other libraries' records are left as they are.
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info("%s", "a\nb")
    assert caplog.records[-1].getMessage() == "a\nb"


@pytest.mark.parametrize("name", ["译审\n甲", "译审\r甲", "a\tb", "x\u2028y", "\x1b[31mred"])
def test_an_account_name_with_control_characters_is_refused(settings: Settings, name: str) -> None:
    from desk.accounts import AccountError, add_user

    with (
        transaction(settings.resolved_database_url) as session,
        pytest.raises(AccountError) as refused,
    ):
        add_user(session, name, "a long enough password", ["reviewer"], "admin")
    assert str(refused.value) == "name: must be printable, on one line (no control characters)"
