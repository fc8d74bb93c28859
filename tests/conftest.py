"""Shared fixtures: a migrated database (SQLite, or PostgreSQL via WAIWEN_TEST_DATABASE_URL) and settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

from core.settings import Settings, get_settings
from store.db import engine_for, reset_caches, transaction
from store.models import Base
from tests.worker_databases import own_database

pytest_plugins = ["tests.standins.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "samples"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One database per test session, migrated to head once."""
    url = own_database(os.environ.get("WAIWEN_TEST_DATABASE_URL", ""), "WAIWEN_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'waiwen.db'}"
    engine_for(url)
    return url


def empty_database(url: str) -> None:
    """Delete every row, keeping the schema; numbering starts again at 1 as in a new database."""
    with transaction(url) as session:
        if session.get_bind().dialect.name == "postgresql":
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


@pytest.fixture
def settings(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings for one test: an emptied database, a fresh home and site folder, no waiwen.toml."""
    empty_database(database_url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WAIWEN_HOME", str(tmp_path / ".waiwen"))
    monkeypatch.setenv("WAIWEN_DATABASE_URL", database_url)
    monkeypatch.setenv("WAIWEN_SITE_DIR", str(tmp_path / "site"))
    monkeypatch.setenv("WAIWEN_CONFIG", str(tmp_path / "waiwen.toml"))
    for name in (
        "WAIWEN_ENGINES",
        "WAIWEN_ENGINE_CHAINS",
        "WAIWEN_LIBRETRANSLATE_URL",
        "WAIWEN_FAILPOINTS",
        "WAIWEN_TARGET_LANGUAGES",  # the default four, unless a test configures others
        "WAIWEN_PREFECT_DATABASE_URL",  # servers on SQLite, unless a test sets a PostgreSQL one
    ):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: a process per core, at most four (each end-to-end test runs a Prefect server)."""
    return max(1, min(os.cpu_count() or 1, 4))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    """The end-to-end tests run one after another in one process; the others share the rest.

    Each runs a Prefect server and workers: two at once on two cores took two or three times as
    long each, while the short tests fill the time an end-to-end test spends waiting. Another
    ``--dist`` than the default keeps pytest-xdist's own scheduling.
    """
    return EndToEndInOneProcess(config, log) if config.getoption("dist") == "load" else None


class EndToEndInOneProcess(LoadScopeScheduling):
    """pytest-xdist's scope scheduling with two kinds of scope: tests/e2e as one, every other test alone.

    (``--dist loadgroup`` would say the same with markers, but pytest-xdist 3.8 marks the group
    in an attribute pytest 9.2 no longer reads, and the groups are silently lost.)
    """

    def _split_scope(self, nodeid: str) -> str:
        return "end-to-end" if nodeid.startswith("tests/e2e/") else nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close database connections so PostgreSQL can drop the test database afterwards."""
    reset_caches()
