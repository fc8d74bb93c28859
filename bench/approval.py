"""Benchmark: from a reviewer's approval on the desk to the page on the site, with `waiwen up`.

Run from the repository root:  .venv/bin/python -m bench.approval [--notices 5]
It starts `waiwen up` (Prefect server, deployments, worker, review desk) on SQLite with a loopback
LibreTranslate stand-in, queues notices, and for each one approves English on the desk over HTTP
and waits for its page on the site (goal: within 30 s, nobody starting anything). The baseline is
the same publication done by the domain call alone, without Prefect, in the same run. Figures go to
bench/RESULTS.md (section "Approval to publication").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.results import publish

WORK = Path(__file__).resolve().parent / ".work" / "approval"
PASSWORD = "a long enough password"
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def waiwen(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "waiwen", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
    )
    if result.returncode != 0:
        raise SystemExit(f"waiwen {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def wait(condition: object, what: str, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}; logs in {WORK / 'home' / 'logs'}")
        time.sleep(0.1)


def write(path: Path, number: int) -> None:
    from tests.notices import write_notice

    body = f"## 会议概况\n\n3月{number}日，市政府外办召开第{number}次通报会。约{number * 10}人出席会议。\n"
    write_notice(
        path, body, title=f"市政府外办第{number}次通报会", languages=["en"], channels=["site"]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notices", type=int, default=5)
    args = parser.parse_args()
    from flows.server import free_port
    from tests.standins.libretranslate import LibreTranslateStandIn

    shutil.rmtree(WORK, ignore_errors=True)
    home = WORK / "home"
    home.mkdir(parents=True)
    desk_port = free_port()
    with LibreTranslateStandIn() as engine:
        env = {
            **os.environ,
            "WAIWEN_HOME": str(home),
            "WAIWEN_SITE_DIR": str(WORK / "site"),
            "WAIWEN_DATABASE_URL": f"sqlite:///{home / 'waiwen.db'}",
            "WAIWEN_ENGINES": "memory,libretranslate",
            "WAIWEN_LIBRETRANSLATE_URL": engine.url,
        }
        env.pop("PREFECT_API_URL", None)
        waiwen(env, "users", "add", "译审甲", "--role", "reviewer", stdin=PASSWORD + "\n")
        for n in range(1, args.notices + 2):
            write(WORK / f"n{n}.md", n)
        log = open(WORK / "up.log", "wb")  # noqa: SIM115 - the service's output, for the reader
        up = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waiwen",
                "up",
                "--port",
                str(free_port()),
                "--desk-port",
                str(desk_port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait((home / "up.json").exists, "waiwen up")
            env["PREFECT_API_URL"] = json.loads((home / "up.json").read_text())["api_url"]
            waiwen(env, "queue", *(str(WORK / f"n{n}.md") for n in range(1, args.notices + 2)))

            def all_in_review() -> bool:
                rows = json.loads(waiwen(env, "status", "--json"))
                return len(rows) == args.notices + 1 and all(
                    lang["state"] == "in_review"
                    for row in rows
                    for lang in row["languages"]
                    if lang["language"] == "en"
                )

            print(
                f"drafting {args.notices + 1} notices through the running service ...", flush=True
            )
            wait(all_in_review, "the drafts")
            baseline = domain_publish(env, args.notices + 1)
            latencies = []
            with httpx.Client(base_url=f"http://127.0.0.1:{desk_port}", timeout=30) as desk:
                token = LOGIN_TOKEN.search(desk.get("/login").text)
                assert token
                desk.post(
                    "/login",
                    data={"name": "译审甲", "password": PASSWORD, "login_token": token.group(1)},
                )
                for n in range(1, args.notices + 1):
                    page = desk.get(f"/notices/{n}/en")
                    csrf = CSRF.search(page.text)
                    assert csrf
                    target = WORK / "site" / "en" / "notices" / "0" / f"{n}.html"
                    started = time.perf_counter()
                    answer = desk.post(
                        f"/notices/{n}/en/approve", data={"csrf_token": csrf.group(1)}
                    )
                    assert "handed to the running service" in answer.text, answer.text[-2000:]
                    wait(target.exists, f"notice {n} on the site", 120)
                    latencies.append(time.perf_counter() - started)
                    print(f"notice {n}: approved to page in {latencies[-1]:.1f} s", flush=True)
        finally:
            up.send_signal(signal.SIGTERM)
            up.wait(timeout=60)
    median = statistics.median(latencies)
    publish(
        "Approval to publication",
        f"python -m bench.approval --notices {args.notices}",
        [
            (
                "approval on the desk to the page on the site: median",
                f"{median:.1f} s (goal ≤ 30 s)",
            ),
            (
                "min / max",
                f"{min(latencies):.1f} s / {max(latencies):.1f} s over {len(latencies)} notices",
            ),
            ("baseline: the same publication by the domain call alone", f"{baseline:.2f} s"),
            ("with `waiwen up` / domain call alone", f"{median / baseline:.0f}×"),
        ],
        "SQLite, `waiwen up` with its process worker (2 s polling)",
    )


def domain_publish(env: dict[str, str], notice_id: int) -> float:
    """Approve and publish one notice with the pipeline's own calls, no Prefect: the baseline."""
    from core.settings import get_settings
    from pipeline.publishing import publish_version
    from pipeline.review import approve
    from publishers.site import Site
    from publishers.site.publisher import SitePublisher
    from store.db import reset_caches, transaction

    os.environ.update({k: v for k, v in env.items() if k.startswith("WAIWEN_")})
    reset_caches()
    get_settings.cache_clear()
    settings = get_settings()
    started = time.perf_counter()
    with transaction(settings.resolved_database_url) as session:
        version_id = approve(session, str(notice_id), "en", "bench").version_id
    site = SitePublisher(Site(WORK / "baseline-site", settings.site_base_url, settings.columns))
    publish_version(settings.resolved_database_url, version_id, {"site": site})
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
