"""A value stored before intake checked it (a formed_on of 9999-12-31) fails no page for others."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import update

from content.calendar import WorkingCalendar
from core.settings import Settings
from desk.queue_view import Filters, queue_page
from pipeline.status import notice_statuses
from store.db import transaction
from store.models import NoticeVersion
from tests.notices import write_notice
from tests.pipeline.steps import queue


def test_a_far_formed_on_in_the_database_leaves_status_and_queue_working(
    settings: Settings, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    queue(settings, write_notice(tmp_path / "a.md", id="far"))
    queue(settings, write_notice(tmp_path / "b.md", id="near", title="另一份通知"))
    with transaction(url) as session:
        session.execute(
            update(NoticeVersion).where(NoticeVersion.id == 1).values(formed_on=date(9999, 12, 31))
        )
    with transaction(url) as session:
        statuses = notice_statuses(session, WorkingCalendar())
        page = queue_page(session, WorkingCalendar(), Filters(), {}, datetime.now(UTC))
    far = next(s for s in statuses if s.notice_id == 1)
    assert far.due_warning and "out of the calendar's range" in far.due_warning
    assert len(statuses) == 2 and len(page.rows) == 2
