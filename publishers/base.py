"""The publisher plug-in point: what the pipeline and the registry expect of a channel.

A channel (the site, WeChat, one installed from another package) keeps one publication per
`PublicationKey`: a notice version in one language on that channel. Its three operations are
idempotent on that key: publishing the same page again, asking again, or retracting again changes
nothing the channel holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, runtime_checkable

__all__ = [
    "CHANNEL_ID",
    "LANGUAGE_NAMES",
    "NOT_CONFIGURED",
    "NOT_PUBLISHED",
    "PUBLISHED",
    "RETRACTED",
    "WAITING",
    "ChannelError",
    "ChannelResult",
    "DescribesRetraction",
    "Page",
    "PublicationKey",
    "PublishedPages",
    "Publisher",
    "ReadsPublishedPages",
]

from core.languages import LANGUAGES
from core.states import ChannelState, HeldState

LANGUAGE_NAMES = {code: lang.own_name for code, lang in LANGUAGES.items()}

# A channel id is stored with every publication (a column of 20 characters) and typed into
# WAIWEN_CHANNELS: lower-case letters and digits in words joined by single hyphens (site,
# wechat, outside-folder), at most 20 characters.
CHANNEL_ID = re.compile(r"(?=[a-z0-9-]{1,20}\Z)[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# The states a channel answers with. Others a channel may give: "refused" and "failed" (final,
# recorded), and the WAITING ones, which are no outcome yet (nothing is recorded; the next run
# asks the channel again).
PUBLISHED = ChannelState.PUBLISHED
NOT_PUBLISHED = HeldState.NOT_PUBLISHED
RETRACTED = HeldState.RETRACTED
NOT_CONFIGURED = ChannelState.NOT_CONFIGURED
WAITING = (ChannelState.PUBLISHING, ChannelState.POSTPONED, ChannelState.BLOCKED)


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
    # When this language of the notice first went on the channel, and when this version of it did
    # (aware, UTC, from the records of its publications; the time of the publication under way
    # for one not recorded yet). None from a caller without records: the site then stamps
    # 09:00 office time of ``published_on``.
    published_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, order=True)
class PublicationKey:
    """One publication: a notice version (its number) in one language on one channel."""

    notice_id: int
    version: int
    language: str
    channel: str

    @classmethod
    def of(cls, page: Page, channel: str) -> PublicationKey:
        """The key of `page` on `channel`."""
        return cls(page.notice_id, page.version, page.language, channel)

    def __str__(self) -> str:
        return f"notice {self.notice_id} version {self.version} ({self.language}) on {self.channel}"


@dataclass(frozen=True)
class ChannelResult:
    """What a channel did or holds: a state (above), where, and anything a person should read.

    ``location`` is where the page is (publish, status) or was (retract), in the channel's terms:
    the site's page path, WeChat's article address, a file.
    """

    state: ChannelState | HeldState
    location: str = ""
    detail: str = ""


class ChannelError(Exception):
    """A channel could not do what was asked (unreachable, refused); the message says what to do."""


@runtime_checkable
class Publisher(Protocol):
    """A channel such as the site or WeChat; each operation is idempotent on its key."""

    channel: str  # the stable id (CHANNEL_ID), stored with every publication

    def supports(self, language: str) -> bool:
        """Whether this channel takes pages in `language` (a waiwen language code)."""
        ...

    def publish(self, page: Page) -> ChannelResult:
        """Put the page on the channel; the same page again changes nothing and gives the same location."""
        ...

    def status(self, key: PublicationKey) -> ChannelResult:
        """What the channel holds for `key`: PUBLISHED with its location, NOT_PUBLISHED, or another state.

        Another state: a waiting one, "refused", "failed", or NOT_CONFIGURED for a channel waiwen
        cannot reach here (a retraction then names it for the person to act).
        """
        ...

    def retract(self, key: PublicationKey) -> ChannelResult:
        """Take the publication off: RETRACTED, or NOT_PUBLISHED when there was nothing to take off."""
        ...


class PublishedPages(Protocol):
    """What waiwen's records say a channel has published, read back as pages (the pipeline's)."""

    def notice(self, notice_id: int, channel: str) -> list[Page]:
        """A notice's pages on `channel`, one per language in its newest published version (none when retracted)."""
        ...

    def every_notice(self, channel: str) -> Iterable[Sequence[Page]]:
        """Every notice on `channel` (retracted ones left out), one notice's pages at a time."""
        ...


@runtime_checkable
class ReadsPublishedPages(Protocol):
    """A channel that shows a notice's languages together (the site), so it reads the records too."""

    def use_published_pages(self, published: PublishedPages) -> None:
        """Read what is published from `published` from now on (the pipeline calls this first)."""
        ...


@runtime_checkable
class DescribesRetraction(Protocol):
    """A channel that says in its own words what a retraction took off (otherwise waiwen does)."""

    def retraction_summary(self, taken_off: Sequence[PublicationKey]) -> str:
        """One line for the person retracting, e.g. ``wechat: articles deleted: …``."""
        ...
