"""The queue page (filters, search, upload) and a notice's overview."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from content.notice import IntakeRules, NoticeRefused
from core.settings import Settings
from desk.accounts import SignedIn, assignable_languages, list_users
from desk.auth import CsrfToken, current, posted_by, require
from desk.broadcast import notice_broadcast
from desk.queue_view import BADGES, Filters, queue_page
from desk.web import MULTIPART_OVERHEAD, desk_of
from pipeline.intake import queue_sources, read_notices
from pipeline.lookups import find_notice
from pipeline.status import notice_statuses

log = logging.getLogger("waiwen.desk")
router = APIRouter()
# An upload's hidden folder lives while one request checks it (seconds); one older than this was
# left by a desk killed during an upload, and is removed by the next upload.
ABANDONED_AFTER_SECONDS = 3600
MAX_UPLOAD_FILES = 20
MAX_NAME = 200
MAX_NAME_BYTES = 255  # the most one name may take on Linux's file systems
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
        languages=assignable_languages(users, desk.settings.target_languages),
        badges=BADGES,
        reviewers=sorted(reviewers),
        **extra,
    )


@router.get("/queue")
def queue(request: Request) -> Response:
    return _render_queue(request)


def file_limit(settings: Settings) -> int:
    """The largest uploaded file read: a notice or an image, with room to spare."""
    return settings.max_notice_bytes + 5 * 1024 * 1024


def upload_limit(settings: Settings) -> int:
    """The largest upload the desk reads: MAX_UPLOAD_FILES files of file_limit, and the form."""
    return MAX_UPLOAD_FILES * file_limit(settings) + MULTIPART_OVERHEAD


@router.post("/queue")
def upload(
    request: Request,
    csrf_token: CsrfToken = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Queue notices from uploaded Markdown files (with their images), as `waiwen queue` does.

    Nothing of a refused upload is kept: the files are written to a hidden folder, which becomes
    the upload's folder only once the notices are valid, and is removed otherwise.
    """
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
    given = [Path((f.filename or "").replace("\\", "/")).name for f in files]
    names = [stored_name(name) for name in given]
    problems = name_problems(given, names)
    if problems:
        return _render_queue(request, 400, problems=problems)
    if not any(name.lower().endswith(".md") for name in names):
        return _render_queue(request, 400, problems=["files: no Markdown (.md) file among them"])
    uploads = desk.settings.home / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    sweep_abandoned(uploads, time.time() - ABANDONED_AFTER_SECONDS)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=uploads))
    try:
        return _queue_upload(
            request, signed, uploads, incoming, dict(zip(names, files, strict=True))
        )
    finally:
        shutil.rmtree(incoming, ignore_errors=True)  # gone already when the upload was kept


def _queue_upload(
    request: Request,
    signed: SignedIn,
    uploads: Path,
    incoming: Path,
    files: dict[str, UploadFile],
) -> Response:
    """Write the files to ``incoming`` and check them; queue them and keep the folder, or refuse."""
    desk = desk_of(request)
    limit = file_limit(desk.settings)
    for name, upload_file in files.items():
        # Copied in pieces, never held whole: an upload may be 20 files of several megabytes.
        if _copy(upload_file, incoming / name, limit) > limit:
            return _render_queue(request, 400, problems=[f"{name}: larger than {limit} bytes"])
    notices = [incoming / name for name in files if name.lower().endswith(".md")]
    rules = IntakeRules(
        columns=desk.settings.columns,
        max_bytes=desk.settings.max_notice_bytes,
        targets=desk.settings.target_languages,
    )
    # Uploads are kept, like the files an editor queues from disk: the version names its source.
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = uploads / f"{stamp}-{incoming.name.removeprefix('.incoming-')}"
    try:
        sources = read_notices(notices, rules)
        # Moved before queueing, so every version names a file that exists; undone on failure.
        incoming.rename(folder)
        kept = [replace(s, path=str(folder / Path(s.path).name)) for s in sources]
        try:
            with desk.transaction() as session:
                outcomes = queue_sources(session, kept, signed.account.name)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    except NoticeRefused as refused:
        # Problems name the files as the editor did: no folder of the server in them.
        shown = [str(p) for p in refused.problems]
        for place in {incoming, incoming.resolve(), folder, folder.resolve()}:
            shown = [text.replace(f"{place}/", "") for text in shown]
        return _render_queue(request, 400, problems=["refused, nothing was queued:", *shown])
    new = [o.version_id for o in outcomes if o.outcome != "unchanged"]
    handed = desk.hand_over.draft(new) if new else ""
    done = [
        f"{Path(o.path).name}: {o.outcome} (notice {o.notice_id}, version {o.number})"
        for o in outcomes
    ]
    return _render_queue(request, 200, done=[*done, handed] if handed else done)


