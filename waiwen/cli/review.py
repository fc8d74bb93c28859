"""The reviewers' path: `waiwen review list`, `show`, `edit`, `override`, `approve`, `sign-off`, `reject`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from core.settings import get_settings
from core.states import LanguageState
from waiwen.cli.database import migrated_database
from waiwen.cli.hints import hinted
from waiwen.cli.output import to_json
from waiwen.cli.refusals import refusals, refuse

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from store.models import LanguageVersion


@click.group()
def review() -> None:
    """The reviewers' path: list, show, edit, override, approve, sign-off, reject."""


@review.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def review_list(as_json: bool) -> None:
    """Languages waiting for a reviewer, major notices first."""
    from pipeline.review_view import pending
    from store.db import transaction

    with transaction(migrated_database(get_settings())) as session:
        rows = pending(session)
    if as_json:
        click.echo(to_json([row.__dict__ for row in rows]))
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
    """Source and draft side by side, with quality findings and fuzzy memory matches."""
    from dataclasses import asdict

    from pipeline.review_view import show

    with _review_step() as session:
        view = show(session, notice, language, suggestions=True)
    if as_json:
        click.echo(to_json(asdict(view)))
        return
    click.echo(f"[{view.notice_id}] {view.title}  v{view.version}  {view.language}: {view.state}")
    for s in view.segments:
        text = s.text if s.text is not None else "** needs translation **"
        click.echo(f"  {s.position:>3} {s.kind:<10} {s.source}")
        click.echo(f"      {_origin_label(s.origin):<13} {text}")
        if s.note:
            click.echo(f"      note: {s.note}")
        for finding in s.findings:
            accepted = " (overridden)" if finding["check"] in s.overridden else ""
            if finding.get("stale"):
                accepted += f" (stale: read at revision {finding.get('revision')}, since edited)"
            if "own_severity" in finding:
                accepted += f" (the office's level; the check's own is {finding['own_severity']})"
            click.echo(
                f"      ! {finding['severity']} [{finding['check']}] {finding['message']}{accepted}"
            )
        for match in s.suggestions:
            click.echo(f"      ~ fuzzy {match.score:g}%: {match.target}   (for: {match.source})")


def _origin_label(origin: str) -> str:
    """Where a draft came from, as reviewers read it."""
    if origin == "memory":
        return "memory 100%"
    if origin == "none":
        return "none"
    return origin.removeprefix("engine:")


@review.command("edit")
@click.argument("notice")
@click.argument("language")
@click.argument("segment", type=int)
@click.argument("text")
@click.option("--reviewer", required=True, help="Who makes the change.")
@click.option(
    "--revision",
    type=click.IntRange(1, 2**31 - 1),
    default=None,
    help="The revision the new text is based on (as `waiwen review show` lists it).",
)
def review_edit(
    notice: str, language: str, segment: int, text: str, reviewer: str, revision: int | None
) -> None:
    """Type or correct one segment's translation.

    The text is saved only if the segment is still at the revision it is based on: --revision N,
    or without it the revision read when the command starts. A save by someone else in the
    meantime is never overwritten: the command stops (exit 1) and shows the newer text.
    """
    from pipeline import review as steps
    from pipeline.lookups import NotFound
    from store.db import transaction

    try:
        with transaction(migrated_database(get_settings())) as session:
            steps.edit_segment(session, notice, language, segment, text, reviewer, revision)
    except steps.EditConflict as conflict:
        refuse(
            f"{conflict}; to save yours over it: `waiwen review edit {notice} {language} "
            f"{segment} TEXT --reviewer {reviewer} --revision {conflict.revision}`"
        )
    except (NotFound, steps.ReviewError) as error:
        refuse(hinted(error))
    click.echo(f"segment {segment} of notice {notice} in {language} saved")


@review.command("approve")
@click.argument("notice")
@click.argument("language")
@click.option("--reviewer", required=True, help="Who approves.")
@click.option("--comment", default="", help="A note kept with the approval.")
def review_approve(notice: str, language: str, reviewer: str, comment: str) -> None:
    """Approve a language: it is counted and published at the next run (at once with `waiwen up`).

    Major notices, and notices of the columns an admin chose, wait after this for an approver's
    `waiwen review sign-off`.
    """
    from pipeline.review import approve

    with _review_step() as session:
        lang = approve(session, notice, language, reviewer, comment)
    if lang.state == LanguageState.REVIEWED:
        click.echo(
            f"{language} of notice {notice} approved by the reviewer; it needs an approver's "
            f"sign-off: `waiwen review sign-off {notice} {language} --approver NAME`"
        )
        return
    _approved(notice, language, lang)


