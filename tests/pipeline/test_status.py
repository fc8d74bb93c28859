"""Status without Prefect: due dates on the working calendar, overdue notices, and each notice's history."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from content.calendar import WorkingCalendar, YearSchedule
from core.clock import as_utc
from core.settings import Settings
from pipeline import review
from pipeline.drafting import EngineChain
from pipeline.status import NoticeStatus, notice_statuses
from store.db import transaction
from store.models import NoticeVersion
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, REVIEWER, approve, draft, publish, queue

MAJOR = {"urgency": "major", "approval.leader": "分管领导戊"}
WITH_2027 = WorkingCalendar(
    [YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset(), "test 2027 schedule")]
)


def status(url: str, calendar: WorkingCalendar | None = None, **options: object) -> NoticeStatus:
    """The status of the only (or the given) notice."""
    with transaction(url) as session:
        [found] = notice_statuses(session, calendar or WorkingCalendar(), **options)  # type: ignore[arg-type]
    return found


def queued_at(url: str, version_id: int) -> datetime:
    """When a version was queued, as the database gives it back (naive on SQLite, aware on PostgreSQL)."""
    with transaction(url) as session:
        return session.get_one(NoticeVersion, version_id).queued_at


@pytest.fixture
def beijing_time() -> Iterator[None]:
    """The process runs on China Standard Time (UTC+8), as the office's machines do."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


DEADLINES = [
    # (formed_on, calendar, due, estimated, words of the warning)
    pytest.param(date(2026, 9, 18), None, "2026-10-22", False, None, id="across-national-day-2026"),
    pytest.param(
        date(2026, 12, 24),
        None,
        "2027-01-21",
        True,
        ["2027", "waiwen calendar load"],
        id="2027-not-loaded",
    ),
    pytest.param(date(2026, 12, 24), WITH_2027, "2027-01-22", False, None, id="2027-loaded"),
]


@pytest.mark.parametrize(("formed_on", "calendar", "due", "estimated", "warning"), DEADLINES)
def test_a_normal_notice_is_due_20_working_days_after_it_was_formed(
    settings: Settings,
    url: str,
    tmp_path: Path,
    formed_on: date,
    calendar: WorkingCalendar | None,
    due: str,
    estimated: bool,
    warning: list[str] | None,
) -> None:
    queue(
        settings,
        write_notice(
            tmp_path / "notice.md", formed_on=formed_on, **{"approval.approved_on": formed_on}
        ),
    )

    found = status(url, calendar)

    assert (found.formed_on, found.urgency, found.due, found.due_estimated) == (
        formed_on.isoformat(),
        "normal",
        due,
        estimated,
    )
    if warning is None:
        assert found.due_warning is None
    else:
        assert found.due_warning is not None and all(word in found.due_warning for word in warning)


def test_a_major_notice_is_due_four_hours_after_it_was_queued(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    # Formed long ago: the 20-working-day rule would make it overdue; the 4-hour rule does not.
    version_id = queue(settings, write_notice(tmp_path / "notice.md", **MAJOR)).version_id
    at = queued_at(url, version_id)

    found = status(url, now=at + timedelta(hours=3, minutes=59))

    assert (
        found.urgency,
        datetime.fromisoformat(found.due),
        found.due_estimated,
        found.due_warning,
    ) == (
        "major",
        as_utc(at) + timedelta(hours=4),
        False,
        None,
    )
    assert found.due.endswith("+08:00")  # shown in the office's time
    assert found.overdue is False
    assert status(url, now=at + timedelta(hours=4, seconds=1)).overdue is True


SHANGHAI = ZoneInfo("Asia/Shanghai")
OVERDUE = [
    # (now, overdue) for a notice formed on Monday 2025-03-03, due Monday 2025-03-31 (Shanghai);
    # a naive `now` is UTC, as everything waiwen stores.
    (datetime(2025, 3, 20, 12, 0), False),
    (datetime(2025, 3, 31, 23, 59, tzinfo=SHANGHAI), False),
    (datetime(2025, 4, 1, 0, 0, 1, tzinfo=SHANGHAI), True),
    (datetime(2025, 3, 31, 15, 59), False),
    (datetime(2025, 3, 31, 16, 0, 1), True),
    (datetime(2025, 3, 31, 12, 0, tzinfo=UTC), False),
    (datetime(2026, 1, 1, tzinfo=UTC), True),
]


@pytest.mark.parametrize(("now", "overdue"), OVERDUE, ids=str)
def test_an_unpublished_notice_is_overdue_after_its_due_date(
    settings: Settings, url: str, tmp_path: Path, now: datetime, overdue: bool
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, NO_ENGINES)

    found = status(url, now=now)

    assert (found.due, found.overdue) == ("2025-03-31", overdue)


def test_a_published_notice_is_never_overdue(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, chain)
    for language in ("en", "ja", "fr", "ko"):
        approve(url, "1", language)
    late = datetime(2030, 1, 1, tzinfo=UTC)
    assert status(url, now=late).overdue is True  # approved but not yet published

    publish(url, version_id, Path(settings.site_dir))

    found = status(url, now=late)
    assert [(lang.language, lang.state) for lang in found.languages] == [
        (lang, "published") for lang in ("zh", "en", "ja", "fr", "ko")
    ]
    assert found.overdue is False


def test_history_lists_the_audit_entries_in_order(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    queue(settings, write_notice(tmp_path / "other.md", title="市政府外办召开外国媒体吹风会"))
    draft(url, version_id, NO_ENGINES)
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", 0, "Consular briefing", REVIEWER)
        review.reject(session, "1", "ja", REVIEWER, "Nothing is translated yet.")

    with transaction(url) as session:
        first, second = sorted(
            notice_statuses(session, WorkingCalendar(), history=True), key=lambda s: s.notice_id
        )
        [quiet] = notice_statuses(session, WorkingCalendar(), notice_id=1)

    assert [(e["actor"], e["action"], e["language"]) for e in first.history] == [
        ("编辑甲", "queued", None),
        ("waiwen", "segmented", None),
        ("waiwen", "drafted", "en"),
        ("waiwen", "drafted", "fr"),
        ("waiwen", "drafted", "ja"),
        ("waiwen", "drafted", "ko"),
        ("waiwen", "awaiting review", None),
        (REVIEWER, "edited", "en"),
        (REVIEWER, "rejected", "ja"),
    ]
    assert {e["version_id"] for e in first.history} == {version_id}
    assert first.history[-1]["detail"] == {"comment": "Nothing is translated yet."}
    assert [e["at"] for e in first.history] == sorted(e["at"] for e in first.history)
    assert [e["action"] for e in second.history] == ["queued"]
    assert quiet.history == []


def _sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def test_a_major_notice_just_queued_is_not_overdue_on_china_time(
    settings: Settings, url: str, tmp_path: Path, beijing_time: None
) -> None:
    queue(settings, write_notice(tmp_path / "notice.md", **MAJOR))

    assert status(url).overdue is False  # `waiwen status` passes no `now`


def test_an_aware_now_is_read_in_the_office_time_zone(
    settings: Settings, url: str, tmp_path: Path, beijing_time: None
) -> None:
    queue(settings, write_notice(tmp_path / "notice.md"))

    found = status(url, now=datetime(2025, 3, 31, 20, 0, tzinfo=UTC))

    assert (found.due, found.overdue) == ("2025-03-31", True)
