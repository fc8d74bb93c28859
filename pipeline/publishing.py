"""Publishing: approved languages go to their channels once, with their counts frozen."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.clock import office_date, office_today
from core.failpoints import failpoint
from core.states import ChannelState, LanguageState, VersionState
from pipeline.audit import record
from pipeline.counts import count_language, count_publication
from pipeline.texts import approved_text, assembled_body, language_texts
from publishers.base import ChannelResult, Page, Publisher
from publishers.site import Site, page_path
from store.db import transaction, updated_rows
from store.models import (
    LanguageVersion,
    Notice,
    NoticeImage,
    NoticeVersion,
    Publication,
    utcnow,
)

ACTOR = "waiwen"
# Channel states that are not an outcome yet: the language stays approved and the next run goes on.
WAITING = (ChannelState.PUBLISHING, ChannelState.POSTPONED, ChannelState.BLOCKED)


@dataclass(frozen=True)
class PublishedLanguage:
    """What happened to one language on each channel."""

    language: str
    channels: dict[str, str]  # channel -> state
    figure: int | None


def versions_to_publish(database_url: str) -> list[int]:
    """Versions with an approved language not yet published."""
    with transaction(database_url) as session:
        return sorted(
            set(
                session.scalars(
                    select(LanguageVersion.version_id)
                    .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                    .where(
                        LanguageVersion.state == LanguageState.APPROVED,
                        NoticeVersion.state != VersionState.SUPERSEDED,
                    )
                )
            )
        )


def publish_version(
    database_url: str,
    version_id: int,
    publishers: Mapping[str, Publisher],
    site: Site,
    wechat_languages: tuple[str, ...],
) -> list[PublishedLanguage]:
    """Publish every approved language of a version on each of its channels, each exactly once.

    The site is given apart from the other channels because a notice's pages link each other: the
    site channel republishes every language of the notice whenever one is added.
    """
    with transaction(database_url) as session:
        version = session.get_one(NoticeVersion, version_id)
        languages = list(
            session.scalars(
                select(LanguageVersion.language)
                .where(
                    LanguageVersion.version_id == version_id,
                    LanguageVersion.state == LanguageState.APPROVED,
                )
                .order_by(LanguageVersion.language != "zh", LanguageVersion.language)
            )
        )
        channels = list(version.channels)
    done = []
    for language in languages:
        # The site first: WeChat's 阅读原文 link points at the page there.
        wanted = sorted(
            (c for c in channels if c != "wechat" or language in wechat_languages),
            key=lambda channel: channel != "site",
        )
        states = {}
        for channel in wanted:
            publisher = (
                _SiteChannel(database_url, site) if channel == "site" else publishers[channel]
            )
            states[channel] = _publish_once(database_url, version_id, language, channel, publisher)
        if all(state not in WAITING for state in states.values()):
            figure = _mark_published(database_url, version_id, language)
        else:  # a channel is still on its way (WeChat publishing, postponed or blocked): next run
            figure = None
        done.append(PublishedLanguage(language, states, figure))
    return done


class _SiteChannel:
    """The site as a channel: publishing one language re-renders the notice in all its languages."""

    channel = "site"

    def __init__(self, database_url: str, site: Site) -> None:
        self.database_url, self.site = database_url, site

    def publish(self, page: Page) -> ChannelResult:
        if self.site.generations.current() is None:
            # A site folder from before generations (or a new one): render what is published
            # already, so the first publish does not leave the site with one notice.
            self.site.build(site_notices(self.database_url).pages())
        with transaction(self.database_url) as session:
            others = sorted(_site_languages(session, page.notice_id) - {page.language})
        pages = [page]
        for language in others:
            current = _current_site_version(self.database_url, page.notice_id, language)
            if current is not None:
                pages.append(_page(self.database_url, current, language)[0])
        self.site.publish_notice(pages)
        return ChannelResult(ChannelState.PUBLISHED, page_path(page.language, page.notice_id))


def _page(database_url: str, version_id: int, language: str) -> tuple[Page, str]:
    """The page of one language and its text as counted."""
    with transaction(database_url) as session:
        version = session.get_one(NoticeVersion, version_id)
        notice = session.get_one(Notice, version.notice_id)
        published = _site_languages(session, version.notice_id) | {language}
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
            published_on=_first_published_on(session, version.notice_id, language)
            or office_today(),
            languages=tuple(sorted(published, key=lambda lang: (lang != "zh", lang))),
            images={
                image.source: image.data
                for image in session.scalars(
                    select(NoticeImage).where(NoticeImage.version_id == version_id)
                )
            },
            wechat_title=short_wechat_title(version.front_matter, language),
        )
        return page, approved_text(version.skeleton or "", texts, language)


def short_wechat_title(front_matter: dict[str, Any], language: str) -> str:
    """The front matter's short title for WeChat: a text for the original, or one per language."""
    given = front_matter.get("wechat_title")
    if isinstance(given, dict):
        return str(given.get(language) or "")
    return str(given or "") if language == "zh" else ""


