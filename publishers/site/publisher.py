"""The site as a publisher: one language's page at a time, the notice shown in all its languages."""

from __future__ import annotations

from collections.abc import Sequence

from core.settings import Settings
from publishers.base import (
    NOT_PUBLISHED,
    PUBLISHED,
    RETRACTED,
    ChannelResult,
    Page,
    PublicationKey,
    PublishedPages,
)
from publishers.site.builder import Site
from publishers.site.paths import page_path
from publishers.site.words import WORDS

CHANNEL = "site"


class SitePublisher:
    """The static site as a channel; it reads waiwen's records, because a notice's pages link each other.

    Publishing one language re-renders the notice in every language published on the site, so the
    records (`use_published_pages`) say which those are and what each shows.
    """

    channel = CHANNEL

    def __init__(self, site: Site, published: PublishedPages | None = None) -> None:
        self.site = site
        self._published = published

    def use_published_pages(self, published: PublishedPages) -> None:
        """Read what the site should show from `published` (the pipeline's records)."""
        self._published = published

    def supports(self, language: str) -> bool:
        """The site has words for every language of waiwen's table (which are shown: configuration)."""
        return language in WORDS

    def publish(self, page: Page) -> ChannelResult:
        """Put the page on the site with the notice's other published languages; same page, same bytes."""
        records = self._records()
        if self.site.generations.current() is None:
            # A site folder from before generations (or a new one): render what is published
            # already, so the first publish does not leave the site with one notice.
            self.site.build(records.every_notice(self.channel))
        others = [
            other
            for other in records.notice(page.notice_id, self.channel)
            if other.language != page.language
        ]
        self.site.publish_notice([page, *others])
        return ChannelResult(PUBLISHED, page_path(page.language, page.notice_id))

    def status(self, key: PublicationKey) -> ChannelResult:
        """Published when the served site shows this language of the notice in this version."""
        entry = self.site.shown(key.notice_id).get(key.language)
        if entry is None:
            return ChannelResult(NOT_PUBLISHED, "", "not on the site")
        if entry.version is not None and entry.version != key.version:
            return ChannelResult(NOT_PUBLISHED, "", f"the site shows version {entry.version}")
        return ChannelResult(PUBLISHED, page_path(key.language, key.notice_id))

    def retract(self, key: PublicationKey) -> ChannelResult:
        """Take the page off; the notice stays in the languages the records still publish, if any."""
        shown = self.status(key)
        if shown.state != PUBLISHED:
            return ChannelResult(NOT_PUBLISHED, "", shown.detail)
        keep = [
            page
            for page in self._records().notice(key.notice_id, self.channel)
            if page.language != key.language
        ]
        if keep:
            self.site.publish_notice(keep)  # the page of key.language is dropped with its links
        else:  # a retracted notice, or its last language: off every page, index, feed and sitemap
            self.site.retract(key.notice_id)
        return ChannelResult(
            RETRACTED, shown.location, "page removed; indexes, feeds, sitemap and search rewritten"
        )

    def retraction_summary(self, taken_off: Sequence[PublicationKey]) -> str:
        """Which languages' pages left the site."""
        languages = sorted({key.language for key in taken_off})
        return (
            f"site pages removed: {', '.join(languages) if languages else 'none left'}; indexes, "
            "feeds, sitemap and search index rewritten"
        )

    def _records(self) -> PublishedPages:
        if self._published is None:
            raise RuntimeError(
                "the site channel has no records of what is published: give it them with "
                "use_published_pages() before publishing (publish_version does)"
            )
        return self._published


def site_of(settings: Settings) -> Site:
    """The site folder the settings name (WAIWEN_SITE_DIR, WAIWEN_SITE_BASE_URL, WAIWEN_COLUMNS)."""
    return Site(settings.site_dir, settings.site_base_url, settings.columns)


def from_settings(settings: Settings) -> SitePublisher:
    """The registry's factory for the site channel."""
    return SitePublisher(site_of(settings))
