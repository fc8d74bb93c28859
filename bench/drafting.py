"""Benchmark: notices through the real drafting flows, against the same domain calls without Prefect.

Run from the repository root:  .venv/bin/python -m bench.drafting [--notices 200]
It starts its own Prefect server and loopback LibreTranslate stand-in, measures these in one run
and writes them into bench/RESULTS.md (passes 1 to 3 in section "Drafting", pass 4 in "Drafting at
the engine's limit"):

1. the domain calls alone (no Prefect) with the engine answering at once: the baseline;
2. the same notices through `waiwen run`'s real flows, one flow run per notice (the batch threshold
   raised above the count): notices per second and seconds of orchestration overhead per notice
   against the baseline (`--quiet-run` adds a pass with Prefect's flow heartbeats off;
   `--no-per-notice` leaves this pass out);
3. the same notices through the real flows as `waiwen run` takes a backlog by default: in
   `draft-batch` and `publish-batch` flow runs of at most WAIWEN_BATCH_SIZE, a task run per notice;
4. the flows again (batches, the default) with 200 ms engine latency under a 10 requests/s Prefect
   rate limit: the share of the limit reached, and the busiest one-second window the engine saw
   (which must stay at or under 10); `--no-rate-limited` leaves this pass out, and
   `--only-rate-limited` runs it alone.

The Prefect server it starts keeps its database in SQLite, or in PostgreSQL with
`--prefect-database-url` (or WAIWEN_PREFECT_DATABASE_URL), as `waiwen up` does; each back end has
its own sections, and a run on each may overlap. The server logs every request it answers 503
("database is locked" and other errors a client may retry): each section counts those lines of
its own passes.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.results import write_section
from core.targets import target_languages
from tests.standins.libretranslate import LibreTranslateStandIn
from tests.standins.process import LibreTranslateProcess

WORK = Path(__file__).resolve().parent / ".work"
LANGUAGES = list(target_languages())  # a benchmark runs as a script: read when it starts
RATE = 10.0
SEGMENTS = 5  # in each generated notice: its title and four sentences
PROGRESS_EVERY = 200  # versions between two progress lines of a long pass


def notice_text(number: int) -> str:
    """A short notice (title and four sentences: five segments) whose sentences differ per notice."""
    return f"""---
title: 市政府外办发布第{number}号工作通知
column: 要闻动态
category: 动态类
classification: 公开
formed_on: 2025-03-03
languages: [en, ja, fr, ko]
channels: [site]
approval:
  drafter: 经办人甲
  division: 秘书处
  contact: 22161272
  division_review: 审核人乙
  disclosure_review: 审核人丙
  approver: 审批人丁
  approved_on: 2025-03-04
---

第{number}次领事工作协调会于3月3日举行，各国驻沪领事机构代表出席。会议通报了第{number}季度的签证与领事认证办理情况。

