"""The quality checks and the office's levels for them: `waiwen checks list`, `waiwen checks set`."""

from __future__ import annotations

import getpass

import click

from core.settings import get_settings
from translators.checks.severity import LEVELS, SeverityRuleError, SeverityRules
from waiwen.cli.database import migrated_database
from waiwen.cli.output import to_json
from waiwen.cli.refusals import refusals

DEFAULT = "default"
_SAID = {
    "error": "are errors, which block approval",
    "warning": "are warnings, which do not block",
    "off": "are not shown",
}


@click.group("checks")
def checks() -> None:
    """Quality checks on every draft and edit, and how much their findings count."""


@checks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def checks_list(as_json: bool) -> None:
    """Each check with what it looks for, and the levels the office set for it."""
    from pipeline.office_settings import check_levels
    from store.db import transaction
    from translators.checks.registry import levelled_checks

    with transaction(migrated_database(get_settings())) as session:
        rules = check_levels(session)
    found = levelled_checks()
    if as_json:
        click.echo(
            to_json(
                [
                    {
                        "id": c.id,
                        "name": c.name,
                        "description": c.description,
                        "levels": _levels_of(rules, c.id),
                    }
                    for c in found
                ]
            )
        )
        return
    for check in found:
        levels = _levels_of(rules, check.id)
        set_here = ", ".join(f"{where}: {level}" for where, level in levels.items())
        click.echo(f"{check.id}  {check.name}  [{set_here or 'its own levels'}]")
        click.echo(f"    {check.description}")


def _levels_of(rules: SeverityRules, check_id: str) -> dict[str, str]:
    """Where the office set a level for this check: "every column" and column names."""
    levels = {}
    if check_id in rules.checks:
        levels["every column"] = rules.checks[check_id]
    for column, by_check in rules.columns.items():
        if check_id in by_check:
            levels[column] = by_check[check_id]
    return levels


@checks.command("set")
@click.argument("check_id", metavar="CHECK")
@click.argument("level", type=click.Choice([*LEVELS, DEFAULT]))
@click.option("--column", default=None, help="Only notices of this website column (栏目).")
@click.option("--actor", default=None, help="Who changes it (default: your login name).")
def checks_set(check_id: str, level: str, column: str | None, actor: str | None) -> None:
    """Set how much CHECK's findings count: error (blocks approval), warning, off, or default.

    Without --column, in every column; a column's level wins over it. `default` removes the
    level set at that place. Drafts already made follow the change at once.
    """
    from pipeline.office_settings import set_check_level
    from store.db import transaction

    settings = get_settings()
    with refusals(SeverityRuleError), transaction(migrated_database(settings)) as session:
        set_check_level(
            session,
            check_id,
            None if level == DEFAULT else level,
            column,
            actor or getpass.getuser(),
            settings.columns,
        )
    where = f"in column {column}" if column else "in every column"
    if level == DEFAULT:
        click.echo(f"{check_id}: the level set {where} is removed")
    else:
        click.echo(f"{check_id}: its findings {where} {_SAID[level]}")


COMMANDS: tuple[click.Command, ...] = (checks,)
