"""Append-only audit entries, always added in the transaction of the change they record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.logsafe import one_line
from store.models import AuditEntry

ACTOR_LIMIT = 100  # the audit log's actor column


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    notice_id: int | None = None,
    version_id: int | None = None,
    language: str | None = None,
    **detail: Any,
) -> None:
    """Add one audit entry to the session's transaction."""
    session.add(
        AuditEntry(
            # A name with a newline must not read as two entries in an audit listing.
            actor=one_line(actor, ACTOR_LIMIT),
            action=action,
            notice_id=notice_id,
            version_id=version_id,
            language=language,
            detail=detail,
        )
    )