会议要求各处室在第{number}周内完成材料报送。如有疑问，请联系秘书处。
"""


def configure(name: str, engine_url: str, **extra: str) -> str:
    """Fresh SQLite database and settings for one scenario; returns the database URL."""
    from core.settings import get_settings
    from store.db import reset_caches

    folder = WORK / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ.update(
        {
            "WAIWEN_FLOW_HEARTBEATS": "true",
            **dict(
                WAIWEN_HOME=str(folder),
                WAIWEN_SITE_DIR=str(folder / "site"),
                WAIWEN_DATABASE_URL=f"sqlite:///{folder / 'waiwen.db'}",
                WAIWEN_ENGINES="memory,libretranslate",
                WAIWEN_LIBRETRANSLATE_URL=engine_url,
            ),
            **extra,
        }
    )
    reset_caches()
    get_settings.cache_clear()
    return get_settings().resolved_database_url


def queue_notices(count: int, url: str) -> None:
    """Queue `count` generated notices the way `waiwen queue` does."""
    from content.notice import IntakeRules, parse_notice
    from core.settings import get_settings
    from pipeline.intake import queue_sources
    from store.db import transaction

    rules = IntakeRules(columns=get_settings().columns)
    sources = [
        parse_notice(f"bench-{n}.md", notice_text(n).encode(), rules) for n in range(1, count + 1)
    ]
    with transaction(url) as session:
        queue_sources(session, sources, "bench")


@dataclass
class Timing:
    """Seconds for a whole pass, and for its drafting phase (before publishing starts)."""

    total: float
    drafting: float


def baseline(url: str, engine_url: str, concurrency: int) -> Timing:
    """Draft every queued version, then publish the originals, calling the domain directly."""
    from flows.wiring import channels
    from pipeline.drafting import (
        EngineChain,
        draft_language,
        prepare_version,
        settle_version,
        versions_to_draft,
    )
    from pipeline.publishing import publish_version, versions_to_publish
    from store.db import transaction
    from translators.libretranslate import LibreTranslateEngine

    chain = EngineChain(engines=[LibreTranslateEngine(engine_url)])

    def one(version_id: int) -> None:
        with transaction(url) as session:
            languages = prepare_version(session, version_id)
        with ThreadPoolExecutor(len(LANGUAGES)) as pool:
            list(pool.map(lambda lang: draft_language(url, version_id, lang, chain), languages))
        with transaction(url) as session:
            settle_version(session, version_id)

    with transaction(url) as session:
        versions = versions_to_draft(session)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, versions))
    drafted = time.perf_counter()
    # `waiwen run` also publishes the Chinese originals (approved on entry): do the same here.
    publishers = channels()
    for version_id in versions_to_publish(url):
        publish_version(url, version_id, publishers)
    ended = time.perf_counter()
    return Timing(ended - started, drafted - started)


def through_flows() -> Timing:
    """Draft every queued version through the real flows, as `waiwen run` does."""
    from flows.dispatch import run_due

    publishing: list[float] = []
    started = time.perf_counter()

    def note(line: str) -> None:
        if line.startswith("publishing "):  # run_due's line between drafting and publishing
            publishing.append(time.perf_counter())
        done = re.match(r"\s*\[(\d+)/(\d+)\]", line)
        if "FAILED" in line or not done or int(done[1]) % PROGRESS_EVERY == 0 or done[1] == done[2]:
            print(f"  {time.perf_counter() - started:7.1f} s  {line.strip()}", flush=True)

    summary = run_due(say=note)
    ended = time.perf_counter()
    if summary.failed:
        raise SystemExit(f"benchmark run failed: {summary.failed[:3]}")
    return Timing(ended - started, (publishing[0] if publishing else ended) - started)


def count_in_review(url: str) -> int:
    """Language versions that reached review (to check every scenario did the whole job)."""
    from sqlalchemy import func, select

    from store.db import transaction
    from store.models import LanguageVersion

    with transaction(url) as session:
        return (
            session.scalar(
                select(func.count(LanguageVersion.id)).where(LanguageVersion.state == "in_review")
            )
            or 0
        )


@dataclass
class RateFigures:
    """What the engine saw during the rate-limited scenario."""

    requests: int
    seconds: float
    per_second: float
    busiest_second: int


def rate_figures(stamps: list[float]) -> RateFigures:
    """Mean rate between first and last request, and the most requests in any one-second window."""
    stamps = sorted(stamps)
    seconds = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    busiest, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return RateFigures(
        len(stamps), seconds, (len(stamps) - 1) / seconds if seconds else 0.0, busiest
    )


def lags_shown(departures: list[float], arrivals: list[float]) -> str:
    """How long requests took from the pacer to the engine, each paired with its arrival in turn
    (requests leave over 0.1 s apart, so they seldom overtake each other)."""
    if not departures or len(departures) != len(arrivals):
        return f"not paired ({len(departures)} left, {len(arrivals)} arrived)"
    lags = sorted(b - a for a, b in zip(sorted(departures), sorted(arrivals), strict=True))
    median, high = (lags[min(len(lags) - 1, int(share * len(lags)))] for share in (0.5, 0.99))
    return f"{median * 1000:.1f} / {high * 1000:.1f} / {lags[-1] * 1000:.1f} ms"


def flow_rows(label: str, flows: Timing, base: Timing, n: int) -> list[tuple[str, str]]:
    """A pass through the flows: its time, and its overhead per notice against the baseline."""
    return [
        (
            f"real flows, {label}",
            f"{flows.total:.1f} s ({flows.drafting:.1f} s drafting), "
            f"{n / flows.total:.2f} notices/s, {flows.total / base.total:.1f}× baseline",
        ),
        (
            f"orchestration overhead per notice, {label}: drafting phase / whole pass",
            f"{(flows.drafting - base.drafting) / n:.3f} s / {(flows.total - base.total) / n:.3f} s",
        ),
    ]


RETRYABLE = "Encountered retryable exception"
FAILED = "Encountered exception in request"


def log_size(log: Path) -> int:
    """Bytes the server's log holds so far: where the next pass's lines begin."""
    return log.stat().st_size if log.exists() else 0


def server_errors(log: Path, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Requests the Prefect server answered 503 (retryable: a lock, a busy database) and 500 in
    bytes `start` to `end` of this run's log; it logs the 503s because the bench starts it with
    their logging on."""
    if not log.exists():
        return 0, 0
    with log.open("rb") as stream:
        stream.seek(start)
        text = stream.read(None if end is None else end - start).decode("utf-8", "replace")
    return text.count(RETRYABLE), text.count(FAILED)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4, help="notices drafted at once")
    parser.add_argument(
        "--no-per-notice",
        action="store_true",
        help="leave out the pass with one flow run per notice (it is the slow one)",
    )
    passes = parser.add_mutually_exclusive_group()
    passes.add_argument(
        "--no-rate-limited", action="store_true", help="leave out the rate-limited pass"
    )
    passes.add_argument(
        "--only-rate-limited",
        action="store_true",
        help="run only the rate-limited pass (its own section of bench/RESULTS.md)",
    )
    parser.add_argument(
        "--prefect-database-url",
        default=os.environ.get("WAIWEN_PREFECT_DATABASE_URL", ""),
        help="PostgreSQL database for the Prefect server (postgresql+asyncpg://…); default SQLite",
    )
    parser.add_argument(
        "--quiet-run",
        action="store_true",
        help="also run the flows with heartbeats off (a third pass of every notice)",
    )
    args = parser.parse_args()
    os.environ["WAIWEN_DISPATCH_CONCURRENCY"] = str(args.concurrency)

    from core.settings import Settings
    from flows.server import (
        drain_prefect_clients,
        free_port,
        start_server,
        stop_server,
        use_embedded_client_settings,
    )

    WORK.mkdir(parents=True, exist_ok=True)
    # Each back end its own log and SQLite folder, so that two runs (one per back end) may overlap.
    name = "prefect-server-postgresql" if args.prefect_database_url else "prefect-server"
    hold_folders(name)
    server_log = WORK / f"{name}.log"
    server_log.unlink(missing_ok=True)  # count only this run's errors
    shutil.rmtree(WORK / name, ignore_errors=True)  # and a fresh SQLite database
    os.environ["WAIWEN_PREFECT_DATABASE_URL"] = args.prefect_database_url
    # Prefect's server answers a lock or a busy database with 503 and says nothing unless asked.
    os.environ["PREFECT_SERVER_LOG_RETRYABLE_ERRORS"] = "true"
    server_settings = Settings(home=WORK / name)
    back_end = "Prefect on PostgreSQL" if args.prefect_database_url else "Prefect on SQLite"
    server, api_url = start_server(
        server_settings, free_port(), ui=False, log=server_log, say=print
    )
    os.environ["PREFECT_API_URL"] = api_url
    use_embedded_client_settings(os.environ)  # as `waiwen run` does with its own server
    work = f"{name}-" if args.prefect_database_url else ""
    overhead, at_limit = None, None
    try:
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
        if not args.only_rate_limited:
            overhead = overhead_passes(args, work, server_log)
        if not args.no_rate_limited:
            at_limit = rate_limited_pass(args.notices, work, server_log)
        drain_prefect_clients()
    finally:
        stop_server(server)

    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"waiwen on SQLite, {back_end}"
    )
    command = " ".join(["python -m bench.drafting", *_shown(sys.argv[1:])])
    on = "" if not args.prefect_database_url else ", Prefect on PostgreSQL"
    for title, rows in (("Drafting", overhead), ("Drafting at the engine's limit", at_limit)):
        if rows is not None:
            write_section(title + on, command, machine, rows)
            for row_name, value in rows:
                print(f"{row_name}: {value}")


