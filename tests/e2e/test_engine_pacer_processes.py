"""Two processes pacing one engine through one Prefect limit: the engine sees at most the rate."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from flows.throttle import limit_slots, rate_limit_name, slot_decay
from tests.standins.libretranslate import LibreTranslateStandIn

RATE = 10.0
ENGINE = "pacer-test"  # a limit of its own on the session's server

SENDER = textwrap.dedent(
    """
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from flows.throttle import EngineThrottle

    tag, url, engine, rate, count = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    throttle = EngineThrottle({engine: rate})
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start sending together

    def send(number):
        throttle(engine)
        reply = httpx.post(url + "translate", json={"q": f"{tag}-{number}", "source": "zh", "target": "en"}, timeout=30)
        reply.raise_for_status()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(send, range(count)))
    """
)


def busiest_second(times: list[float]) -> int:
    """The most times in any half-open window of one second."""
    times, start, busiest = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def create_limit(api_url: str) -> None:
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

    with SyncPrefectClient(api_url) as client:
        client.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(
                name=rate_limit_name(ENGINE),
                limit=limit_slots(RATE),
                slot_decay_per_second=slot_decay(RATE),
                active=True,
            )
        )


def test_two_processes_sharing_one_prefect_limit_stay_under_it_together(
    prefect_api_url: str, tmp_path: Path
) -> None:
    create_limit(prefect_api_url)
    script = tmp_path / "sender.py"
    script.write_text(SENDER, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_api_url,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    count = 30
    # Latency: each process keeps several requests in flight, so the two overlap at the engine.
    with LibreTranslateStandIn(latency=0.2) as engine:
        senders = [
            subprocess.Popen(
                [sys.executable, str(script), tag, engine.url, ENGINE, str(RATE), str(count)],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for tag in ("a", "b")
        ]
        for sender in senders:
            assert sender.stdout is not None
            assert sender.stdout.readline().strip() == "ready", sender.communicate()[1]
        for sender in senders:
            assert sender.stdin is not None
            sender.stdin.write("go\n")
            sender.stdin.flush()
        for sender in senders:
            _, errors = sender.communicate(timeout=300)
            assert sender.returncode == 0, errors
        stamps = {
            tag: [r["at"] for r in engine.requests if str(r["q"]).startswith(f"{tag}-")]
            for tag in ("a", "b")
        }
    assert len(stamps["a"]) == len(stamps["b"]) == count
    # The two processes' requests reached the engine in one stretch of time, interleaved.
    overlap_from = max(min(stamps["a"]), min(stamps["b"]))
    overlap_to = min(max(stamps["a"]), max(stamps["b"]))
    both = [t for t in stamps["a"] + stamps["b"] if overlap_from <= t <= overlap_to]
    assert len(both) >= 20, stamps
    assert busiest_second(stamps["a"] + stamps["b"]) <= RATE
