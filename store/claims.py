"""Work claims: at most one live holder per piece of work, across threads, processes and machines."""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core.clock import as_utc
from core.settings import get_settings
from store.db import transaction, updated_rows
from store.models import WorkClaim, utcnow


def default_lease() -> timedelta:
    """WAIWEN_CLAIM_SECONDS: longer than one engine request with its retries or one channel call,
    so that only a holder that died (or hangs) loses its claim."""
    return timedelta(seconds=get_settings().claim_seconds)


@dataclass
class Claim:
    """A held claim: its key and the token that proves who holds it."""

    database_url: str
    key: str
    token: str
    lease: timedelta
    renewed: float = field(default_factory=time.monotonic)

    def renew(self) -> bool:
        """Push the expiry on; False if the claim lapsed and someone else holds it now."""
        with transaction(self.database_url) as session:
            kept = updated_rows(
                session,
                update(WorkClaim)
                .where(WorkClaim.key == self.key, WorkClaim.token == self.token)
                .values(expires_at=utcnow() + self.lease),
            )
        self.renewed = time.monotonic()
        return bool(kept)

    def renew_if_due(self) -> None:
        """Renew once a quarter of the lease has passed: a write per segment would cost SQLite
        more than the claim is worth, and a quarter leaves three more for the next renewal."""
        if time.monotonic() - self.renewed >= self.lease.total_seconds() / 4:
            self.renew()

    def release(self) -> None:
        """Give the work up (done, or failed so that another run may try at once)."""
        with transaction(self.database_url) as session:
            session.execute(
                delete(WorkClaim).where(WorkClaim.key == self.key, WorkClaim.token == self.token)
            )


def take(database_url: str, key: str, lease: timedelta | None = None) -> Claim | None:
    """Claim ``key`` unless a live holder has it; None when one does."""
    lease = default_lease() if lease is None else lease
    token = secrets.token_hex(16)
    now = utcnow()
    try:
        with transaction(database_url) as session:
            session.add(
                WorkClaim(key=key, token=token, holder=this_process(), expires_at=now + lease)
            )
    except IntegrityError:
        with transaction(database_url) as session:
            row = session.execute(
                select(WorkClaim.token, WorkClaim.holder, WorkClaim.expires_at).where(
                    WorkClaim.key == key
                )
            ).first()
        if row is None:  # released in between: try once more from the start
            return take(database_url, key, lease)
        held_by, holder, expires_at = row
        if as_utc(expires_at) >= now and not _dead_here(holder):
            return None
        # Only the dead holder's row is taken over, by token: of several takers one wins.
        with transaction(database_url) as session:
            taken = updated_rows(
                session,
                update(WorkClaim)
                .where(WorkClaim.key == key, WorkClaim.token == held_by)
                .values(token=token, holder=this_process(), expires_at=now + lease),
            )
        if not taken:
            return None
    return Claim(database_url, key, token, lease)


@contextmanager
def held(database_url: str, key: str, lease: timedelta | None = None) -> Iterator[Claim | None]:
    """Hold ``key`` for the block (None: a live holder has it); released however the block ends."""
    claim = take(database_url, key, lease)
    try:
        yield claim
    finally:
        if claim is not None:
            claim.release()


def this_process() -> str:
    """host:pid:start-time: names this process so that no later process with its pid is taken for it."""
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"


def _dead_here(holder: str) -> bool:
    """True if the holder ran on this machine and its process is gone (a kill, a crash)."""
    host, _, rest = holder.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine's process: only its lease tells
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    state, start = _stat(pid)
    # A zombie is dead but not yet reaped; a different start time is a later process on the pid.
    return state == "Z" or start != started


@cache
def _own_start_time() -> str:
    return _stat(os.getpid())[1]


def _start_time(pid: int) -> str:
    return _own_start_time() if pid == os.getpid() else _stat(pid)[1]


def _stat(pid: int) -> tuple[str, str]:
    """The process's state letter and start time in clock ticks after boot (/proc, fields 3 and
    22); ("", "") where /proc does not tell."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The command name (field 2) is in parentheses and may hold spaces; fields follow it.
            fields = stat.read().rsplit(")", 1)[1].split()
        return fields[0], fields[19]
    except (OSError, IndexError):
        return "", ""
