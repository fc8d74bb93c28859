"""Time as the office reads it: stored in UTC, deadlines and page dates in Shanghai time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

OFFICE_TIME_ZONE = ZoneInfo("Asia/Shanghai")


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; SQLite hands back naive values, which waiwen always wrote in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def office_date(moment: datetime) -> date:
    """The calendar day in Shanghai of a stored moment."""
    return as_utc(moment).astimezone(OFFICE_TIME_ZONE).date()


def office_today() -> date:
    """Today in Shanghai."""
    return datetime.now(OFFICE_TIME_ZONE).date()


def end_of_office_day(day: date) -> datetime:
    """The last moment of ``day`` in Shanghai: a due date is met until then."""
    return datetime.combine(day, time.max, tzinfo=OFFICE_TIME_ZONE)
