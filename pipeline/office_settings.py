"""Settings the office changes at run time from the review desk, kept in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.audit import record
from store.models import Setting

TWO_STAGE_COLUMNS = "review.two_stage_columns"
HOLIDAY_SCHEDULE = "calendar.schedule."  # + year


def read(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return row.value if row else None


def write(session: Session, key: str, value: dict[str, Any], actor: str) -> None:
    """Store one setting and record who changed it."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_by=actor))
    else:
        row.value, row.updated_by = value, actor
    record(session, actor, "setting changed", setting=key)


def two_stage_columns(session: Session) -> list[str]:
    """Columns whose notices need an approver's sign-off after the reviewer's (major notices always do)."""
    value = read(session, TWO_STAGE_COLUMNS)
    return list(value["columns"]) if value else []


def set_two_stage_columns(session: Session, columns: list[str], actor: str) -> None:
    write(session, TWO_STAGE_COLUMNS, {"columns": sorted(set(columns))}, actor)


def holiday_schedules(session: Session) -> list[dict[str, Any]]:
    """Holiday schedules loaded by an admin, by year (each: year, holidays, workdays, source)."""
    rows = session.scalars(
        select(Setting).where(Setting.key.like(f"{HOLIDAY_SCHEDULE}%")).order_by(Setting.key)
    )
    return [row.value for row in rows]
