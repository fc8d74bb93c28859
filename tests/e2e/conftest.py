"""End-to-end harness: one real Prefect server per test process, the real `waiwen` command as a process."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from flows.server import free_port, start_server, stop_server
from tests.standins.libretranslate import LibreTranslateStandIn


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prefect server started the way waiwen starts its own, kept for the whole session (per xdist worker)."""
    home = tmp_path_factory.mktemp("prefect-home")
    # On SQLite whatever the machine sets; test_prefect_postgresql.py runs servers on PostgreSQL.
    settings = Settings(home=home, prefect_database_url="")
    process, url = start_server(
        settings, free_port(), ui=False, log=home / "server.log", say=lambda _: None
    )
    yield url
    stop_server(process)


class Waiwen:
    """Runs the `waiwen` command in a fresh process with the test's settings."""

    def __init__(self, api_url: str, extra_env: dict[str, str]) -> None:
        self.env = {
            **os.environ,
            "PREFECT_API_URL": api_url,
            "WAIWEN_FLOW_HEARTBEATS": "false",
            **extra_env,
        }

    def __call__(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "waiwen", *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"waiwen {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def waiwen(settings: Settings, prefect_api_url: str) -> Waiwen:
    """The command, bound to this test's database, home and site folder."""
    return Waiwen(prefect_api_url, {})


@pytest.fixture
def site_dir(settings: Settings) -> Path:
    return Path(settings.site_dir)


# Generous ceilings so a slow machine never fails the test; the tests wait for states, not for time.
PATIENCE = 240.0


def wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    """Poll until ``condition`` holds; fail with the service log if it never does."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"gave up waiting for {what}; service log:\n{log.read_text(errors='replace')}"
            )
        time.sleep(0.5)


@contextmanager
def running_up(
    settings: Settings,
    libretranslate: LibreTranslateStandIn,
    log: Path,
    *up_args: str,
    extra_env: dict[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """A running `waiwen up` (review desk included) with the LibreTranslate stand-in as engine;
    stopped with SIGTERM. Yields its environment, with LOG, DESK_URL, API_URL and WORKER_PIDS."""
    env = {
        **os.environ,
        "WAIWEN_ENGINES": "memory,libretranslate",
        "WAIWEN_LIBRETRANSLATE_URL": libretranslate.url,
        **(extra_env or {}),
    }
    env.pop("PREFECT_API_URL", None)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waiwen",
                "up",
                "--port",
                str(free_port()),
                "--desk-port",
                str(free_port()),
                *up_args,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    up_json = Path(settings.home) / "up.json"
    wait_for(lambda: up_json.exists() or process.poll() is not None, "waiwen up to start", log)
    assert process.poll() is None, log.read_text()
    started = json.loads(up_json.read_text())
    try:
        yield {
            **env,
            "LOG": str(log),
            "DESK_URL": started["desk_url"],
            "API_URL": started["api_url"],
            "WORKER_PIDS": " ".join(str(pid) for pid in started["worker_pids"]),
        }
    finally:
        # Also when the test failed: a service left running would sweep the next tests' database.
        stop_up(process, started["worker_pids"])
    assert "waiwen stopped" in log.read_text()
    assert not up_json.exists()


def stop_up(process: subprocess.Popen[bytes], worker_pids: list[int]) -> None:
    """Stop `waiwen up` with SIGTERM; if it does not stop in a minute, kill it and its workers."""
    stop_server(process, signal.SIGTERM, patience=60)
    for pid in worker_pids:  # gone already, unless `waiwen up` had to be killed
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


@pytest.fixture
def service(
    settings: Settings, libretranslate: LibreTranslateStandIn, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """A running `waiwen up` with one worker; see `running_up`."""
    with running_up(settings, libretranslate, tmp_path / "up.log") as env:
        yield env
