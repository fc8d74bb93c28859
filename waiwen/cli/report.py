"""Counting and the yearly report: `waiwen count`, `report`, and `archive` (earlier years)."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click

from core.settings import get_settings
from waiwen.cli.database import migrated_database
from waiwen.cli.output import to_json
from waiwen.cli.refusals import refusals, refuse

T = TypeVar("T")


@click.command()
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--lang",
    "language",
    required=True,
    help="Language of the text: zh or a target the convention counts (en, ja ...).",
)
@click.option(
    "--convention",
    default=None,
    help='Reporting convention: a name (its newest version) or a label such as "office-2020 v1"'
    " (default: the report's).",
)
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
        refuse(error.args[0])
    if language not in rule.measure_for:
        refuse(
            f"--lang {language}: convention {rule.name} counts only {', '.join(rule.measure_for)}"
        )
    results = []
    for path in files:
        try:
            data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
            text = data.decode("utf-8-sig")
        except OSError as error:
            refuse(f"{path}: cannot be read ({error.strerror})")
        except UnicodeDecodeError:
            refuse(f"{path}: is not UTF-8 text")
        markdown = str(path) == "-" or path.suffix.lower() in (".md", ".markdown")
        measures = measure(without_front_matter(text) if markdown else text, markdown=markdown)
        results.append((str(path), "markdown" if markdown else "plain text", measures))
    total = Measures(
        *(sum(getattr(m, f) for _, _, m in results) for f in Measures.__dataclass_fields__)
    )
    convention_label = f"{rule.name} v{rule.version}"
    if as_json:
        total_figures: dict[str, int] = {**total.as_dict(), "figure": rule.figure(total, language)}
        click.echo(
            to_json(
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
                    "total": total_figures,
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


@click.command()
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
    "--convention",
    default=None,
    help='Reporting convention: a name (its newest version) or a label such as "office-2020 v1"'
    " (default: setting report_convention).",
)
@click.option(
    "--audit",
    "audit_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the audit listing: every notice's contribution per language (CSV).",
)
@click.option(
    "--encoding",
    default=None,
    help="Of the CSV files: utf-8 (with a byte-order mark, for Excel and WPS; the default) or"
    " gb18030 (for older office software).",
)
@click.option(
    "--costs",
    is_flag=True,
    help="Instead: tokens and requests drafting cost at batch engines (LLMs), per month and"
    " language (every year unless --year; --format md or json).",
)
def report(
    year: int | None,
    fmt: str,
    output: Path | None,
    convention: str | None,
    audit_path: Path | None,
    encoding: str | None,
    costs: bool,
) -> None:
    """The yearly foreign-language word-count report, in the office's table."""
    if costs:
        _costs(
            year,
            fmt,
            given=[
                name
                for name, value in (
                    ("--output", output),
                    ("--convention", convention),
                    ("--audit", audit_path),
                    ("--encoding", encoding),
                )
                if value is not None
            ],
        )
        return
    from content.counting import find_convention
    from core.clock import OFFICE_TIME_ZONE
    from reporting.csvfile import UTF8, csv_encoding
    from reporting.output import render_bytes, render_text, write_audit, write_report
    from reporting.yearly import LanguagesNotCovered, UnmeasuredTexts, load_report

    settings = get_settings()
    try:
        rule = find_convention(convention or settings.report_convention)
    except KeyError as error:
        refuse(error.args[0])
    with refusals():
        csv_encoding_name = UTF8 if encoding is None else csv_encoding(encoding)
    if encoding is not None and fmt != "csv" and audit_path is None:
        kept = "is always UTF-8" if fmt in ("md", "json") else "has no text encoding"
        refuse(
            f"--encoding {encoding}: only CSV files take an encoding (--format csv, or --audit"
            f" PATH); --format {fmt} {kept}"
        )
    year = year or _last_year()
    with refusals(UnmeasuredTexts, LanguagesNotCovered):
        figures, audit = load_report(
            migrated_database(settings), year, rule, datetime.now(OFFICE_TIME_ZONE)
        )
    if figures.year_row.articles == 0:
        click.echo(f"waiwen: nothing was counted for {year}: the table is all zeros", err=True)
    if output is None and fmt == "csv":
        # The same bytes as the file would hold, so `> report.csv` opens in Excel and WPS too.
        with refusals():
            data = render_bytes(figures, fmt, csv_encoding_name, "standard output")
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        click.echo(f"convention: {figures.convention_label}", err=True)  # no room in the table
    elif output is None and fmt in ("md", "json"):
        click.echo(render_text(figures, fmt), nl=False)
    else:
        path = output or Path(f"report-{year}.{fmt}")
        with refusals(heading=f"refused, {path} was not written"):
            write_report(figures, fmt, path, audit, csv_encoding_name)
        click.echo(f"wrote {path} ({figures.convention_label})", err=True)
    if audit_path is not None:
        with refusals(heading=f"refused, {audit_path} was not written"):
            lines = write_audit(
                _with_progress(audit(), "audit listing"), audit_path, csv_encoding_name
            )
        click.echo(f"wrote {audit_path}: {lines} line(s), one per notice and language", err=True)


def _costs(year: int | None, fmt: str, given: list[str]) -> None:
    """`waiwen report --costs`: the usage table, or its JSON."""
    from reporting.costs import costs_as_dict, costs_table, monthly_costs
    from store.db import transaction

    if given:
        refuse(
            f"--costs prints to standard output and takes only --year and --format, not {', '.join(given)}"
        )
    if fmt not in ("md", "json"):
        refuse(f"--format {fmt}: --costs is printed as md or json")
    with transaction(migrated_database(get_settings())) as session:
        rows = monthly_costs(session, year)
    if fmt == "json":
        click.echo(to_json(costs_as_dict(rows, year)))
        return
    if not rows:
        when = f" in {year}" if year is not None else ""
        click.echo(f"waiwen: no drafting sent anything to a batch engine{when}", err=True)
    click.echo(costs_table(rows), nl=False)


def _with_progress(items: Iterable[T], what: str, every: int = 50_000) -> Iterator[T]:
    """Pass ``items`` through, saying on standard error how far a long listing has got."""
    for count, item in enumerate(items, start=1):
        if count % every == 0:
            click.echo(f"{what}: {count:,} lines ...", err=True)
        yield item


@click.command()
@click.option(
    "--year", type=int, default=None, help="Only the texts of this year (default: every year)."
)
def recount(year: int | None) -> None:
    """Take the measures counted texts lack (counted before waiwen took them) from their texts.

    Measures already stored never change, so every earlier report stays reproducible."""
    from pipeline.counts import measure_again
    from store.db import transaction

    with transaction(migrated_database(get_settings())) as session:
        done = measure_again(session, year)
    click.echo(f"{done.completed} counted text(s) measured again from their approved text")
    for manifest, count in done.archived.items():
        click.echo(
            f"  {count} text(s) loaded from {manifest} lack a measure: load it again with"
            f" `waiwen archive import {manifest}`"
        )


@click.group()
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
    from pipeline.archive import import_archive, read_archive
    from store.db import transaction

    url = migrated_database(get_settings())
    for manifest in manifests:
        with refusals(heading=f"refused, nothing was loaded from {manifest}"):
            texts = read_archive(manifest)
        with transaction(url) as session:
            done = import_archive(session, str(manifest), texts, actor or getpass.getuser())
        click.echo(
            f"{manifest}: {done.added} text(s) added, {done.updated} updated, {done.unchanged} unchanged"
            f" (years {', '.join(map(str, done.years))})"
        )


COMMANDS: tuple[click.Command, ...] = (count, report, recount, archive)
