"""The local Prefect server on PostgreSQL (WAIWEN_PREFECT_DATABASE_URL): `waiwen up` and `waiwen run`
keep their flow runs there, and its password shows nowhere.

Needs WAIWEN_TEST_PREFECT_DATABASE_URL, a PostgreSQL database each test empties (`.ci/run` creates
one); without it the tests are skipped, or fail under WAIWEN_REQUIRE_PREFECT_POSTGRESQL=1 (CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.settings import Settings
from tests.e2e.conftest import wait_for
from tests.notices import write_notice
from tests.worker_databases import own_database

pytestmark = pytest.mark.e2e

VARIABLE = "WAIWEN_TEST_PREFECT_DATABASE_URL"
REQUIRE = "WAIWEN_REQUIRE_PREFECT_POSTGRESQL"
# Given when the test URL has no password of its own: trust and peer authentication (as in .ci/run)
# never ask for it, and every log and output is searched for it.
MARKER_PASSWORD = "marker-pw-9c41e2"


def _password_and_url() -> tuple[str, str]:
    """The test database's URL for WAIWEN_PREFECT_DATABASE_URL, and the password it holds."""
    given = own_database(os.environ.get(VARIABLE, ""), VARIABLE)
    if not given:
        reason = (
            f"{VARIABLE} is not set (a PostgreSQL database for the Prefect server, which each test "
            "empties, e.g. postgresql://waiwen@/prefect_test?host=/tmp/pg&port=5432)"
        )
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{reason}, and {REQUIRE} is set")
        pytest.skip(reason)
    url = make_url(given)
    if not url.password:
        url = url.set(password=MARKER_PASSWORD)
    return str(url.password), url.render_as_string(hide_password=False)


@pytest.fixture
def prefect_postgresql(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str]]:
    """WAIWEN_PREFECT_DATABASE_URL set to the test database: (its password, a URL to query it)."""
    password, url = _password_and_url()
    # Queried with psycopg, the driver waiwen's own PostgreSQL tests use; the same socket or host.
    database = make_url(url).set(drivername="postgresql+psycopg").render_as_string(False)
    _empty_prefect_database(database)
    monkeypatch.setenv("WAIWEN_PREFECT_DATABASE_URL", url)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    yield password, database


def _empty_prefect_database(url: str) -> None:
    """Start from an empty database, as beside a new waiwen database (the server migrates it).

    Each test empties waiwen's database; the flow runs of an earlier test would otherwise still be
    in the Prefect database and in the counts of this one.
    """
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _flow_runs(url: str, name: str) -> dict[str, str]:
    """Flow name → state type of the flow runs called ``name`` in the Prefect database."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT flow.name, flow_run.state_type FROM flow_run "
                    "JOIN flow ON flow.id = flow_run.flow_id WHERE flow_run.name = :name"
                ),
                {"name": name},
            )
            return {flow: str(state) for flow, state in rows}
    finally:
        engine.dispose()


def _notice(folder: Path) -> tuple[Path, str]:
    """A notice in English only, and the name its flow runs get (title · version)."""
    title = "市政府外办召开领事工作通报会"
    return write_notice(folder / "notice.md", title=title, languages=["en"]), f"{title} · v1"


def _nothing_shows(password: str, settings: Settings, *outputs: str) -> None:
    """The password is in no output and no log; and no SQLite Prefect database was made."""
    logs = sorted((Path(settings.home) / "logs").glob("*.log"))
    assert logs
    for text_ in [*outputs, *(log.read_text(errors="replace") for log in logs)]:
        assert password not in text_
    assert not (settings.prefect_home / "prefect.db").exists()


def test_up_keeps_its_flow_runs_in_postgresql(
    prefect_postgresql: tuple[str, str],
    request: pytest.FixtureRequest,
    settings: Settings,
    tmp_path: Path,
) -> None:
    password, database = prefect_postgresql
    # `waiwen up` is started only now, with the variable set.
    service: dict[str, str] = request.getfixturevalue("service")
    log = Path(service["LOG"])
    notice, run_name = _notice(tmp_path)
    queued = subprocess.run(
        [sys.executable, "-m", "waiwen", "queue", str(notice)],
        env=service,
        capture_output=True,
        text=True,
    )
    assert queued.returncode == 0, queued.stderr
    assert "handed to the running service" in queued.stdout
    wait_for(
        lambda: _flow_runs(database, run_name).get("draft-notice") == "COMPLETED",
        "the draft flow run, completed in PostgreSQL",
        log,
    )
    said = log.read_text()
    assert "database PostgreSQL postgresql+asyncpg://" in said
    assert "  Prefect db:    PostgreSQL postgresql+asyncpg://" in said
    status = subprocess.run(
        [sys.executable, "-m", "waiwen", "status", "--json"],
        env=service,
        capture_output=True,
        text=True,
    )
    [drafted] = json.loads(status.stdout)
    assert {lang["language"]: lang["state"] for lang in drafted["languages"]}["en"] == "in_review"
    _nothing_shows(password, settings, said, queued.stdout, queued.stderr)


def test_run_starts_its_own_server_on_postgresql(
    prefect_postgresql: tuple[str, str], settings: Settings, tmp_path: Path
) -> None:
    password, database = prefect_postgresql
    notice, run_name = _notice(tmp_path)
    env = {**os.environ, "WAIWEN_FLOW_HEARTBEATS": "false"}

    def waiwen(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "waiwen", *args], env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        return result

    queued = waiwen("queue", str(notice))
    ran = waiwen("run")
    assert "database PostgreSQL postgresql+asyncpg://" in ran.stdout
    assert "done: 1 drafted, 1 published, 0 failed" in ran.stdout
    runs = _flow_runs(database, run_name)
    assert runs == {"draft-notice": "COMPLETED", "publish-notice": "COMPLETED"}
    _nothing_shows(password, settings, ran.stdout, ran.stderr, queued.stdout, queued.stderr)
