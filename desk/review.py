"""The review page of one notice and language, and every action taken on it."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.states import LanguageState
from desk.accounts import SignedIn
from desk.auth import CsrfToken, current, posted_by, require
from desk.preview import preview
from desk.web import PREVIEW_POLICY, Refused, desk_of, image_response
from pipeline import review as steps
from pipeline.ai_review import configured_reader, review_language
from pipeline.glossary import load_glossary
from pipeline.lookups import LARGEST_ID, current_language
from pipeline.memory import fuzzy_suggestions
from pipeline.review_view import excerpt, show
from pipeline.status import deadline_of
from store.models import AuditEntry, NoticeImage, NoticeVersion, Review

router = APIRouter()
Field = Annotated[str, Form()]
# Numbers past the INTEGER columns fail validation, which the desk answers as "No such page" (404).
NoticeId = Annotated[int, Path(ge=1, le=LARGEST_ID)]
Position = Annotated[int, Path(ge=0, le=LARGEST_ID)]
_REVISION = re.compile(r"[0-9]{1,10}")
HISTORY_SHOWN = 300
ORIGINS = {
    "memory": "memory 100%",
    "human": "human",
    "agency": "agency",
    "copy": "copied",
    "glossary": "glossary",
}


def origin_label(origin: str) -> str:
    """Where a draft came from, in the words of the review page."""
    if origin.startswith("engine:"):
        return f"engine {origin.removeprefix('engine:')}"
    if origin == "none":
        return "needs translation"
    return ORIGINS.get(origin, origin)


def _history(session: Session, notice_id: int, language: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.notice_id == notice_id,
                or_(AuditEntry.language == language, AuditEntry.language.is_(None)),
            )
            .order_by(AuditEntry.id.desc())
            .limit(HISTORY_SHOWN)
        )
    )


def _said(error: steps.ReviewError) -> str:
    """A refused action in the review page's words: how to go on here."""
    if isinstance(error, steps.SegmentsUntranslated):
        return f"{error}; type them in their rows below and save each"
    if isinstance(error, steps.ChecksBlock):
        return f"{error}. Fix the text, or accept a finding with Override and a written reason"
    return str(error)


