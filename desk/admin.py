"""Administration: accounts, two-stage columns, holiday schedules, glossary; engines and columns shown."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from content.calendar import ScheduleError, parse_schedule
from desk.accounts import (
    ROLES,
    AccountError,
    SignedIn,
    add_user,
    assignable_languages,
    list_users,
    update_user,
)
from desk.auth import CsrfToken, current, posted_by, require
from desk.web import desk_of
from pipeline.glossary import import_terms, load_glossary
from pipeline.office_settings import (
    check_levels,
    set_check_level,
    set_two_stage_columns,
    two_stage_columns,
)
from pipeline.schedules import office_calendar, store_schedule
from translators.checks.registry import levelled_checks
from translators.checks.severity import ADVISORY_LEVELS, LEVELS, SeverityRuleError
from translators.glossary import Glossary, GlossaryError

router = APIRouter()
Field = Annotated[str, Form()]
Fields = Annotated[tuple[str, ...], Form()]
Upload = Annotated[UploadFile | None, File()]
MAX_FILE = 2 * 1024 * 1024
MAX_NAME = 200


def _admin_page(
    request: Request, signed: SignedIn, status_code: int = 200, **extra: object
) -> Response:
    desk = desk_of(request)
    with desk.transaction() as session:
        users = list_users(session)
        calendar = office_calendar(desk.settings, session)
        glossary_size = len(load_glossary(session))
        chosen = two_stage_columns(session)
        levels = check_levels(session)
    return desk.render(
        request,
        "admin.html",
        signed,
        status_code,
        users=users,
        roles=ROLES,
        languages=assignable_languages(users, desk.settings.target_languages),
        columns=desk.settings.columns,
        two_stage=chosen,
        checks=levelled_checks(),
        levels=levels,
        level_choices={
            check.id: ("default", *ADVISORY_LEVELS.get(check.id, LEVELS))
            for check in levelled_checks()
        },
        schedules=calendar.schedules,
        glossary_size=glossary_size,
        engines=desk.settings.engines,
        chains=desk.settings.engine_chains,
        **extra,
    )


def _admin(request: Request, csrf_token: str) -> SignedIn:
    signed = posted_by(request, csrf_token)
    require(signed, "admin")
    return signed


@router.get("/admin")
def admin(request: Request) -> Response:
    signed = current(request)
    require(signed, "admin")
    return _admin_page(request, signed)


@router.post("/admin/users")
def new_user(
    request: Request,
    csrf_token: CsrfToken = "",
    name: Field = "",
    password: Field = "",
    roles: Fields = (),
    languages: Fields = (),
) -> Response:
    signed = _admin(request, csrf_token)
    desk = desk_of(request)
    try:
        with desk.transaction() as session:
            add_user(
                session,
                name,
                password,
                list(roles),
                signed.account.name,
                list(languages),
                targets=desk.settings.target_languages,
            )
    except AccountError as error:
        return _admin_page(request, signed, 400, problem=f"new user: {error}")
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/users/{name}")
def change_user(
    request: Request,
    name: str,
    csrf_token: CsrfToken = "",
    roles: Fields = (),
    languages: Fields = (),
    active: Field = "",
    password: Field = "",
) -> Response:
    signed = _admin(request, csrf_token)
    if name == signed.account.name and ("admin" not in roles or active != "on"):
        # Otherwise the last admin could lock everyone out of the accounts.
        return _admin_page(
            request,
            signed,
            400,
            problem=f"user {name}: you cannot take away your own admin role or sign-in; ask another admin",
        )
    desk = desk_of(request)
    try:
        with desk.transaction() as session:
            update_user(
                session,
                name,
                signed.account.name,
                roles=list(roles),
                languages=list(languages),
                active=active == "on",
                password=password or None,
                targets=desk.settings.target_languages,
            )
    except AccountError as error:
        return _admin_page(request, signed, 400, problem=f"user {name}: {error}")
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/two-stage")
def two_stage(request: Request, csrf_token: CsrfToken = "", columns: Fields = ()) -> Response:
    signed = _admin(request, csrf_token)
    known = set(desk_of(request).settings.columns)
    chosen = list(columns)
    unknown = [c for c in chosen if c not in known]
    if unknown:
        return _admin_page(
            request, signed, 400, problem=f"columns: {', '.join(unknown)} is not a column"
        )
    with desk_of(request).transaction() as session:
        set_two_stage_columns(session, chosen, signed.account.name)
    return RedirectResponse("/admin#two-stage", status_code=303)


EVERY_COLUMN = "*"  # the column part of a level field that sets the level for every column


@router.post("/admin/checks")
def levels(request: Request, csrf_token: CsrfToken = "", level: Fields = ()) -> Response:
    """The office's levels for the checks' findings; each field is "check|column|level".

    Only the levels that changed are written, one audit entry each, so two admins saving the
    table at once lose neither's change to a cell the other did not touch.
    """
    signed = _admin(request, csrf_token)
    desk = desk_of(request)
    wanted: list[tuple[str, str | None, str | None]] = []
    for field in level:
        check_id, _, rest = field.partition("|")
        column, _, chosen = rest.rpartition("|")
        if chosen not in (*LEVELS, "default") or not column:
            return _admin_page(
                request, signed, 400, problem=f"check levels: {field!r} is not check|column|level"
            )
        wanted.append(
            (
                check_id,
                None if column == EVERY_COLUMN else column,
                None if chosen == "default" else chosen,
            )
        )
    try:
        with desk.transaction() as session:
            rules = check_levels(session)
            for check, place, wanted_level in wanted:
                now = (rules.columns.get(place, {}) if place else rules.checks).get(check)
                if now != wanted_level:
                    rules = set_check_level(
                        session,
                        check,
                        wanted_level,
                        place,
                        signed.account.name,
                        desk.settings.columns,
                    )
    except SeverityRuleError as error:
        return _admin_page(request, signed, 400, problem=f"check levels: {error}")
    return RedirectResponse("/admin#checks", status_code=303)


class _Unfit(ValueError):
    """An uploaded file the admin page cannot take; the message says why."""


def _one_file(upload: UploadFile | None, what: str) -> tuple[str, bytes]:
    """The uploaded file's name and bytes, or _Unfit when there is none or it is too large."""
    if upload is None or not upload.filename:
        raise _Unfit(f"{what}: choose a file")
    name = Path(upload.filename.replace("\\", "/")).name
    # Bytes too: 93 Chinese characters are 279 bytes, past what a file system takes for a name.
    if name in ("", ".", "..") or len(name) > MAX_NAME or len(name.encode()) > 255:
        raise _Unfit(
            f"{what}: the file name must be a plain name of 1 to {MAX_NAME} characters "
            f"(found {upload.filename[:MAX_NAME]!r})"
        )
    data = upload.file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise _Unfit(f"{name}: larger than {MAX_FILE} bytes")
    return name, data


