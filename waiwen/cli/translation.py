"""Translations made or checked outside the pipeline: `waiwen memory` (TMX), `xliff`, `glossary`, `check`."""

from __future__ import annotations

import getpass
import sys
from dataclasses import asdict
from pathlib import Path

import click

from core.settings import get_settings
from translators.checks.aligned import AlignmentError, check_files
from translators.glossary import Glossary, GlossaryError
from waiwen.cli.database import migrated_database
from waiwen.cli.output import to_json
from waiwen.cli.refusals import refusals
from waiwen.cli.targets import TargetLanguage


@click.group()
def memory() -> None:
    """The translation memory."""


@memory.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def memory_import(files: tuple[Path, ...]) -> None:
    """Load TMX files of human translations (Simplified Chinese source); says what each left out.

    A file is read as it is stored, all or nothing: a refused file changes nothing."""
    from pipeline.memory import import_tmx
    from store.db import transaction
    from translators.tmx import TmxReading

    url = migrated_database(get_settings())
    for path in files:
        # The transaction closes (and rolls back on a refusal) before the refusal is printed.
        with refusals(), path.open("rb") as stream, transaction(url) as session:
            done = import_tmx(session, TmxReading(stream, path=str(path)), f"tmx:{path.name}")
        click.echo(f"{path}: {done.stored} pair(s) stored, {done.unchanged} already in the memory")
        for skip, count in done.skipped:
            click.echo(f"  skipped {count} {skip.what}(s): {skip.why}")


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

    with transaction(migrated_database(get_settings())) as session:
        units = export_units(session, languages or None)
    write_whole(path, write_tmx(units))
    pairs = sum(len(unit.targets) for unit in units)
    click.echo(f"{path}: {len(units)} source segment(s), {pairs} pair(s)")


@click.group()
def xliff() -> None:
    """One notice's language to and from an outside translation agency (XLIFF 1.2 or 2.0)."""


@xliff.command("export")
@click.argument("notice")
@click.argument("language")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--xliff",
    "xliff_version",
    type=click.Choice(("1.2", "2.0")),
    default="1.2",
    show_default=True,
    help="The XLIFF version to write.",
)
def xliff_export(notice: str, language: str, path: Path, xliff_version: str) -> None:
    """Write NOTICE's LANGUAGE (current version) as XLIFF for an agency."""
    from pipeline.agency import export_xliff
    from pipeline.lookups import NotFound
    from reporting.output import write_whole
    from store.db import transaction

    with refusals(NotFound), transaction(migrated_database(get_settings())) as session:
        data, units = export_xliff(session, notice, language, version=xliff_version)
    write_whole(path, data)
    click.echo(
        f"{path}: {units} segment(s) of notice {notice} in {language} (XLIFF {xliff_version})"
    )


@xliff.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who imports (default: your login name).")
@click.option(
    "--notice", default=None, help="The notice, when the file does not say (another tool's file)."
)
@click.option(
    "--lang",
    "language",
    type=TargetLanguage(),
    default=None,
    help="The target language, when the file does not say.",
)
def xliff_import(path: Path, actor: str | None, notice: str | None, language: str | None) -> None:
    """Take an agency's XLIFF (1.1, 1.2 or 2.0) back: exactly the segments whose text changed.

    A file that breaks a rule is refused whole. A segment changed on the desk since the export is
    a conflict: it keeps the desk's text and is listed on standard error (exit status 1), while
    the file's other segments are taken.
    """
    from pipeline.agency import import_xliff
    from store.db import transaction
    from translators.xliff import read_xliff_file

    with refusals():
        document = read_xliff_file(path)
        with transaction(migrated_database(get_settings())) as session:
            done = import_xliff(
                session,
                document,
                actor or getpass.getuser(),
                path=str(path),
                notice=notice,
                language=language,
            )
    changed = ", ".join(map(str, done.updated)) or "none"
    click.echo(
        f"{path}: notice {done.notice_id} {done.language}: {len(done.updated)} segment(s) updated "
        f"({changed}), {done.unchanged} unchanged, {len(done.conflicts)} conflict(s)"
    )
    for skipped in done.skipped:
        click.echo(f"{path}: skipped {skipped}")
    for conflict in done.conflicts:
        click.echo(f"waiwen: {path}: conflict: {conflict}", err=True)
    if done.conflicts:
        sys.exit(1)


@click.group()
def glossary() -> None:
    """Official names and terms the translations must use."""


@glossary.command("import")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default=None, help="Who imports (default: your login name).")
def glossary_import(files: tuple[Path, ...], actor: str | None) -> None:
    """Load term lists (CSV: source,language,target[,note]; or TBX); a file is loaded all or nothing."""
    from pipeline.glossary import import_terms
    from store.db import transaction

    if not files:
        raise click.UsageError("name at least one CSV or TBX file")
    url = migrated_database(get_settings())
    who = actor or getpass.getuser()
    for path in files:
        with refusals(GlossaryError):
            loaded = Glossary.from_file(path)
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
    from pipeline.glossary import load_glossary
    from store.db import transaction

    with transaction(migrated_database(get_settings())) as session:
        terms = load_glossary(session).terms(language)
    if as_json:
        click.echo(to_json([asdict(term) for term in terms]))
        return
    for term in terms:
        note = f"  ({term.note})" if term.note else ""
        click.echo(f"{term.language}  {term.source}  →  {term.target}{note}")


@click.command("check")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", "language", required=True, type=TargetLanguage(), help="Target language.")
@click.option(
    "--glossary",
    "glossary_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Term list (CSV or TBX) to require; default: the office's starter terms.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(
    source: Path, target: Path, language: str, glossary_path: Path | None, as_json: bool
) -> None:
    """Check an aligned pair of files (one segment per line, SOURCE in Chinese).

    Exit status 1 when any finding is an error, 0 otherwise, 2 for files that cannot be checked.
    """
    try:
        if glossary_path is None:
            terms = Glossary.starter()
        elif glossary_path.suffix.lower() == ".tbx":
            terms = Glossary.from_tbx(glossary_path)
        else:
            terms = Glossary.from_csv(glossary_path)
        findings = check_files(source, target, language, terms)
    except (AlignmentError, GlossaryError) as error:
        raise click.UsageError(str(error)) from None
    errors = sum(f.severity == "error" for f in findings)
    if as_json:
        click.echo(to_json([asdict(f) for f in findings]))
    else:
        for f in findings:
            click.echo(f"{target}:{f.line}: {f.severity} {f.check_id}: {f.message}")
        warnings = len(findings) - errors
        click.echo(f"{errors} error(s), {warnings} warning(s) in {target}", err=True)
    if errors:
        raise SystemExit(1)


COMMANDS: tuple[click.Command, ...] = (memory, xliff, glossary, check)
