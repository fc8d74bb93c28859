"""The `waiwen` command: queue, run, up, status, review, memory, samples."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from waiwen.settings import Settings, get_settings

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "content" / "samples"


def _json(data: Any) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=default)


def _fail(message: str) -> None:
    click.echo(f"waiwen: {message}", err=True)
    sys.exit(1)


def _database(settings: Settings) -> str:
    """The database URL, migrated to head (with a readable error when it cannot be reached)."""
    from sqlalchemy.exc import OperationalError

    from store.db import engine_for

    url = settings.resolved_database_url
    try:
        engine_for(url)
    except OperationalError as error:
        from sqlalchemy.engine import make_url

        _fail(
            f"cannot open the database {make_url(url).render_as_string(hide_password=True)}: {error.orig}"
        )
    return url


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """waiwen: approved Chinese notices to reviewed en/ja/fr/ko translations, counted and published."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--editor", default=None, help="Who queues the notices (default: your login name).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def queue(files: tuple[Path, ...], editor: str | None, as_json: bool) -> None:
    """Queue approved Chinese notices (Markdown with YAML front matter). All or nothing."""
    from content.notice import IntakeRules, NoticeRefused
    from pipeline.intake import queue_sources, read_notices
    from store.db import transaction

    settings = get_settings()
    rules = IntakeRules(columns=settings.columns, max_bytes=settings.max_notice_bytes)
    try:
        sources = read_notices(files, rules)
    except NoticeRefused as refused:
        click.echo("waiwen: refused, nothing was queued:", err=True)
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    url = _database(settings)
    with transaction(url) as session:
        outcomes = queue_sources(session, sources, editor or getpass.getuser())
    if as_json:
        click.echo(_json([o.__dict__ for o in outcomes]))
    else:
        for o in outcomes:
            click.echo(f"{o.path}: {o.outcome} (notice {o.notice_id}, version {o.number})")
    new = [o.version_id for o in outcomes if o.outcome != "unchanged"]
    if new:
        _nudge(
            settings, "draft-notice/draft-notice", [({"version_id": v}, f"draft-{v}") for v in new]
        )


@main.command()
def run() -> None:
    """Do once whatever is due (draft queued notices, publish approved languages), then exit."""
    settings = get_settings()
    _database(settings)
    from waiwen.orchestrator import prefect_api

    try:
        with prefect_api(settings, say=click.echo) as api_url:
            _use_prefect(api_url)
            from flows.dispatch import run_due

            summary = run_due(say=click.echo)
    except RuntimeError as error:
        _fail(str(error))
    click.echo(
        f"done: {len(summary.drafted)} drafted, {len(summary.published)} published, "
        f"{len(summary.failed)} failed"
    )
    if summary.failed:
        sys.exit(1)


@main.command()
@click.option(
    "--port",
    type=int,
    default=None,
    help="Port of the local Prefect server (default WAIWEN_PREFECT_PORT).",
)
def up(port: int | None) -> None:
    """Start the local service: Prefect server, deployments, worker; runs until Ctrl-C."""
    from waiwen.service import serve_forever

    settings = get_settings()
    _database(settings)
    serve_forever(settings, port or settings.prefect_port, say=click.echo)


