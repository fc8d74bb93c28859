"""Accounts: argon2 hashes with the library's production parameters, sessions that expire."""

from __future__ import annotations

from datetime import timedelta

from review.accounts import add_user, authenticate, open_session, signed_in, update_user
from store.db import transaction
from store.models import utcnow
from waiwen.settings import Settings

PASSWORD = "a long enough password"


def test_passwords_are_argon2id_hashes_with_production_cost(settings: Settings) -> None:
    with transaction(settings.resolved_database_url) as session:
        add_user(session, "甲", PASSWORD, ["editor"], "test")
    with transaction(settings.resolved_database_url) as session:
        account = authenticate(session, "甲", PASSWORD)
        assert account is not None and account.roles == ("editor",)
        assert authenticate(session, "甲", PASSWORD + "x") is None
        from store.models import User

        stored = session.query(User).one().password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_sessions_expire_and_end_with_the_account(settings: Settings) -> None:
    with transaction(settings.resolved_database_url) as session:
        account = add_user(session, "乙", PASSWORD, ["reviewer"], "test", ["en"])
        token = open_session(session, account)
    with transaction(settings.resolved_database_url) as session:
        found = signed_in(session, token)
        assert found is not None and found.account.covers("en") and not found.account.covers("fr")
        assert signed_in(session, token, now=utcnow() + timedelta(hours=13)) is None
        assert signed_in(session, "forged") is None and signed_in(session, None) is None
        update_user(session, "乙", "test", active=False)
    with transaction(settings.resolved_database_url) as session:
        assert signed_in(session, token) is None
