"""Status: where each notice and language stands, its due date and its history."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.calendar import Deadline, WorkingCalendar, disclosure_deadline, major_deadline
from core.clock import OFFICE_TIME_ZONE, as_utc, end_of_office_day, office_date
from core.languages import order_of
from core.states import LanguageState, WeChatPostState
from store.models import (
    AuditEntry,
    LanguageVersion,
    Notice,
    NoticeVersion,
    Publication,
    Segment,
    Translation,
    WeChatPost,
)


@dataclass(frozen=True)
class LanguageStatus:
    """One language of the current version."""

    language: str
    state: str
    origins: dict[str, int]
    needs_translation: int
    figure: int | None
    convention: str | None
    measures: dict[str, int] | None
    publications: dict[str, dict[str, str]]
    # What drafting it cost at batch engines (LLMs), over every drafting run of this version.
    prompt_tokens: int = 0
    completion_tokens: int = 0
    engine_requests: int = 0


@dataclass(frozen=True)
class NoticeStatus:
    """A notice: its current version, deadline and languages."""

    notice_id: int
    key: str
    title: str
    column: str
    version: int
    version_state: str  # as stored: a version stays in_review while its languages are published
    summary: str  # what the languages say of the version, e.g. "published (zh, en, fr)"
    urgency: str
    formed_on: str
    due: str
    due_estimated: bool
    due_warning: str | None
    overdue: bool
    languages: list[LanguageStatus]
    history: list[dict[str, Any]] = field(default_factory=list)
    retracted: str | None = None  # "<day> by <who>: <reason>" once retracted

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json``."""
        return asdict(self)


def notice_statuses(
    session: Session,
    calendar: WorkingCalendar,
    notice_id: int | None = None,
    history: bool = False,
    now: datetime | None = None,
) -> list[NoticeStatus]:
    """Status of every notice (or one), newest first."""
    query = select(Notice).order_by(Notice.id.desc())
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    return [_status(session, notice, calendar, history, now) for notice in session.scalars(query)]


# The order a person reads a version's languages in: furthest along first.
_PROGRESS = (
    LanguageState.PUBLISHED,
    LanguageState.APPROVED,
    LanguageState.REVIEWED,
    LanguageState.IN_REVIEW,
    LanguageState.REJECTED,
    LanguageState.DRAFTING,
    LanguageState.QUEUED,
    LanguageState.SUPERSEDED,
    LanguageState.RETRACTED,
)


def _said(state: str) -> str:
    return state.replace("_", " ")


def version_summary(version_state: str, languages: list[tuple[str, str]]) -> str:
    """Where a version stands, from its languages' states (given in the office's order).

    "published (zh, en, fr)" when every language is out, "partly published: zh, en published;
    fr in review" while some are, otherwise the version's state and its languages by state. The
    version's own state says only how far drafting got: it stays in_review through publication.
    """
    by_state: dict[str, list[str]] = {}
    for language, state in languages:
        by_state.setdefault(state, []).append(language)
    if len(by_state) == 1:
        [(state, codes)] = by_state.items()
        return f"{_said(state)} ({', '.join(codes)})"
    rank: dict[str, int] = {state: position for position, state in enumerate(_PROGRESS)}
    groups = "; ".join(
        f"{', '.join(codes)} {_said(state)}"
        for state, codes in sorted(by_state.items(), key=lambda item: rank.get(item[0], len(rank)))
    )
    if LanguageState.PUBLISHED in by_state:
        return f"partly published: {groups}"
    return f"{_said(version_state)}: {groups}" if groups else _said(version_state)


def deadline_of(version: NoticeVersion, calendar: WorkingCalendar) -> tuple[Deadline, datetime]:
    """A version's deadline and the last moment it is met: 4 hours for a major notice, else 20
    working days from the day it was formed."""
    if version.urgency == "major":
        deadline = major_deadline(as_utc(version.queued_at).astimezone(OFFICE_TIME_ZONE))
        return deadline, as_utc(deadline.due)  # type: ignore[arg-type]
    deadline = disclosure_deadline(version.formed_on, calendar)
    return deadline, end_of_office_day(deadline.due)  # type: ignore[arg-type]


