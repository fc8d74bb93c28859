"""`waiwen wechat digest|broadcast|go`: the daily mass send (群发) to the account's followers."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

import click

from core.settings import Settings, get_settings
from waiwen.cli.database import migrated_database
from waiwen.cli.refusals import refuse

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def broadcast_status(
    settings: Settings, session: Session
) -> tuple[dict[tuple[int, str], str], list[str]]:
    """For `waiwen status`: where each article stands in the broadcast, and the digest's lines.

    Only when some column broadcasts, so the default output is what it was.
    """
    from pipeline.broadcasts import broadcasting, digest_lines, places

    if not broadcasting(settings):
        return {}, []
    lines = ["wechat broadcast:", *("  " + line for line in digest_lines(settings, session))]
    return places(settings, session), lines


@click.group("wechat")
def wechat() -> None:
    """The WeChat broadcast: the digest pushed to followers once a day (or four times a month)."""


@wechat.command("digest")
def digest() -> None:
    """Show the next send: its time, its articles in order, the quota, and what holds it."""
    from pipeline.broadcasts import digest_lines
    from store.db import transaction

    settings = get_settings()
    with transaction(migrated_database(settings)) as session:
        for line in digest_lines(settings, session):
            click.echo(line)


@wechat.command("broadcast")
@click.option("--now", "now", is_flag=True, required=True, help="Send the digest at once.")
def broadcast(now: bool) -> None:
    """Send the digest now (even before WAIWEN_WECHAT_BROADCAST_AT, or again after a failed send).

    The quota still holds: a send already made today (this month for a service account) is not
    repeated, and a send WeChat already took is never pushed twice.
    """
    from flows.wiring import with_channel_secrets
    from pipeline.broadcasts import NOT_BROADCASTING, broadcasting, digest_lines, send_due
    from store.db import transaction

    settings = get_settings()
    url = migrated_database(settings)
    if not broadcasting(settings):
        refuse(NOT_BROADCASTING)
    try:
        row = send_due(with_channel_secrets(settings, ("wechat",)), force=now)
    except ValueError as error:
        refuse(error)
    if row is None:
        click.echo("nothing was sent:")
    with transaction(url) as session:
        for line in digest_lines(settings, session):
            click.echo(line)


@wechat.command("go")
@click.argument("broadcast_id", type=int)
@click.option("--by", "actor", default=None, help="The approver (default: your login name).")
def go(broadcast_id: int, actor: str | None) -> None:
    """An approver's go for a send that waits for one (two-stage columns); the next run sends it."""
    from sqlalchemy import select

    from store.db import transaction
    from store.models import WeChatBroadcast

    settings = get_settings()
    url = migrated_database(settings)
    with transaction(url) as session:
        row = session.scalars(
            select(WeChatBroadcast).where(WeChatBroadcast.id == broadcast_id)
        ).one_or_none()
        if row is None:
            refuse(f"broadcast {broadcast_id}: there is no such broadcast (`waiwen wechat digest`)")
        if row.state not in ("assembled", "drafted"):
            refuse(f"broadcast {broadcast_id} is {row.state}: a go is only for a send not made yet")
    from publishers.wechat.broadcast import give_go

    give_go(url, broadcast_id, actor or getpass.getuser())
    click.echo(f"broadcast {broadcast_id}: go given; the next run sends it")


COMMANDS = (wechat,)