def sweep_abandoned(uploads: Path, before: float) -> list[str]:
    """Remove the hidden folders of uploads last changed before ``before``; their names."""
    swept = []
    with os.scandir(uploads) as entries:
        for entry in entries:
            if not entry.name.startswith(".incoming-") or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_mtime >= before:
                    continue  # another request may be checking it now
            except FileNotFoundError:
                continue  # that request has just ended
            shutil.rmtree(entry.path, ignore_errors=True)
            swept.append(entry.name)
    if swept:
        log.info("removed %d folders of uploads a stopped desk left: %s", len(swept), swept)
    return swept


def _copy(upload_file: UploadFile, target: Path, limit: int) -> int:
    """Write the upload to ``target``, stopping after ``limit + 1`` bytes; how many were written."""
    written = 0
    with target.open("xb") as out:
        while written <= limit and (
            piece := upload_file.file.read(min(1 << 20, limit + 1 - written))
        ):
            out.write(piece)
            written += len(piece)
    return written


def stored_name(given: str) -> str:
    """Only a plain name inside the upload's folder: no path, no "." or "..", no hidden file."""
    return _SAFE_NAME.sub("_", given).lstrip(".") or "file"


def name_problems(given: list[str], names: list[str]) -> list[str]:
    """Names too long to keep, and files that would be kept under one name (the last would win)."""
    problems = []
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        if len(name) > MAX_NAME or len(name.encode()) > MAX_NAME_BYTES:
            shown = name if len(name) <= 40 else f"{name[:40]}…"
            problems.append(
                f"files: a file name may have at most {MAX_NAME} characters and "
                f"{MAX_NAME_BYTES} bytes in UTF-8 (a Chinese character takes 3); the "
                f"{ordinal(index)} has {len(name)} characters, {len(name.encode())} bytes: "
                f"{shown}; rename it"
            )
            continue
        # Letter case too: on some disks, and to the editor, Hall.jpg and hall.jpg are one file.
        earlier = first.setdefault(name.casefold(), index)
        if earlier == index:
            continue
        which = f"(the {ordinal(earlier)} and the {ordinal(index)})"
        if given[earlier] == given[index]:
            problems.append(f"files: two files are named {given[index]} {which}; rename one")
        else:
            problems.append(
                f"files: {given[earlier]} and {given[index]} {which} would be kept as one file, "
                f"{names[earlier]}; rename one"
            )
    return problems


def ordinal(index: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '21st' for the 0-based ``index``."""
    number = index + 1
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


@router.get("/notices/{notice_id}")
def notice_page(request: Request, notice_id: int) -> Response:
    """One notice for the editor following it: languages, deadline, publications, history."""
    desk = desk_of(request)
    signed = current(request)
    with desk.transaction() as session:
        found = find_notice(session, str(notice_id))
        [status] = notice_statuses(session, desk.calendar(session), found.id, history=True)
    return desk.render(
        request, "notice.html", signed, 200, status=status, **notice_broadcast(request, found.id)
    )
