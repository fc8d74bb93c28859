"""The WeChat channel keeps the publisher contract, against the loopback WeChat stand-in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.settings import Settings
from pipeline.published import page_of
from publishers.base import Page
from publishers.testing import PublisherContract
from publishers.wechat.channel import WeChatChannel
from tests.notices import write_notice
from tests.pipeline.publish_run import channels
from tests.pipeline.steps import prepare, queue
from tests.standins.wechat import WeChatStandIn


class TestTheWeChatChannelKeepsThePublisherContract(PublisherContract):
    """A queued notice's Chinese original, sent to the stand-in's account."""

    @pytest.fixture
    def publisher(self, settings: Settings, wechat: WeChatStandIn) -> WeChatChannel:
        channel, _ = channels(settings.resolved_database_url, Path(settings.site_dir), wechat.url)
        return channel

    @pytest.fixture
    def page(self, settings: Settings, tmp_path: Path) -> Page:
        url = settings.resolved_database_url
        version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
        prepare(url, version_id)
        return page_of(url, version_id, "zh", "wechat")[0]

    @pytest.fixture
    def held(self, wechat: WeChatStandIn) -> Callable[[], object]:
        """The account's drafts, articles (deleted or not), images and covers."""
        return lambda: (
            sorted(wechat.drafts),
            {article_id: a["deleted"] for article_id, a in wechat.articles.items()},
            sorted(wechat.images),
            sorted(wechat.materials),
        )
