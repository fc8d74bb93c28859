"""How a command finds the `waiwen up` it hands work to: its file, its process and its port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from core.settings import Settings
from flows import server
from flows.server import free_port, running_api_url, up_file


@pytest.fixture(autouse=True)
def _no_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a server too busy to reply."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def dead_pid() -> int:
    """The id of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def record_up(settings: Settings, port: int, pid: int) -> str:
    url = f"http://127.0.0.1:{port}/api"
    settings.home.mkdir(parents=True, exist_ok=True)
    up_file(settings).write_text(json.dumps({"api_url": url, "pid": pid}))
    return url


def test_without_a_file_nothing_runs(settings: Settings) -> None:
    assert running_api_url(settings) is None


def test_a_busy_server_of_a_live_service_is_still_the_one_to_hand_to(
    settings: Settings, silent_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "HEALTH_ANSWER_SECONDS", 0.2)
    url = record_up(settings, silent_port, os.getpid())
    assert running_api_url(settings) == url


def test_a_file_left_by_a_killed_service_is_not_taken_for_a_running_one(
    settings: Settings, silent_port: int
) -> None:
    record_up(settings, silent_port, dead_pid())
    assert running_api_url(settings) is None


def test_a_live_process_without_its_server_is_not_a_running_service(settings: Settings) -> None:
    # Nobody listens on the port: the connection is refused at once.
    record_up(settings, free_port(), os.getpid())
    assert running_api_url(settings) is None


@pytest.mark.parametrize("text", ["", "{", '{"api_url": "http://127.0.0.1:1/api"}', "[]"])
def test_a_half_written_or_foreign_file_means_nothing_runs(settings: Settings, text: str) -> None:
    settings.home.mkdir(parents=True, exist_ok=True)
    up_file(settings).write_text(text)
    assert running_api_url(settings) is None


def test_an_address_set_by_the_office_wins(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.intranet:4200/api")
    assert running_api_url(settings) == "http://prefect.intranet:4200/api"
