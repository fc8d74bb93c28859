"""Review-desk accounts: users with roles, argon2 password hashes, and signed-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from content.notice import TARGET_LANGUAGES
from pipeline.audit import record
from store.models import AuditEntry, DeskSession, User, utcnow

ROLES = ("editor", "reviewer", "approver", "admin")
LANGUAGES = TARGET_LANGUAGES  # a reviewer may be assigned any of them
MIN_PASSWORD = 10
SESSION_HOURS = 12
# After this many failed sign-ins for one name within the window, that name waits out the window.
FAILED_SIGN_INS = 5
FAILURE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no such user: this hash only evens out the timing")


class AccountError(ValueError):
    """An account change that breaks a rule; the message names the field and the rule."""


@dataclass(frozen=True)
class Account:
    """A signed-in user as the desk needs them, detached from any database session."""

    id: int
    name: str
    roles: tuple[str, ...]
    languages: tuple[str, ...]  # empty: every language

    def has(self, role: str) -> bool:
        return role in self.roles

    def covers(self, language: str) -> bool:
        """Whether this reviewer is assigned to ``language`` (an empty assignment covers all)."""
        return not self.languages or language in self.languages


def _account(user: User) -> Account:
    return Account(user.id, user.name, tuple(user.roles), tuple(user.languages or ()))


def check_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    """The roles, each known, in the standard order; AccountError otherwise."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        raise AccountError(
            f"role: {', '.join(unknown) or 'none given'} is not a role; choose from {', '.join(ROLES)}"
        )
    return [role for role in ROLES if role in roles]


def check_languages(languages: list[str] | tuple[str, ...]) -> list[str]:
    """The assigned languages, each a target language; AccountError otherwise."""
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise AccountError(
            f"languages: {', '.join(unknown)} is not a target language; choose from {', '.join(LANGUAGES)}"
        )
    return [lang for lang in LANGUAGES if lang in languages]


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: must be at least {MIN_PASSWORD} characters long")


def add_user(
    session: Session,
    name: str,
    password: str,
    roles: list[str] | tuple[str, ...],
    actor: str,
    languages: list[str] | tuple[str, ...] = (),
) -> Account:
    """Create an account; the password is stored only as an argon2 hash."""
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("name: must be 1 to 100 characters")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"name: a user {name!r} exists already")
    check_password(password)
    user = User(
        name=name,
        password_hash=_hasher.hash(password),
        roles=check_roles(roles),
        languages=check_languages(languages),
        active=True,
        created_by=actor,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user added", user=name, roles=user.roles, languages=user.languages)
    return _account(user)


def update_user(
    session: Session,
    name: str,
    actor: str,
    *,
    roles: list[str] | None = None,
    languages: list[str] | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> Account:
    """Change roles, language assignment, password or whether the account may sign in."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise AccountError(f"name: there is no user {name!r}")
    changes: dict[str, Any] = {}
    if roles is not None:
        user.roles = changes["roles"] = check_roles(roles)
    if languages is not None:
        user.languages = changes["languages"] = check_languages(languages)
    if active is not None:
        user.active = changes["active"] = active
    if password is not None:
        check_password(password)
        user.password_hash = _hasher.hash(password)
        changes["password"] = "changed"
    if active is False or password is not None:
        # A disabled account or a new password ends every open session of that user.
        session.execute(delete(DeskSession).where(DeskSession.user_id == user.id))
    record(session, actor, "user changed", user=name, **changes)
    return _account(user)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def authenticate(session: Session, name: str, password: str) -> Account | None:
    """The account if the name and password match an active user; None otherwise."""
    user = session.scalars(select(User).where(User.name == name.strip())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return _account(user)


def locked_out(session: Session, name: str, now: datetime | None = None) -> bool:
    """Whether ``name`` had too many failed sign-ins lately (read from the audit log)."""
    since = (now or utcnow()) - FAILURE_WINDOW
    failures = session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.actor == name,
            AuditEntry.action == "sign-in failed",
            AuditEntry.at >= since,
        )
    )
    return (failures or 0) >= FAILED_SIGN_INS


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, account: Account, now: datetime | None = None) -> str:
    """Start a signed-in session; returns the cookie value (only its hash is stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        DeskSession(
            token_hash=_token_hash(token),
            user_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    # Expired sessions of anyone are dropped here, so the table never grows without bound.
    session.execute(delete(DeskSession).where(DeskSession.expires_at < now))
    return token


@dataclass(frozen=True)
class SignedIn:
    """The account behind a cookie and the CSRF token its forms must carry."""

    account: Account
    csrf_token: str


def signed_in(session: Session, token: str | None, now: datetime | None = None) -> SignedIn | None:
    """Who holds this session cookie, if it is valid, unexpired and the account active."""
    if not token:
        return None
    found = session.execute(
        select(DeskSession, User)
        .join(User, User.id == DeskSession.user_id)
        .where(DeskSession.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    desk_session, user = found
    expires = desk_session.expires_at
    if expires.tzinfo is None:  # SQLite hands back naive datetimes
        expires = expires.replace(tzinfo=(now or utcnow()).tzinfo)
    if not user.active or expires < (now or utcnow()):
        return None
    return SignedIn(_account(user), desk_session.csrf_token)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(DeskSession).where(DeskSession.token_hash == _token_hash(token)))
