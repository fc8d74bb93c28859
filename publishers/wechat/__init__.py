"""The WeChat Official Account channel: the publisher and its journal, the API client, content made
fit for WeChat, and errors."""

from publishers.wechat.not_configured import NOT_CONFIGURED, WeChatNotConfigured

__all__ = ["NOT_CONFIGURED", "WeChatNotConfigured"]
