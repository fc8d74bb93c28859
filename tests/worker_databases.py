"""Each test process's own PostgreSQL database, beside the one a variable names.

The suite runs in pytest-xdist worker processes, and its tests empty their database (TRUNCATE,
DROP SCHEMA): two workers on one database would empty each other's. So a worker uses
``<name>_<worker>`` on the same server, made the first time it is needed and emptied by the tests
like the named one. Without workers (``-n 0``), or on SQLite, the named database itself.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]+")


def own_database(url: str, variable: str) -> str:
    """``url``, or for an xdist worker the same server's database of that worker (made if new)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not url.startswith("postgresql"):
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    if not _PLAIN_NAME.fullmatch(name):
        pytest.fail(f"{variable}: database {given.database!r} is not a plain name (A-Z, 0-9, _)")
    # Asked through psycopg whatever the URL's driver (asyncpg for Prefect's): the same server.
    admin = create_engine(given.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as error:
        pytest.fail(
            f"{variable}: cannot make the test worker's database {name!r} beside "
            f"{given.database!r} ({error.orig}); the role needs CREATEDB, or run with -n 0"
        )
    finally:
        admin.dispose()
    return given.set(database=name).render_as_string(hide_password=False)
