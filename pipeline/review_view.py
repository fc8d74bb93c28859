"""What reviewers read: one language's segments beside the source, and the languages awaiting review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.states import LanguageState
from pipeline.lookups import current_language
from pipeline.memory import fuzzy_suggestions
from pipeline.office_settings import check_levels
from pipeline.quality import column_of, marked_stale, span_of
from store.models import CheckOverride, LanguageVersion, NoticeVersion, Segment, Translation
from translators.fuzzy import Suggestion

EXCERPT_CONTEXT = 40  # characters shown on each side of a highlighted span


@dataclass(frozen=True)
class Excerpt:
    """A text cut around a finding's span: the reviewer sees `marked` highlighted between the two."""

    before: str
    marked: str
    after: str


def excerpt(text: str | None, span: object) -> Excerpt | None:
    """`text` around a stored span, or None when there is none or it does not fit the text.

    Spans index the texts the checks were given, which are the stored source and translation; a
    span past the end of the text (findings of an older text) shows no highlight rather than a
    wrong one.
    """
    place = span_of(span)
    if text is None or place is None or place[1] > len(text) or place[0] == place[1]:
        return None
    start, end = place
    before = text[:start]
    after = text[end:]
    if len(before) > EXCERPT_CONTEXT:
        before = "…" + before[-EXCERPT_CONTEXT:]
    if len(after) > EXCERPT_CONTEXT:
        after = after[:EXCERPT_CONTEXT] + "…"
    return Excerpt(before, text[start:end], after)


@dataclass(frozen=True)
class SegmentView:
    """One row of the review table."""

    position: int
    kind: str
    source: str
    text: str | None
    origin: str
    note: str
    revision: int
    findings: tuple[dict[str, Any], ...] = ()
    overridden: tuple[str, ...] = ()  # checks whose error a reviewer accepted for this revision
    suggestions: tuple[Suggestion, ...] = ()  # fuzzy memory matches (75% and above)


@dataclass(frozen=True)
class LanguageView:
    """A language version as a reviewer sees it."""

    notice_id: int
    version_id: int
    version: int
    title: str
    language: str
    state: str
    segments: list[SegmentView]


def show(
    session: Session, notice: str, language: str, *, suggestions: bool = False
) -> LanguageView:
    """Source and draft side by side, segment by segment, with findings (and fuzzy matches if asked)."""
    version, lang = current_language(session, notice, language)
    rows = session.execute(
        select(Segment, Translation)
        .outerjoin(
            Translation, (Translation.segment_id == Segment.id) & (Translation.language == language)
        )
        .where(Segment.version_id == version.id)
        .order_by(Segment.position)
    ).all()
    overrides: dict[int, set[str]] = {}
    for translation_id, check_id, revision, current in session.execute(
        select(
            CheckOverride.translation_id,
            CheckOverride.check_id,
            CheckOverride.revision,
            Translation.revision,
        )
        .join(Translation, Translation.id == CheckOverride.translation_id)
        .join(Segment, Segment.id == Translation.segment_id)
        .where(Segment.version_id == version.id, Translation.language == language)
    ):
        if revision == current:
            overrides.setdefault(translation_id, set()).add(check_id)
    rules, column = check_levels(session), column_of(session, version.id)
    segments = []
    for segment, translation in rows:
        offered: tuple[Suggestion, ...] = ()
        if suggestions and (translation is None or translation.origin not in ("memory", "human")):
            offered = tuple(fuzzy_suggestions(session, segment.source_text, language))
        segments.append(
            SegmentView(
                segment.position,
                segment.kind,
                segment.source_text,
                translation.text if translation else None,
                translation.origin if translation else "not drafted",
                translation.note if translation else "",
                translation.revision if translation else 0,
                tuple(
                    marked_stale(
                        rules.applied(translation.findings or [], column), translation.revision
                    )
                )
                if translation
                else (),
                tuple(sorted(overrides.get(translation.id, ()))) if translation else (),
                offered,
            )
        )
    return LanguageView(
        version.notice_id, version.id, version.number, version.title, language, lang.state, segments
    )


@dataclass(frozen=True)
class PendingReview:
    """One line of `waiwen review list`."""

    notice_id: int
    title: str
    language: str
    state: str
    needs_translation: int
    urgency: str
    formed_on: str
    queued_at: datetime


def pending(session: Session) -> list[PendingReview]:
    """Languages waiting for a reviewer, major notices first."""
    rows = session.execute(
        select(NoticeVersion, LanguageVersion)
        .join(LanguageVersion, LanguageVersion.version_id == NoticeVersion.id)
        .where(
            LanguageVersion.state.in_(
                (LanguageState.IN_REVIEW, LanguageState.REJECTED, LanguageState.REVIEWED)
            )
        )
        .order_by(
            (NoticeVersion.urgency == "major").desc(),
            NoticeVersion.queued_at,
            LanguageVersion.language,
        )
    ).all()
    result = []
    for version, lang in rows:
        count = (
            session.scalar(
                select(func.count(Translation.id))
                .join(Segment, Segment.id == Translation.segment_id)
                .where(
                    Segment.version_id == version.id,
                    Translation.language == lang.language,
                    Translation.text.is_(None),
                )
            )
            or 0
        )
        result.append(
            PendingReview(
                version.notice_id,
                version.title,
                lang.language,
                lang.state,
                count,
                version.urgency,
                version.formed_on.isoformat(),
                version.queued_at,
            )
        )
    return result
