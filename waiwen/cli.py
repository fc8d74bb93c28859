"""The `waiwen` command: queue, run, up, status, review, count, report, retract, archive, memory,
glossary, xliff, check, samples."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from core.settings import Settings, get_settings

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
    from waiwen.database import migrated_database

    return migrated_database(settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """waiwen: approved Chinese notices to reviewed en/ja/fr/ko translations, counted and published."""
    from core import logsafe

    logsafe.install()


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
    try:
        with transaction(url) as session:
            outcomes = queue_sources(session, sources, editor or getpass.getuser())
    except NoticeRefused as refused:
        click.echo("waiwen: refused, nothing was queued:", err=True)
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(_json([o.__dict__ for o in outcomes]))
    else:
        for o in outcomes:
            click.echo(f"{o.path}: {o.outcome} (notice {o.notice_id}, version {o.number})")
    new = [o.version_id for o in outcomes if o.outcome != "unchanged"]
    if new:
        from flows.handoff import ServiceHandOver

        click.echo(ServiceHandOver(settings).draft(new))


@main.command()
def run() -> None:
    """Do once whatever is due (draft queued notices, publish approved languages), then exit."""
    settings = get_settings()
    _database(settings)
    from flows.server import prefect_api

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
@click.option(
    "--desk-port",
    type=int,
    default=None,
    help="Port of the review desk (default WAIWEN_DESK_PORT).",
)
def up(port: int | None, desk_port: int | None) -> None:
    """Start the local service: Prefect server, deployments, worker, review desk; until Ctrl-C."""
    from waiwen.service import serve_forever

    settings = get_settings()
    _database(settings)
    serve_forever(settings, port or settings.prefect_port, say=click.echo, desk_port=desk_port)


@main.command()
@click.argument("notice", required=False)
@click.option("--history", is_flag=True, help="Show the audit history too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(notice: str | None, history: bool, as_json: bool) -> None:
    """Per notice and language: state, origin of drafts, due date, publications."""
    from pipeline.review import ReviewError, find_notice
    from pipeline.schedules import office_calendar
    from pipeline.status import notice_statuses
    from store.db import transaction

    settings = get_settings()
    with transaction(_database(settings)) as session:
        notice_id = None
        if notice is not None:
            try:
                notice_id = find_notice(session, notice).id
            except ReviewError as error:
                _fail(str(error))
        rows = notice_statuses(session, office_calendar(settings, session), notice_id, history)
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
            click.echo(line)
            for channel, pub in lang.publications.items():
                where = pub["location"] if pub["state"] == "published" else pub["detail"]
                click.echo(f"        {channel}: {pub['state']}  {where or pub['location']}")
        for entry in row.history:
            detail = ", ".join(f"{k}={v}" for k, v in entry["detail"].items())
            language = f" {entry['language']}" if entry["language"] else ""
            click.echo(
                f"    {entry['at'][:19]}  {entry['actor']}: {entry['action']}{language}  {detail}"
            )


@main.group()
def review() -> None:
    """The reviewers' path: list, show, edit, override, approve, sign-off, reject."""


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
    """Source and draft side by side, with quality findings and fuzzy memory matches."""
    from dataclasses import asdict

    view = _review_call("show", notice, language, suggestions=True)
    if as_json:
        click.echo(_json(asdict(view)))
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
    from store.db import transaction

    try:
        with transaction(_database(get_settings())) as session:
            steps.edit_segment(session, notice, language, segment, text, reviewer, revision)
    except steps.EditConflict as conflict:
        _fail(
            f"{conflict}; to save yours over it: `waiwen review edit {notice} {language} "
            f"{segment} TEXT --reviewer {reviewer} --revision {conflict.revision}`"
        )
    except steps.ReviewError as error:
        _fail(str(error))
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
    lang = _review_call("approve", notice, language, reviewer, comment)
    if lang.state == "reviewed":
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
    _approved(notice, language, _review_call("sign_off", notice, language, approver, comment))


