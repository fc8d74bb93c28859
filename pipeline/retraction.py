"""Retraction: a notice leaves every channel and the yearly report; its rows and history stay.

`retract` marks the notice in the database; `withdraw` then asks each channel to take its
publications off, one channel at a time, so a channel that fails can be retried alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.states import CountedState, LanguageState, VersionState
from pipeline.lookups import find_notice
from pipeline.published import with_records
from publishers.base import (
    NOT_CONFIGURED,
    PUBLISHED,
    ChannelError,
    ChannelResult,
    DescribesRetraction,
    PublicationKey,
    Publisher,
)
from store.audit import record
from store.db import transaction
from store.models import CountedText, LanguageVersion, NoticeVersion, Publication, utcnow


class ReasonMissing(Exception):
    """A first retraction without a reason: the reason is kept in the notice's history."""


class WithdrawalError(Exception):
    """A channel could not take the notice off; the message names the channel and what went wrong."""

    def __init__(self, channel: str, error: ChannelError) -> None:
        super().__init__(f"{channel}: {error}")
        self.channel = channel


@dataclass(frozen=True)
class Retraction:
    """What retracting a notice changed (or found changed by an earlier run)."""

    notice_id: int
    title: str
    retracted_at: datetime
    retracted_by: str
    reason: str
    already: bool  # True when an earlier run retracted it; the channels are asked again anyway
    uncounted_languages: list[str]
    published_on: list[str]  # channels with a recorded publication of the notice


@dataclass(frozen=True)
class Withdrawal:
    """What one channel did about a retracted notice."""

    channel: str
    reached: bool  # False: the channel is not configured here, so nothing was taken off there
    taken_off: list[PublicationKey]
    summary: str  # one line for the person retracting


def retract(session: Session, notice_ref: str, actor: str, reason: str) -> Retraction:
    """Mark a notice retracted, stop its open work and take it out of every report."""
    notice = find_notice(session, notice_ref)
    if notice.retracted_at is None:
        if not reason.strip():
            raise ReasonMissing("a retraction needs a reason, kept in the history")
        notice.retracted_at, notice.retracted_by, notice.retraction_reason = (
            utcnow(),
            actor,
            reason.strip(),
        )
        already = False
    else:
        already = True
    version_ids = select(NoticeVersion.id).where(NoticeVersion.notice_id == notice.id)
    session.execute(
        update(LanguageVersion)
        .where(
            LanguageVersion.version_id.in_(version_ids),
            LanguageVersion.state.not_in((LanguageState.SUPERSEDED, LanguageState.RETRACTED)),
        )
        .values(state=LanguageState.RETRACTED, updated_at=utcnow())
    )
    session.execute(
        update(NoticeVersion)
        .where(NoticeVersion.notice_id == notice.id, NoticeVersion.state != VersionState.SUPERSEDED)
        .values(state=VersionState.RETRACTED)
    )
    uncounted = sorted(
        session.scalars(
            select(CountedText.language).where(
                CountedText.notice_id == notice.id, CountedText.state == CountedState.COUNTED
            )
        )
    )
    session.execute(
        update(CountedText)
        .where(CountedText.notice_id == notice.id)
        .values(state=CountedState.RETRACTED, updated_at=utcnow())
    )
    if not already:
        record(
            session,
            actor,
            "retracted",
            notice_id=notice.id,
            reason=notice.retraction_reason,
            uncounted=uncounted,
        )
    session.flush()
    return Retraction(
        notice_id=notice.id,
        title=notice.title,
        retracted_at=notice.retracted_at,  # type: ignore[arg-type]
        retracted_by=notice.retracted_by or actor,
        reason=notice.retraction_reason or "",
        already=already,
        uncounted_languages=uncounted,
        published_on=_published_on(session, notice.id),
    )


def withdraw(
    database_url: str, retraction: Retraction, publishers: Mapping[str, Publisher]
) -> Iterator[Withdrawal]:
    """Ask every configured channel, then every other channel with a record, to take the notice off.

    Each channel is asked about every language of every version of the notice, recorded or not
    (a run killed between a channel's publish and its record leaves a page with no record). What
    it held beforehand is what it took off. Idempotent: a second run finds nothing left. Raises
    WithdrawalError, naming the channel, when one fails; the channels before it are done.
    """
    with_records(publishers, database_url)
    versions = _language_versions(database_url, retraction.notice_id)
    for channel, publisher in publishers.items():
        keys = [PublicationKey(retraction.notice_id, n, lang, channel) for n, lang in versions]
        held = {key: publisher.status(key) for key in keys}
        if any(result.state == NOT_CONFIGURED for result in held.values()):
            if channel in retraction.published_on:
                yield _unreachable(channel)
            continue
        try:
            for key in keys:
                publisher.retract(key)
        except ChannelError as error:
            raise WithdrawalError(channel, error) from error
        taken_off = [key for key in keys if held[key].state == PUBLISHED]
        yield Withdrawal(channel, True, taken_off, _summary(publisher, taken_off, held))
    for channel in retraction.published_on:
        if channel not in publishers:
            yield _unreachable(channel)


def _language_versions(database_url: str, notice_id: int) -> list[tuple[int, str]]:
    """(version number, language) of every language of every version of a notice."""
    with transaction(database_url) as session:
        rows = session.execute(
            select(NoticeVersion.number, LanguageVersion.language)
            .join(LanguageVersion, LanguageVersion.version_id == NoticeVersion.id)
            .where(NoticeVersion.notice_id == notice_id)
            .order_by(NoticeVersion.number, LanguageVersion.language)
        ).all()
    return [(number, language) for number, language in rows]


def _summary(
    publisher: Publisher,
    taken_off: list[PublicationKey],
    held: dict[PublicationKey, ChannelResult],
) -> str:
    """The channel's own words for what it took off, or where each publication was."""
    if isinstance(publisher, DescribesRetraction):
        return publisher.retraction_summary(taken_off)
    where = [held[key].location or str(key) for key in taken_off]
    return f"{publisher.channel}: taken off: {', '.join(where) if where else 'none left'}"


def _unreachable(channel: str) -> Withdrawal:
    return Withdrawal(
        channel,
        False,
        [],
        f"{channel}: not configured here, so waiwen cannot take the article off; delete it there "
        "by hand",
    )


def _published_on(session: Session, notice_id: int) -> list[str]:
    """Channels with a recorded publication of the notice."""
    return sorted(
        set(
            session.scalars(
                select(Publication.channel)
                .join(LanguageVersion, LanguageVersion.id == Publication.language_version_id)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(NoticeVersion.notice_id == notice_id, Publication.state == PUBLISHED)
            )
        )
    )
