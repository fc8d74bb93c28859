"""Review-desk accounts: users with roles, argon2 password hashes, and signed-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.languages import SHIPPED_TARGETS
from core.targets import target_languages, why_not_configured
from store.audit import record
from store.models import DeskSession, SignInAttempt, User, utcnow

ROLES = ("editor", "reviewer", "approver", "admin")
MIN_PASSWORD = 10
SESSION_HOURS = 12
# After this many failed sign-ins for one name within the window, that name waits out the window.
FAILED_SIGN_INS = 5
FAILURE_WINDOW = timedelta(minutes=15)

# Argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1; Password Storage Cheat Sheet)
# instead of the library's default, RFC 9106's second recommendation (m=64 MiB, t=3, p=4). The
# default makes a guess dearer for an attacker, but the desk pays the same for every guess it is
# sent: 64 MiB and ~110 ms per try here against 19 MiB and ~25 ms of a single core. With p=1 a
# verification holds exactly one core, so the bound on verifications at once (desk/auth.py)
# bounds CPU and memory together. Hashes made with other parameters still verify, and are rehashed
# with these at their owner's next sign-in (check_needs_rehash in authenticate).
HASH_TIME_COST = 2
HASH_MEMORY_KIB = 19 * 1024
HASH_PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM
)
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


def assignable_languages(
    users: list[User] | tuple[User, ...] = (), targets: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """The configured targets (``targets``, else read now) and any language taken out of the
    configuration that one of ``users`` still has assigned: an assignment keeps showing."""
    configured = target_languages() if targets is None else targets
    kept = {lang for user in users for lang in user.languages or ()}
    return tuple(lang for lang in SHIPPED_TARGETS if lang in configured or lang in kept)


def check_languages(
    languages: list[str] | tuple[str, ...],
    kept: list[str] | tuple[str, ...] = (),
    targets: tuple[str, ...] | None = None,
) -> list[str]:
    """The assigned languages, each a configured target (``targets``, else read now) or one in
    ``kept`` (assigned before it was taken out of the configuration); AccountError otherwise."""
    configured = target_languages() if targets is None else targets
    refused = [lang for lang in languages if lang not in configured and lang not in kept]
    if any(lang not in SHIPPED_TARGETS for lang in refused):
        unknown = [lang for lang in refused if lang not in SHIPPED_TARGETS]
        raise AccountError(
            f"languages: {', '.join(unknown)} is not a target language; choose from "
            f"{', '.join(configured)}"
        )
    if refused:
        raise AccountError(
            f"languages: {why_not_configured(refused[0], configured)}; a reviewer is assigned a "
            "configured language"
        )
    return [lang for lang in SHIPPED_TARGETS if lang in languages]


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
    targets: tuple[str, ...] | None = None,
) -> Account:
    """Create an account; the password is stored only as an argon2 hash."""
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("name: must be 1 to 100 characters")
    if not name.isprintable():
        # A newline or other control character in a name would forge lines in logs and listings.
        raise AccountError("name: must be printable, on one line (no control characters)")
    if session.scalars(select(User).where(User.name == name)).first() is not None:
        raise AccountError(f"name: a user {name!r} exists already")
    check_password(password)
    user = User(
        name=name,
        password_hash=_hasher.hash(password),
        roles=check_roles(roles),
        languages=check_languages(languages, targets=targets),
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
    targets: tuple[str, ...] | None = None,
) -> Account:
    """Change roles, language assignment, password or whether the account may sign in."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise AccountError(f"name: there is no user {name!r}")
    changes: dict[str, Any] = {}
    if roles is not None:
        user.roles = changes["roles"] = check_roles(roles)
    if languages is not None:
        # A language taken out of the configuration may stay assigned, never be newly assigned.
        user.languages = changes["languages"] = check_languages(
            languages, user.languages or (), targets
        )
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


def _storable(text: str) -> bool:
    """Whether a database column can hold ``text`` (PostgreSQL refuses NUL, drivers surrogates)."""
    return "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text)


def sign_in_name(name: str) -> str:
    """A name typed at login as the audit log and the hold-off keep it: trimmed, storable, 100 at most."""
    name = name.strip()
    if not _storable(name):
        name = "".join(c if _storable(c) else "\ufffd" for c in name)
    return (name or "anonymous")[:100]


def authenticate(session: Session, name: str, password: str) -> Account | None:
    """The account if the name and password match an active user; None otherwise."""
    name = name.strip()
    # A name no account can have is not looked up (a NUL would make PostgreSQL fail the query).
    possible = 0 < len(name) <= 100 and _storable(name)
    user = session.scalars(select(User).where(User.name == name)).first() if possible else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return _account(user)


def reserve_sign_in(session: Session, name: str, now: datetime | None = None) -> datetime | None:
    """Count one sign-in for ``name`` before its password is checked; None if the name is held off.

    One statement, so it is atomic on SQLite and PostgreSQL alike: of any number of concurrent
    tries for a name, at most FAILED_SIGN_INS get a slot per window. A slot counts as a failure
    until release_sign_in gives it back; the caller commits at once, before verifying, so that
    the others see it. Returns the start of the window the slot belongs to.
    """
    now = now or utcnow()
    table = SignInAttempt.__table__
    # A window is over 15 minutes after it began, or when every slot in it was given back.
    fresh = (table.c.window_started < now - FAILURE_WINDOW) | (table.c.attempts <= 0)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(name=name, window_started=now, attempts=1)
        .on_conflict_do_update(
            index_elements=[table.c.name],
            set_={
                # Both read the row as it was, so the window and the count reset together.
                "attempts": case((fresh, 1), else_=table.c.attempts + 1),
                "window_started": case((fresh, now), else_=table.c.window_started),
            },
            where=fresh | (table.c.attempts < FAILED_SIGN_INS),
        )
        .returning(table.c.window_started)
    )
    window: datetime | None = session.execute(statement).scalar_one_or_none()
    return window


def release_sign_in(session: Session, name: str, window: datetime) -> None:
    """Give back the slot reserve_sign_in took in ``window``: the sign-in succeeded."""
    session.execute(
        update(SignInAttempt)
        .where(
            SignInAttempt.name == name,
            SignInAttempt.window_started == window,  # not a slot of a later window
            SignInAttempt.attempts > 0,
        )
        .values(attempts=SignInAttempt.attempts - 1)
    )


def forget_sign_ins(session: Session, now: datetime | None = None) -> int:
    """Drop the counts of windows that are over, so random names never pile up; how many."""
    cutoff = (now or utcnow()) - FAILURE_WINDOW
    result = session.execute(delete(SignInAttempt).where(SignInAttempt.window_started < cutoff))
    return int(cast("CursorResult[Any]", result).rowcount)


def _token_hash(token: str) -> str:
    # surrogatepass: any str hashes, so no cookie value can make this raise.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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
