"""A notice's way through the service: `waiwen queue`, `run`, `status`, `retract`, `samples`."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from core.settings import get_settings
from waiwen.cli.database import migrated_database
from waiwen.cli.output import to_json
from waiwen.cli.refusals import refusals, refuse
from waiwen.cli.translation import memory_import

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "content" / "samples"


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--editor", default=None, help="Who queues the notices (default: your login name).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def queue(files: tuple[Path, ...], editor: str | None, as_json: bool) -> None:
    """Queue approved Chinese notices (Markdown with YAML front matter). All or nothing."""
    from content.notice import IntakeRules
    from pipeline.intake import queue_sources, read_notices
    from store.db import transaction

    settings = get_settings()
    rules = IntakeRules(
        columns=settings.columns,
        max_bytes=settings.max_notice_bytes,
        targets=settings.target_languages,
    )
    with refusals(heading="refused, nothing was queued"):
        sources = read_notices(files, rules)
    url = migrated_database(settings)
    with refusals(heading="refused, nothing was queued"), transaction(url) as session:
        outcomes = queue_sources(session, sources, editor or getpass.getuser())
    if as_json:
        click.echo(to_json([o.__dict__ for o in outcomes]))
    else:
        for o in outcomes:
            click.echo(f"{o.path}: {o.outcome} (notice {o.notice_id}, version {o.number})")
    new = [o.version_id for o in outcomes if o.outcome != "unchanged"]
    if new:
        from flows.handoff import ServiceHandOver

        click.echo(ServiceHandOver(settings).draft(new))


@click.command()
def run() -> None:
    """Do once whatever is due (draft queued notices, publish approved languages), then exit."""
    settings = get_settings()
    migrated_database(settings)
    from flows.server import prefect_api

    try:
        with prefect_api(settings, say=click.echo) as api_url:
            _use_prefect(api_url)
            from flows.dispatch import run_due

            summary = run_due(say=click.echo)
    except RuntimeError as error:
        refuse(str(error))
    click.echo(
        f"done: {len(summary.drafted)} drafted, {len(summary.published)} published, "
        f"{len(summary.failed)} failed"
    )
    if summary.failed:
        sys.exit(1)


@click.command()
@click.argument("notice", required=False)
@click.option("--history", is_flag=True, help="Show the audit history too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(notice: str | None, history: bool, as_json: bool) -> None:
    """Per notice and language: state, origin of drafts, due date, publications."""
    from core.states import ChannelState
    from pipeline.lookups import NotFound, find_notice
    from pipeline.schedules import office_calendar
    from pipeline.status import notice_statuses
    from reporting.costs import usage_said
    from store.db import transaction
    from waiwen.cli.wechat import broadcast_status

    settings = get_settings()
    with transaction(migrated_database(settings)) as session:
        notice_id = None
        if notice is not None:
            with refusals(NotFound):
                notice_id = find_notice(session, notice).id
        rows = notice_statuses(session, office_calendar(settings, session), notice_id, history)
        places, broadcast = broadcast_status(settings, session)
    if as_json:
        click.echo(to_json([row.as_dict() for row in rows]))
        return
    if not rows:
        click.echo("no notices yet: queue one with `waiwen queue FILE`")
    for row in rows:
        flag = " OVERDUE" if row.overdue else ""
        estimated = " (estimated)" if row.due_estimated else ""
        click.echo(
            f"[{row.notice_id}] {row.title}  v{row.version} {row.summary}  {row.urgency}  "
            f"due {row.due}{estimated}{flag}"
        )
        if row.retracted:
            click.echo(f"    RETRACTED {row.retracted}")
        if row.due_warning:
            click.echo(f"    note: {row.due_warning}")
        for lang in row.languages:
            origins = ", ".join(f"{k} {v}" for k, v in sorted(lang.origins.items()))
            line = f"    {lang.language}: {lang.state}"
            if origins:
                line += f"  [{origins}]"
            if lang.needs_translation:
                line += f"  {lang.needs_translation} need translation"
            if lang.figure is not None:
                line += f"  counted {lang.figure} ({lang.convention})"
            if lang.engine_requests:
                line += f"  {usage_said(lang.prompt_tokens, lang.completion_tokens, lang.engine_requests)}"
            click.echo(line)
            for channel, pub in lang.publications.items():
                where = pub["location"] if pub["state"] == ChannelState.PUBLISHED else pub["detail"]
                if channel == "wechat" and (row.notice_id, lang.language) in places:
                    where = places[(row.notice_id, lang.language)]
                click.echo(f"        {channel}: {pub['state']}  {where or pub['location']}")
        for entry in row.history:
            detail = ", ".join(f"{k}={v}" for k, v in entry["detail"].items())
            language = f" {entry['language']}" if entry["language"] else ""
            click.echo(
                f"    {entry['at'][:19]}  {entry['actor']}: {entry['action']}{language}  {detail}"
            )
    for line in broadcast:
        click.echo(line)


@click.command()
@click.argument("notice")
@click.option("--reason", required=True, help="Why it is retracted (kept in the history).")
@click.option("--by", "actor", default=None, help="Who retracts (default: your login name).")
def retract(notice: str, reason: str, actor: str | None) -> None:
    """Take a published notice off every channel and out of every yearly report. Safe to run again."""
    from flows.wiring import channels
    from pipeline.lookups import NotFound
    from pipeline.retraction import ReasonMissing, WithdrawalError, withdraw
    from pipeline.retraction import retract as retract_notice
    from store.db import transaction

    settings = get_settings()
    url = migrated_database(settings)
    with refusals(NotFound, ReasonMissing), transaction(url) as session:
        done = retract_notice(session, notice, actor or getpass.getuser(), reason)
    try:  # every configured channel, and every other one the notice was published on
        publishers = channels(settings, also=done.published_on)
    except ValueError as error:  # WAIWEN_CHANNELS names a channel that is not there, or one refused
        refuse(f"{error}; the notice is retracted: fix it, then run the same command again")
    when = done.retracted_at.isoformat(timespec="seconds")
    if done.already:
        click.echo(
            f"notice {done.notice_id} was retracted already ({when}, {done.retracted_by}: {done.reason})"
        )
    else:
        click.echo(f"notice {done.notice_id} «{done.title}» retracted: {done.reason}")
        if done.uncounted_languages:
            click.echo(
                f"  no longer counted in the yearly report: {', '.join(done.uncounted_languages)}"
            )
    try:
        for withdrawal in withdraw(url, done, publishers):
            click.echo(f"  {withdrawal.summary}", err=not withdrawal.reached)
    except WithdrawalError as error:
        refuse(f"{error}; run the same command again once it is fixed")


@click.command()
def samples() -> None:
    """Load the sample memory and queue the sample notices shipped in content/samples/."""
    ctx = click.get_current_context()
    ctx.invoke(memory_import, files=(SAMPLES_DIR / "memory.tmx",))
    notices = tuple(path for path in sorted(SAMPLES_DIR.glob("*.md")) if path.name != "README.md")
    ctx.invoke(queue, files=notices, editor="samples", as_json=False)


def _use_prefect(api_url: str) -> None:
    from flows.handoff import use_prefect

    use_prefect(api_url)


COMMANDS: tuple[click.Command, ...] = (queue, run, status, retract, samples)
