"""The queue page (filters, search, upload) and a notice's overview."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import Response

from content.notice import IntakeRules, NoticeRefused
from flows.handoff import DRAFT, draft_runs
from pipeline.intake import queue_sources, read_notices
from pipeline.review import ReviewError, find_notice
from pipeline.status import notice_statuses
from review.accounts import LANGUAGES, list_users
from review.desk import desk_of
from review.desk_auth import CsrfToken, current, posted_by, require
from review.queue import BADGES, Filters, queue_page

router = APIRouter()
MAX_UPLOAD_FILES = 20
_SAFE_NAME = re.compile(r"[^\w.\-]+")


def _filters(request: Request) -> Filters:
    params = request.query_params
    page = params.get("page", "1")
    return Filters(
        column=params.get("column", ""),
        language=params.get("language", ""),
        state=params.get("state", ""),
        reviewer=params.get("reviewer", ""),
        q=params.get("q", "")[:200],
        show="all" if params.get("show") == "all" else "open",
        page=int(page) if page.isdigit() else 1,
    )


def _render_queue(request: Request, status_code: int = 200, **extra: object) -> Response:
    desk = desk_of(request)
    signed = current(request)
    filters = _filters(request)
    with desk.transaction() as session:
        users = list_users(session)
        reviewers = {u.name: list(u.languages or ()) for u in users if "reviewer" in u.roles}
        page = queue_page(session, desk.calendar(session), filters, reviewers, datetime.now(UTC))
    return desk.render(
        request,
        "queue.html",
        signed,
        status_code,
        page=page,
        filters=filters,
        columns=desk.settings.columns,
        languages=LANGUAGES,
        badges=BADGES,
        reviewers=sorted(reviewers),
        **extra,
    )


@router.get("/queue")
def queue(request: Request) -> Response:
    return _render_queue(request)


@router.post("/queue")
def upload(
    request: Request,
    csrf_token: CsrfToken = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Queue notices from uploaded Markdown files (with their images), as `waiwen queue` does."""
    desk = desk_of(request)
    signed = posted_by(request, csrf_token)
    require(signed, "editor")
    files = [f for f in files or [] if f.filename]
    if not files:
        return _render_queue(request, 400, problems=["files: choose at least one Markdown file"])
    if len(files) > MAX_UPLOAD_FILES:
        return _render_queue(
            request, 400, problems=[f"files: at most {MAX_UPLOAD_FILES} files at a time"]
        )
    # Uploads are kept, like the files an editor queues from disk: the version names its source.
    folder = desk.settings.home / "uploads" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder.mkdir(parents=True)
    notices: list[Path] = []
    limit = desk.settings.max_notice_bytes + 5 * 1024 * 1024
    for upload_file in files:
        # Only a plain name inside the upload's folder: no path, no "." or "..", no hidden file.
        name = _SAFE_NAME.sub("_", Path(upload_file.filename or "").name).lstrip(".") or "file"
        data = upload_file.file.read(limit + 1)
        if len(data) > limit:
            return _render_queue(request, 400, problems=[f"{name}: larger than {limit} bytes"])
        (folder / name).write_bytes(data)
        if name.lower().endswith(".md"):
            notices.append(folder / name)
    if not notices:
        return _render_queue(request, 400, problems=["files: no Markdown (.md) file among them"])
    rules = IntakeRules(columns=desk.settings.columns, max_bytes=desk.settings.max_notice_bytes)
    try:
        sources = read_notices(notices, rules)
        with desk.transaction() as session:
            outcomes = queue_sources(session, sources, signed.account.name)
    except NoticeRefused as refused:
        shown = [str(p).replace(f"{folder}/", "") for p in refused.problems]
        return _render_queue(request, 400, problems=["refused, nothing was queued:", *shown])
    new = [o.version_id for o in outcomes if o.outcome != "unchanged"]
    handed = desk.hand_over(desk.settings, DRAFT, draft_runs(new)) if new else ""
    done = [
        f"{Path(o.path).name}: {o.outcome} (notice {o.notice_id}, version {o.number})"
        for o in outcomes
    ]
    return _render_queue(request, 200, done=[*done, handed] if handed else done)


@router.get("/notices/{notice_id}")
def notice_page(request: Request, notice_id: int) -> Response:
    """One notice for the editor following it: languages, deadline, publications, history."""
    desk = desk_of(request)
    signed = current(request)
    with desk.transaction() as session:
        try:
            found = find_notice(session, str(notice_id))
        except ReviewError as error:
            raise HTTPException(404, str(error)) from None
        [status] = notice_statuses(session, desk.calendar(session), found.id, history=True)
    return desk.render(request, "notice.html", signed, status=status)
