"""Review: reviewers type missing segments, correct drafts, approve or reject a language."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.states import Decision, LanguageState
from pipeline.counts import count_language
from pipeline.glossary import load_glossary
from pipeline.lookups import current_language
from pipeline.memory import remember
from pipeline.office_settings import check_levels, two_stage_columns
from pipeline.quality import advisory_rows, blocking, column_of, findings_for, recheck
from pipeline.review_view import LanguageView, show
from pipeline.texts import approved_text
from store.audit import record
from store.db import updated_rows
from store.models import (
    AuditEntry,
    CheckOverride,
    LanguageVersion,
    Notice,
    NoticeVersion,
    Review,
    Segment,
    Translation,
    utcnow,
)
from translators.glossary import Glossary


class ReviewError(Exception):
    """A review action that cannot be done, said in words a reviewer can act on."""


class EditConflict(ReviewError):
    """Someone saved the segment after the reviewer opened it: both texts are kept for the choice."""

    def __init__(
        self, position: int, source: str, theirs: str | None, by: str, revision: int
    ) -> None:
        self.position, self.source, self.theirs = position, source, theirs
        self.by, self.revision = by, revision
        super().__init__(
            f"segment {position} was changed by {by} meanwhile (now: {theirs!r}); "
            "reload and edit again"
        )


class StateMoved(ReviewError):
    """Someone changed the language's state between reading it and acting: nothing was done."""


class StageRefused(ReviewError):
    """The action belongs to another stage of the review (``needs`` names the role it takes)."""

    def __init__(self, needs: str, message: str) -> None:
        self.needs = needs
        super().__init__(message)


class NotReady(ReviewError):
    """The language cannot be approved as it stands; each edge says how to go on in its own words."""

    def __init__(self, notice_id: int, language: str, message: str) -> None:
        self.notice_id, self.language = notice_id, language
        super().__init__(message)


class SegmentsUntranslated(NotReady):
    """Some segments have no text yet: a reviewer types them before approving."""


class ChecksBlock(NotReady):
    """Quality-check errors stand open: each is fixed or accepted with a written reason first."""


# States in which a language's text may still change.
EDITABLE = (LanguageState.IN_REVIEW, LanguageState.REJECTED, LanguageState.REVIEWED)
# Audited actions that move a language's state, as a refused action reports them.
_MOVES = {
    "approved": "was approved by {actor} meanwhile",
    "reviewed": "was approved by {actor} meanwhile and awaits an approver's sign-off",
    "rejected": "was rejected by {actor} meanwhile",
    "edited": "was edited by {actor} meanwhile and is back in review",
}


def _segment_in_review(
    session: Session, notice: str, language: str, position: int, action: str
) -> tuple[NoticeVersion, LanguageVersion, Translation, Segment]:
    """One segment's translation in a language still in review, or a ReviewError saying why not."""
    version, lang = current_language(session, notice, language)
    if lang.state not in EDITABLE:
        raise ReviewError(
            f"{language} of notice {version.notice_id} is {lang.state}; only drafts in review {action}"
        )
    found = session.execute(
        select(Translation, Segment)
        .join(Segment, Segment.id == Translation.segment_id)
        .where(
            Segment.version_id == version.id,
            Segment.position == position,
            Translation.language == language,
        )
    ).one_or_none()
    if found is None:
        raise ReviewError(f"notice {version.notice_id} has no segment {position} in {language}")
    translation, segment = found
    return version, lang, translation, segment


def edit_segment(
    session: Session,
    notice: str,
    language: str,
    position: int,
    text: str,
    reviewer: str,
    expected_revision: int | None = None,
) -> None:
    """Replace one segment's text if it is still at ``expected_revision`` (None: the one read here)."""
    if not text.strip():
        raise ReviewError("the new text is empty")
    version, lang, translation, segment = _segment_in_review(
        session, notice, language, position, "can be edited"
    )
    # Without a revision (the command line) the one read here is expected: the save is still a
    # compare-and-swap, so someone's save between this read and the write is a conflict.
    expected = translation.revision if expected_revision is None else expected_revision
    if translation.revision != expected:
        raise _conflict(translation, segment)
    if text == translation.text:
        return  # saving an unchanged text is not an edit
    before = translation.text
    glossary = load_glossary(session)
    # A changed text needs a reviewer's approval again, even after a first sign-off; the
    # conditional update also holds the language against an approval until this commits.
    change_state(session, version, lang, EDITABLE, LanguageState.IN_REVIEW)
    save_text(
        session,
        translation,
        segment,
        text,
        expected_revision=expected,
        origin="human",
        actor=reviewer,
        glossary=glossary,
    )
    record(
        session,
        reviewer,
        "edited",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        segment=position,
        before=before,
        after=text,
    )