def _status(
    session: Session, notice: Notice, calendar: WorkingCalendar, history: bool, now: datetime | None
) -> NoticeStatus:
    version = session.scalars(
        select(NoticeVersion)
        .where(NoticeVersion.notice_id == notice.id)
        .order_by(NoticeVersion.number.desc())
        .limit(1)
    ).one()
    deadline, due_at = deadline_of(version, calendar)
    languages = [_language_status(session, lang) for lang in _languages(session, version)]
    finished = notice.retracted_at is not None or (
        bool(languages) and all(lang.state == LanguageState.PUBLISHED for lang in languages)
    )
    current = as_utc(now) if now is not None else datetime.now(UTC)
    return NoticeStatus(
        notice_id=notice.id,
        key=notice.key,
        title=version.title,
        column=notice.column,
        version=version.number,
        version_state=version.state,
        summary=version_summary(version.state, [(lang.language, lang.state) for lang in languages]),
        urgency=version.urgency,
        formed_on=version.formed_on.isoformat(),
        due=deadline.due.isoformat(),
        due_estimated=deadline.estimated,
        due_warning=deadline.warning,
        overdue=not finished and current > due_at,
        languages=languages,
        history=_history(session, notice.id) if history else [],
        retracted=None
        if notice.retracted_at is None
        else f"{office_date(notice.retracted_at)} by {notice.retracted_by}: {notice.retraction_reason}",
    )


def _languages(session: Session, version: NoticeVersion) -> list[LanguageVersion]:
    rows = session.scalars(
        select(LanguageVersion).where(LanguageVersion.version_id == version.id)
    ).all()
    known = {row.language for row in rows}
    queued = [
        LanguageVersion(version_id=version.id, language=lang, state=LanguageState.QUEUED)
        for lang in ["zh", *version.languages]
        if lang not in known
    ]
    return sorted([*rows, *queued], key=lambda lang: order_of(lang.language))


def _language_status(session: Session, lang: LanguageVersion) -> LanguageStatus:
    origins: Counter[str] = Counter()
    missing = 0
    publications: dict[str, dict[str, str]] = {}
    if lang.id is not None:
        if lang.language == "zh":
            origins["source"] = (
                session.scalar(
                    select(func.count(Segment.id)).where(Segment.version_id == lang.version_id)
                )
                or 0
            )
        else:
            rows = session.execute(
                select(Translation.origin, Translation.text)
                .join(Segment, Segment.id == Translation.segment_id)
                .where(Segment.version_id == lang.version_id, Translation.language == lang.language)
            ).all()
            origins.update(origin for origin, _ in rows)
            missing = sum(1 for _, text in rows if text is None)
        for publication in session.scalars(
            select(Publication).where(Publication.language_version_id == lang.id)
        ):
            publications[publication.channel] = {
                "state": publication.state,
                "location": publication.location,
                "detail": publication.detail,
                "at": publication.published_at.isoformat(),
            }
        post = session.scalars(
            select(WeChatPost).where(WeChatPost.language_version_id == lang.id)
        ).one_or_none()
        if post is not None and (
            post.state == WeChatPostState.DELETED or "wechat" not in publications
        ):
            # On its way (postponed, blocked, publishing) or withdrawn: the journal says where it is.
            publications["wechat"] = {
                "state": post.state,
                "location": post.article_url or "",
                "detail": post.detail,
                "at": post.updated_at.isoformat(),
            }
    return LanguageStatus(
        language=lang.language,
        state=lang.state,
        origins=dict(origins),
        needs_translation=missing,
        figure=lang.figure,
        convention=lang.convention,
        measures=lang.measures,
        publications=publications,
        # A language not drafted yet has no row: nothing spent.
        prompt_tokens=lang.prompt_tokens or 0,
        completion_tokens=lang.completion_tokens or 0,
        engine_requests=lang.engine_requests or 0,
    )


def _history(session: Session, notice_id: int) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.notice_id == notice_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "version_id": entry.version_id,
            "language": entry.language,
            "detail": entry.detail,
        }
        for entry in entries
    ]
