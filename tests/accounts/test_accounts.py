"""Accounts: argon2 hashes with the chosen parameters, sessions that expire, sign-ins counted per name."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import select

from core.settings import Settings
from desk.accounts import (
    FAILURE_WINDOW,
    add_user,
    authenticate,
    forget_sign_ins,
    open_session,
    release_sign_in,
    reserve_sign_in,
    signed_in,
    update_user,
)
from store.db import transaction
from store.models import SignInAttempt, User, utcnow

PASSWORD = "a long enough password"


def test_passwords_are_argon2id_hashes_with_owasps_parameters(settings: Settings) -> None:
    with transaction(settings.resolved_database_url) as session:
        add_user(session, "甲", PASSWORD, ["editor"], "test")
    with transaction(settings.resolved_database_url) as session:
        account = authenticate(session, "甲", PASSWORD)
        assert account is not None and account.roles == ("editor",)
        assert authenticate(session, "甲", PASSWORD + "x") is None
        stored = session.query(User).one().password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_with_the_old_parameters_is_upgraded_at_the_next_sign_in(
    settings: Settings,
) -> None:
    with transaction(settings.resolved_database_url) as session:
        add_user(session, "戊", PASSWORD, ["editor"], "test")
        old = PasswordHasher().hash(PASSWORD)  # the library default the desk used before
        session.scalars(select(User)).one().password_hash = old
    with transaction(settings.resolved_database_url) as session:
        assert authenticate(session, "戊", PASSWORD + "x") is None
        assert session.scalars(select(User)).one().password_hash == old  # only on success
        assert authenticate(session, "戊", PASSWORD) is not None
    with transaction(settings.resolved_database_url) as session:
        stored = session.scalars(select(User)).one().password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_sessions_expire_and_end_with_the_account(settings: Settings) -> None:
    with transaction(settings.resolved_database_url) as session:
        account = add_user(session, "乙", PASSWORD, ["reviewer"], "test", ["en"])
        token = open_session(session, account)
    with transaction(settings.resolved_database_url) as session:
        found = signed_in(session, token)
        assert found is not None and found.account.covers("en") and not found.account.covers("fr")
        assert signed_in(session, token, now=utcnow() + timedelta(hours=13)) is None
        assert signed_in(session, "forged") is None and signed_in(session, None) is None
        assert signed_in(session, "令牌\udc80") is None  # any text is a cookie that matches none
        update_user(session, "乙", "test", active=False)
    with transaction(settings.resolved_database_url) as session:
        assert signed_in(session, token) is None


def test_five_sign_ins_per_name_and_window_get_a_slot(settings: Settings) -> None:
    url = settings.resolved_database_url
    now = utcnow()

    def reserve(name: str, at: datetime = now) -> datetime | None:
        with transaction(url) as session:
            return reserve_sign_in(session, name, at)

    windows = [reserve("丙") for _ in range(5)]
    assert None not in windows and len(set(windows)) == 1
    assert reserve("丙") is None  # held off
    assert reserve("丁") is not None  # other names are not
    with transaction(url) as session:
        release_sign_in(session, "丙", windows[0])  # one of the five signed in after all
    assert reserve("丙") is not None
    assert reserve("丙") is None
    later = now + FAILURE_WINDOW + timedelta(seconds=1)
    assert reserve("丙", later) is not None  # the window is over: counting starts again
    with transaction(url) as session:
        release_sign_in(session, "丙", windows[0])  # a slot of the old window frees nothing now
        assert (
            session.scalars(select(SignInAttempt.attempts).where(SignInAttempt.name == "丙")).one()
            == 1
        )
        assert forget_sign_ins(session, later) == 1  # 丁's window is over; 丙's new one is not
        assert session.scalars(select(SignInAttempt.name)).all() == ["丙"]
