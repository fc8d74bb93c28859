"""WeChat's error codes as errors a person can act on.

Each class says what happens to the article: ``ContentRefused`` ends this language's WeChat
publication until the editor fixes the notice; ``QuotaReached`` postpones it to the next day;
``AccountProblem`` waits for an administrator; ``WeChatUnavailable`` is retried by the next run.
"""

from __future__ import annotations

from publishers.base import ChannelError

# What each publish_status means, in the words the office's staff see.
PUBLISH_STATUS = {
    0: "published",
    1: "publishing",
    2: "refused: the originality check failed (原创校验未通过)",
    3: "failed: WeChat could not publish it (发布失败)",
    4: "refused by the platform's review (平台审核不通过)",
    5: "deleted by a user of the account after it was published",
    6: "blocked by the system (系统封禁)",
}

CONTENT_ERRORS = {
    44003: "the article is empty",
    44004: "the article's content is empty",
    45002: "the content is larger than WeChat accepts (under 20,000 characters)",
    45003: "the title is longer than WeChat accepts (32 characters)",
    45004: "the digest is longer than WeChat accepts (128 characters)",
    45110: "the author is longer than WeChat accepts (16 characters)",
    45166: "WeChat refused the content as invalid (often markup or a link it does not allow)",
    47001: "WeChat could not read the request (data format error)",
    40005: "an image is not a JPG or PNG",
    40009: "an image is too large (at most 1 MB inside an article)",
}


class WeChatError(ChannelError):
    """An error answer from WeChat: its code, its message and what to do."""

    def __init__(self, code: int, errmsg: str, path: str, advice: str = "") -> None:
        self.code, self.errmsg, self.path, self.advice = code, errmsg, path, advice
        self.answer: dict[str, object] = {}  # the whole error answer (45065 carries a msg_id)
        text = f"WeChat {path} answered {code} ({errmsg})"
        super().__init__(f"{text}: {advice}" if advice else text)


class WeChatUnavailable(WeChatError):
    """No usable answer (network, HTTP 5xx, not JSON): the next run tries again."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)
        self.code, self.errmsg, self.path, self.advice = -1, message, "", "the next run tries again"


class QuotaReached(WeChatError):
    """45009: the account's daily quota for this call is used up; publication waits for tomorrow."""


class AccountProblem(WeChatError):
    """A problem only an administrator of the account can fix (whitelist, credentials, rights)."""


class SendQuotaSpent(WeChatError):
    """45028: the account's mass sends for the day (or month) are used up."""


class AlreadySent(WeChatError):
    """45065: a send with this clientmsgid was already made; WeChat names the existing task."""


class ContentRefused(WeChatError):
    """WeChat refused what was sent; the editor must change the notice."""


def error_for(code: int, errmsg: str, path: str) -> WeChatError:
    """The error class and advice for one WeChat error code."""
    if code == 45028:
        return SendQuotaSpent(
            code,
            errmsg,
            path,
            "no mass send is left for this period; the digest waits for the next",
        )
    if code == 45065:
        return AlreadySent(
            code, errmsg, path, "this digest was already sent; its task is recorded, not resent"
        )
    if code == 48001 and path.startswith("/cgi-bin/message/mass/"):
        return AccountProblem(
            code,
            errmsg,
            path,
            "the account may not mass-send through the API (群发 needs a verified account with "
            "the mass-send right): an administrator checks mp.weixin.qq.com → 设置与开发 → "
            "接口权限, then run `waiwen wechat broadcast --now`",
        )
    if code == 45009:
        return QuotaReached(
            code, errmsg, path, "the daily quota is used up; waiwen tries again tomorrow"
        )
    if code == 40164:
        return AccountProblem(
            code,
            errmsg,
            path,
            "this server's IP address is not on the account's IP whitelist: add it under "
            "mp.weixin.qq.com → 设置与开发 → 基本配置 → IP白名单, then run again",
        )
    if code in (40013, 40125, 40002, 41002, 41004):
        return AccountProblem(
            code,
            errmsg,
            path,
            "the app id or secret is wrong: check WAIWEN_WECHAT_APPID and WAIWEN_WECHAT_SECRET",
        )
    if code in (48001, 50001, 50002):
        return AccountProblem(
            code, errmsg, path, "the account has no right to this API (check its verification)"
        )
    if code in CONTENT_ERRORS:
        return ContentRefused(code, errmsg, path, CONTENT_ERRORS[code])
    if code in (-1, 45011):
        return WeChatUnavailable(
            f"WeChat {path} answered {code} ({errmsg}); the next run tries again"
        )
    return WeChatError(code, errmsg, path)
