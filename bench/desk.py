"""Benchmark: the review desk's server time, and 20 reviewers at work against PostgreSQL.

Run from the repository root:  .venv/bin/python -m bench.desk [--seconds 60] [--reviewers 20]
It starts a throwaway PostgreSQL (or uses --database-url), a loopback LibreTranslate stand-in for
the drafts, and measures in one run, into bench/RESULTS.md (section "Review desk"):

1. the review page of a 500-segment notice, served in-process, on SQLite and on PostgreSQL
   (goal: median at most 150 ms), against the bare database read of the same page as baseline;
2. `waiwen serve` as a real server process on PostgreSQL with 20 simulated reviewers for 60 s,
   each opening their page, saving corrections, asking for memory suggestions and looking at the
   queue with a think time of 0.5-1.5 s (goal: no errors, p95 at most 300 ms), against one
   reviewer alone as baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.postgres import temporary_postgres
from bench.results import publish
from core.targets import target_languages

WORK = Path(__file__).resolve().parent / ".work" / "desk"
PASSWORD = "a long enough password"
LANGUAGES = list(target_languages())  # a benchmark runs as a script: read when it starts
BIG_SEGMENTS = 500
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
EDIT_FORM = re.compile(
    r'segments/(\d+)" class="edit">\s*<input[^>]*>\s*<input type="hidden" name="revision" value="(\d+)"'
)


def notice_text(number: int, sentences: int, languages: list[str], title: str) -> str:
    """A valid notice with ``sentences`` distinct sentences (the title is one more segment)."""
    body = "\n\n".join(
        f"第{n}项：市政府外办于{n % 12 + 1}月{n % 28 + 1}日召开第{number * 1000 + n}次领事工作会议，"
        f"约{n * 3 + number}人出席。"
        for n in range(1, sentences + 1)
    )
    return f"""---
title: {title}
column: 要闻动态
category: 动态类
classification: 公开
formed_on: 2026-11-02
urgency: normal
languages: [{", ".join(languages)}]
channels: [site]
approval:
  drafter: 经办人甲
  division: 秘书处
  contact: "22161272"
  division_review: 审核人乙
  disclosure_review: 审核人丙
  approver: 审批人丁
  approved_on: 2026-11-03
---

