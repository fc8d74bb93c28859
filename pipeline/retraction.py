"""Retraction: a notice leaves the site and the yearly report; its rows and history stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.states import ChannelState, CountedState, LanguageState, VersionState
from pipeline.audit import record
from pipeline.lookups import find_notice
from store.models import CountedText, LanguageVersion, Notice, NoticeVersion, Publication, utcnow


class ReasonMissing(Exception):
    """A first retraction without a reason: the reason is kept in the notice's history."""


@dataclass(frozen=True)
class Retraction:
    """What retracting a notice changed (or found changed by an earlier run)."""

    notice_id: int
    title: str
    retracted_at: datetime
    retracted_by: str
    reason: str
    already: bool  # True when an earlier run retracted it; the site is cleaned again anyway
    uncounted_languages: list[str]
    other_channels: list[str]  # channels other than the site where the notice is published


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
        other_channels=_other_channels(session, notice),
    )


def _other_channels(session: Session, notice: Notice) -> list[str]:
    """Channels besides the site that carry the notice: waiwen cannot take it off those yet."""
    return sorted(
        set(
            session.scalars(
                select(Publication.channel)
                .join(LanguageVersion, LanguageVersion.id == Publication.language_version_id)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(
                    NoticeVersion.notice_id == notice.id,
                    Publication.state == ChannelState.PUBLISHED,
                    Publication.channel != "site",
                )
            )
        )
    )