@router.post("/admin/holidays")
def holidays(request: Request, csrf_token: CsrfToken = "", file: Upload = None) -> Response:
    """Load the State Council schedule of a year (YAML or CSV: holidays and make-up workdays)."""
    signed = _admin(request, csrf_token)
    try:
        name, data = _one_file(file, "holiday schedule")
        schedule = parse_schedule(name, data)
    except (_Unfit, ScheduleError) as error:
        return _admin_page(request, signed, 400, problem=str(error))
    with desk_of(request).transaction() as session:
        store_schedule(session, schedule, signed.account.name)
    return _admin_page(
        request,
        signed,
        done=f"{name}: the {schedule.year} schedule is loaded ({len(schedule.holidays)} holidays, "
        f"{len(schedule.workdays)} make-up workdays); due dates in {schedule.year} now follow it",
    )


@router.post("/admin/glossary")
def glossary(request: Request, csrf_token: CsrfToken = "", file: Upload = None) -> Response:
    """Import a term list (CSV or TBX), all or nothing, as `waiwen glossary import` does."""
    signed = _admin(request, csrf_token)
    try:
        name, data = _one_file(file, "glossary (a CSV or TBX file)")
    except _Unfit as error:
        return _admin_page(request, signed, 400, problem=str(error))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            loaded = Glossary.from_file(path)
        except GlossaryError as error:
            return _admin_page(request, signed, 400, problem=str(error).replace(f"{folder}/", ""))
    with desk_of(request).transaction() as session:
        done = import_terms(session, loaded.terms(), f"glossary:{name}", signed.account.name)
    return _admin_page(
        request,
        signed,
        done=f"{name}: {done.added} term(s) added, {done.changed} changed, {done.unchanged} unchanged",
    )
