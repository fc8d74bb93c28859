"""The `waiwen` command: the top-level group, with the commands of each area registered on it.

One module per area: `notices` (queue, run, status, retract, samples), `review`, `translation`
(memory, xliff, glossary, check), `checks` (the office's levels), `report` (count, report, archive), `desk` (users, serve,
calendar), `site`, `service` (up), `wechat` (the daily broadcast). Every command refuses input the same way (`refusals`).
"""

from __future__ import annotations

import click

from waiwen.cli import (
    checks,
    desk,
    notices,
    report,
    review,
    service,
    site,
    translation,
    wechat,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """waiwen: approved Chinese notices to reviewed en/ja/fr/ko translations, counted and published."""
    from core import logsafe

    logsafe.install()


def _register_areas() -> None:
    """Each area's commands on `main`; `--help` lists them in alphabetical order."""
    for command in (
        *notices.COMMANDS,
        *review.COMMANDS,
        *translation.COMMANDS,
        *checks.COMMANDS,
        *report.COMMANDS,
        *desk.COMMANDS,
        *site.COMMANDS,
        *service.COMMANDS,
        *wechat.COMMANDS,
    ):
        main.add_command(command)


_register_areas()