def _publish_once(
    database_url: str, version_id: int, language: str, channel: str, publisher: Publisher
) -> str:
    """Send one language to one channel unless a publication is recorded already."""
    with transaction(database_url) as session:
        lang = _language(session, version_id, language)
        existing = session.scalars(
            select(Publication.state).where(
                Publication.language_version_id == lang.id, Publication.channel == channel
            )
        ).one_or_none()
    if existing is not None:
        return existing
    page, counted_text = _page(database_url, version_id, language)
    result = publisher.publish(page)
    failpoint("publish.after-channel")
    state = _known_state(channel, result)
    if state in WAITING:
        return state  # not an outcome yet: nothing is recorded, the next run goes on
    try:
        with transaction(database_url) as session:
            lang = _language(session, version_id, language)
            if lang.measures is None:  # the Chinese original is counted when it is first published
                count_language(lang, counted_text)
            session.add(
                Publication(
                    language_version_id=lang.id,
                    channel=channel,
                    state=state,
                    location=result.location,
                    detail=result.detail,
                    measures=lang.measures,
                    figure=lang.figure,
                )
            )
            version = session.get_one(NoticeVersion, version_id)
            if state == ChannelState.PUBLISHED:
                notice = session.get_one(Notice, version.notice_id)
                count_publication(session, notice, version, lang, utcnow())
            record(
                session,
                ACTOR,
                "published" if state == ChannelState.PUBLISHED else f"publish {state}",
                notice_id=version.notice_id,
                version_id=version_id,
                language=language,
                channel=channel,
                location=result.location,
                detail=result.detail,
            )
    except IntegrityError:
        pass  # a concurrent run recorded it first; the channel call was idempotent
    return result.state


def _known_state(channel: str, result: ChannelResult) -> ChannelState:
    """The channel's answer as a state waiwen knows; any other is refused before it is recorded."""
    try:
        return ChannelState(result.state)
    except ValueError:
        known = ", ".join(ChannelState)
        raise ValueError(
            f"channel {channel} answered the state {result.state!r}, which waiwen does not know; "
            f"nothing was recorded: its publisher must answer one of {known}"
        ) from None


def _mark_published(database_url: str, version_id: int, language: str) -> int | None:
    """Close the language once every channel has a publication; returns its counted figure."""
    with transaction(database_url) as session:
        lang = _language(session, version_id, language)
        moved = updated_rows(
            session,
            update(LanguageVersion)
            .where(LanguageVersion.id == lang.id, LanguageVersion.state == LanguageState.APPROVED)
            .values(state=LanguageState.PUBLISHED, updated_at=utcnow()),
        )
        if moved:
            version = session.get_one(NoticeVersion, version_id)
            record(
                session,
                ACTOR,
                "language published",
                notice_id=version.notice_id,
                version_id=version_id,
                language=language,
                figure=lang.figure,
            )
        return lang.figure


@dataclass(frozen=True)
class SiteNotices:
    """Every notice on the site with the version each of its languages shows."""

    database_url: str
    versions: dict[int, dict[str, int]]  # notice -> language -> version id

    def __len__(self) -> int:
        return len(self.versions)

    def pages(self) -> Iterator[list[Page]]:
        """Each notice's pages in all its site languages, one notice at a time."""
        for languages in self.versions.values():
            yield [
                _page(self.database_url, version, language)[0]
                for language, version in languages.items()
            ]


def site_notices(database_url: str) -> SiteNotices:
    """What a full rebuild of the site renders (retracted notices left out)."""
    versions: dict[int, dict[str, int]] = {}
    with transaction(database_url) as session:
        for notice_id, language, version_id, _ in session.execute(_site_rows(session)).all():
            current = versions.setdefault(notice_id, {})
            current[language] = max(current.get(language, 0), version_id)
    return SiteNotices(database_url, dict(sorted(versions.items())))


def remove_from_site(notice_id: int, site: Site) -> list[str]:
    """Take a retracted notice off every page, index, feed, sitemap and search index. Idempotent."""
    return site.retract(notice_id)


def _language(session: Session, version_id: int, language: str) -> LanguageVersion:
    return session.scalars(
        select(LanguageVersion).where(
            LanguageVersion.version_id == version_id, LanguageVersion.language == language
        )
    ).one()


def _site_rows(session: Session) -> Select:  # type: ignore[type-arg]
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
            Publication.channel == "site",
            Publication.state == ChannelState.PUBLISHED,
            Notice.retracted_at.is_(None),
        )
    )


def _site_languages(session: Session, notice_id: int) -> set[str]:
    rows = session.execute(_site_rows(session).where(NoticeVersion.notice_id == notice_id)).all()
    return {language for _, language, _, _ in rows}


def _current_site_version(database_url: str, notice_id: int, language: str) -> int | None:
    with transaction(database_url) as session:
        rows = session.execute(
            _site_rows(session).where(
                NoticeVersion.notice_id == notice_id, LanguageVersion.language == language
            )
        ).all()
        return max((version_id for _, _, version_id, _ in rows), default=None)


def _first_published_on(session: Session, notice_id: int, language: str) -> date | None:
    rows = session.execute(
        _site_rows(session).where(
            NoticeVersion.notice_id == notice_id, LanguageVersion.language == language
        )
    ).all()
    return min((office_date(at) for _, _, _, at in rows), default=None)