def _approved(notice: str, language: str, lang: Any) -> None:
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
    if (reviewer is None) == (approver is None):
        _fail("say who rejects: --reviewer NAME (in review) or --approver NAME (awaiting sign-off)")
    role, name = ("reviewer", reviewer) if reviewer is not None else ("approver", approver)
    _review_call("reject", notice, language, name, comment, (role,))
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
    _review_call("override_check", notice, language, segment, check, reason, reviewer)
    click.echo(f"{check} on segment {segment} of notice {notice} in {language} accepted")


def _review_call(name: str, *args: Any, **kwargs: Any) -> Any:
    from pipeline import review as steps
    from store.db import transaction

    try:
        with transaction(_database(get_settings())) as session:
            return getattr(steps, name)(session, *args, **kwargs)
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


@memory.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--lang", "languages", multiple=True, help="Only these target languages (repeatable)."
)
def memory_export(path: Path, languages: tuple[str, ...]) -> None:
    """Write the translation memory as TMX 1.4 (for an agency or the office's archive)."""
    from pipeline.memory import export_units
    from reporting.output import write_whole
    from store.db import transaction
    from translators.tmx import write_tmx

    with transaction(_database(get_settings())) as session:
        units = export_units(session, languages or None)
    write_whole(path, write_tmx(units))
    pairs = sum(len(unit.targets) for unit in units)
    click.echo(f"{path}: {len(units)} source segment(s), {pairs} pair(s)")


@main.group()
def xliff() -> None:
    """One notice's language to and from an outside translation agency (XLIFF 1.2)."""


@xliff.command("export")
@click.argument("notice")
@click.argument("language")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def xliff_export(notice: str, language: str, path: Path) -> None:
    """Write NOTICE's LANGUAGE (current version) as XLIFF for an agency."""
    from pipeline.agency import export_xliff
    from pipeline.review import ReviewError
    from reporting.output import write_whole
    from store.db import transaction

    try:
        with transaction(_database(get_settings())) as session:
            data, units = export_xliff(session, notice, language)
    except ReviewError as error:
        _fail(str(error))
    write_whole(path, data)
    click.echo(f"{path}: {units} segment(s) of notice {notice} in {language}")


@xliff.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who imports (default: your login name).")
def xliff_import(path: Path, actor: str | None) -> None:
    """Take an agency's XLIFF back: exactly the segments whose text changed are updated."""
    from pipeline.agency import import_xliff
    from store.db import transaction
    from translators.xliff import XliffError, read_xliff_file

    try:
        document = read_xliff_file(path)
        with transaction(_database(get_settings())) as session:
            done = import_xliff(session, document, actor or getpass.getuser(), path=str(path))
    except XliffError as error:
        _fail(str(error))
    changed = ", ".join(map(str, done.updated)) or "none"
    click.echo(
        f"{path}: notice {done.notice_id} {done.language}: {len(done.updated)} segment(s) updated "
        f"({changed}), {done.unchanged} unchanged"
    )


@main.group()
def glossary() -> None:
    """Official names and terms the translations must use."""


@glossary.command("import")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who imports (default: your login name).")
def glossary_import(files: tuple[Path, ...], actor: str | None) -> None:
    """Load term lists (CSV: source,language,target[,note]; or TBX); a file is loaded all or nothing."""
    from pipeline.glossary import import_terms
    from store.db import transaction
    from translators.glossary import Glossary, GlossaryError

    if not files:
        raise click.UsageError("name at least one CSV or TBX file")
    url = _database(get_settings())
    who = actor or getpass.getuser()
    for path in files:
        try:
            loaded = Glossary.from_file(path)
        except GlossaryError as error:
            _fail(str(error))
        with transaction(url) as session:
            done = import_terms(session, loaded.terms(), f"glossary:{path.name}", who)
        click.echo(
            f"{path}: {done.added} term(s) added, {done.changed} changed, {done.unchanged} unchanged"
        )


