"""The contract every publisher keeps, as pytest tests a publisher's test class inherits.

A subclass (named ``Test…``) provides the fixture ``publisher``: the channel under test, pointed at
a stand-in server or a temporary folder. It may override ``page`` (what is published; the default
is `sample_page()`), ``held`` (a function returning what the channel holds, e.g. its files or the
stand-in's articles, so that "changes nothing" is checked on the channel itself) and
``unpublished_key`` (a key the channel has never seen).

    class TestPartnerPortal(PublisherContract):
        @pytest.fixture
        def publisher(self, portal_standin):
            return PartnerPortal(portal_standin.url)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from publishers.base import (
    CHANNEL_ID,
    NOT_PUBLISHED,
    PUBLISHED,
    RETRACTED,
    Page,
    PublicationKey,
    Publisher,
)

__all__ = ["PublisherContract", "sample_page"]

Held = Callable[[], object]


def sample_page(notice_id: int = 901, version: int = 1, language: str = "zh") -> Page:
    """A short notice page with a heading, a list, a table and a link, as the pipeline makes one."""
    return Page(
        notice_id=notice_id,
        version=version,
        language=language,
        title="市政府外办召开2025年领事工作通报会",
        body_markdown=(
            "## 会议概况\n\n"
            "3月3日，市政府外办召开2025年领事工作通报会。\n\n"
            "- 各国驻沪领事机构代表约120人出席会议。\n"
            "- 会议通报了2024年领事工作情况。\n\n"
            "| 事项 | 数量 |\n|---|---|\n| 领事认证 | 5.6万份 |\n\n"
            "详见[外办网站](https://wsb.sh.gov.cn/)。\n"
        ),
        column="要闻动态",
        formed_on=date(2025, 3, 3),
        published_on=date(2025, 3, 4),
        languages=(language,),
    )


class PublisherContract:
    """Inherit, then define the ``publisher`` fixture (and ``page``, ``held``, ``unpublished_key`` if needed)."""

    @pytest.fixture
    def publisher(self) -> Publisher:
        """The publisher under test; every subclass defines this fixture."""
        raise NotImplementedError("define the `publisher` fixture in the test class")

    @pytest.fixture
    def page(self) -> Page:
        """The page the cases publish."""
        return sample_page()

    @pytest.fixture
    def held(self) -> Held:
        """What the channel holds, compared before and after a step that must change nothing."""
        return lambda: None

    @pytest.fixture
    def unpublished_key(self, page: Page, publisher: Publisher) -> PublicationKey:
        """A key the channel has never seen: another notice."""
        return PublicationKey(page.notice_id + 1, page.version, page.language, publisher.channel)

    def test_the_channel_id_is_well_formed(self, publisher: Publisher) -> None:
        assert isinstance(publisher, Publisher)
        assert isinstance(publisher.channel, str)
        assert CHANNEL_ID.fullmatch(publisher.channel), (
            f"channel id {publisher.channel!r} must be at most 20 lower-case letters and digits "
            "in words joined by hyphens"
        )

    def test_it_takes_the_pages_language(self, publisher: Publisher, page: Page) -> None:
        assert publisher.supports(page.language)

    def test_publishing_says_published_with_a_location(
        self, publisher: Publisher, page: Page
    ) -> None:
        result = publisher.publish(page)

        assert result.state == PUBLISHED, result
        assert result.location

    def test_publishing_the_same_page_again_changes_nothing(
        self, publisher: Publisher, page: Page, held: Held
    ) -> None:
        first = publisher.publish(page)
        before = held()

        again = publisher.publish(page)

        assert (again.state, again.location) == (first.state, first.location)
        assert held() == before

    def test_status_after_publishing_says_published_there(
        self, publisher: Publisher, page: Page
    ) -> None:
        published = publisher.publish(page)

        status = publisher.status(PublicationKey.of(page, publisher.channel))

        assert (status.state, status.location) == (PUBLISHED, published.location)

    def test_a_retracted_publication_is_no_longer_published(
        self, publisher: Publisher, page: Page
    ) -> None:
        key = PublicationKey.of(page, publisher.channel)
        publisher.publish(page)

        retracted = publisher.retract(key)

        assert retracted.state == RETRACTED, retracted
        assert publisher.status(key).state == NOT_PUBLISHED

    def test_retracting_twice_is_harmless(
        self, publisher: Publisher, page: Page, held: Held
    ) -> None:
        key = PublicationKey.of(page, publisher.channel)
        publisher.publish(page)
        publisher.retract(key)
        before = held()

        again = publisher.retract(key)

        assert again.state == NOT_PUBLISHED, again
        assert publisher.status(key).state == NOT_PUBLISHED
        assert held() == before

    def test_a_key_never_published_is_not_published_and_retracting_it_does_nothing(
        self, publisher: Publisher, page: Page, held: Held, unpublished_key: PublicationKey
    ) -> None:
        publisher.publish(page)
        before = held()

        assert publisher.status(unpublished_key).state == NOT_PUBLISHED
        assert publisher.retract(unpublished_key).state == NOT_PUBLISHED
        assert held() == before
        assert publisher.status(PublicationKey.of(page, publisher.channel)).state == PUBLISHED
