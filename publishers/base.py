"""The publisher plug-in point: a channel takes a page and says where it went."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from core.languages import LANGUAGES
from core.states import ChannelState

LANGUAGE_NAMES = {code: lang.own_name for code, lang in LANGUAGES.items()}


@dataclass(frozen=True)
class Page:
    """One notice in one language, ready for a channel."""

    notice_id: int
    version: int
    language: str
    title: str
    body_markdown: str
    column: str
    formed_on: date
    published_on: date
    languages: tuple[str, ...] = field(default=())  # every language this notice is published in
    images: Mapping[str, bytes] = field(default_factory=dict)  # image address in the body -> bytes
    wechat_title: str = ""  # the shorter title WeChat shows, when the front matter gives one


@dataclass(frozen=True)
class ChannelResult:
    """What a channel did (a ChannelState such as ``published``), where, and anything a person should read."""

    state: ChannelState
    location: str = ""
    detail: str = ""


class Publisher(Protocol):
    """A channel such as the site or WeChat; publishing the same page twice changes nothing."""

    channel: str

    def publish(self, page: Page) -> ChannelResult:
        """Put the page on the channel (idempotent for the same notice version and language)."""
        ...
