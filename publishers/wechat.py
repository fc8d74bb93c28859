"""WeChat Official Account channel: not built yet, and it says so instead of pretending."""

from __future__ import annotations

from publishers.base import ChannelResult, Page

NOT_CONFIGURED = (
    "WeChat channel not configured: waiwen has no WeChat Official Account client yet, "
    "so nothing was sent to WeChat; publish this article by hand in the account's back office"
)


class WeChatNotConfigured:
    """Records plainly that nothing went to WeChat."""

    channel = "wechat"

    def publish(self, page: Page) -> ChannelResult:
        """Publish nothing; say why."""
        return ChannelResult("not_configured", "", NOT_CONFIGURED)
