"""`waiwen up`: the local service (Prefect server, deployments from prefect.yaml, a process worker)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from flows.server import (
    is_healthy,
    prefect_database_shown,
    start_server,
    stop_server,
    up_file,
    use_embedded_client_settings,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_POOL = "waiwen"
SWEEP_DEPLOYMENT = "sweep/sweep"


def service_environment(settings: Settings, api_url: str) -> dict[str, str]:
    """Environment for deploy and worker: absolute paths, so flow runs find the same database and site."""
    env = dict(os.environ)
    env.update(
        PREFECT_API_URL=api_url,
        PREFECT_WORKER_QUERY_SECONDS="2",
        PREFECT_WORKER_PREFETCH_SECONDS="2",
        PREFECT_CLI_PROMPT="false",
        WAIWEN_PROJECT_DIR=str(PROJECT_DIR),
        WAIWEN_HOME=str(settings.home.resolve()),
        WAIWEN_DATABASE_URL=settings.resolved_database_url,
        WAIWEN_SITE_DIR=str(settings.site_dir.resolve()),
    )
    use_embedded_client_settings(env)  # `waiwen up` runs the embedded server
    return env


def _prefect(args: list[str], env: dict[str, str], log: Path) -> None:
    """Run a `prefect` CLI command to completion; its output goes to the log."""
    with open(log, "ab") as out:
        result = subprocess.run(
            [sys.executable, "-m", "prefect", *args],
            env=env,
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        raise RuntimeError(
            f"`prefect {' '.join(args)}` failed (status {result.returncode}); see {log}"
        )


def deploy(settings: Settings, api_url: str, say: Callable[[str], None]) -> dict[str, str]:
    """Create the process work pool if needed and apply every deployment of prefect.yaml."""
    env = service_environment(settings, api_url)
    log = settings.home / "logs" / "deploy.log"
    say(f"deploying the flows of {PROJECT_DIR / 'prefect.yaml'} to work pool {WORK_POOL!r} ...")
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(WorkPoolCreate(name=WORK_POOL, type="process"))
    _prefect(
        ["--no-prompt", "deploy", "--all", "--prefect-file", str(PROJECT_DIR / "prefect.yaml")],
        env,
        log,
    )
    set_sweep_interval(settings.sweep_seconds, say)
    return env


def set_sweep_interval(seconds: int, say: Callable[[str], None]) -> None:
    """Give the sweep deployment WAIWEN_SWEEP_SECONDS as its interval (prefect.yaml says 60)."""
    from datetime import timedelta

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.schedules import IntervalSchedule

    interval = timedelta(seconds=seconds)
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(SWEEP_DEPLOYMENT)
        for schedule in client.read_deployment_schedules(deployment.id):
            current = getattr(schedule.schedule, "interval", None)
            if current is not None and current != interval:
                client.update_deployment_schedule(
                    deployment.id, schedule.id, schedule=IntervalSchedule(interval=interval)
                )
                say(f"the sweep runs every {seconds} s (WAIWEN_SWEEP_SECONDS)")


def serve_forever(
    settings: Settings,
    port: int,
    say: Callable[[str], None],
    desk_port: int | None = None,
    worker_count: int = 1,
) -> None:
    """Start everything, print the addresses, and keep running until interrupted."""
    if worker_count < 1:
        raise SystemExit(f"waiwen: --workers must be at least 1, not {worker_count}")
    desk_port = desk_port or settings.desk_port
    settings.home.mkdir(parents=True, exist_ok=True)
    logs = settings.home / "logs"
    api_url = f"http://127.0.0.1:{port}/api"
    if is_healthy(api_url):
        raise SystemExit(
            f"waiwen: port {port} already has a Prefect server; is `waiwen up` running already?"
        )
    server, api_url = start_server(
        settings, port, ui=True, log=logs / "prefect-server.log", say=say
    )
    workers: list[subprocess.Popen[bytes]] = []
    desk = None
    try:
        os.environ["PREFECT_API_URL"] = api_url
        use_embedded_client_settings(os.environ)
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
        from flows.wiring import ensure_rate_limits

        ensure_rate_limits(settings)
        env = deploy(settings, api_url, say)
        workers = [start_worker(env, logs, number) for number in range(1, worker_count + 1)]
        with open(logs / "desk.log", "ab") as out:
            desk = subprocess.Popen(
                [sys.executable, "-m", "waiwen", "serve", "--port", str(desk_port)],
                env=env,
                cwd=PROJECT_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        desk_url = f"http://{settings.desk_host}:{desk_port}/"
        up_file(settings).write_text(
            json.dumps(
                {
                    "api_url": api_url,
                    "pid": os.getpid(),
                    "desk_url": desk_url,
                    "worker_pids": [worker.pid for worker in workers],
                }
            )
        )
        say("waiwen is up:")
        say(f"  Prefect UI:    http://127.0.0.1:{port}")
        say(f"  Prefect API:   {api_url}")
        say(f"  site folder:   {settings.site_dir.resolve()}")
        say(f"  database:      {settings.resolved_database_url.split('@')[-1]}")
        say(f"  Prefect db:    {prefect_database_shown(settings)}")
        say(f"  review desk:   {desk_url}  (accounts: `waiwen users add NAME --role ...`)")
        say(f"  workers:       {worker_count} on work pool {WORK_POOL!r}")
        say(f"  logs:          {logs.resolve()}")
        say(
            "queue notices with `waiwen queue FILE`; approvals are published within seconds. Ctrl-C stops."
        )
        _wait_for_signal({"Prefect server": server, "review desk": desk}, workers, say)
    finally:
        up_file(settings).unlink(missing_ok=True)
        for process in (desk, *workers):
            if process is not None:
                stop_server(process)
        stop_server(server)
        say("waiwen stopped")


def start_worker(env: dict[str, str], logs: Path, number: int) -> subprocess.Popen[bytes]:
    """One process worker on the waiwen pool; the first logs to worker.log, the others to worker-N.log."""
    log = logs / ("worker.log" if number == 1 else f"worker-{number}.log")
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prefect",
                "worker",
                "start",
                "--pool",
                WORK_POOL,
                "--type",
                "process",
                "--name",
                f"waiwen-worker-{number}",
            ],
            env=env,
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for_signal(
    processes: dict[str, subprocess.Popen[bytes]],
    workers: list[subprocess.Popen[bytes]],
    say: Callable[[str], None],
) -> None:
    """Sleep until SIGINT/SIGTERM, or until a process or the last worker dies (then say so).

    A worker that dies while another one lives is reported and the service goes on: the work
    pool still has a worker, and the sweep redoes what the dead one left half done.
    """
    stop = {"now": False}

    def handler(_signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    reported: set[int] = set()
    while not stop["now"]:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(
                    f"waiwen: the {name} exited with status {process.returncode}; see the logs"
                )
        for number, worker in enumerate(workers, start=1):
            if worker.poll() is not None and number not in reported:
                reported.add(number)
                alive = len(workers) - len(reported)
                if alive == 0:
                    raise SystemExit(
                        f"waiwen: the worker exited with status {worker.returncode}; see the logs"
                    )
                say(
                    f"waiwen: worker {number} exited with status {worker.returncode}; "
                    f"{alive} worker(s) go on"
                )
        time.sleep(0.5)
