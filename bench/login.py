"""Benchmark: a spray of sign-ins with random names against the review desk, and a reviewer's queue page meanwhile.

Run from the repository root:  .venv/bin/python -m bench.login [--attempts 2000] [--clients 6]
It makes a throwaway SQLite home with queued notices and one reviewer, starts `waiwen serve` on
loopback, and measures in one run, into bench/RESULTS.md (section "Review desk sign-in"):

1. the reviewer loading the queue page back to back with nothing else going on (the baseline);
2. the same while ``--clients`` clients send ``--attempts`` sign-ins with random names from one
   address (127.0.0.1): the per-client limit answers most of them 429 at once;
3. the same while the attempts come from 200 loopback addresses (127.0.0.2 and up, each within
   its allowance), so only the bound on verifications at once stands between the spray and argon2.

For each spray: the desk process's peak resident memory (VmHWM in /proc/PID/status, reset before
the phase), the queue page's p50 / p95 against the baseline, and how many attempts had their
password verified and how many were refused, and why. Goals: peak memory under 300 MB, queue page
p95 under 300 ms. Every request goes to loopback; each spray stops after ``--attempts`` or
``--seconds``, whichever comes first.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import shutil
import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import httpx

from bench.desk import LOGIN_TOKEN, notice_text, percentile, start_desk
from bench.results import publish

WORK = Path(__file__).resolve().parent / ".work" / "login"
PASSWORD = "a long enough password"
REVIEWER = "reviewer01"
NOTICES = 30
SPRAY_ADDRESSES = 200  # 127.0.0.2 ..: with 2,000 attempts, 10 each, one minute's allowance
# What the desk answered, told apart by the words of each answer.
OUTCOMES = {
    "do not match": "verified, wrong",
    "busy signing people in": "refused: desk busy (429)",
    "from your address": "refused: address over its limit (429)",
    "Too many failed sign-ins for this name": "refused: name held off",
}


def prepare(home: Path) -> str:
    """A fresh home with a SQLite database, ``NOTICES`` queued notices and one reviewer; its URL."""
    from content.notice import IntakeRules, parse_notice
    from core.settings import get_settings
    from desk.accounts import add_user
    from pipeline.intake import queue_sources
    from store.db import reset_caches, transaction

    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    url = f"sqlite:///{home / 'desk.db'}"
    os.environ.update(
        WAIWEN_HOME=str(home), WAIWEN_DATABASE_URL=url, WAIWEN_SITE_DIR=str(home / "site")
    )
    reset_caches()
    get_settings.cache_clear()
    rules = IntakeRules(columns=get_settings().columns)
    sources = [
        parse_notice(
            f"bench-{n}.md", notice_text(n, 9, ["en", "ja", "fr"], f"第{n}号通知").encode(), rules
        )
        for n in range(1, NOTICES + 1)
    ]
    with transaction(url) as session:
        queue_sources(session, sources, "bench")
        add_user(session, REVIEWER, PASSWORD, ["reviewer"], "bench")
    reset_caches()  # the server is another process; this one keeps no connection open
    return url


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak(pid: int) -> bool:
    """Start the process's VmHWM afresh (Linux: "5" to clear_refs); False where that is refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def signed_in(base: str) -> httpx.Client:
    http = httpx.Client(base_url=base, timeout=60)
    token = LOGIN_TOKEN.search(http.get("/login").text)
    assert token
    response = http.post(
        "/login", data={"name": REVIEWER, "password": PASSWORD, "login_token": token.group(1)}
    )
    assert response.status_code == 303, response.text
    return http


def queue_loads(
    http: httpx.Client, stop: threading.Event, times: list[float], at_most: int
) -> None:
    """Load the queue page back to back until ``stop`` (or ``at_most`` loads); the seconds each took."""
    while not stop.is_set() and len(times) < at_most:
        started = time.perf_counter()
        response = http.get("/queue")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and "第1号通知" in response.text


def spray(base: str, addresses: list[str], attempts: int, until: float) -> Counter[str]:
    """One spraying client (its own process): ``attempts`` sign-ins with random names and
    passwords, in turn from ``addresses`` (10 from each before the next), until ``until``."""
    outcomes: Counter[str] = Counter()
    sent = 0
    for address in itertools.cycle(addresses):
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(base_url=base, timeout=60, transport=transport) as http:
            token = LOGIN_TOKEN.search(http.get("/login").text)
            for _ in range(10 if len(addresses) > 1 else attempts):
                if sent >= attempts or time.time() >= until or token is None:
                    return outcomes
                sent += 1
                form = {
                    "name": f"guess-{secrets.token_hex(6)}",
                    "password": secrets.token_urlsafe(12),
                    "login_token": token.group(1),
                }
                try:
                    response = http.post("/login", data=form)
                except httpx.HTTPError:
                    outcomes["no answer"] += 1
                    continue
                said = next((o for words, o in OUTCOMES.items() if words in response.text), None)
                outcomes[said or f"other ({response.status_code})"] += 1
                token = LOGIN_TOKEN.search(response.text)
    return outcomes


def spray_phase(
    pool: ProcessPoolExecutor,
    base: str,
    pid: int,
    reviewer: httpx.Client,
    addresses: list[str],
    args: argparse.Namespace,
) -> tuple[Counter[str], list[float], float, dict[str, int], float]:
    """Spray while the reviewer loads the queue; outcomes, queue times, seconds, memory after."""
    reset_peak(pid)
    cpu = cpu_seconds(pid)
    times: list[float] = []
    stop = threading.Event()
    loads = threading.Thread(target=queue_loads, args=(reviewer, stop, times, 10**9))
    until = time.time() + args.seconds
    started = time.perf_counter()
    loads.start()
    shares = [
        pool.submit(
            spray,
            base,
            addresses[n :: args.clients] or addresses,
            args.attempts // args.clients + (n < args.attempts % args.clients),
            until,
        )
        for n in range(args.clients)
    ]
    outcomes: Counter[str] = Counter()
    for share in shares:
        outcomes += share.result()
    elapsed = time.perf_counter() - started
    stop.set()
    loads.join()
    return outcomes, times, elapsed, memory(pid), cpu_seconds(pid) - cpu


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def mib(kb: int) -> str:
    return f"{kb / 1024:.0f} MiB"


