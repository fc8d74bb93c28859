"""`waiwen site rebuild`: the whole site again from the database (after a template or address change)."""

from __future__ import annotations

import time

import click

from core.settings import get_settings

_EVERY_SHARE = 20  # progress lines per rebuild at most, beside one every _EVERY_SECONDS
_EVERY_SECONDS = 10.0


@click.group("site")
def site() -> None:
    """The published website."""


@site.command("rebuild")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering pages (default: WAIWEN_SITE_JOBS, else the machine's cores); "
    "1 renders in this process.",
)
def rebuild(jobs: int | None) -> None:
    """Render every published notice again, staged beside the site and moved in at the end.

    The site stays served as it was until every page is rendered; then the files are moved in,
    each by one rename. Run it after changing WAIWEN_SITE_BASE_URL, WAIWEN_COLUMNS or the
    templates.
    """
    from pipeline.published import channel_notices
    from publishers.site import parallel
    from publishers.site.publisher import CHANNEL, site_of

    settings = get_settings()
    built_site = site_of(settings)
    notices = channel_notices(settings.resolved_database_url, CHANNEL)
    jobs = jobs or settings.site_jobs or parallel.default_jobs()
    click.echo(
        f"rebuilding {settings.site_dir}: {len(notices):,} notices on the site, "
        f"{jobs} process{'es' if jobs > 1 else ''}",
        err=True,
    )
    told = {"pages": 0, "at": time.monotonic()}

    def progress(done: int, total: int) -> None:
        step = max(1, total // _EVERY_SHARE)
        late = time.monotonic() - told["at"] >= _EVERY_SECONDS
        if done == total or done - told["pages"] >= step or late:
            click.echo(f"  rendered {done:,} of {total:,} pages", err=True)
            told.update(pages=done, at=time.monotonic())

    try:
        count = parallel.build(built_site, notices, jobs, progress)
    except parallel.SiteBuildError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"site rebuilt: {count:,} pages in {len(notices):,} notices, swapped in")


COMMANDS: tuple[click.Command, ...] = (site,)
