"""Chinese working days and the publication deadlines computed from them."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import yaml

from content.safe_yaml import BoundedLoader, YamlRefused

__all__ = [
    "CHINESE_CALENDAR",
    "Deadline",
    "ScheduleError",
    "WorkingCalendar",
    "YearSchedule",
    "disclosure_deadline",
    "load_schedule",
    "parse_schedule",
    "major_deadline",
]

CHINESE_CALENDAR = "chinese_calendar"
"""The `source` of a schedule that comes from the chinesecalendar package."""

LOAD_HINT = (
    "load the State Council schedule on the desk's Admin page or with `waiwen calendar load FILE`"
)

# Strict ISO form only: `date.fromisoformat` in 3.11 also accepts "20270101" and
# week dates, which in a hand-kept file are more likely typos than intent.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_KINDS = ("holiday", "workday")
_YAML_KEYS = ("year", "holidays", "workdays")


def _package_years() -> range:
    """Years the installed chinesecalendar package has State Council data for."""
    years = {day.year for day in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


_PACKAGE_YEARS = _package_years()


class ScheduleError(ValueError):
    """A holiday schedule that breaks a rule; names the file, the line or field, and the rule."""

    def __init__(
        self,
        source: str | Path,
        rule: str,
        *,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.source = str(source)
        self.rule = rule
        self.line = line
        self.field = field
        where = self.source
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", {field}"
        super().__init__(f"{where}: {rule}")


@dataclass(frozen=True)
class YearSchedule:
    """The State Council holiday schedule of one year: days off and make-up working days (调休)."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        # Schedules can also be built in code (tests, a database row), so the
        # rules hold here too, not only in load_schedule.
        for kind, days in (("holidays", self.holidays), ("workdays", self.workdays)):
            for day in sorted(days):
                if day.year != self.year:
                    raise ScheduleError(
                        self.source,
                        f"{day.isoformat()} is not in {self.year}; a schedule covers exactly one year",
                        field=kind,
                    )
        both = sorted(self.holidays & self.workdays)
        if both:
            listed = ", ".join(day.isoformat() for day in both)
            raise ScheduleError(
                self.source,
                f"{listed} listed both as holiday and as workday; a date can be only one",
            )

    def is_working_day(self, day: date) -> bool:
        """Whether `day` (in this schedule's year) is a working day."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


@dataclass(frozen=True)
class Deadline:
    """A computed due date or time, flagged when part of it rests on the weekends-only guess."""

    due: date | datetime
    estimated: bool = False
    warning: str | None = None


@dataclass
class _Entries:
    """Dates collected from a schedule file, with the line each came from."""

    holidays: dict[date, int] = field(default_factory=dict)
    workdays: dict[date, int] = field(default_factory=dict)

    def add(self, source: str, kind: str, day: date, line: int) -> None:
        """Record one date, refusing a date that is already listed as the other kind."""
        mine, other = (
            (self.holidays, self.workdays) if kind == "holiday" else (self.workdays, self.holidays)
        )
        if day in other:
            raise ScheduleError(
                source,
                f"{day.isoformat()} is listed as {kind} here and as "
                f"{'workday' if kind == 'holiday' else 'holiday'} on line {other[day]}; "
                f"a date can be only one",
                line=line,
            )
        # A repeated date of the same kind is harmless; keep the first line for messages.
        mine.setdefault(day, line)


def _parse_date(source: str, text: str, *, line: int | None, field: str | None) -> date:
    """Parse a strict YYYY-MM-DD date or raise a ScheduleError that says where."""
    text = text.strip()
    if not _ISO_DATE.match(text):
        raise ScheduleError(
            source, f"{text!r} is not a date; write dates as YYYY-MM-DD", line=line, field=field
        )
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ScheduleError(
            source, f"{text!r} is not a real date ({exc})", line=line, field=field
        ) from None


def _check_in_year(source: str, day: date, year: int, *, line: int, why: str) -> None:
    """Refuse a date outside the schedule's year."""
    if day.year != year:
        raise ScheduleError(
            source,
            f"{day.isoformat()} is not in {year} ({why}); a schedule file covers exactly one year",
            line=line,
        )


def _check_workday_on_weekend(source: str, day: date, *, line: int) -> None:
    """Refuse a make-up working day on a weekday: it would change nothing, so it is a typo."""
    if day.weekday() < 5:
        raise ScheduleError(
            source,
            f"{day.isoformat()} is a {day.strftime('%A')}; make-up working days (调休) "
            f"fall on a Saturday or Sunday, check the date against the State Council notice",
            line=line,
        )


