"""The review desk: `waiwen users`, `waiwen serve`, and the holiday schedules of `waiwen calendar`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from core.settings import get_settings
from waiwen.cli.database import migrated_database
from waiwen.cli.refusals import refusals

# The account and calendar commands have always refused as click does ("Error: ...").
_CLICK_PREFIX = "Error"


def _languages(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _read_password(confirm: bool = True) -> str:
    """From the terminal (asked twice), or the first line of standard input when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("password", hide_input=True, confirmation_prompt=confirm))


@click.group("users")
def users() -> None:
    """Accounts of the review desk: editors, reviewers, approvers, admins."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["editor", "reviewer", "approver", "admin"]),
    help="A role; repeat for several.",
)
@click.option(
    "--languages", default=None, help="Languages a reviewer is assigned, e.g. en,ja (default: all)."
)
def users_add(name: str, roles: tuple[str, ...], languages: str | None) -> None:
    """Create an account; the password is asked for (or read from standard input)."""
    from desk.accounts import AccountError, add_user
    from store.db import transaction

    password = _read_password()
    with (
        refusals(AccountError, prefix=_CLICK_PREFIX),
        transaction(migrated_database(get_settings())) as session,
    ):
        account = add_user(
            session, name, password, list(roles), getpass.getuser(), _languages(languages) or []
        )
    click.echo(f"user {account.name} added ({', '.join(account.roles)})")


@users.command("set")
@click.argument("name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(["editor", "reviewer", "approver", "admin"]),
    help="Replace the roles; repeat for several.",
)
@click.option("--languages", default=None, help="Replace the assigned languages (empty: all).")
@click.option(
    "--disable/--enable", default=None, help="Stop or allow signing in (ends open sessions)."
)
@click.option(
    "--password",
    "new_password",
    is_flag=True,
    help="Set a new password (asked for, or from standard input).",
)
def users_set(
    name: str,
    roles: tuple[str, ...],
    languages: str | None,
    disable: bool | None,
    new_password: bool,
) -> None:
    """Change an account's roles, languages, password, or whether it may sign in."""
    from desk.accounts import AccountError, update_user
    from store.db import transaction

    password = _read_password() if new_password else None
    with (
        refusals(AccountError, prefix=_CLICK_PREFIX),
        transaction(migrated_database(get_settings())) as session,
    ):
        update_user(
            session,
            name,
            getpass.getuser(),
            roles=list(roles) or None,
            languages=_languages(languages),
            active=None if disable is None else not disable,
            password=password,
        )
    click.echo(f"user {name} changed")


@users.command("list")
def users_list() -> None:
    """Every account with its roles and languages."""
    from desk.accounts import list_users
    from store.db import transaction

    with transaction(migrated_database(get_settings())) as session:
        found = [(u.name, u.roles, u.languages, u.active) for u in list_users(session)]
    if not found:
        click.echo("no users yet: add one with `waiwen users add NAME --role admin`")
    for name, roles, languages, active in found:
        assigned = f"  languages {','.join(languages)}" if languages else ""
        click.echo(f"{name}  {','.join(roles)}{assigned}{'' if active else '  (disabled)'}")


@click.command("serve")
@click.option(
    "--host", default=None, help="Address to listen on (default WAIWEN_DESK_HOST, 127.0.0.1)."
)
@click.option("--port", type=int, default=None, help="Port (default WAIWEN_DESK_PORT, 8400).")
def serve(host: str | None, port: int | None) -> None:
    """Run the review desk web app alone (`waiwen up` runs it with everything else)."""
    import uvicorn

    from desk.accounts import list_users
    from desk.app import SERVER_OPTIONS, create_app
    from flows.handoff import ServiceHandOver
    from store.db import transaction

    settings = get_settings()
    with transaction(migrated_database(settings)) as session:
        if not list_users(session):
            click.echo("no users yet: add one with `waiwen users add NAME --role admin`")
    host, port = host or settings.desk_host, port or settings.desk_port
    click.echo(f"review desk: http://{host}:{port}/  (Ctrl-C stops)")
    uvicorn.run(
        create_app(settings, ServiceHandOver(settings)),
        host=host,
        port=port,
        log_level="warning",
        **SERVER_OPTIONS,
    )


@click.group("calendar")
def calendar() -> None:
    """State Council holiday schedules for due dates."""


@calendar.command("load")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who loads it (default: your login name).")
def calendar_load(path: Path, actor: str | None) -> None:
    """Load a year's schedule (YAML or CSV: holidays and make-up workdays) into the database."""
    from content.calendar import ScheduleError, load_schedule
    from pipeline.schedules import store_schedule
    from store.db import transaction

    with refusals(ScheduleError, prefix=_CLICK_PREFIX):
        schedule = load_schedule(path)
    with transaction(migrated_database(get_settings())) as session:
        store_schedule(session, schedule, actor or getpass.getuser())
    click.echo(
        f"{path}: the {schedule.year} schedule is loaded ({len(schedule.holidays)} holidays, "
        f"{len(schedule.workdays)} make-up workdays)"
    )


@calendar.command("list")
def calendar_list() -> None:
    """Which years due dates know the holidays of, and from where."""
    from pipeline.schedules import office_calendar
    from store.db import transaction

    with transaction(migrated_database(get_settings())) as session:
        known = office_calendar(get_settings(), session)
        for schedule in known.schedules:
            click.echo(f"{schedule.year}: {schedule.source}")
    click.echo("up to 2026: the chinesecalendar package; other years: weekends only until loaded")


COMMANDS: tuple[click.Command, ...] = (users, serve, calendar)
