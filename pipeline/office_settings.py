"""Settings the office changes at run time from the review desk, kept in the database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.audit import record
from store.models import Setting
from translators.checks.registry import levelled_checks
from translators.checks.severity import SeverityRules, refuse_unknown

TWO_STAGE_COLUMNS = "review.two_stage_columns"
HOLIDAY_SCHEDULE = "calendar.schedule."  # + year
CHECK_LEVELS = "checks.levels"


def read(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    return row.value if row else None


def write(session: Session, key: str, value: dict[str, Any], actor: str, **detail: Any) -> None:
    """Store one setting and record who changed it (and ``detail``: what changed)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_by=actor))
    else:
        row.value, row.updated_by = value, actor
    record(session, actor, "setting changed", setting=key, **detail)


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


def check_levels(session: Session) -> SeverityRules:
    """The office's levels for the quality checks' findings (none set: each check's own)."""
    return SeverityRules.from_json(read(session, CHECK_LEVELS))


def set_check_level(
    session: Session,
    check_id: str,
    level: str | None,
    column: str | None,
    actor: str,
    columns: Iterable[str],
) -> SeverityRules:
    """Set one level (None: back to the default) and audit it; the rules as they now stand.

    SeverityRuleError when the check is not registered (or advisory, as the AI second reader),
    a level the check may not have (an advisory check's error), the column not one of ``columns`` or the
    level not a level. The row is read for update, so two admins' changes both hold.
    """
    refuse_unknown(check_id, column, [check.id for check in levelled_checks()], columns)
    row = session.get(Setting, CHECK_LEVELS, with_for_update=True)
    rules = SeverityRules.from_json(row.value if row else None)
    changed = rules.with_level(check_id, level, column)
    write(
        session,
        CHECK_LEVELS,
        changed.to_json(),
        actor,
        check=check_id,
        level=level or "default",
        column=column or "every column",
    )
    return changed