{body}
"""


def prepare(url: str, engine_url: str, notices: int, reviewers: int) -> None:
    """A database with one 500-segment notice (en), ``notices`` smaller ones in four languages,
    all drafted by the stand-in, and ``reviewers`` reviewer accounts."""
    from content.notice import IntakeRules, parse_notice
    from core.settings import get_settings
    from desk.accounts import add_user
    from pipeline.intake import queue_sources
    from store.db import reset_caches, transaction
    from tests.pipeline.steps import draft, engine_chain

    home = WORK / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ.update(
        WAIWEN_HOME=str(home), WAIWEN_DATABASE_URL=url, WAIWEN_SITE_DIR=str(home / "site")
    )
    reset_caches()
    get_settings.cache_clear()
    rules = IntakeRules(columns=get_settings().columns)
    texts = [notice_text(0, BIG_SEGMENTS - 1, ["en"], "五百句的长通知")]
    texts += [notice_text(n, 29, LANGUAGES, f"第{n}号通知") for n in range(1, notices + 1)]
    sources = [parse_notice(f"bench-{i}.md", t.encode(), rules) for i, t in enumerate(texts)]
    with transaction(url) as session:
        outcomes = queue_sources(session, sources, "bench")
    chain = engine_chain(engine_url)
    for outcome in outcomes:
        draft(url, outcome.version_id, chain)
    with transaction(url) as session:
        for n in range(1, reviewers + 1):
            add_user(session, f"reviewer{n:02}", PASSWORD, ["reviewer"], "bench")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def review_page_times(url: str, rounds: int) -> tuple[list[float], list[float]]:
    """Server time of the 500-segment review page (in-process), and of its bare database read."""
    from fastapi.testclient import TestClient

    from core.settings import get_settings
    from desk.app import create_app
    from flows.handoff import ServiceHandOver
    from pipeline.review_view import show
    from store.db import transaction

    client = TestClient(
        create_app(get_settings(), ServiceHandOver(get_settings())), base_url="http://127.0.0.1"
    )
    token = LOGIN_TOKEN.search(client.get("/login").text)
    assert token
    client.post(
        "/login", data={"name": "reviewer01", "password": PASSWORD, "login_token": token.group(1)}
    )
    page, bare = [], []
    for n in range(rounds + 3):
        started = time.perf_counter()
        response = client.get("/notices/1/en")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200 and response.text.count('class="edit"') == BIG_SEGMENTS
        started = time.perf_counter()
        with transaction(url) as session:
            assert len(show(session, "1", "en").segments) == BIG_SEGMENTS
        if n >= 3:  # the first rounds warm caches and templates
            page.append(elapsed)
            bare.append(time.perf_counter() - started)
    return page, bare


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool


class Reviewer(threading.Thread):
    """One simulated reviewer working on their own notice and language until the time is up."""

    def __init__(self, base: str, name: str, page: str, until: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.name, self.page, self.until = base, name, page, until
        self.random = random.Random(seed)
        self.samples: list[Sample] = []
        self.failure: str | None = None

    def timed(
        self,
        kind: str,
        expected: int,
        send: Callable[..., httpx.Response],
        *args: Any,
        **kwargs: Any,
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = send(*args, **kwargs)
        except httpx.HTTPError:
            self.samples.append(Sample(kind, time.perf_counter() - started, False))
            return None
        ok = response.status_code == expected
        self.samples.append(Sample(kind, time.perf_counter() - started, ok))
        return response

    def sign_in(self, http: httpx.Client) -> bool:
        """Sign in as a person would: when the desk is busy verifying others (429), try again after
        the Retry-After it gives (twenty reviewers at once are more than its four checks)."""
        for _ in range(30):
            token = LOGIN_TOKEN.search(http.get("/login").text)
            assert token
            answer = http.post(
                "/login",
                data={"name": self.name, "password": PASSWORD, "login_token": token.group(1)},
            )
            if answer.status_code == 303:
                return True
            if answer.status_code != 429:
                break
            time.sleep(float(answer.headers.get("retry-after", "1")))
        self.failure = f"{self.name} could not sign in: {answer.status_code} {answer.text[:200]}"
        return False

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            if not self.sign_in(http):
                return
            step = 0
            while time.monotonic() < self.until:
                step += 1
                page = self.timed("review page", 200, http.get, self.page)
                if page is None:
                    continue
                csrf = CSRF.search(page.text)
                forms = EDIT_FORM.findall(page.text)
                if csrf and forms:
                    position, revision = self.random.choice(forms)
                    text = (
                        f"Corrected by {self.name} at step {step}: the meeting was held on 3 March."
                    )
                    form = {"csrf_token": csrf.group(1), "revision": revision, "text": text}
                    self.timed(
                        "save segment",
                        303,
                        http.post,
                        f"{self.page}/segments/{position}",
                        data=form,
                    )
                    if step % 3 == 0:
                        where = f"{self.page}/segments/{position}/suggestions?fragment=1"
                        self.timed("suggestions", 200, http.get, where)
                if step % 5 == 0:
                    self.timed("queue page", 200, http.get, f"/queue?reviewer={self.name}")
                time.sleep(self.random.uniform(0.5, 1.5))


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    return start_desk(port, {**os.environ, "WAIWEN_DATABASE_URL": url}, WORK / "serve.log")


def start_desk(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`waiwen serve` on loopback, once its login page answers; its output goes to ``log_path``."""
    log = open(log_path, "wb")  # noqa: SIM115 - kept open for the server's lifetime
    process = subprocess.Popen(
        [sys.executable, "-m", "waiwen", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login").status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"`waiwen serve` did not start; see {log_path}")


def work(port: int, reviewers: int, seconds: float, notices: int) -> list[Sample]:
    until = time.monotonic() + seconds
    crew = [
        Reviewer(
            f"http://127.0.0.1:{port}",
            f"reviewer{n:02}",
            # notice 1 is the long one; the others are 2.., four languages each
            f"/notices/{2 + (n - 1) % notices}/{LANGUAGES[(n - 1) // notices % len(LANGUAGES)]}",
            until,
            seed=n,
        )
        for n in range(1, reviewers + 1)
    ]
    for reviewer in crew:
        reviewer.start()
    for reviewer in crew:
        reviewer.join()
    failures = [reviewer.failure for reviewer in crew if reviewer.failure]
    if failures:
        raise SystemExit("\n".join(failures))
    return [sample for reviewer in crew for sample in reviewer.samples]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument(
        "--rounds", type=int, default=30, help="review page loads measured per database"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL database to use instead of a throwaway one",
    )
    args = parser.parse_args()
    from flows.server import free_port
    from tests.standins.libretranslate import LibreTranslateStandIn

    WORK.mkdir(parents=True, exist_ok=True)
    notices = 20
    rows: list[tuple[str, str]] = []
    with ExitStack() as stack:
        engine = stack.enter_context(LibreTranslateStandIn())
        postgres = args.database_url or stack.enter_context(temporary_postgres())
        sqlite = f"sqlite:///{WORK / 'desk.db'}"
        (WORK / "desk.db").unlink(missing_ok=True)
        for name, url in (("SQLite", sqlite), ("PostgreSQL", postgres)):
            print(
                f"preparing {name}: {BIG_SEGMENTS}-segment notice, {notices} notices x 4 languages ...",
                flush=True,
            )
            prepare(url, engine.url, notices, args.reviewers)
            page, bare = review_page_times(url, args.rounds)
            rows += [
                (
                    f"review page, {BIG_SEGMENTS} segments, {name}: median",
                    f"{ms(statistics.median(page))} (goal ≤ 150 ms)",
                ),
                (
                    f"review page, {BIG_SEGMENTS} segments, {name}: p95 / max",
                    f"{ms(percentile(page, 0.95))} / {ms(max(page))}",
                ),
                (
                    f"baseline: the page's database read alone, {name}: median",
                    ms(statistics.median(bare)),
                ),
                (
                    f"page / database read, {name}",
                    f"{statistics.median(page) / statistics.median(bare):.1f}×",
                ),
            ]
        port = free_port()
        server = start_server(postgres, port)
        try:
            print("one reviewer alone (baseline) ...", flush=True)
            alone = work(port, 1, min(15.0, args.seconds), notices)
            print(f"{args.reviewers} reviewers for {args.seconds:.0f} s ...", flush=True)
            crowd = work(port, args.reviewers, args.seconds, notices)
        finally:
            server.terminate()
            server.wait(timeout=30)
    errors = [s for s in crowd if not s.ok]
    times = [s.seconds for s in crowd]
    rows += [
        (
            f"{args.reviewers} reviewers, {args.seconds:.0f} s, PostgreSQL: requests",
            f"{len(crowd)} ({len(crowd) / args.seconds:.1f}/s)",
        ),
        (f"{args.reviewers} reviewers: errors", f"{len(errors)} (goal: none)"),
        (
            f"{args.reviewers} reviewers: p50 / p95 / max",
            f"{ms(percentile(times, 0.5))} / {ms(percentile(times, 0.95))} / {ms(max(times))} (goal: p95 ≤ 300 ms)",
        ),
    ]
    for kind in ("review page", "save segment", "suggestions", "queue page"):
        some = [s.seconds for s in crowd if s.kind == kind]
        if some:
            rows.append(
                (
                    f"{args.reviewers} reviewers: {kind} p50 / p95 ({len(some)})",
                    f"{ms(percentile(some, 0.5))} / {ms(percentile(some, 0.95))}",
                )
            )
    alone_times = [s.seconds for s in alone]
    rows += [
        (
            "baseline: one reviewer alone, p50 / p95",
            f"{ms(percentile(alone_times, 0.5))} / {ms(percentile(alone_times, 0.95))} ({len(alone)} requests, {sum(not s.ok for s in alone)} errors)",
        ),
        (
            f"p95, {args.reviewers} reviewers / one alone",
            f"{percentile(times, 0.95) / percentile(alone_times, 0.95):.1f}×",
        ),
    ]
    publish(
        "Review desk",
        f"python -m bench.desk --seconds {args.seconds:g} --reviewers {args.reviewers}",
        rows,
        "PostgreSQL 15 throwaway server, `waiwen serve` as one uvicorn process",
    )


if __name__ == "__main__":
    main()