def _load_yaml(source: str, text: str) -> YearSchedule:
    """Read the YAML form: a mapping with year, holidays and workdays."""
    try:
        # compose, not safe_load: the node tree keeps line numbers, and an
        # impossible date such as 2027-02-30 would otherwise crash the loader
        # with no position at all.
        root = yaml.compose(text, Loader=BoundedLoader)
    except YamlRefused as refused:
        raise ScheduleError(source, refused.rule, line=refused.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScheduleError(source, f"not valid YAML: {problem}", line=line) from None
    if not isinstance(root, yaml.MappingNode):
        raise ScheduleError(
            source,
            "expected a mapping with keys year, holidays, workdays "
            "(e.g. `year: 2027`, `holidays: [2027-01-01]`, `workdays: []`)",
            line=root.start_mark.line + 1 if root is not None else None,
        )
    values: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key not in _YAML_KEYS:
            raise ScheduleError(
                source, f"unknown key {key!r}; expected year, holidays, workdays", line=line
            )
        if key in values:
            raise ScheduleError(source, f"key {key!r} appears twice", line=line)
        values[key] = value_node

    if "year" not in values:
        raise ScheduleError(source, "missing key; add `year: YYYY`", field="year")
    year_node = values["year"]
    year_text = str(year_node.value).strip() if isinstance(year_node, yaml.ScalarNode) else ""
    if not _YEAR.match(year_text):
        raise ScheduleError(
            source,
            f"{year_text or 'value'!r} is not a year; write four digits, e.g. `year: 2027`",
            line=year_node.start_mark.line + 1,
            field="year",
        )
    year = int(year_text)

    entries = _Entries()
    for key, kind in (("holidays", "holiday"), ("workdays", "workday")):
        node = values.get(key)
        if node is None:
            if key == "holidays":
                raise ScheduleError(
                    source,
                    "missing key; list the days off, e.g. `holidays: [2027-01-01]`",
                    field=key,
                )
            continue  # a year without make-up working days is possible
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            continue  # `workdays:` with nothing after it means none
        if not isinstance(node, yaml.SequenceNode):
            raise ScheduleError(
                source,
                "expected a list of dates, e.g. [2027-01-01, 2027-01-02]",
                line=node.start_mark.line + 1,
                field=key,
            )
        for item in node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.ScalarNode):
                raise ScheduleError(
                    source,
                    "expected a date YYYY-MM-DD, found a nested structure",
                    line=line,
                    field=key,
                )
            day = _parse_date(source, str(item.value), line=line, field=key)
            _check_in_year(source, day, year, line=line, why=f"year: {year}")
            if kind == "workday":
                _check_workday_on_weekend(source, day, line=line)
            entries.add(source, kind, day, line)
    if not entries.holidays:
        raise ScheduleError(
            source, "no holidays listed; a State Council schedule has some", field="holidays"
        )
    return YearSchedule(year, frozenset(entries.holidays), frozenset(entries.workdays), source)


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for rows that are neither blank nor `#` comments."""
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            continue
        yield reader.line_num, [cell.strip() for cell in cells]


def _load_csv(source: str, text: str) -> YearSchedule:
    """Read the CSV form: header `date,kind`, one row per date, kind holiday or workday."""
    rows = _csv_rows(text)
    header = next(rows, None)
    if header is None:
        raise ScheduleError(source, "empty file; expected the header `date,kind` and rows")
    line, cells = header
    if [cell.lower() for cell in cells] != ["date", "kind"]:
        raise ScheduleError(
            source, f"header is {','.join(cells)!r}; expected `date,kind`", line=line
        )
    entries = _Entries()
    year: int | None = None
    year_line = 0
    for line, cells in rows:
        if len(cells) != 2:
            raise ScheduleError(
                source, f"expected 2 cells (date,kind), found {len(cells)}", line=line
            )
        day = _parse_date(source, cells[0], line=line, field="date")
        kind = cells[1].lower()
        if kind not in _KINDS:
            raise ScheduleError(
                source,
                f"kind {cells[1]!r} is neither holiday nor workday",
                line=line,
                field="kind",
            )
        # The CSV form has no year field: the first date fixes it.
        if year is None:
            year, year_line = day.year, line
        _check_in_year(source, day, year, line=line, why=f"the year of line {year_line}")
        if kind == "workday":
            _check_workday_on_weekend(source, day, line=line)
        entries.add(source, kind, day, line)
    if year is None or not entries.holidays:
        raise ScheduleError(source, "no holidays listed; a State Council schedule has some")
    return YearSchedule(year, frozenset(entries.holidays), frozenset(entries.workdays), source)


def load_schedule(path: str | Path) -> YearSchedule:
    """Read an office-maintained holiday schedule from a YAML or CSV file."""
    path = Path(path)
    source = str(path)
    _check_suffix(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScheduleError(source, f"cannot read the file ({exc.strerror or exc})") from None
    return parse_schedule(source, data)


def _check_suffix(source: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise ScheduleError(source, "unknown format; name the file *.yaml, *.yml or *.csv")
    return suffix


def parse_schedule(source: str, data: bytes) -> YearSchedule:
    """A schedule from the bytes of a file named ``source`` (an upload, say); YAML or CSV by suffix."""
    suffix = _check_suffix(source)
    try:
        # utf-8-sig: spreadsheets exporting CSV on Windows prepend a BOM.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScheduleError(source, "not UTF-8 text; save the file as UTF-8") from None
    if suffix == ".csv":
        return _load_csv(source, text)
    return _load_yaml(source, text)


def _unknown_years_warning(years: Iterable[int]) -> str:
    """Plain-words warning for a deadline that used the weekends-only fallback."""
    ordered = sorted(set(years))
    if len(ordered) == 1:
        named = f"{ordered[0]} holiday schedule"
    else:
        named = ", ".join(str(y) for y in ordered[:-1]) + f" and {ordered[-1]} holiday schedules"
    return f"{named} not loaded: weekends only; {LOAD_HINT}"


class WorkingCalendar:
    """Working days per the State Council schedule: loaded files first, then chinesecalendar."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        """Use `schedules` for their years; they override chinesecalendar for those years."""
        self._schedules: dict[int, YearSchedule] = {}
        for schedule in schedules:
            known = self._schedules.get(schedule.year)
            # Two different files for one year leave no way to tell which is
            # right; refusing beats silently using whichever came last.
            if known is not None and (known.holidays, known.workdays) != (
                schedule.holidays,
                schedule.workdays,
            ):
                raise ScheduleError(
                    schedule.source,
                    f"a different {schedule.year} schedule is already loaded from "
                    f"{known.source}; keep one file per year",
                )
            self._schedules.setdefault(schedule.year, schedule)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> WorkingCalendar:
        """Build a calendar from schedule files (e.g. the `holiday_files` setting)."""
        return cls(load_schedule(path) for path in paths)

    @property
    def schedules(self) -> tuple[YearSchedule, ...]:
        """The loaded schedules, by year."""
        return tuple(self._schedules[year] for year in sorted(self._schedules))

    def source(self, year: int) -> str | None:
        """Where the schedule for `year` comes from, or None when only weekends are known."""
        if year in self._schedules:
            return self._schedules[year].source
        if year in _PACKAGE_YEARS:
            return CHINESE_CALENDAR
        return None

    def knows(self, year: int) -> bool:
        """Whether a State Council schedule for `year` is available."""
        return self.source(year) is not None

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day; weekends-only for years no schedule knows."""
        if isinstance(day, datetime):
            day = day.date()
        schedule = self._schedules.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        if day.year in _PACKAGE_YEARS:
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:
                # The package's range is read from its data; should a year in
                # it still be refused, the fallback below is the honest answer.
                pass
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> Deadline:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError(f"days must be 0 or more, got {days}")
        if isinstance(start, datetime):
            start = start.date()
        unknown: set[int] = set()
        day = start
        counted = 0
        while counted < days:
            if day >= date.max - timedelta(days=1):
                # Only a stored date far outside the intake's range gets here; its row shows this
                # instead of failing the page for every other notice.
                return Deadline(
                    due=date.max,
                    estimated=True,
                    warning=f"no due date: {start.isoformat()} is out of the calendar's range",
                )
            day += timedelta(days=1)
            if not self.knows(day.year):
                unknown.add(day.year)
            if self.is_working_day(day):
                counted += 1
        if not unknown:
            return Deadline(due=day)
        return Deadline(due=day, estimated=True, warning=_unknown_years_warning(unknown))

    def working_day_of_month(self, day: date) -> int | None:
        """Which working day of its month ``day`` is (1 for the first); None on a day off."""
        if not self.is_working_day(day):
            return None
        return sum(1 for d in range(1, day.day + 1) if self.is_working_day(day.replace(day=d)))


def disclosure_deadline(formed_on: date, calendar: WorkingCalendar, days: int = 20) -> Deadline:
    """Last day for proactive disclosure: `days` working days after the information is formed."""
    # Regulation §7.2: within 20 working days from the day the information is
    # formed or changed; as in Chinese administrative practice the first day
    # is not counted.
    return calendar.add_working_days(formed_on, days)


def major_deadline(queued_at: datetime, hours: int = 4) -> Deadline:
    """Due time for a major notice: `hours` of wall-clock time, holidays included."""
    # Regulation §7.1 item 13: authoritative information within 4 hours of a
    # major public-opinion event, whatever the day; so no calendar here.
    if hours < 0:
        raise ValueError(f"hours must be 0 or more, got {hours}")
    return Deadline(due=queued_at + timedelta(hours=hours))