@glossary.command("list")
@click.option("--lang", "language", default=None, help="Only this target language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def glossary_list(language: str | None, as_json: bool) -> None:
    """The terms in force: the office's imported terms over the starter terms."""
    from dataclasses import asdict

    from pipeline.glossary import load_glossary
    from store.db import transaction

    with transaction(_database(get_settings())) as session:
        terms = load_glossary(session).terms(language)
    if as_json:
        click.echo(_json([asdict(term) for term in terms]))
        return
    for term in terms:
        note = f"  ({term.note})" if term.note else ""
        click.echo(f"{term.language}  {term.source}  →  {term.target}{note}")


@main.command()
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--lang", "language", required=True, help="Language of the text: zh, en, ja, fr or ko."
)
@click.option("--convention", default=None, help="Reporting convention (default: the report's).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def count(files: tuple[Path, ...], language: str, convention: str | None, as_json: bool) -> None:
    """Every measure of plain-text or Markdown files, and the convention's figure.

    Markdown files (.md) are counted without markup and without YAML front matter; - reads
    standard input as Markdown."""
    from content.counting import CONVENTIONS, Measures, find_convention, measure
    from content.notice import without_front_matter

    try:
        rule = find_convention(convention or get_settings().report_convention)
    except KeyError as error:
        _fail(error.args[0])
    if language not in rule.measure_for:
        _fail(
            f"--lang {language}: convention {rule.name} counts only {', '.join(rule.measure_for)}"
        )
    results = []
    for path in files:
        try:
            data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
            text = data.decode("utf-8-sig")
        except OSError as error:
            _fail(f"{path}: cannot be read ({error.strerror})")
        except UnicodeDecodeError:
            _fail(f"{path}: is not UTF-8 text")
        markdown = str(path) == "-" or path.suffix.lower() in (".md", ".markdown")
        measures = measure(without_front_matter(text) if markdown else text, markdown=markdown)
        results.append((str(path), "markdown" if markdown else "plain text", measures))
    total = Measures(
        *(sum(getattr(m, f) for _, _, m in results) for f in Measures.__dataclass_fields__)
    )
    convention_label = f"{rule.name} v{rule.version}"
    if as_json:
        click.echo(
            _json(
                {
                    "language": language,
                    "convention": convention_label,
                    "measure": rule.measure_for[language],
                    "files": [
                        {
                            "file": name,
                            "read_as": kind,
                            **m.as_dict(),
                            "figure": rule.figure(m, language),
                        }
                        for name, kind, m in results
                    ],
                    "total": {**total.as_dict(), "figure": rule.figure(total, language)},
                }
            )
        )
        return
    names = list(Measures.__dataclass_fields__)
    click.echo("\t".join(["file", *names, "figure"]))
    for name, kind, m in results:
        click.echo(
            "\t".join(
                [
                    f"{name} ({kind})",
                    *(str(v) for v in m.as_dict().values()),
                    str(rule.figure(m, language)),
                ]
            )
        )
    if len(results) > 1:
        click.echo(
            "\t".join(
                [
                    "total",
                    *(str(v) for v in total.as_dict().values()),
                    str(rule.figure(total, language)),
                ]
            )
        )
    click.echo(
        f"figure = {rule.measure_for[language]} for {language} under {convention_label}"
        f" (known conventions: {', '.join(sorted(CONVENTIONS))})"
    )


def _last_year() -> int:
    from core.clock import office_today

    return office_today().year - 1


@main.command()
@click.option("--year", type=int, default=None, help="Year reported (default: last year).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "xlsx", "json", "png"]),
    default="md",
    show_default=True,
    help="md to paste into the annual report, csv or json for data, xlsx, png chart.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output; report-YEAR.xlsx/png for those formats).",
)
@click.option(
    "--convention", default=None, help="Reporting convention (default: setting report_convention)."
)
@click.option(
    "--audit",
    "audit_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the audit listing: every notice's contribution per language (CSV).",
)
def report(
    year: int | None, fmt: str, output: Path | None, convention: str | None, audit_path: Path | None
) -> None:
    """The yearly foreign-language word-count report, in the office's table."""
    from content.counting import find_convention
    from core.clock import OFFICE_TIME_ZONE
    from reporting.output import render_text, write_audit, write_report
    from reporting.yearly import load_report

    settings = get_settings()
    try:
        rule = find_convention(convention or settings.report_convention)
    except KeyError as error:
        _fail(error.args[0])
    year = year or _last_year()
    figures, audit = load_report(_database(settings), year, rule, datetime.now(OFFICE_TIME_ZONE))
    if figures.year_row.articles == 0:
        click.echo(f"waiwen: nothing was counted for {year}: the table is all zeros", err=True)
    if output is None and fmt in ("md", "csv", "json"):
        click.echo(render_text(figures, fmt), nl=False)
        if fmt == "csv":  # the office's table has no room for it, so it goes beside
            click.echo(f"convention: {figures.convention_label}", err=True)
    else:
        path = write_report(figures, fmt, output or Path(f"report-{year}.{fmt}"), audit)
        click.echo(f"wrote {path} ({figures.convention_label})", err=True)
    if audit_path is not None:
        lines = write_audit(_with_progress(audit(), "audit listing"), audit_path)
        click.echo(f"wrote {audit_path}: {lines} line(s), one per notice and language", err=True)


def _with_progress(items: Iterable[Any], what: str, every: int = 50_000) -> Iterator[Any]:
    """Pass ``items`` through, saying on standard error how far a long listing has got."""
    for count, item in enumerate(items, start=1):
        if count % every == 0:
            click.echo(f"{what}: {count:,} lines ...", err=True)
        yield item


@main.command()
@click.argument("notice")
@click.option("--reason", required=True, help="Why it is retracted (kept in the history).")
@click.option("--by", "actor", default=None, help="Who retracts (default: your login name).")
def retract(notice: str, reason: str, actor: str | None) -> None:
    """Take a published notice off every channel and out of every yearly report. Safe to run again."""
    from flows.wiring import channels
    from pipeline.retraction import WithdrawalError, withdraw
    from pipeline.retraction import retract as retract_notice
    from pipeline.review import ReviewError
    from store.db import transaction

    settings = get_settings()
    url = _database(settings)
    try:
        with transaction(url) as session:
            done = retract_notice(session, notice, actor or getpass.getuser(), reason)
    except ReviewError as error:  # an unknown notice or a missing reason
        _fail(str(error))
    try:  # every configured channel, and every other one the notice was published on
        publishers = channels(settings, also=done.published_on)
    except ValueError as error:  # WAIWEN_CHANNELS names a channel that is not there, or one refused
        _fail(f"{error}; the notice is retracted: fix it, then run the same command again")
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
        _fail(f"{error}; run the same command again once it is fixed")


@main.group()
def archive() -> None:
    """Earlier years' published translations, for reproducing past reports."""


@archive.command("import")
@click.argument(
    "manifests",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--by", "actor", default=None, help="Who loads them (default: your login name).")
def archive_import(manifests: tuple[Path, ...], actor: str | None) -> None:
    """Load CSV manifests (key,language,published_on,file,title,column); all or nothing per manifest."""
    from content.notice import NoticeRefused
    from pipeline.archive import import_archive, read_archive
    from store.db import transaction

    url = _database(get_settings())
    for manifest in manifests:
        try:
            texts = read_archive(manifest)
        except NoticeRefused as refused:
            click.echo(f"waiwen: refused, nothing was loaded from {manifest}:", err=True)
            for problem in refused.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(1)
        with transaction(url) as session:
            done = import_archive(session, str(manifest), texts, actor or getpass.getuser())
        click.echo(
            f"{manifest}: {done.added} text(s) added, {done.updated} updated, {done.unchanged} unchanged"
            f" (years {', '.join(map(str, done.years))})"
        )


@main.command()
def samples() -> None:
    """Load the sample memory and queue the sample notices shipped in content/samples/."""
    ctx = click.get_current_context()
    ctx.invoke(memory_import, files=(SAMPLES_DIR / "memory.tmx",))
    notices = tuple(path for path in sorted(SAMPLES_DIR.glob("*.md")) if path.name != "README.md")
    ctx.invoke(queue, files=notices, editor="samples", as_json=False)


def _use_prefect(api_url: str) -> None:
    from flows.handoff import use_prefect

    use_prefect(api_url)


def _register_commands() -> None:
    """Commands kept in modules of their own."""
    from waiwen.check_command import check
    from waiwen.desk_commands import calendar, serve, users
    from waiwen.site_command import site

    main.add_command(check)
    main.add_command(site)
    main.add_command(users)
    main.add_command(serve)
    main.add_command(calendar)


_register_commands()