def hold_folders(name: str) -> None:
    """Refuse to start while another run on the same back end uses its folders (it would empty
    them under it); the hold ends with this process."""
    lock = (WORK / f"{name}.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(
            f"another `python -m bench.drafting` on this Prefect back end is running in "
            f"{WORK}: wait for it to end (a run on the other back end may overlap)"
        ) from None
    _held.append(lock)


_held: list[object] = []  # the open lock files, kept for the process's lifetime


def overhead_passes(args: argparse.Namespace, work: str, log: Path) -> list[tuple[str, str]]:
    """The baseline and the flows with the engine answering at once: orchestration's cost."""
    from core.settings import Settings

    n, start = args.notices, log_size(log)
    with LibreTranslateStandIn() as engine:
        # Answering at once: the engine's rate limit is set far above what the flows can send.
        os.environ["WAIWEN_ENGINE_RATE_LIMITS"] = '{"libretranslate": 1000}'
        url = configure(f"{work}baseline", engine.url)
        queue_notices(n, url)
        print(f"baseline: {n} notices x {len(LANGUAGES)} languages, domain calls only ...")
        t_base = baseline(url, engine.url, args.concurrency)
        assert count_in_review(url) == n * len(LANGUAGES)

        batch_size = Settings().batch_size
        per_notice = {"WAIWEN_BATCH_THRESHOLD": str(n)}  # never a batch
        t_flows = None
        if not args.no_per_notice:
            url = configure(f"{work}flows", engine.url, **per_notice)
            queue_notices(n, url)
            print("through the flows, a flow run per notice (heartbeats on) ...")
            t_flows = through_flows()
            assert count_in_review(url) == n * len(LANGUAGES)

        url = configure(f"{work}flows-batches", engine.url, **batched())
        queue_notices(n, url)
        print(f"through the flows in batches of at most {batch_size} (heartbeats on) ...")
        t_batches = through_flows()
        assert count_in_review(url) == n * len(LANGUAGES)

        t_quiet = None
        if args.quiet_run:
            url = configure(
                f"{work}flows-no-heartbeat",
                engine.url,
                WAIWEN_FLOW_HEARTBEATS="false",
                **per_notice,
            )
            queue_notices(n, url)
            print("through the flows, a flow run per notice (heartbeats off) ...")
            t_quiet = through_flows()
            assert count_in_review(url) == n * len(LANGUAGES)

    rows = [
        ("notices × languages (segments each)", f"{n} × {len(LANGUAGES)} ({SEGMENTS})"),
        ("notices drafted at once", str(args.concurrency)),
        (
            "domain calls without Prefect (baseline)",
            f"{t_base.total:.1f} s ({t_base.drafting:.1f} s drafting), "
            f"{n / t_base.total:.1f} notices/s",
        ),
    ]
    if t_flows is not None:
        rows += flow_rows("a flow run per notice (heartbeats on)", t_flows, t_base, n)
    rows += flow_rows(
        f"batches of at most {batch_size} (heartbeats on, the default)", t_batches, t_base, n
    )
    if t_quiet is not None:
        rows += flow_rows("a flow run per notice, heartbeats off", t_quiet, t_base, n)
    return rows + [errors_row(log, start)]