def audit_counts(url: str) -> Counter[str]:
    """The audit log's sign-in entries, read straight from the database file afterwards."""
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT action, count(*) FROM audit_log WHERE action LIKE 'sign%' GROUP BY action"
        ).fetchall()
    return Counter(dict(rows))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--attempts", type=int, default=2000, help="sign-ins per spray")
    parser.add_argument("--clients", type=int, default=6, help="concurrent spraying clients")
    parser.add_argument("--seconds", type=float, default=180.0, help="time limit per spray")
    parser.add_argument("--baseline", type=int, default=200, help="queue loads without a spray")
    args = parser.parse_args()
    from desk.accounts import HASH_MEMORY_KIB, HASH_PARALLELISM, HASH_TIME_COST
    from desk.auth import SIGN_INS_PER_MINUTE, VERIFYING_AT_ONCE
    from flows.server import free_port

    WORK.mkdir(parents=True, exist_ok=True)
    print(f"preparing a throwaway home: {NOTICES} notices queued, one reviewer ...", flush=True)
    url = prepare(WORK / "home")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_desk(port, dict(os.environ), WORK / "serve.log")
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str]] = []
    try:
        reviewer = signed_in(base)
        queue_loads(reviewer, threading.Event(), [], 10)  # warm templates and caches
        at_rest = memory(server.pid)
        peak_reset = reset_peak(server.pid)
        print(f"baseline: {args.baseline} queue loads, no spray ...", flush=True)
        quiet: list[float] = []
        queue_loads(reviewer, threading.Event(), quiet, args.baseline)
        after_quiet = memory(server.pid)
        phases = [
            ("one address", ["127.0.0.1"]),
            (
                f"{SPRAY_ADDRESSES} addresses",
                [f"127.0.{(n // 256)}.{n % 256}" for n in range(2, SPRAY_ADDRESSES + 2)],
            ),
        ]
        results = []
        # Each spraying client is a process of its own: in threads here they would share this
        # process's GIL with the reviewer and slow its timings on the client side.
        with ProcessPoolExecutor(args.clients, mp_context=get_context("spawn")) as pool:
            list(pool.map(time.sleep, [0.5] * args.clients))  # started before the clock runs
            for name, addresses in phases:
                print(
                    f"spray from {name}: {args.attempts} attempts, {args.clients} clients ...",
                    flush=True,
                )
                results.append(
                    (name, *spray_phase(pool, base, server.pid, reviewer, addresses, args))
                )
        reviewer.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    audit = audit_counts(url)

    q50, q95 = percentile(quiet, 0.5), percentile(quiet, 0.95)
    rows += [
        (
            "settings",
            f"argon2id m={HASH_MEMORY_KIB // 1024} MiB, t={HASH_TIME_COST}, p={HASH_PARALLELISM}; "
            f"{VERIFYING_AT_ONCE} verifications at once; {SIGN_INS_PER_MINUTE} attempts a minute per address",
        ),
        ("desk process at rest: resident memory", mib(at_rest["VmRSS"])),
        (
            f"baseline: queue page, no spray, p50 / p95 ({len(quiet)} loads)",
            f"{ms(q50)} / {ms(q95)}",
        ),
        ("baseline: desk peak memory (VmHWM) while loading the queue", mib(after_quiet["VmHWM"])),
    ]
    for name, outcomes, times, elapsed, after, cpu in results:
        sent = sum(outcomes.values())
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        peak = after["VmHWM"]
        answered = ", ".join(f"{outcome} {count}" for outcome, count in outcomes.most_common())
        rows += [
            (
                f"spray from {name}: attempts, time",
                f"{sent} from {args.clients} clients in {elapsed:.1f} s ({sent / elapsed:.0f}/s)",
            ),
            (f"spray from {name}: answers", answered),
            (
                f"spray from {name}: desk CPU time",
                f"{cpu:.1f} s ({cpu / elapsed:.2f} cores; {cpu / (sent + len(times)) * 1000:.1f} ms a request)",
            ),
            (
                f"spray from {name}: desk peak memory (VmHWM)",
                f"{mib(peak)} (goal < 300 MB = 286 MiB; {peak / at_rest['VmRSS']:.1f}× at rest); "
                f"{mib(after['VmRSS'])} resident after",
            ),
            (
                f"spray from {name}: queue page p50 / p95 ({len(times)} loads)",
                f"{ms(p50)} / {ms(p95)} (goal: p95 < 300 ms; {p50 / q50:.1f}× / {p95 / q95:.1f}× the baseline)",
            ),
        ]
    rows.append(
        (
            "audit log afterwards: sign-in failed / signed in / held off",
            f"{audit['sign-in failed']} / {audit['signed in']} / {audit['sign-in held off']}",
        )
    )
    rows.append(
        (
            "machine load average (1 min) at start / end",
            f"{load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        )
    )
    if not peak_reset:
        rows.append(("note", "VmHWM could not be reset between phases: peaks are since start"))
    publish(
        "Review desk sign-in",
        f"python -m bench.login --attempts {args.attempts} --clients {args.clients}",
        rows,
        "SQLite, `waiwen serve` as one uvicorn process, clients on the same machine",
    )


if __name__ == "__main__":
    main()