def _page(
    request: Request,
    signed: SignedIn,
    notice_id: int,
    language: str,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    desk = desk_of(request)
    with desk.transaction() as session:
        view = show(session, str(notice_id), language)
        version, lang = current_language(session, str(notice_id), language)
        glossary = load_glossary(session)
        hits = {s.position: glossary.hits(s.source, language) for s in view.segments}
        deadline, _ = deadline_of(version, desk.calendar(session))
        two_stage = steps.needs_second_stage(session, version)
        reviews = list(
            session.scalars(
                select(Review).where(Review.language_version_id == lang.id).order_by(Review.id)
            )
        )
        history = _history(session, notice_id, language)
    account = signed.account
    may_review = account.has("reviewer") and account.covers(language)
    return desk.render(
        request,
        "review.html",
        signed,
        status_code,
        view=view,
        urgency=version.urgency,
        deadline=deadline,
        hits=hits,
        two_stage=two_stage,
        reviews=reviews,
        history=history,
        origin_label=origin_label,
        excerpt=excerpt,
        may_edit=may_review and view.state in steps.EDITABLE and language != "zh",
        may_approve=may_review and view.state == LanguageState.IN_REVIEW,
        may_sign_off=account.has("approver") and view.state == LanguageState.REVIEWED,
        may_ask_ai=may_review and view.state in steps.EDITABLE and bool(desk.settings.ai_review),
        may_reject=(may_review and view.state == LanguageState.IN_REVIEW)
        or (account.has("approver") and view.state == LanguageState.REVIEWED),
        **extra,
    )


def _back(notice_id: int, language: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/notices/{notice_id}/{language}{anchor}", status_code=303)


@router.get("/notices/{notice_id}/{language}")
def review_page(request: Request, notice_id: NoticeId, language: str) -> Response:
    return _page(request, current(request), notice_id, language)


@router.post("/notices/{notice_id}/{language}/segments/{position}")
def edit(
    request: Request,
    notice_id: NoticeId,
    language: str,
    position: Position,
    csrf_token: CsrfToken = "",
    text: Field = "",
    revision: Field = "",
) -> Response:
    """Save a reviewer's text for one segment; a stale revision is shown as a conflict, not saved."""
    signed = posted_by(request, csrf_token)
    require(signed, "reviewer", language)
    text = text.replace("\r\n", "\n").strip()
    if not _REVISION.fullmatch(revision) or int(revision) > LARGEST_ID:
        # Without the revision the form was opened on, a save could overwrite a newer text unseen.
        said = f"revision {revision!r} is not a revision number" if revision else "no revision"
        return _page(
            request,
            signed,
            notice_id,
            language,
            400,
            problem=f"segment {position}: the form carries {said}, so it cannot show which text "
            "it was opened on; nothing was saved: reload the page and edit again",
        )
    try:
        with desk_of(request).transaction() as session:
            steps.edit_segment(
                session,
                str(notice_id),
                language,
                position,
                text,
                signed.account.name,
                int(revision),
            )
    except steps.EditConflict as conflict:
        return desk_of(request).render(
            request,
            "conflict.html",
            signed,
            409,
            notice_id=notice_id,
            language=language,
            position=position,
            mine=text,
            conflict=conflict,
        )
    except steps.ReviewError as error:
        return _segment_refused(request, signed, notice_id, language, position, error)
    return _back(notice_id, language, f"#s{position}")


def _segment_refused(
    request: Request,
    signed: SignedIn,
    notice_id: int,
    language: str,
    position: int,
    error: steps.ReviewError,
) -> Response:
    """The review page naming the segment a step was refused for: 409 if the language moved on."""
    status = 409 if isinstance(error, steps.StateMoved) else 400
    return _page(
        request, signed, notice_id, language, status, problem=f"segment {position}: {error}"
    )


@router.get("/notices/{notice_id}/{language}/segments/{position}/suggestions")
def suggestions(
    request: Request, notice_id: NoticeId, language: str, position: Position
) -> Response:
    """Fuzzy memory matches for one segment (the page asks for them when the segment gets focus)."""
    signed = current(request)
    desk = desk_of(request)
    with desk.transaction() as session:
        view = show(session, str(notice_id), language)
        segment = next((s for s in view.segments if s.position == position), None)
        if segment is None:
            raise HTTPException(404, f"notice {notice_id} has no segment {position}")
        found = fuzzy_suggestions(session, segment.source, language)
    fragment = request.query_params.get("fragment") == "1"
    return desk.render(
        request,
        "suggestion_list.html" if fragment else "suggestions.html",
        signed,
        view=view,
        segment=segment,
        suggestions=found,
        may_edit=signed.account.has("reviewer")
        and signed.account.covers(language)
        and view.state in steps.EDITABLE,
    )


@router.post("/notices/{notice_id}/{language}/segments/{position}/override")
def override(
    request: Request,
    notice_id: NoticeId,
    language: str,
    position: Position,
    csrf_token: CsrfToken = "",
    check: Field = "",
    reason: Field = "",
) -> Response:
    signed = posted_by(request, csrf_token)
    require(signed, "reviewer", language)
    try:
        with desk_of(request).transaction() as session:
            steps.override_check(
                session,
                str(notice_id),
                language,
                position,
                check,
                reason,
                signed.account.name,
            )
    except steps.ReviewError as error:
        return _segment_refused(request, signed, notice_id, language, position, error)
    return _back(notice_id, language, f"#s{position}")


@router.post("/notices/{notice_id}/{language}/ai-review")
def ask_ai_reader(
    request: Request, notice_id: NoticeId, language: str, csrf_token: CsrfToken = ""
) -> Response:
    """Have the AI second reader read this language now; its findings are warnings only."""
    signed = posted_by(request, csrf_token)
    require(signed, "reviewer", language)
    desk = desk_of(request)
    with desk.transaction() as session:
        _, lang = current_language(session, str(notice_id), language)
        state = lang.state
    if state not in steps.EDITABLE:
        return _page(
            request,
            signed,
            notice_id,
            language,
            400,
            problem=f"{language} of notice {notice_id} is {state}; the AI reader reads drafts in review",
        )
    try:
        reader = configured_reader(desk.settings)
    except ValueError as error:
        return _page(request, signed, notice_id, language, 400, problem=str(error))
    if reader is None:
        return _page(
            request,
            signed,
            notice_id,
            language,
            400,
            problem="the AI second reader is off: WAIWEN_AI_REVIEW is empty",
        )
    outcome = review_language(
        desk.database_url, str(notice_id), language, reader, actor=signed.account.name
    )
    said = outcome.summary()
    # A failed reading is said as a problem, and blocks nothing: the page is as before.
    if outcome.failed:
        return _page(request, signed, notice_id, language, problem=said)
    return _page(request, signed, notice_id, language, done=said)


@router.post("/notices/{notice_id}/{language}/approve")
def approve(
    request: Request,
    notice_id: NoticeId,
    language: str,
    csrf_token: CsrfToken = "",
    comment: Field = "",
) -> Response:
    signed = posted_by(request, csrf_token)
    require(signed, "reviewer", language)
    return _decide(request, signed, notice_id, language, steps.approve, comment)


@router.post("/notices/{notice_id}/{language}/sign-off")
def sign_off(
    request: Request,
    notice_id: NoticeId,
    language: str,
    csrf_token: CsrfToken = "",
    comment: Field = "",
) -> Response:
    signed = posted_by(request, csrf_token)
    require(signed, "approver")
    return _decide(request, signed, notice_id, language, steps.sign_off, comment)


def _decide(
    request: Request, signed: SignedIn, notice_id: int, language: str, step: Any, comment: str
) -> Response:
    desk = desk_of(request)
    try:
        with desk.transaction() as session:
            lang = step(session, str(notice_id), language, signed.account.name, comment.strip())
            state, version_id = lang.state, lang.version_id
    except steps.StateMoved as moved:
        return _page(request, signed, notice_id, language, 409, problem=str(moved))
    except steps.ReviewError as error:
        return _page(request, signed, notice_id, language, 400, problem=_said(error))
    said = "approved; waiting for an approver's sign-off"
    if state == LanguageState.APPROVED:
        said = "approved; " + desk.hand_over.publish(version_id, language)
    return _page(request, signed, notice_id, language, done=said)


@router.post("/notices/{notice_id}/{language}/reject")
def reject(
    request: Request,
    notice_id: NoticeId,
    language: str,
    csrf_token: CsrfToken = "",
    comment: Field = "",
) -> Response:
    """Send a language back: in review, a reviewer of the language; awaiting sign-off, an approver."""
    signed = posted_by(request, csrf_token)
    account = signed.account
    if not account.has("approver"):
        require(signed, "reviewer", language)
    # The roles this person acts in here; the domain picks the one the language's stage needs.
    roles = [role for role in ("reviewer", "approver") if account.has(role)]
    if "reviewer" in roles and not account.covers(language):
        roles.remove("reviewer")
    try:
        with desk_of(request).transaction() as session:
            steps.reject(session, str(notice_id), language, account.name, comment, roles)
    except steps.StageRefused as refusal:
        if account.has(refusal.needs):
            require(signed, refusal.needs, language)  # the role is there, the language is not
        raise Refused(account.name, str(refusal)) from None
    except steps.StateMoved as moved:
        return _page(request, signed, notice_id, language, 409, problem=str(moved))
    except steps.ReviewError as error:
        return _page(request, signed, notice_id, language, 400, problem=str(error))
    return _back(notice_id, language)


@router.get("/notices/{notice_id}/{language}/preview/{channel}")
def preview_page(request: Request, notice_id: NoticeId, language: str, channel: str) -> Response:
    """The page as the site or WeChat will show it; no script runs in a preview."""
    signed = current(request)
    if channel not in ("site", "wechat"):
        raise HTTPException(404, "a preview is of the site or of wechat")
    desk = desk_of(request)
    with desk.transaction() as session:
        shown = preview(session, str(notice_id), language, channel, f"/notices/{notice_id}/images")
    response = desk.render(
        request,
        f"preview_{channel}.html",
        signed,
        preview=shown,
        language=language,
        notice_id=notice_id,
    )
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@router.get("/notices/{notice_id}/images/{sha256}")
def image(request: Request, notice_id: NoticeId, sha256: str) -> Response:
    """An image a notice uses, as stored at queueing (for the previews); only ever as an image."""
    current(request)
    with desk_of(request).transaction() as session:
        found = session.execute(
            select(NoticeImage.source, NoticeImage.data)
            .join(NoticeVersion, NoticeVersion.id == NoticeImage.version_id)
            .where(NoticeVersion.notice_id == notice_id, NoticeImage.sha256 == sha256)
            .limit(1)
        ).first()
    if found is None:
        raise HTTPException(404, "no such image")
    return image_response(found.data, found.source)