@review.command("sign-off")
@click.argument("notice")
@click.argument("language")
@click.option("--approver", required=True, help="Who signs off (not the reviewer who approved).")
@click.option("--comment", default="", help="A note kept with the sign-off.")
def review_sign_off(notice: str, language: str, approver: str, comment: str) -> None:
    """The approver's second sign-off on a language a reviewer approved (two-stage review)."""
    from pipeline.review import sign_off

    with _review_step() as session:
        lang = sign_off(session, notice, language, approver, comment)
    _approved(notice, language, lang)


def _approved(notice: str, language: str, lang: LanguageVersion) -> None:
    from flows.handoff import ServiceHandOver

    click.echo(f"{language} of notice {notice} approved; counted {lang.figure} ({lang.convention})")
    click.echo(ServiceHandOver(get_settings()).publish(lang.version_id, language))


@review.command("reject")
@click.argument("notice")
@click.argument("language")
@click.option("--reviewer", default=None, help="Who rejects a language in review.")
@click.option("--approver", default=None, help="Who sends back one awaiting sign-off.")
@click.option("--comment", required=True, help="What must be fixed.")
def review_reject(
    notice: str, language: str, reviewer: str | None, approver: str | None, comment: str
) -> None:
    """Send a language back with a comment.

    A language in review is rejected by a reviewer (--reviewer); one a reviewer approved, awaiting
    the approver's sign-off, is sent back by an approver (--approver).
    """
    from pipeline.review import reject

    if reviewer is not None and approver is None:
        role, name = "reviewer", reviewer
    elif approver is not None and reviewer is None:
        role, name = "approver", approver
    else:
        refuse(
            "say who rejects: --reviewer NAME (in review) or --approver NAME (awaiting sign-off)"
        )
    with _review_step() as session:
        reject(session, notice, language, name, comment, (role,))
    click.echo(f"{language} of notice {notice} rejected")


@review.command("override")
@click.argument("notice")
@click.argument("language")
@click.argument("segment", type=int)
@click.argument("check")
@click.option("--reason", required=True, help="Why the finding is acceptable (kept in the record).")
@click.option("--reviewer", required=True, help="Who accepts it.")
def review_override(
    notice: str, language: str, segment: int, check: str, reason: str, reviewer: str
) -> None:
    """Accept one blocking quality-check error of a segment, with a written reason."""
    from pipeline.review import override_check

    with _review_step() as session:
        override_check(session, notice, language, segment, check, reason, reviewer)
    click.echo(f"{check} on segment {segment} of notice {notice} in {language} accepted")


@review.command("ai")
@click.argument("notice")
@click.argument("language")
@click.option(
    "--segment", type=click.IntRange(0, 2**31 - 1), default=None, help="Only this segment."
)
@click.option("--actor", default=None, help="Who asks (default: ai-review).")
def review_ai(notice: str, language: str, segment: int | None, actor: str | None) -> None:
    """Have the AI second reader (WAIWEN_AI_REVIEW) read a language now.

    Its findings are warnings shown beside each segment: they never block and never approve,
    and they are marked stale once the segment is edited. A reading that fails says so and
    changes nothing else.
    """
    from flows.wiring import ai_reader
    from pipeline.ai_review import ACTOR, review_language
    from pipeline.lookups import NotFound

    settings = get_settings()
    with refusals(ValueError):
        reader = ai_reader(settings)
    if reader is None:
        refuse(
            "the AI second reader is off: set WAIWEN_AI_REVIEW=openai (and the WAIWEN_OPENAI_* "
            "server and model) to use it"
        )
    with refusals(NotFound):
        outcome = review_language(
            migrated_database(settings),
            notice,
            language,
            reader,
            position=segment,
            actor=actor or ACTOR,
        )
    click.echo(outcome.summary())
    usage = outcome.usage
    click.echo(
        f"  {usage.requests} request(s), {usage.prompt_tokens} prompt and "
        f"{usage.completion_tokens} completion tokens"
    )
    if outcome.failed:
        raise SystemExit(1)  # said above; the drafts and their state are as they were


@contextmanager
def _review_step() -> Iterator[Session]:
    """The transaction of one review step; a refusal in it ends the command, with its hint."""
    from pipeline.lookups import NotFound
    from pipeline.review import ReviewError
    from store.db import transaction

    with refusals(NotFound, ReviewError), transaction(migrated_database(get_settings())) as session:
        yield session


COMMANDS: tuple[click.Command, ...] = (review,)
