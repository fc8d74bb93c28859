"""The desk's queue: current notice versions with a badge per language, deadlines and filters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from content.calendar import WorkingCalendar
from core.clock import OFFICE_TIME_ZONE, as_utc, office_date
from core.languages import SHIPPED_TARGETS, order_of
from core.states import ChannelState, LanguageState, VersionState
from pipeline.status import deadline_of
from store.models import (
    LanguageVersion,
    Notice,
    NoticeVersion,
    Publication,
    Segment,
    Translation,
    WeChatPost,
)

BADGES = (
    "queued",
    "drafting",
    "needs translation",
    "in review",
    "rejected",
    "awaiting approver",
    "approved",
    "published",
    "failed",
)
PAGE_SIZE = 50
# A major notice with less than this left, or a normal one due within this many working days,
# is shown as at risk.
AT_RISK_HOURS = 1
AT_RISK_WORKING_DAYS = 2
# On a publication or in the WeChat journal (both use these words).
_FAILED = (ChannelState.FAILED, ChannelState.REFUSED, ChannelState.BLOCKED)


@dataclass(frozen=True)
class Filters:
    """What the queue page was asked to show."""

    column: str = ""
    language: str = ""
    state: str = ""  # one of BADGES
    reviewer: str = ""  # a reviewer's name: the languages assigned to them
    q: str = ""  # words of the title
    show: str = "open"  # open | all
    page: int = 1


@dataclass(frozen=True)
class Badge:
    language: str
    badge: str
    needs_translation: int = 0


@dataclass(frozen=True)
class QueueRow:
    notice_id: int
    title: str
    column: str
    urgency: str
    version: int
    formed_on: str
    due: str
    due_estimated: bool
    due_warning: str | None
    overdue: bool
    at_risk: bool
    retracted: bool
    badges: list[Badge] = field(default_factory=list)


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def badge_of(lang: LanguageVersion | None, missing: int, failed: bool) -> str:
    """The badge of a language version's state as the desk shows it."""
    if lang is None:
        return "queued"
    if failed:
        return "failed"
    if lang.state == LanguageState.IN_REVIEW:
        return "needs translation" if missing else "in review"
    if lang.state == LanguageState.REVIEWED:
        return "awaiting approver"
    return lang.state.replace("_", " ")


def queue_page(
    session: Session,
    calendar: WorkingCalendar,
    filters: Filters,
    assigned: dict[str, list[str]],
    now: datetime,
) -> QueuePage:
    """One page of the queue: major notices first, then by due date; every filter applied."""
    query = (
        select(NoticeVersion, Notice)
        .join(Notice, Notice.id == NoticeVersion.notice_id)
        .where(NoticeVersion.state != VersionState.SUPERSEDED)
    )
    if filters.column:
        query = query.where(Notice.column == filters.column)
    if filters.q.strip():
        for word in filters.q.split():
            query = query.where(NoticeVersion.title.contains(word, autoescape=True))
    if filters.show != "all":
        # Open: not retracted, and some language is not yet published (or none is drafted yet).
        unfinished = exists().where(
            LanguageVersion.version_id == NoticeVersion.id,
            LanguageVersion.state.not_in((LanguageState.PUBLISHED, LanguageState.SUPERSEDED)),
        )
        drafted = exists().where(LanguageVersion.version_id == NoticeVersion.id)
        query = query.where(Notice.retracted_at.is_(None), unfinished | ~drafted)
    found = session.execute(query).all()
    versions = [version for version, _ in found]
    languages = _languages(session, [v.id for v in versions])
    missing = _missing(session, [v.id for v in versions])
    failed = _failed(session, [v.id for v in versions])
    # No assignment covers every language, a taken-out one's open work included (history stays).
    wanted_languages = set(assigned.get(filters.reviewer, ()) or SHIPPED_TARGETS)
    rows = []
    for version, notice in found:
        badges = _badges(version, languages[version.id], missing, failed)
        if filters.reviewer:
            badges_shown = [b for b in badges if b.language in wanted_languages]
            if not any(
                b.badge in ("in review", "needs translation", "rejected") for b in badges_shown
            ):
                continue
        if filters.language and not any(b.language == filters.language for b in badges):
            continue
        if filters.state and not any(
            b.badge == filters.state and (not filters.language or b.language == filters.language)
            for b in badges
        ):
            continue
        rows.append(_row(version, notice, badges, calendar, now))
    rows.sort(key=lambda r: (r.urgency != "major", r.due, r.notice_id))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    return QueuePage(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], len(rows), page, pages)


