"""Working days and deadlines, hand-checked against the 2026 State Council schedule."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from content.calendar import (
    CHINESE_CALENDAR,
    Deadline,
    ScheduleError,
    WorkingCalendar,
    YearSchedule,
    disclosure_deadline,
    load_schedule,
    major_deadline,
)

DATA = Path(__file__).parent / "data"
SCHEDULE_2027 = DATA / "2027.yaml"

# 2026 per chinese_calendar 1.11.0 (State Council notice for 2026):
# Mid-Autumn Fri 25 – Sun 27 Sep off; National Day Thu 1 – Wed 7 Oct off;
# make-up working days Sun 20 Sep and Sat 10 Oct.


@pytest.fixture
def calendar() -> WorkingCalendar:
    """A calendar with no loaded files: chinese_calendar only."""
    return WorkingCalendar()


@pytest.fixture
def calendar_2027() -> WorkingCalendar:
    """A calendar with the made-up 2027 schedule loaded."""
    return WorkingCalendar([load_schedule(SCHEDULE_2027)])


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a schedule file for one test."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the 2026 schedule as the package gives it ----------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 19), False),  # Saturday
        (date(2026, 9, 20), True),  # Sunday, make-up working day for National Day
        (date(2026, 9, 25), False),  # Friday, Mid-Autumn Festival
        (date(2026, 10, 1), False),  # Thursday, National Day
        (date(2026, 10, 7), False),  # Wednesday, last day of the holiday
        (date(2026, 10, 8), True),  # Thursday, back at work
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),  # Sunday
    ],
)
def test_2026_national_day_schedule(calendar: WorkingCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_disclosure_across_2026_national_day(calendar: WorkingCalendar) -> None:
    # Formed Fri 18 Sep. Counting: Sun 20 Sep (1, make-up), 21–24 (5), 25–27 off,
    # 28–30 (8), 1–7 Oct off, 8–9 (10), Sat 10 Oct (11, make-up), 12–16 (16),
    # 19–22 (20). Weekends only would have given Fri 16 Oct.
    deadline = disclosure_deadline(date(2026, 9, 18), calendar)
    assert deadline == Deadline(due=date(2026, 10, 22), estimated=False, warning=None)


def test_make_up_days_count_one_by_one(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 9, 30), 1).due == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 10, 9), 1).due == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 9, 18), 1).due == date(2026, 9, 20)
    # Formed on the first day of the holiday: start is not counted either way.
    assert calendar.add_working_days(date(2026, 10, 1), 3).due == date(2026, 10, 10)


def test_plain_weekday_range(calendar: WorkingCalendar) -> None:
    # Mon 9 Mar 2026: 10–13 (4), 16–20 (9), 23–27 (14), 30 Mar – 3 Apr (19);
    # Sat 4 – Mon 6 Apr is Qingming, so the 20th working day is Tue 7 Apr.
    deadline = disclosure_deadline(date(2026, 3, 9), calendar)
    assert deadline.due == date(2026, 4, 7)
    assert not deadline.estimated
    # A range with no holiday at all: Mon 2 Nov 2026 + 10 = Mon 16 Nov.
    assert calendar.add_working_days(date(2026, 11, 2), 10) == Deadline(date(2026, 11, 16))


def test_zero_days_is_start_and_negative_is_refused(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(date(2026, 10, 3), 0).due == date(2026, 10, 3)
    with pytest.raises(ValueError, match="0 or more"):
        calendar.add_working_days(date(2026, 10, 3), -1)


def test_datetime_start_gives_a_date(calendar: WorkingCalendar) -> None:
    deadline = calendar.add_working_days(datetime(2026, 9, 30, 17, 45), 1)
    assert deadline.due == date(2026, 10, 8)
    assert type(deadline.due) is date


# -- years no schedule knows ------------------------------------------------------------


def test_knows(calendar: WorkingCalendar, calendar_2027: WorkingCalendar) -> None:
    assert calendar.knows(2026)
    assert calendar.knows(2004)
    assert not calendar.knows(2027)
    assert not calendar.knows(2003)
    assert calendar_2027.knows(2027)
    assert calendar.source(2026) == CHINESE_CALENDAR
    assert calendar_2027.source(2027) == str(SCHEDULE_2027)
    assert calendar.source(2027) is None


def test_unknown_year_never_raises(calendar: WorkingCalendar) -> None:
    assert calendar.is_working_day(date(2027, 1, 1)) is True  # Friday, weekends only
    assert calendar.is_working_day(date(2027, 1, 2)) is False  # Saturday
    assert calendar.is_working_day(date(2031, 6, 2)) is True
    assert calendar.is_working_day(date(1999, 10, 1)) is True


def test_across_new_year_2027_without_schedule(calendar: WorkingCalendar) -> None:
    # Formed Tue 15 Dec 2026: 16–18 (3), 21–25 (8), 28–31 (12), then 2027 by
    # weekends only: Fri 1 Jan (13), 4–8 (18), 11–12 (20).
    deadline = disclosure_deadline(date(2026, 12, 15), calendar)
    assert deadline.due == date(2027, 1, 12)
    assert deadline.estimated is True
    assert deadline.warning == (
        "2027 holiday schedule not loaded: weekends only; "
        "load the State Council schedule on the desk's Admin page or with `waiwen calendar load FILE`"
    )


def test_across_new_year_2027_with_schedule(calendar_2027: WorkingCalendar) -> None:
    # The loaded file makes Fri 1 Jan a holiday: 28–31 (12), 4–8 (17), 11–13 (20).
    deadline = disclosure_deadline(date(2026, 12, 15), calendar_2027)
    assert deadline == Deadline(due=date(2027, 1, 13), estimated=False, warning=None)


def test_range_inside_known_year_is_not_estimated(calendar: WorkingCalendar) -> None:
    # Ends Thu 31 Dec 2026: the unknown year is never entered.
    deadline = calendar.add_working_days(date(2026, 12, 15), 12)
    assert deadline == Deadline(due=date(2026, 12, 31))


def test_warning_names_every_unknown_year(calendar_2027: WorkingCalendar) -> None:
    deadline = calendar_2027.add_working_days(date(2027, 12, 1), 600)
    assert deadline.estimated
    assert deadline.warning is not None
    assert deadline.warning.startswith("2028, 2029 and 2030 holiday schedules not loaded")


def test_loaded_2027_make_up_days(calendar_2027: WorkingCalendar) -> None:
    assert calendar_2027.is_working_day(date(2027, 2, 14)) is True  # Sunday make-up
    assert calendar_2027.is_working_day(date(2027, 2, 8)) is False  # Monday, Spring Festival
    assert calendar_2027.is_working_day(date(2027, 2, 15)) is True  # plain Monday
    # Thu 4 Feb + 2: Fri 5 – Sat 13 off, Sun 14 make-up (1), Mon 15 (2).
    assert calendar_2027.add_working_days(date(2027, 2, 4), 2).due == date(2027, 2, 15)


def test_loaded_schedule_overrides_package() -> None:
    # An office file for a year the package knows wins: here a made-up extra day off.
    override = YearSchedule(
        year=2026,
        holidays=frozenset({date(2026, 11, 2)}),
        workdays=frozenset(),
        source="override.yaml",
    )
    calendar = WorkingCalendar([override])
    assert calendar.is_working_day(date(2026, 11, 2)) is False
    assert calendar.is_working_day(date(2026, 10, 1)) is True  # the file does not list it
    assert calendar.source(2026) == "override.yaml"


def test_two_different_schedules_for_one_year(tmp_path: Path) -> None:
    other = write(tmp_path, "2027-other.yaml", "year: 2027\nholidays: [2027-01-01]\n")
    first = load_schedule(SCHEDULE_2027)
    with pytest.raises(ScheduleError, match="already loaded from .*2027.yaml"):
        WorkingCalendar([first, load_schedule(other)])
    # The same schedule twice is harmless.
    assert WorkingCalendar([first, load_schedule(SCHEDULE_2027)]).knows(2027)


def test_from_files() -> None:
    calendar = WorkingCalendar.from_files([SCHEDULE_2027])
    assert [s.year for s in calendar.schedules] == [2027]


# -- 4-hour lane --------------------------------------------------------------------------


def test_major_deadline_is_wall_clock() -> None:
    # Queued at 22:30 on the eve of National Day: due 02:30 on a holiday, no skipping.
    queued = datetime(2026, 9, 30, 22, 30, tzinfo=timezone(timedelta(hours=8)))
    deadline = major_deadline(queued)
    assert deadline == Deadline(
        due=datetime(2026, 10, 1, 2, 30, tzinfo=timezone(timedelta(hours=8))),
        estimated=False,
        warning=None,
    )
    assert major_deadline(datetime(2027, 1, 1, 9, 0), hours=24).due == datetime(2027, 1, 2, 9, 0)


def test_major_deadline_refuses_negative_hours() -> None:
    with pytest.raises(ValueError):
        major_deadline(datetime(2026, 1, 5, 9, 0), hours=-1)


# -- schedule files -----------------------------------------------------------------------


def test_load_yaml_fixture() -> None:
    schedule = load_schedule(SCHEDULE_2027)
    assert schedule.year == 2027
    assert schedule.source == str(SCHEDULE_2027)
    assert date(2027, 1, 1) in schedule.holidays
    assert len(schedule.holidays) == 29
    assert schedule.workdays == frozenset(
        {
            date(2027, 2, 14),
            date(2027, 2, 20),
            date(2027, 4, 25),
            date(2027, 5, 8),
            date(2027, 9, 26),
            date(2027, 10, 9),
        }
    )


def test_load_yaml_quoted_dates_and_no_workdays(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yml", 'year: 2027\nholidays: ["2027-01-01"]\nworkdays:\n')
    schedule = load_schedule(path)
    assert schedule.holidays == frozenset({date(2027, 1, 1)})
    assert schedule.workdays == frozenset()


def test_load_csv(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "2027.csv",
        "\ufeffdate,kind\n"  # a BOM, as spreadsheets write it
        "# New Year's Day\n"
        "2027-01-01,holiday\n"
        "2027-01-02, holiday\n"
        "\n"
        "2027-02-14,Workday\n"
        "2027-02-08,holiday\n",
    )
    schedule = load_schedule(path)
    assert schedule.year == 2027
    assert schedule.holidays == frozenset({date(2027, 1, 1), date(2027, 1, 2), date(2027, 2, 8)})
    assert schedule.workdays == frozenset({date(2027, 2, 14)})
    calendar = WorkingCalendar([schedule])
    assert calendar.add_working_days(date(2026, 12, 31), 1).due == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("name", "text", "where", "rule"),
    [
        (
            "outside.yaml",
            "year: 2027\nholidays:\n  - 2027-01-01\n  - 2028-01-01\n",
            "line 4",
            "2028-01-01 is not in 2027",
        ),
        (
            "both.yaml",
            "year: 2027\nholidays: [2027-02-13]\nworkdays: [2027-02-13]\n",
            "line 3",
            "listed as workday here and as holiday on line 2; a date can be only one",
        ),
        (
            "bad.yaml",
            "year: 2027\nholidays:\n  - 2027-01-01\n  - 2027-02-30\n",
            "line 4, holidays",
            "'2027-02-30' is not a real date",
        ),
        (
            "format.yaml",
            "year: 2027\nholidays: [1 Jan 2027]\n",
            "line 2, holidays",
            "write dates as YYYY-MM-DD",
        ),
        (
            "weekday.yaml",
            "year: 2027\nholidays: [2027-01-01]\nworkdays: [2027-02-15]\n",
            "line 3",
            "2027-02-15 is a Monday; make-up working days (调休) fall on a Saturday or Sunday",
        ),
        (
            "noyear.yaml",
            "holidays: [2027-01-01]\n",
            "year",
            "missing key",
        ),
        (
            "badyear.yaml",
            "year: twenty\nholidays: [2027-01-01]\n",
            "line 1, year",
            "is not a year",
        ),
        (
            "typo.yaml",
            "year: 2027\nholiday: [2027-01-01]\n",
            "line 2",
            "unknown key 'holiday'",
        ),
        (
            "syntax.yaml",
            "year: 2027\nholidays: [2027-01-01\n",
            "line 3",
            "not valid YAML",
        ),
        (
            "outside.csv",
            "date,kind\n2027-01-01,holiday\n2026-12-31,holiday\n",
            "line 3",
            "2026-12-31 is not in 2027 (the year of line 2)",
        ),
        (
            "both.csv",
            "date,kind\n2027-02-13,holiday\n2027-02-13,workday\n",
            "line 3",
            "listed as workday here and as holiday on line 2",
        ),
        (
            "bad.csv",
            "date,kind\n2027-01-01,holiday\n2027-13-01,holiday\n",
            "line 3, date",
            "'2027-13-01' is not a real date",
        ),
        (
            "kind.csv",
            "date,kind\n2027-01-01,day off\n",
            "line 2, kind",
            "neither holiday nor workday",
        ),
        (
            "header.csv",
            "day,type\n2027-01-01,holiday\n",
            "line 1",
            "expected `date,kind`",
        ),
        ("empty.csv", "date,kind\n", "", "no holidays listed"),
        ("schedule.txt", "2027-01-01\n", "", "name the file *.yaml, *.yml or *.csv"),
    ],
)
def test_schedule_errors_name_file_place_and_rule(
    tmp_path: Path, name: str, text: str, where: str, rule: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert where in message
    assert rule in message
    assert isinstance(caught.value, ValueError)


def test_missing_file_is_a_schedule_error(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError, match="cannot read the file"):
        load_schedule(tmp_path / "2027.yaml")


def test_year_schedule_checks_rules_when_built_in_code() -> None:
    with pytest.raises(ScheduleError, match="db, holidays: 2028-01-01 is not in 2027"):
        YearSchedule(2027, frozenset({date(2028, 1, 1)}), frozenset(), source="db")
    with pytest.raises(ScheduleError, match="both as holiday and as workday"):
        YearSchedule(2027, frozenset({date(2027, 2, 13)}), frozenset({date(2027, 2, 13)}), "db")


@pytest.mark.parametrize(
    ("day", "index"),
    [
        (date(2026, 1, 1), None),  # New Year's Day
        (date(2026, 1, 3), None),  # still the New Year holiday
        (date(2026, 1, 4), 1),  # Sunday made a workday: the first working day of 2026
        (date(2026, 1, 5), 2),
        (date(2026, 1, 6), 3),
        (date(2026, 1, 10), None),  # Saturday
        (date(2026, 10, 8), 1),  # back at work after National Day (Oct 1-7 off)
        (date(2026, 10, 10), 3),  # the make-up Saturday is October's third working day
    ],
)
def test_working_day_of_the_month(calendar: WorkingCalendar, day: date, index: int | None) -> None:
    """The yearly report's schedule runs on the first working days of January."""
    assert calendar.working_day_of_month(day) == index