def rate_limited_pass(n: int, work: str, log: Path) -> list[tuple[str, str]]:
    """The flows in batches with 200 ms engine latency under a 10 requests/s limit."""
    from flows.throttle import throttle_for
    from translators.pacer import ceiling_rate

    start = log_size(log)
    # The engine in a process of its own, as a real one: in this one, its arrival times would
    # wait for the interpreter lock behind the drafting threads.
    with LibreTranslateProcess(latency=0.2) as slow:
        os.environ["WAIWEN_ENGINE_RATE_LIMITS"] = f'{{"libretranslate": {RATE}}}'
        url = configure(f"{work}rate-limited", slow.url, **batched())
        queue_notices(n, url)
        throttle = throttle_for({"libretranslate": RATE})
        departures = throttle.record_departures("libretranslate")
        print(f"through the flows, 200 ms engine latency, limit {RATE:.0f} requests/s ...")
        t_rate = through_flows()
        assert count_in_review(url) == n * len(LANGUAGES)
    figures = rate_figures(slow.stamps)
    counts = throttle.counts()["libretranslate"]
    fates = ("batches", "asks refused", "answers slower than the tolerance", "cells given up")
    return [
        ("notices × languages (segments each)", f"{n} × {len(LANGUAGES)} ({SEGMENTS})"),
        (
            "rate-limited run (200 ms latency, batches), drafting and publishing",
            f"{t_rate.total:.1f} s ({t_rate.drafting:.1f} s drafting), "
            f"{n / t_rate.total:.2f} notices/s",
        ),
        (
            "engine requests / mean rate from the first to the last",
            f"{figures.requests} / {figures.per_second:.2f} per s",
        ),
        (
            "share of the 10 requests/s limit reached (goal ≥ 90%; the pacer's ceiling)",
            f"{figures.per_second / RATE:.1%} ({ceiling_rate(RATE) / RATE:.1%})",
        ),
        (
            "busiest one-second window at the engine (goal ≤ 10) / as the requests left the pacer",
            f"{figures.busiest_second} / {rate_figures(departures).busiest_second} requests",
        ),
        (
            "from leaving the pacer to reaching the engine: median / 99th percentile / most",
            lags_shown(departures, slow.stamps),
        ),
        (
            "the pacer's batches / asks refused / answers slower than its tolerance / cells given up",
            " / ".join(str(counts.get(fate, 0)) for fate in fates),
        ),
        errors_row(log, start),
    ]


def batched() -> dict[str, str]:
    """Settings for a pass that drafts a backlog the default way: in batch runs."""
    from core.settings import Settings

    return {"WAIWEN_BATCH_THRESHOLD": str(Settings().batch_threshold)}


def errors_row(log: Path, start: int) -> tuple[str, str]:
    """The server's 503s and 500s logged since `start`: during this section's passes."""
    retried, failed = server_errors(log, start)
    return (
        "requests the Prefect server answered 503 (lock, busy) / 500, from its log",
        f"{retried} / {failed}",
    )


def _shown(arguments: list[str]) -> list[str]:
    """The command line as RESULTS.md shows it: a database URL's password hidden."""
    from sqlalchemy.engine import make_url

    def hidden(url: str) -> str:
        return make_url(url).render_as_string(hide_password=True)

    shown: list[str] = []
    for argument in arguments:
        if shown and shown[-1] == "--prefect-database-url":
            argument = hidden(argument)
        elif argument.startswith("--prefect-database-url="):
            argument = "--prefect-database-url=" + hidden(argument.partition("=")[2])
        shown.append(argument)
    return shown


if __name__ == "__main__":
    main()
