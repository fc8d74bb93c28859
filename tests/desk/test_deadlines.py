"""Due dates as the desk shows them: the 2026 National Day and its make-up Saturday, New Year 2027
with and without a loaded schedule, and a major notice's 4 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.clock import OFFICE_TIME_ZONE, as_utc
from core.settings import Settings
from desk.queue_view import Filters, queue_page
from pipeline.schedules import office_calendar
from store.db import transaction
from store.models import NoticeVersion
from tests.desk.conftest import ADMIN, REVIEWER
from tests.notices import write_notice
from tests.pipeline.steps import queue

SCHEDULE_2027 = Path(__file__).resolve().parent.parent / "content" / "data" / "2027.yaml"
MAJOR = {"urgency": "major", "approval.leader": "分管领导戊"}


def _queue(settings: Settings, tmp_path: Path, name: str, **changes: Any) -> None:
    queue(settings, write_notice(tmp_path / f"{name}.md", title=f"通知{name}", **changes))


def _row(client: Any, title: str) -> str:
    page = client.get("/queue", params={"q": title}).text
    start = page.index("<tbody>")
    return page[start : page.index("</tbody>")]


def test_across_the_2026_national_day_with_its_make_up_saturday(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    # Formed Fri 18 Sep 2026: the holidays of 25 Sep - 7 Oct do not count, the make-up days
    # Sun 20 Sep and Sat 10 Oct do; weekends only would give 16 Oct.
    _queue(
        settings, tmp_path, "国庆", formed_on="2026-09-18", **{"approval.approved_on": "2026-09-18"}
    )
    row = _row(desk(REVIEWER), "通知国庆")
    assert "2026-10-22" in row and "estimated" not in row
    assert "overdue" in row  # it is past due today and nothing is published


def test_across_new_year_2027_without_a_schedule_counts_weekends_and_says_so(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    _queue(
        settings, tmp_path, "元旦", formed_on="2026-12-15", **{"approval.approved_on": "2026-12-15"}
    )
    client = desk(REVIEWER)
    row = _row(client, "通知元旦")
    assert "2027-01-12" in row
    assert "2027 holiday schedule not loaded: weekends only" in row
    review = client.get("/notices/1").text
    assert "2027-01-12 (estimated)" in review and "weekends only" in review


def test_across_new_year_2027_with_the_schedule_loaded_on_the_admin_page(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    _queue(
        settings, tmp_path, "元旦", formed_on="2026-12-15", **{"approval.approved_on": "2026-12-15"}
    )
    upload = desk(ADMIN).post(
        "/admin/holidays",
        files={"file": ("2027.yaml", SCHEDULE_2027.read_bytes(), "application/yaml")},
    )
    assert upload.status_code == 200
    row = _row(desk(REVIEWER), "通知元旦")
    assert "2027-01-13" in row and "weekends only" not in row


def test_a_date_deep_in_2027_never_crashes(desk: Any, settings: Settings, tmp_path: Path) -> None:
    _queue(
        settings, tmp_path, "明年", formed_on="2027-12-20", **{"approval.approved_on": "2027-12-20"}
    )
    row = _row(desk(REVIEWER), "通知明年")
    # Weekends only: 21-24 Dec (4), 27-31 Dec (9), 3-7 Jan (14), 10-14 Jan (19), Mon 17 Jan (20).
    assert "2028-01-17" in row
    assert "2027 and 2028 holiday schedules not loaded: weekends only" in row


def test_a_major_notice_is_due_4_hours_after_queueing_and_goes_first(
    desk: Any, settings: Settings, tmp_path: Path
) -> None:
    _queue(settings, tmp_path, "普通")
    _queue(settings, tmp_path, "重大", **MAJOR)
    with transaction(settings.resolved_database_url) as session:
        queued_at = session.scalars(
            select(NoticeVersion.queued_at).where(NoticeVersion.urgency == "major")
        ).one()
    due = (as_utc(queued_at) + timedelta(hours=4)).astimezone(OFFICE_TIME_ZONE)
    page = desk(REVIEWER).get("/queue").text
    assert page.index("通知重大") < page.index("通知普通")
    assert due.strftime("%Y-%m-%d %H:%M") in page and "major · 4 h" in page


def test_at_risk_and_overdue_for_a_major_notice(settings: Settings, tmp_path: Path) -> None:
    _queue(settings, tmp_path, "重大", **MAJOR)
    with transaction(settings.resolved_database_url) as session:
        queued_at = as_utc(session.scalars(select(NoticeVersion.queued_at)).one())
        calendar = office_calendar(settings, session)

        def row(after: timedelta) -> Any:
            [found] = queue_page(session, calendar, Filters(), {}, queued_at + after).rows
            return found

        assert (row(timedelta(hours=1)).at_risk, row(timedelta(hours=1)).overdue) == (False, False)
        assert (
            row(timedelta(hours=3, minutes=30)).at_risk,
            row(timedelta(hours=3, minutes=30)).overdue,
        ) == (True, False)
        assert (
            row(timedelta(hours=4, minutes=1)).at_risk,
            row(timedelta(hours=4, minutes=1)).overdue,
        ) == (False, True)


def test_at_risk_for_a_normal_notice_two_working_days_ahead(
    settings: Settings, tmp_path: Path
) -> None:
    # Formed Fri 18 Sep 2026, due Thu 22 Oct: at risk from Tue 20 Oct (two working days left).
    _queue(
        settings, tmp_path, "国庆", formed_on="2026-09-18", **{"approval.approved_on": "2026-09-18"}
    )
    with transaction(settings.resolved_database_url) as session:
        calendar = office_calendar(settings, session)

        def flags(day: datetime) -> tuple[bool, bool]:
            [found] = queue_page(session, calendar, Filters(), {}, day).rows
            return found.at_risk, found.overdue

        assert flags(datetime(2026, 10, 16, 2, tzinfo=UTC)) == (False, False)
        assert flags(datetime(2026, 10, 20, 2, tzinfo=UTC)) == (True, False)
        assert flags(datetime(2026, 10, 23, 2, tzinfo=UTC)) == (False, True)
