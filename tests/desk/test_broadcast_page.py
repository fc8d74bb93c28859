"""The desk shows where a notice's WeChat articles stand in the broadcast and takes an approver's go."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings, get_settings
from pipeline.broadcasts import send_due
from pipeline.office_settings import set_two_stage_columns
from store.db import transaction
from store.models import WeChatBroadcast
from tests.desk.conftest import APPROVER, REVIEWER
from tests.pipeline.test_wechat_broadcast import COLUMN, EVENING, put_on_wechat, queue_notices
from tests.standins.wechat import WeChatStandIn


@pytest.fixture
def settings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, wechat: WeChatStandIn
) -> Iterator[Settings]:
    """The test's settings with the WeChat account on the stand-in and one broadcast column."""
    for name, value in {
        "WAIWEN_WECHAT_APPID": wechat.appid,
        "WAIWEN_WECHAT_SECRET": wechat.secret,
        "WAIWEN_WECHAT_BASE_URL": wechat.url,
        "WAIWEN_WECHAT_BROADCAST_COLUMNS": COLUMN,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_a_two_stage_send_waits_on_the_desk_until_an_approver_gives_the_go(
    desk: Any, settings: Settings, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    url = settings.resolved_database_url
    put_on_wechat(url, wechat, queue_notices(settings, tmp_path, 1))
    with transaction(url) as session:
        set_two_stage_columns(session, [COLUMN], "管理员")
    row = send_due(settings, now=EVENING)
    assert row is not None and row.state == "drafted" and not wechat.pushed()

    reviewer_page = desk(REVIEWER).get("/notices/1").text
    assert "in broadcast 1 (drafted), position 1" in reviewer_page
    assert "waits for an approver&#39;s go" in reviewer_page
    assert "Give the go" not in reviewer_page  # a reviewer cannot give it
    refused = desk(REVIEWER).post("/wechat/broadcasts/1/go", {"back": "/notices/1"})
    assert refused.status_code == 403

    approver = desk(APPROVER)
    assert "Give the go for broadcast 1" in approver.get("/notices/1").text
    given = approver.post("/wechat/broadcasts/1/go", {"back": "/notices/1"}, follow_redirects=False)
    assert given.status_code == 303 and given.headers["location"] == "/notices/1"
    with transaction(url) as session:
        assert session.scalars(select(WeChatBroadcast.go_by)).one() == APPROVER
    assert send_due(settings, now=EVENING).state == "done"  # type: ignore[union-attr]
    assert len(wechat.pushed()) == 1
    assert "broadcast 1, position 1 (done" in desk(REVIEWER).get("/notices/1").text
