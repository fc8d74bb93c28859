"""What each channel has published, read back from the records as pages a channel can show again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.clock import as_utc, office_date
from pipeline.texts import approved_text, assembled_body, language_texts
from publishers.base import PUBLISHED, Page, Publisher, ReadsPublishedPages
from store.db import transaction
from store.models import (
    LanguageVersion,
    Notice,
    NoticeImage,
    NoticeVersion,
    Publication,
    utcnow,
)


def page_of(database_url: str, version_id: int, language: str, channel: str) -> tuple[Page, str]:
    """The page of one language of a version for `channel`, and its text as counted.

    Its publication date is the day the language first appeared on that channel (today for a
    first publication), so a correction keeps its place in the channel's listings. Its times
    (`published_at`, `updated_at`) are those of the recorded publications: the first of the
    language on the channel, and this version's; the one not recorded yet is now, to the second,
    and `publish_version` records it with that same time.
    """
    with transaction(database_url) as session:
        version = session.get_one(NoticeVersion, version_id)
        notice = session.get_one(Notice, version.notice_id)
        first, this_version = _publication_times(
            session, version.notice_id, version_id, language, channel
        )
        now = utcnow().replace(microsecond=0)
        published_at, updated_at = first or now, this_version or now
        published = _languages_on(session, version.notice_id, channel) | {language}
        texts = language_texts(session, version_id, language)
        body = assembled_body(version.skeleton or "", texts, language)
        page = Page(
            notice_id=notice.id,
            version=version.number,
            language=language,
            title=texts.get(0, version.title),
            body_markdown=body,
            column=notice.column,
            formed_on=version.formed_on,
            published_on=office_date(published_at),
            languages=tuple(sorted(published, key=lambda lang: (lang != "zh", lang))),
            images={
                image.source: image.data
                for image in session.scalars(
                    select(NoticeImage).where(NoticeImage.version_id == version_id)
                )
            },
            wechat_title=short_wechat_title(version.front_matter, language),
            published_at=published_at,
            updated_at=updated_at,
        )
        return page, approved_text(version.skeleton or "", texts, language)


def short_wechat_title(front_matter: dict[str, Any], language: str) -> str:
    """The front matter's short title for WeChat: a text for the original, or one per language."""
    given = front_matter.get("wechat_title")
    if isinstance(given, dict):
        return str(given.get(language) or "")
    return str(given or "") if language == "zh" else ""


@dataclass(frozen=True)
class ChannelNotices:
    """Every notice on one channel with the version each of its languages shows."""

    database_url: str
    channel: str
    versions: dict[int, dict[str, int]]  # notice -> language -> version id

    def __len__(self) -> int:
        return len(self.versions)

    def page_count(self) -> int:
        """How many pages: one per notice and language."""
        return sum(len(languages) for languages in self.versions.values())

    def parts(self, size: int) -> Iterator[ChannelNotices]:
        """The notices in consecutive parts of ``size``, each read on its own (another process)."""
        notices = list(self.versions.items())
        for start in range(0, len(notices), size):
            yield replace(self, versions=dict(notices[start : start + size]))

    def pages(self) -> Iterator[list[Page]]:
        """Each notice's pages in all its languages on the channel, one notice at a time."""
        for languages in self.versions.values():
            yield [
                page_of(self.database_url, version, language, self.channel)[0]
                for language, version in languages.items()
            ]


def channel_notices(database_url: str, channel: str) -> ChannelNotices:
    """What a full rebuild of a channel shows (retracted notices left out)."""
    versions: dict[int, dict[str, int]] = {}
    with transaction(database_url) as session:
        for notice_id, language, version_id, _ in session.execute(_rows(channel)).all():
            current = versions.setdefault(notice_id, {})
            current[language] = max(current.get(language, 0), version_id)
    return ChannelNotices(database_url, channel, dict(sorted(versions.items())))


class RecordedPages:
    """The records as `PublishedPages`: what the channels show, for those that show it together."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def notice(self, notice_id: int, channel: str) -> list[Page]:
        """A notice's pages on `channel`, by language, each in its newest published version."""
        with transaction(self.database_url) as session:
            rows = session.execute(_rows(channel).where(NoticeVersion.notice_id == notice_id))
            newest: dict[str, int] = {}
            for _, language, version_id, _ in rows.all():
                newest[language] = max(newest.get(language, 0), version_id)
        return [
            page_of(self.database_url, newest[language], language, channel)[0]
            for language in sorted(newest)
        ]

    def every_notice(self, channel: str) -> Iterable[list[Page]]:
        """Every notice on `channel`, one notice's pages at a time."""
        return channel_notices(self.database_url, channel).pages()


def with_records(publishers: Mapping[str, Publisher], database_url: str) -> None:
    """Give the channels that show a notice's languages together the records to read them from."""
    records = RecordedPages(database_url)
    for publisher in publishers.values():
        if isinstance(publisher, ReadsPublishedPages):
            publisher.use_published_pages(records)


def _rows(channel: str) -> Select:  # type: ignore[type-arg]
    """(notice, language, version id, published at) of every publication on `channel`, not retracted."""
    return (
        select(
            NoticeVersion.notice_id,
            LanguageVersion.language,
            NoticeVersion.id,
            Publication.published_at,
        )
        .join(LanguageVersion, LanguageVersion.version_id == NoticeVersion.id)
        .join(Publication, Publication.language_version_id == LanguageVersion.id)
        .join(Notice, Notice.id == NoticeVersion.notice_id)
        .where(
            Publication.channel == channel,
            Publication.state == PUBLISHED,
            Notice.retracted_at.is_(None),
        )
    )


def _languages_on(session: Session, notice_id: int, channel: str) -> set[str]:
    rows = session.execute(_rows(channel).where(NoticeVersion.notice_id == notice_id)).all()
    return {language for _, language, _, _ in rows}


def _publication_times(
    session: Session, notice_id: int, version_id: int, language: str, channel: str
) -> tuple[datetime | None, datetime | None]:
    """(first publication of the language on `channel`, this version's), in UTC, None when unrecorded."""
    rows = session.execute(
        _rows(channel).where(
            NoticeVersion.notice_id == notice_id, LanguageVersion.language == language
        )
    ).all()
    times = [(version, as_utc(at)) for _, _, version, at in rows]
    first = min((at for _, at in times), default=None)
    this_version = next((at for version, at in times if version == version_id), None)
    return first, this_version
