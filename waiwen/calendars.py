"""The office's working-day calendar: the calendar package plus schedule files for newer years."""

from __future__ import annotations

from review.calendar import WorkingCalendar, load_schedule
from waiwen.settings import Settings


def office_calendar(settings: Settings) -> WorkingCalendar:
    """Calendar with every schedule file named in WAIWEN_HOLIDAY_FILES loaded."""
    return WorkingCalendar(load_schedule(path) for path in settings.holiday_files)
