"""Publishing: approved languages go to their channels once, with their counts frozen."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.notice import CHANNELS as NAMEABLE_CHANNELS
from core.failpoints import failpoint
from core.states import ChannelState, LanguageState, VersionState
from pipeline.counts import count_language, count_publication
from pipeline.published import page_of, with_records
from publishers.base import PUBLISHED, WAITING, ChannelResult, Publisher
from store.audit import record
from store.claims import held
from store.db import transaction, updated_rows
from store.models import LanguageVersion, Notice, NoticeVersion, Publication, utcnow

ACTOR = "waiwen"


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
    database_url: str, version_id: int, publishers: Mapping[str, Publisher]
) -> list[PublishedLanguage]:
    """Publish every approved language of a version on each of its channels, each exactly once.

    `publishers` are the configured channels by id, in the order they run (WAIWEN_CHANNELS). A
    built-in channel takes the notice when its front matter names it (`channels:`); a channel
    installed from another package takes every notice. Each takes the languages it supports.
    """
    with_records(publishers, database_url)
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
        named = set(version.channels)
    done = []
    for language in languages:
        states = {
            channel: _publish_once(database_url, version_id, language, channel, publisher)
            for channel, publisher in _channels_of(publishers, named, language)
        }
        # A channel another run held the claim of may be recorded by now: read again, so that of
        # two runs sharing a language's channels the later one closes the language.
        states = {
            channel: (_recorded_of(database_url, version_id, language, channel) or state)
            if state in WAITING
            else state
            for channel, state in states.items()
        }
        if all(state not in WAITING for state in states.values()):
            figure = _mark_published(database_url, version_id, language)
        else:  # a channel is still on its way (WeChat publishing, postponed or blocked): next run
            figure = None
        done.append(PublishedLanguage(language, states, figure))
    return done


def _channels_of(
    publishers: Mapping[str, Publisher], named: set[str], language: str
) -> Iterator[tuple[str, Publisher]]:
    """The channels one language of a notice goes to, in the configured order."""
    for channel, publisher in publishers.items():
        if channel in NAMEABLE_CHANNELS and channel not in named:
            continue  # the front matter can name this channel, and did not
        if publisher.supports(language):
            yield channel, publisher


def _publish_once(
    database_url: str, version_id: int, language: str, channel: str, publisher: Publisher
) -> str:
    """Send one language to one channel unless a publication is recorded already.

    The send is claimed: of two runs (two workers) only the holder calls the channel; the other
    answers "publishing", a waiting state, so it records nothing and does not close the language.
    """
    with transaction(database_url) as session:
        language_version_id = _language(session, version_id, language).id
    with held(database_url, f"publish:{language_version_id}:{channel}") as claim:
        if claim is None:
            return ChannelState.PUBLISHING
        # Read under the claim: the holder before may have recorded it just before letting go.
        existing = _recorded(database_url, language_version_id, channel)
        if existing is not None:
            return existing
        return _send(database_url, version_id, language, channel, publisher)


def _recorded(database_url: str, language_version_id: int, channel: str) -> str | None:
    """The recorded state of one language on one channel, if any."""
    with transaction(database_url) as session:
        return session.scalars(
            select(Publication.state).where(
                Publication.language_version_id == language_version_id,
                Publication.channel == channel,
            )
        ).one_or_none()


def _recorded_of(database_url: str, version_id: int, language: str, channel: str) -> str | None:
    """The recorded state of one language of a version on one channel, if any."""
    with transaction(database_url) as session:
        language_version_id = _language(session, version_id, language).id
    return _recorded(database_url, language_version_id, channel)


def _send(
    database_url: str, version_id: int, language: str, channel: str, publisher: Publisher
) -> str:
    """Call the channel and record its outcome (this run holds the send's claim)."""
    page, counted_text = page_of(database_url, version_id, language, channel)
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
                    # The time the page shows (its feed entry, its sitemap line), so a later
                    # render from the records stamps it the same.
                    published_at=page.updated_at or utcnow(),
                )
            )
            version = session.get_one(NoticeVersion, version_id)
            if result.state == PUBLISHED:
                notice = session.get_one(Notice, version.notice_id)
                count_publication(session, notice, version, lang, utcnow())
            record(
                session,
                ACTOR,
                "published" if result.state == PUBLISHED else f"publish {result.state}",
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


def _language(session: Session, version_id: int, language: str) -> LanguageVersion:
    return session.scalars(
        select(LanguageVersion).where(
            LanguageVersion.version_id == version_id, LanguageVersion.language == language
        )
    ).one()