@main.command()
@click.argument("notice", required=False)
@click.option("--history", is_flag=True, help="Show the audit history too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(notice: str | None, history: bool, as_json: bool) -> None:
    """Per notice and language: state, origin of drafts, due date, publications."""
    from pipeline.review import ReviewError, find_notice
    from pipeline.status import notice_statuses
    from store.db import transaction
    from waiwen.calendars import office_calendar

    settings = get_settings()
    with transaction(_database(settings)) as session:
        notice_id = None
        if notice is not None:
            try:
                notice_id = find_notice(session, notice).id
            except ReviewError as error:
                _fail(str(error))
        rows = notice_statuses(
            session, office_calendar(settings), notice_id, history or notice is not None and history
        )
    if as_json:
        click.echo(_json([row.as_dict() for row in rows]))
        return
    if not rows:
        click.echo("no notices yet: queue one with `waiwen queue FILE`")
    for row in rows:
        flag = " OVERDUE" if row.overdue else ""
        estimated = " (estimated)" if row.due_estimated else ""
        click.echo(
            f"[{row.notice_id}] {row.title}  v{row.version} {row.version_state}  {row.urgency}  "
            f"due {row.due}{estimated}{flag}"
        )
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
            click.echo(line)
            for channel, pub in lang.publications.items():
                where = pub["location"] or pub["detail"]
                click.echo(f"        {channel}: {pub['state']}  {where}")
        for entry in row.history:
            detail = ", ".join(f"{k}={v}" for k, v in entry["detail"].items())
            language = f" {entry['language']}" if entry["language"] else ""
            click.echo(
                f"    {entry['at'][:19]}  {entry['actor']}: {entry['action']}{language}  {detail}"
            )


@main.group()
def review() -> None:
    """The reviewers' path: list, show, edit, approve, reject."""


@review.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def review_list(as_json: bool) -> None:
    """Languages waiting for a reviewer, major notices first."""
    from pipeline.review import pending
    from store.db import transaction

    with transaction(_database(get_settings())) as session:
        rows = pending(session)
    if as_json:
        click.echo(_json([row.__dict__ for row in rows]))
        return
    if not rows:
        click.echo("nothing waits for review")
    for row in rows:
        missing = f"  {row.needs_translation} need translation" if row.needs_translation else ""
        click.echo(
            f"[{row.notice_id}] {row.language} {row.state}  {row.urgency}  {row.title}{missing}"
        )


@review.command("show")
@click.argument("notice")
@click.argument("language")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def review_show(notice: str, language: str, as_json: bool) -> None:
    """Source and draft side by side, segment by segment."""
    view = _review_call("show", notice, language)
    if as_json:
        click.echo(_json({**view.__dict__, "segments": [s.__dict__ for s in view.segments]}))
        return
    click.echo(f"[{view.notice_id}] {view.title}  v{view.version}  {view.language}: {view.state}")
    for s in view.segments:
        text = s.text if s.text is not None else "** needs translation **"
        click.echo(f"  {s.position:>3} {s.kind:<10} {s.source}")
        click.echo(f"      {s.origin:<10} {text}")


@review.command("edit")
@click.argument("notice")
@click.argument("language")
@click.argument("segment", type=int)
@click.argument("text")
@click.option("--reviewer", required=True, help="Who makes the change.")
def review_edit(notice: str, language: str, segment: int, text: str, reviewer: str) -> None:
    """Type or correct one segment's translation."""
    _review_call("edit_segment", notice, language, segment, text, reviewer)
    click.echo(f"segment {segment} of notice {notice} in {language} saved")


@review.command("approve")
@click.argument("notice")
@click.argument("language")
@click.option("--reviewer", required=True, help="Who approves.")
def review_approve(notice: str, language: str, reviewer: str) -> None:
    """Approve a language: it is counted and published at the next run (at once with `waiwen up`)."""
    lang = _review_call("approve", notice, language, reviewer)
    click.echo(f"{language} of notice {notice} approved; counted {lang.figure} ({lang.convention})")
    _nudge(
        get_settings(),
        "publish-notice/publish-notice",
        [({"version_id": lang.version_id}, f"publish-{lang.version_id}-{language}")],
    )


@review.command("reject")
@click.argument("notice")
@click.argument("language")
@click.option("--reviewer", required=True, help="Who rejects.")
@click.option("--comment", required=True, help="What must be fixed.")
def review_reject(notice: str, language: str, reviewer: str, comment: str) -> None:
    """Send a language back with a comment."""
    _review_call("reject", notice, language, reviewer, comment)
    click.echo(f"{language} of notice {notice} rejected")


def _review_call(name: str, *args: Any) -> Any:
    from pipeline import review as steps
    from store.db import transaction

    try:
        with transaction(_database(get_settings())) as session:
            return getattr(steps, name)(session, *args)
    except steps.ReviewError as error:
        _fail(str(error))


@main.group()
def memory() -> None:
    """The translation memory."""


@memory.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def memory_import(files: tuple[Path, ...]) -> None:
    """Load TMX files of human translations (Chinese source)."""
    from pipeline.memory import import_units
    from store.db import transaction
    from translators.tmx import TmxError, read_tmx

    url = _database(get_settings())
    for path in files:
        try:
            units = read_tmx(path.read_bytes(), path=str(path))
        except TmxError as error:
            _fail(str(error))
        with transaction(url) as session:
            changed, unchanged = import_units(session, units, f"tmx:{path.name}")
        click.echo(f"{path}: {changed} pair(s) stored, {unchanged} already in the memory")


@main.command()
def samples() -> None:
    """Load the sample memory and queue the sample notices shipped in content/samples/."""
    ctx = click.get_current_context()
    ctx.invoke(memory_import, files=(SAMPLES_DIR / "memory.tmx",))
    notices = tuple(path for path in sorted(SAMPLES_DIR.glob("*.md")) if path.name != "README.md")
    ctx.invoke(queue, files=notices, editor="samples", as_json=False)


def _use_prefect(api_url: str) -> None:
    """Make Prefect (imported after this) talk to ``api_url``."""
    import os

    os.environ["PREFECT_API_URL"] = api_url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()


def _nudge(settings: Settings, deployment: str, runs: list[tuple[dict[str, Any], str]]) -> None:
    """Ask a running `waiwen up` to act now; without one, the next `waiwen run` picks the work up."""
    from waiwen.orchestrator import running_api_url

    api_url = running_api_url(settings)
    if api_url is None:
        click.echo("waiwen up is not running: `waiwen run` will pick this up")
        return
    _use_prefect(api_url)
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    try:
        for parameters, key in runs:
            run_deployment(deployment, parameters=parameters, timeout=0, idempotency_key=key)
        click.echo(f"handed to the running service ({deployment})")
    except ObjectNotFound:
        click.echo(
            f"the Prefect server has no deployment {deployment}; `waiwen run` will pick this up"
        )
