"""`waiwen check`: the quality checks on a translation made outside waiwen."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from core.languages import TARGET_LANGUAGES
from translators.checks.aligned import AlignmentError, check_files
from translators.glossary import Glossary, GlossaryError

LANGUAGES = TARGET_LANGUAGES


@click.command("check")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--lang", "language", required=True, type=click.Choice(LANGUAGES), help="Target language."
)
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
            glossary = Glossary.starter()
        elif glossary_path.suffix.lower() == ".tbx":
            glossary = Glossary.from_tbx(glossary_path)
        else:
            glossary = Glossary.from_csv(glossary_path)
        findings = check_files(source, target, language, glossary)
    except (AlignmentError, GlossaryError) as error:
        raise click.UsageError(str(error)) from None
    errors = sum(f.severity == "error" for f in findings)
    if as_json:
        click.echo(json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f"{target}:{f.line}: {f.severity} {f.check_id}: {f.message}")
        warnings = len(findings) - errors
        click.echo(f"{errors} error(s), {warnings} warning(s) in {target}", err=True)
    if errors:
        raise SystemExit(1)
