"""WeChat when no account is configured: nothing is sent, and the record says so plainly."""

from __future__ import annotations

from core.states import ChannelState
from publishers.base import ChannelResult, Page

NOT_CONFIGURED = (
    "WeChat channel not configured: WAIWEN_WECHAT_APPID is not set, so nothing was sent to WeChat; "
    "set WAIWEN_WECHAT_APPID and WAIWEN_WECHAT_SECRET, or publish this article by hand in the "
    "account's back office"
)


class WeChatNotConfigured:
    """Records plainly that nothing went to WeChat."""

    channel = "wechat"

    def publish(self, page: Page) -> ChannelResult:
        """Publish nothing; say why."""
        return ChannelResult(ChannelState.NOT_CONFIGURED, "", NOT_CONFIGURED)
