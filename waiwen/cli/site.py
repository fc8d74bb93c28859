"""`waiwen site rebuild`: the whole site again from the database (after a template or address change)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from core.settings import get_settings

if TYPE_CHECKING:
    from publishers.base import Page


@click.group("site")
def site() -> None:
    """The published website."""


@site.command("rebuild")
def rebuild() -> None:
    """Render every published notice again, staged beside the site and moved in at the end.

    The site stays served as it was until every page is rendered; then the files are moved in,
    each by one rename. Run it after changing WAIWEN_SITE_BASE_URL, WAIWEN_COLUMNS or the
    templates.
    """
    from pipeline.published import channel_notices
    from publishers.site.publisher import CHANNEL, site_of

    settings = get_settings()
    built_site = site_of(settings)
    notices = channel_notices(settings.resolved_database_url, CHANNEL)
    click.echo(f"rebuilding {settings.site_dir}: {len(notices):,} notices on the site", err=True)

    def with_progress() -> Iterator[list[Page]]:
        for done, pages in enumerate(notices.pages(), start=1):
            if done % 500 == 0 or done == len(notices):
                click.echo(f"  {done:,} of {len(notices):,} notices rendered", err=True)
            yield pages

    count = built_site.build(with_progress())
    click.echo(f"site rebuilt: {count:,} pages in {len(notices):,} notices, swapped in")


COMMANDS: tuple[click.Command, ...] = (site,)
