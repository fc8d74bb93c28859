"""A notice made fit for WeChat: styles inline, images on WeChat's servers, no outside links.

WeChat drops ``<style>`` and ``class``, filters images served from elsewhere and does not allow
links out of WeChat, so the sanitised page HTML is rewritten: every element gets its style inline,
every image points at its uploaded copy, and a link keeps its text only (the article's "阅读原文"
link leads to the page on the site, where the links work).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from content.counting import excerpt
from content.render import markdown_to_html
from core.languages import language as language_entry
from publishers.site.bidi import STYLED_SPAN, isolate_ltr_runs

TITLE_LIMIT = 32
DIGEST_LIMIT = 128
CONTENT_LIMIT = 20_000  # characters; WeChat wants less than this

_STYLES = {
    "h1": "font-size:20px;font-weight:bold;margin:16px 0 8px;",
    "h2": "font-size:18px;font-weight:bold;margin:16px 0 8px;",
    "h3": "font-size:16px;font-weight:bold;margin:12px 0 6px;",
    "h4": "font-size:16px;font-weight:bold;margin:12px 0 6px;",
    "p": "font-size:16px;line-height:1.75;margin:0 0 12px;color:#1a1a1a;",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": "font-size:16px;line-height:1.75;",
    "blockquote": "margin:0 0 12px;padding:4px 12px;border-left:3px solid #d0d0d0;color:#4a4a4a;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 12px;",
    "th": "border:1px solid #d0d0d0;padding:4px 6px;font-size:14px;background:#f4f4f4;",
    "td": "border:1px solid #d0d0d0;padding:4px 6px;font-size:14px;",
    "img": "max-width:100%;height:auto;",
    "pre": "white-space:pre-wrap;font-size:14px;",
}
# A right-to-left article: lists indent and quotes rule on the right. WeChat keeps inline styles
# (it drops classes and <style>), so the direction rides on a styled <section> around the body.
_RTL_STYLES = {
    **_STYLES,
    "ul": "margin:0 0 12px;padding-right:24px;padding-left:0;",
    "ol": "margin:0 0 12px;padding-right:24px;padding-left:0;",
    "blockquote": "margin:0 0 12px;padding:4px 12px;border-right:3px solid #d0d0d0;color:#4a4a4a;",
    "th": _STYLES["th"] + "text-align:right;",
    "td": _STYLES["td"] + "text-align:right;",
    "pre": _STYLES["pre"] + "direction:ltr;text-align:left;",
}
_OPEN_TAG = re.compile(r"<(" + "|".join(_STYLES) + r")\b([^>]*)>")
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"([^>]*)>')
_WECHAT_LINK = re.compile(r'<a\b[^>]*\bhref="https://mp\.weixin\.qq\.com/[^"]*"')


class NotFitForWeChat(Exception):
    """The notice cannot go to WeChat as it is; the message names what to change."""


def wechat_html(markdown_text: str, image_urls: Mapping[str, str], language: str) -> str:
    """The notice body as WeChat takes it: sanitised, styled inline, images re-hosted, no links out.

    A right-to-left language's body comes in a ``<section dir="rtl" lang=…>`` with its
    left-to-right runs (numbers, codes, Latin names) isolated.
    """
    body = markdown_to_html(markdown_text)
    entry = language_entry(language)
    rtl = entry.direction == "rtl"
    styles = _RTL_STYLES if rtl else _STYLES

    def image(match: re.Match[str]) -> str:
        uploaded = image_urls.get(html.unescape(match.group(2)))
        if uploaded is None:
            return ""  # WeChat would filter an outside image anyway; leave no broken frame
        return f'<img{match.group(1)}src="{html.escape(uploaded)}"{match.group(3)}>'

    body = _IMG.sub(image, body)
    body = _LINK.sub(lambda m: m.group(0) if _WECHAT_LINK.match(m.group(0)) else m.group(1), body)
    body = _OPEN_TAG.sub(lambda m: f'<{m.group(1)} style="{styles[m.group(1)]}"{m.group(2)}>', body)
    if not rtl:
        return body
    return (
        f'<section dir="rtl" lang="{entry.bcp47}" style="direction:rtl;text-align:right;">'
        f"{isolate_ltr_runs(body, STYLED_SPAN)}</section>"
    )


def wechat_title(title: str, short_title: str, language: str) -> str:
    """The title WeChat shows: the front matter's ``wechat_title`` if given, else the title."""
    chosen = (short_title or title).strip()
    if len(chosen) > TITLE_LIMIT:
        field = "wechat_title" if language == "zh" else f"wechat_title.{language}"
        raise NotFitForWeChat(
            f"the {language} title has {len(chosen)} characters and WeChat takes at most {TITLE_LIMIT}: "
            f"give a shorter one in the notice's front matter ({field}) and queue it again"
        )
    return chosen


def digest(markdown_text: str) -> str:
    """The summary WeChat shows under the title (at most 128 characters)."""
    return excerpt(markdown_text, DIGEST_LIMIT)


def check_size(content: str, language: str) -> None:
    """Refuse a body WeChat would refuse, before spending a call on it."""
    if len(content) >= CONTENT_LIMIT:
        raise NotFitForWeChat(
            f"the {language} article is {len(content):,} characters once styled for WeChat; WeChat takes "
            f"fewer than {CONTENT_LIMIT:,}: split the notice or shorten it"
        )