def _row(
    version: NoticeVersion,
    notice: Notice,
    badges: list[Badge],
    calendar: WorkingCalendar,
    now: datetime,
) -> QueueRow:
    deadline, due_at = deadline_of(version, calendar)
    finished = notice.retracted_at is not None or all(b.badge == "published" for b in badges)
    if version.urgency == "major":
        due_text = as_utc(due_at).astimezone(OFFICE_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
        at_risk = now >= due_at - timedelta(hours=AT_RISK_HOURS)
    else:
        due_text = deadline.due.isoformat()
        soon = calendar.add_working_days(office_date(now), AT_RISK_WORKING_DAYS).due
        at_risk = deadline.due <= soon  # type: ignore[operator]
    overdue = not finished and now > due_at
    return QueueRow(
        notice_id=notice.id,
        title=version.title,
        column=notice.column,
        urgency=version.urgency,
        version=version.number,
        formed_on=version.formed_on.isoformat(),
        due=due_text,
        due_estimated=deadline.estimated,
        due_warning=deadline.warning,
        overdue=overdue,
        at_risk=not finished and not overdue and at_risk,
        retracted=notice.retracted_at is not None,
        badges=badges,
    )


def _badges(
    version: NoticeVersion,
    langs: dict[str, LanguageVersion],
    missing: dict[tuple[int, str], int],
    failed: set[tuple[int, str]],
) -> list[Badge]:
    wanted = ["zh", *version.languages]
    ordered = sorted(wanted, key=order_of)
    return [
        Badge(
            language,
            badge_of(
                langs.get(language),
                missing.get((version.id, language), 0),
                (version.id, language) in failed,
            ),
            missing.get((version.id, language), 0),
        )
        for language in ordered
    ]


def _languages(session: Session, version_ids: list[int]) -> dict[int, dict[str, LanguageVersion]]:
    found: dict[int, dict[str, LanguageVersion]] = defaultdict(dict)
    if version_ids:
        for lang in session.scalars(
            select(LanguageVersion).where(LanguageVersion.version_id.in_(version_ids))
        ):
            found[lang.version_id][lang.language] = lang
    return found


def _missing(session: Session, version_ids: list[int]) -> dict[tuple[int, str], int]:
    """Segments still without a text, per version and language."""
    if not version_ids:
        return {}
    rows = session.execute(
        select(Segment.version_id, Translation.language, func.count(Translation.id))
        .join(Translation, Translation.segment_id == Segment.id)
        .where(Segment.version_id.in_(version_ids), Translation.text.is_(None))
        .group_by(Segment.version_id, Translation.language)
    )
    return {(version_id, language): count for version_id, language, count in rows}


def _failed(session: Session, version_ids: list[int]) -> set[tuple[int, str]]:
    """Languages whose publication on some channel failed or is blocked."""
    if not version_ids:
        return set()
    found: set[tuple[int, str]] = set()
    for model, state in ((Publication, Publication.state), (WeChatPost, WeChatPost.state)):
        rows = session.execute(
            select(LanguageVersion.version_id, LanguageVersion.language)
            .join(model, and_(model.language_version_id == LanguageVersion.id))
            .where(LanguageVersion.version_id.in_(version_ids), state.in_(_FAILED))
        )
        found.update((version_id, language) for version_id, language in rows)
    return found
