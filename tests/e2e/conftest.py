"""End-to-end harness: one real Prefect server for the session, the real `waiwen` command as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from waiwen.orchestrator import free_port, start_server, stop_server
from waiwen.settings import Settings


@pytest.fixture(scope="session")
def prefect_api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prefect server started the way waiwen starts its own, kept for the whole session."""
    home = tmp_path_factory.mktemp("prefect-home")
    settings = Settings(home=home)
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