def save_text(
    session: Session,
    translation: Translation,
    segment: Segment,
    text: str,
    *,
    expected_revision: int,
    origin: str,
    actor: str,
    glossary: Glossary,
) -> None:
    """Store a new text only if the row is still at ``expected_revision``; EditConflict if not."""
    # Every writer of Translation.text goes through here. The comparison is in the UPDATE itself,
    # not in Python: of two saves based on one revision exactly one changes the row.
    findings = findings_for(segment.source_text, text, translation.language, segment.kind, glossary)
    # The AI reader's findings stay, stale from now on: read afresh, since the reader may have
    # stored some after this row was loaded (it holds the language as an edit does).
    with session.no_autoflush:
        before = session.scalar(
            select(Translation.findings).where(Translation.id == translation.id)
        )
    findings += advisory_rows(before)
    with session.no_autoflush:  # nothing pending may be written ahead of the swap
        saved = updated_rows(
            session,
            update(Translation)
            .where(Translation.id == translation.id, Translation.revision == expected_revision)
            .values(
                text=text,
                origin=origin,
                note="",
                revision=Translation.revision + 1,
                updated_by=actor,
                updated_at=utcnow(),
                findings=findings,
            )
            .execution_options(synchronize_session=False),
        )
    if not saved:
        session.refresh(translation)  # the text that won, to show beside the refused one
        raise _conflict(translation, segment)
    session.expire(translation)  # the identity map still holds the row as it was read


def _conflict(translation: Translation, segment: Segment) -> EditConflict:
    return EditConflict(
        segment.position,
        segment.source_text,
        translation.text,
        translation.updated_by,
        translation.revision,
    )


def change_state(
    session: Session,
    version: NoticeVersion,
    lang: LanguageVersion,
    expected: Collection[LanguageState],
    new: LanguageState | None,
    **values: Any,
) -> None:
    """Move a language to ``new`` (None: keep it) only if still in ``expected``; StateMoved if not."""
    # Call it before any other write of the action and before reading what the action decides
    # on (texts, findings, reviews): of concurrent actions exactly one passes, and it then reads
    # the language while holding it (a row lock on PostgreSQL; on SQLite the write lock, which
    # the first write of a transaction waits for instead of failing with "database is locked").
    state = LanguageVersion.state if new is None else new
    with session.no_autoflush:  # nothing pending may be written ahead of the condition
        moved = updated_rows(
            session,
            update(LanguageVersion)
            .where(LanguageVersion.id == lang.id, LanguageVersion.state.in_(tuple(expected)))
            .values(state=state, **values)
            .execution_options(synchronize_session=False),
        )
    if not moved:
        raise _moved_meanwhile(session, version, lang)
    session.expire(lang)  # the identity map still holds the state read before the update


