"""The Prefect server waiwen talks to: the one in PREFECT_API_URL, the one `waiwen up` runs, or its own."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from core.settings import Settings

HEALTH_TIMEOUT = 90.0
# Clients of the embedded server get a larger retry budget: under load its SQLite database answers
# 503 "database is locked", and with Prefect's default of 5 retries `python -m bench.drafting` lost
# a flow run. An office's own server (PREFECT_API_URL) is left alone.
EMBEDDED_CLIENT_SETTINGS = {"PREFECT_CLIENT_MAX_RETRIES": "12"}


def use_embedded_client_settings(env: dict[str, str] | os._Environ[str]) -> None:
    """Apply the embedded server's client settings unless the environment sets them already."""
    for name, value in EMBEDDED_CLIENT_SETTINGS.items():
        env.setdefault(name, value)


def server_environment(settings: Settings) -> dict[str, str]:
    """Environment for a local Prefect server: state under waiwen's home folder, its database there
    (SQLite) or in WAIWEN_PREFECT_DATABASE_URL (PostgreSQL)."""
    env = dict(os.environ)
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    env.update(
        PREFECT_HOME=str(settings.prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_DATABASE_CONNECTION_URL=settings.prefect_server_database_url,
        # Its log written line by line as it happens, not in blocks of several kilobytes.
        PYTHONUNBUFFERED="1",
    )
    env.pop("PREFECT_API_URL", None)
    return env


def prefect_database_shown(settings: Settings) -> str:
    """The local Prefect server's database as it may be printed: kind and place, never a password."""
    if not settings.prefect_database_url.get_secret_value():
        return f"SQLite {settings.prefect_home / 'prefect.db'}"
    from sqlalchemy.engine import make_url

    # The setting's check has read it with the same parser, so this cannot fail on it.
    shown = make_url(settings.prefect_server_database_url).render_as_string(hide_password=True)
    return f"PostgreSQL {shown}"


def up_file(settings: Settings) -> Path:
    """Where `waiwen up` records the address of the server it runs."""
    return settings.home / "up.json"


HEALTH_ANSWER_SECONDS = 10.0


def is_healthy(api_url: str) -> bool:
    """True when a Prefect API answers its health check."""
    try:
        return requests.get(f"{api_url}/health", timeout=HEALTH_ANSWER_SECONDS).ok
    except requests.RequestException:
        return False


def is_listening(api_url: str) -> bool:
    """True when a server holds ``api_url``'s port: it answers, or it is too busy to answer."""
    try:
        requests.get(f"{api_url}/health", timeout=HEALTH_ANSWER_SECONDS)
    except requests.Timeout:
        # Busy, not gone: with two workers drafting a backlog, a running server took over 2 s to
        # answer on SQLite, and in CI on PostgreSQL a hand-over found it silent for 10 s. The
        # Prefect client waits longer.
        return True
    except requests.RequestException:
        return False  # refused: nobody there
    return True


def process_alive(pid: int) -> bool:
    """True when a process with this id exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, run by another account (a service account, say)
    return True


def running_api_url(settings: Settings) -> str | None:
    """PREFECT_API_URL if set, else the server of a running `waiwen up`, else None."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    path = up_file(settings)
    try:
        recorded = json.loads(path.read_text())
        url, pid = str(recorded["api_url"]), int(recorded["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no `waiwen up`, or a file it did not finish writing
    # A `waiwen up` killed outright leaves its file behind: its process and port tell.
    if process_alive(pid) and is_listening(url):
        return url
    return None


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    settings: Settings, port: int, *, ui: bool, log: Path, say: Callable[[str], None]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `prefect server start` in the background and wait until it answers.

    Through flows/prefect_launch.py: Prefect's own command, its SQLite writes begun IMMEDIATE.
    """
    api_url = f"http://127.0.0.1:{port}/api"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "flows.prefect_launch",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    command.append("--ui" if ui else "--no-ui")
    say(
        f"starting the local Prefect server on port {port}, database "
        f"{prefect_database_shown(settings)} (log: {log}) ..."
    )
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command,
            env=server_environment(settings),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while not is_healthy(api_url):
        if process.poll() is not None:
            raise RuntimeError(
                f"the Prefect server exited with status {process.returncode}; see {log}"
            )
        if time.monotonic() > deadline:
            process.terminate()
            raise RuntimeError(
                f"the Prefect server did not answer within {HEALTH_TIMEOUT:.0f} s; see {log}"
            )
        time.sleep(0.3)
    return process, api_url


def stop_server(
    process: subprocess.Popen[bytes], stop: signal.Signals = signal.SIGINT, patience: float = 20
) -> None:
    """Stop a server started here, politely first (`stop`), killed after `patience` seconds."""
    if process.poll() is None:
        # SIGINT lets uvicorn shut down at once; SIGTERM waits for open connections.
        process.send_signal(stop)
        try:
            process.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def prefect_api(settings: Settings, say: Callable[[str], None]) -> Iterator[str]:
    """Point this process at a Prefect API for the duration of the block, starting one if none runs."""
    url = running_api_url(settings)
    process = None
    if url is None:
        process, url = start_server(
            settings,
            free_port(),
            ui=False,
            log=settings.home / "logs" / "prefect-server.log",
            say=say,
        )
        use_embedded_client_settings(os.environ)
    os.environ["PREFECT_API_URL"] = url
    try:
        yield url
    finally:
        if process is not None:
            drain_prefect_clients()
            stop_server(process)


def drain_prefect_clients() -> None:
    """Send Prefect's queued logs and events now, before the server they go to is stopped."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    EventsWorker.drain_all(timeout=10)
