"""The database as the commands open it: migrated to head, or a readable refusal and exit status 1."""

from __future__ import annotations

from core.settings import Settings
from waiwen.cli.refusals import refuse


def migrated_database(settings: Settings) -> str:
    """The database URL, migrated to head; says so plainly and exits when it cannot be reached."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from store.db import engine_for

    url = settings.resolved_database_url
    try:
        engine_for(url)
    except OperationalError as error:
        shown = make_url(url).render_as_string(hide_password=True)
        refuse(f"cannot open the database {shown}: {error.orig}")
    return url
