"""Holiday schedules an admin loads for years the calendar package does not know yet."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from content.calendar import WorkingCalendar, YearSchedule, load_schedule
from core.settings import Settings
from pipeline.office_settings import HOLIDAY_SCHEDULE, holiday_schedules, write


def store_schedule(session: Session, schedule: YearSchedule, actor: str) -> None:
    """Keep a year's schedule in the database; a newer upload for the same year replaces it."""
    write(
        session,
        f"{HOLIDAY_SCHEDULE}{schedule.year}",
        {
            "year": schedule.year,
            "holidays": sorted(day.isoformat() for day in schedule.holidays),
            "workdays": sorted(day.isoformat() for day in schedule.workdays),
            "source": schedule.source,
        },
        actor,
    )


def stored_schedules(session: Session) -> list[YearSchedule]:
    return [
        YearSchedule(
            value["year"],
            frozenset(date.fromisoformat(day) for day in value["holidays"]),
            frozenset(date.fromisoformat(day) for day in value["workdays"]),
            value["source"],
        )
        for value in holiday_schedules(session)
    ]


def office_calendar(settings: Settings, session: Session | None = None) -> WorkingCalendar:
    """Working days from WAIWEN_HOLIDAY_FILES, then from schedules loaded into the database.

    A year named in a file wins over an upload for the same year: the deployment's files are
    what an operator set on purpose.
    """
    files = [load_schedule(path) for path in settings.holiday_files]
    years = {schedule.year for schedule in files}
    stored = stored_schedules(session) if session is not None else []
    return WorkingCalendar([*files, *(s for s in stored if s.year not in years)])
