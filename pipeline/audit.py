"""Append-only audit entries, always added in the transaction of the change they record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from store.models import AuditEntry


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
            actor=actor,
            action=action,
            notice_id=notice_id,
            version_id=version_id,
            language=language,
            detail=detail,
        )
    )
