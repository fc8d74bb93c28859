"""`waiwen up`: the local service until Ctrl-C (its start-up lives in `waiwen.service`)."""

from __future__ import annotations

import click

from core.settings import get_settings
from waiwen.cli.database import migrated_database


@click.command()
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
@click.option(
    "--workers",
    "worker_count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Process workers on the waiwen work pool (two or more share the flow runs).",
)
def up(port: int | None, desk_port: int | None, worker_count: int) -> None:
    """Start the local service: Prefect server, deployments, worker, review desk; until Ctrl-C."""
    from waiwen.service import serve_forever

    settings = get_settings()
    migrated_database(settings)
    serve_forever(
        settings,
        port or settings.prefect_port,
        say=click.echo,
        desk_port=desk_port,
        worker_count=worker_count,
    )


COMMANDS: tuple[click.Command, ...] = (up,)
