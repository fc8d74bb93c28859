"""WeChat when no account is configured: nothing is sent, and the record says so plainly."""

from __future__ import annotations

from core.states import ChannelState
from publishers.base import ChannelResult, Page, PublicationKey

NOT_CONFIGURED = (
    "WeChat channel not configured: WAIWEN_WECHAT_APPID is not set, so nothing was sent to WeChat; "
    "set WAIWEN_WECHAT_APPID and WAIWEN_WECHAT_SECRET, or publish this article by hand in the "
    "account's back office"
)


class WeChatNotConfigured:
    """Records plainly that nothing went to WeChat, and that waiwen cannot reach it."""

    channel = "wechat"

    def __init__(self, languages: tuple[str, ...] = ("zh", "en")) -> None:
        self.languages = languages

    def supports(self, language: str) -> bool:
        """The languages that would go to WeChat (WAIWEN_WECHAT_LANGUAGES)."""
        return language in self.languages

    def publish(self, page: Page) -> ChannelResult:
        """Publish nothing; say why."""
        return ChannelResult(ChannelState.NOT_CONFIGURED, "", NOT_CONFIGURED)

    def status(self, key: PublicationKey) -> ChannelResult:
        """Unknown: without an account waiwen cannot ask WeChat."""
        return ChannelResult(ChannelState.NOT_CONFIGURED, "", NOT_CONFIGURED)

    def retract(self, key: PublicationKey) -> ChannelResult:
        """Take nothing off; without an account waiwen cannot reach WeChat."""
        return ChannelResult(ChannelState.NOT_CONFIGURED, "", NOT_CONFIGURED)