def _moved_meanwhile(session: Session, version: NoticeVersion, lang: LanguageVersion) -> StateMoved:
    """Who moved the language's state since it was read, in words (read after the failed update)."""
    where = f"{lang.language} of notice {version.notice_id}"
    now = session.scalar(select(LanguageVersion.state).where(LanguageVersion.id == lang.id))
    if now == LanguageState.SUPERSEDED:
        return StateMoved(f"{where} was superseded by a newer version meanwhile; nothing was done")
    last = session.execute(
        select(AuditEntry.actor, AuditEntry.action)
        .where(
            AuditEntry.version_id == version.id,
            AuditEntry.language == lang.language,
            AuditEntry.action.in_(tuple(_MOVES)),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return StateMoved(f"{where} became {now} meanwhile; nothing was done")
    return StateMoved(f"{where} {_MOVES[last.action].format(actor=last.actor)}; nothing was done")


def override_check(
    session: Session,
    notice: str,
    language: str,
    position: int,
    check_id: str,
    reason: str,
    reviewer: str,
) -> CheckOverride:
    """Accept one error finding of a segment's current text, with the reviewer's written reason."""
    if not reason.strip():
        raise ReviewError("an override needs a written reason saying why the finding is acceptable")
    version, lang, translation, segment = _segment_in_review(
        session, notice, language, position, "take overrides"
    )
    # Hold the language (an edit or an approval waits for this one), then decide on the text as
    # it stands: a double submit finds the first override, a new revision gets none by mistake.
    change_state(session, version, lang, EDITABLE, None)
    session.refresh(translation)
    if translation.findings is None:
        recheck(translation, segment, load_glossary(session))
    at_levels = check_levels(session).applied(
        translation.findings or [], column_of(session, version.id)
    )
    errors = {f["check"]: f["message"] for f in at_levels if f["severity"] == "error"}
    if check_id not in errors:
        shown = ", ".join(sorted(errors)) or "none"
        raise ReviewError(
            f"segment {position} in {language} has no error from check {check_id!r} (its errors: {shown})"
        )
    existing = session.scalars(
        select(CheckOverride).where(
            CheckOverride.translation_id == translation.id,
            CheckOverride.check_id == check_id,
            CheckOverride.revision == translation.revision,
        )
    ).one_or_none()
    if existing is not None:
        return existing  # said already for this very text; the first reason stands
    accepted = CheckOverride(
        translation_id=translation.id,
        check_id=check_id,
        revision=translation.revision,
        reason=reason.strip(),
        created_by=reviewer,
    )
    session.add(accepted)
    record(
        session,
        reviewer,
        "check overridden",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        segment=position,
        check=check_id,
        finding=errors[check_id],
        reason=reason.strip(),
    )
    return accepted


def needs_second_stage(session: Session, version: NoticeVersion) -> bool:
    """Major notices, and notices of columns the office chose, need an approver after the reviewer."""
    if version.urgency == "major":
        return True
    column = session.get_one(Notice, version.notice_id).column
    return column in two_stage_columns(session)


def approve(
    session: Session, notice: str, language: str, reviewer: str, comment: str = ""
) -> LanguageVersion:
    """A reviewer approves a language: final, or the first of two stages (then state "reviewed")."""
    version, lang = current_language(session, notice, language)
    if lang.state != LanguageState.IN_REVIEW:
        raise ReviewError(
            f"{language} of notice {version.notice_id} is {lang.state}; only a language in review can be approved"
        )
    if not needs_second_stage(session, version):
        change_state(
            session,
            version,
            lang,
            (LanguageState.IN_REVIEW,),
            LanguageState.APPROVED,
            approved_by=reviewer,
            approved_at=utcnow(),
        )
        return _final_approval(session, version, lang, notice, reviewer, comment)
    change_state(session, version, lang, (LanguageState.IN_REVIEW,), LanguageState.REVIEWED)
    _ready_for_approval(session, version, notice, language)
    session.add(
        Review(
            language_version_id=lang.id,
            reviewer=reviewer,
            decision=Decision.REVIEWED,
            comment=comment,
        )
    )
    record(
        session,
        reviewer,
        "reviewed",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        waits_for="an approver's sign-off",
        **({"comment": comment} if comment else {}),
    )
    return lang


def sign_off(
    session: Session, notice: str, language: str, approver: str, comment: str = ""
) -> LanguageVersion:
    """An approver's second sign-off on a reviewed language: it is then approved and counted."""
    version, lang = current_language(session, notice, language)
    if lang.state != LanguageState.REVIEWED:
        raise ReviewError(
            f"{language} of notice {version.notice_id} is {lang.state}; the approver signs off "
            "after a reviewer has approved it"
        )
    change_state(
        session,
        version,
        lang,
        (LanguageState.REVIEWED,),
        LanguageState.APPROVED,
        approved_by=approver,
        approved_at=utcnow(),
    )
    # Read after the update: the reviewer's approval that stands now, not one read before it.
    first = session.scalars(
        select(Review)
        .where(Review.language_version_id == lang.id, Review.decision == Decision.REVIEWED)
        .order_by(Review.id.desc())
        .limit(1)
    ).one()
    if first.reviewer == approver:
        raise ReviewError(
            f"{approver} approved {language} of notice {version.notice_id} as reviewer; "
            "the second sign-off must come from someone else"
        )
    return _final_approval(session, version, lang, notice, approver, comment)


def _ready_for_approval(
    session: Session, version: NoticeVersion, notice: str, language: str
) -> LanguageView:
    """The language's view if every segment has a text and no error finding stands open."""
    view = show(session, notice, language)
    missing = [s.position for s in view.segments if s.text is None]
    if missing:
        raise SegmentsUntranslated(
            version.notice_id,
            language,
            f"{len(missing)} segment(s) still need translation "
            f"(segments {', '.join(map(str, missing))})",
        )
    blocked = blocking(session, version.id, language, load_glossary(session))
    if blocked:
        listed = "; ".join(f"segment {b.position} [{b.check_id}] {b.message}" for b in blocked[:10])
        more = f" and {len(blocked) - 10} more" if len(blocked) > 10 else ""
        raise ChecksBlock(
            version.notice_id,
            language,
            f"{len(blocked)} quality-check error(s) block approval: {listed}{more}",
        )
    return view


def _final_approval(
    session: Session,
    version: NoticeVersion,
    lang: LanguageVersion,
    notice: str,
    approver: str,
    comment: str = "",
) -> LanguageVersion:
    """Once approved: check, count the text as published and learn it into the memory."""
    language = lang.language
    view = _ready_for_approval(session, version, notice, language)
    texts = {s.position: s.text or "" for s in view.segments}
    counted = approved_text(version.skeleton or "", texts, language)
    count_language(lang, counted)
    session.add(
        Review(
            language_version_id=lang.id,
            reviewer=approver,
            decision=Decision.APPROVED,
            comment=comment,
        )
    )
    for segment in view.segments:
        remember(
            session,
            segment.source,
            language,
            segment.text or "",
            f"approved:{version.id}/{language}",
        )
    record(
        session,
        approver,
        "approved",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        figure=lang.figure,
        convention=lang.convention,
        **({"comment": comment} if comment else {}),
    )
    return lang


def reject(
    session: Session,
    notice: str,
    language: str,
    reviewer: str,
    comment: str,
    roles: Collection[str] = ("reviewer",),
) -> None:
    """Send a language back with a comment: in review by a reviewer, awaiting sign-off by an approver."""
    # Two stages: approvers send back what a reviewer approved, reviewers what no one approved
    # yet. ``roles`` are the roles the actor acts in (the desk's account, the command's option).
    if not comment.strip():
        raise ReviewError("a rejection needs a comment saying what to fix")
    version, lang = current_language(session, notice, language)
    where = f"{language} of notice {version.notice_id}"
    if lang.state not in (LanguageState.IN_REVIEW, LanguageState.REVIEWED):
        raise ReviewError(f"{where} is {lang.state}; only a language in review can be rejected")
    stage = LanguageState(lang.state)
    if stage == LanguageState.IN_REVIEW and "reviewer" not in roles:
        raise StageRefused(
            "reviewer",
            f"{where} is in review and no reviewer has approved it yet: a reviewer rejects it; "
            "approvers send back what a reviewer approved",
        )
    if stage == LanguageState.REVIEWED and "approver" not in roles:
        raise StageRefused(
            "approver",
            f"{where} was approved by a reviewer and awaits an approver's sign-off: only an "
            "approver can send it back now",
        )
    change_state(session, version, lang, (stage,), LanguageState.REJECTED)
    session.add(
        Review(
            language_version_id=lang.id,
            reviewer=reviewer,
            decision=Decision.REJECTED,
            comment=comment,
        )
    )
    record(
        session,
        reviewer,
        "rejected",
        notice_id=version.notice_id,
        version_id=version.id,
        language=language,
        comment=comment,
    )
