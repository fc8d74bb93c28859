"""Two processes pacing one engine through one Prefect limit: together they send at most the rate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from flows.throttle import limit_slots, rate_limit_name, slot_decay
from tests.standins.libretranslate import LibreTranslateStandIn
from translators.pacer import batch_size, drain_seconds

RATE = 10.0
ENGINE = "pacer-test"  # a limit of its own on the session's server

SENDER = textwrap.dedent(
    """
    import json
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from flows.throttle import EngineThrottle

    tag, url, engine, rate, count = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    throttle = EngineThrottle({engine: rate})
    departures = throttle.record_departures(engine)
    print("ready", flush=True)
    sys.stdin.readline()  # both processes start sending together

    client = httpx.Client(timeout=30)  # made once: a new client per request costs tens of ms

    def send(number):
        throttle(engine)
        reply = client.post(url + "translate", json={"q": f"{tag}-{number}", "source": "zh", "target": "en"})
        reply.raise_for_status()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(send, range(count)))
    print(json.dumps(departures), flush=True)
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


def script_for(path: Path, text: str, api_url: str) -> tuple[Path, dict[str, str]]:
    """`text` written to `path`, and the environment to run it in against the test's server."""
    path.write_text(text, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    return path, {
        **os.environ,
        "PREFECT_API_URL": api_url,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }


def test_two_processes_sharing_one_prefect_limit_stay_under_it_together(
    prefect_api_url: str, tmp_path: Path
) -> None:
    create_limit(prefect_api_url)
    script, env = script_for(tmp_path / "sender.py", SENDER, prefect_api_url)
    count = batch_size(RATE) + batch_size(RATE) // 2  # each process needs two batches
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
        left = {}
        for tag, sender in zip(("a", "b"), senders, strict=True):
            output, errors = sender.communicate(timeout=300)
            assert sender.returncode == 0, errors
            left[tag] = json.loads(output.splitlines()[-1])
        reached = sorted(str(r["q"]) for r in engine.requests)
    # Every request reached the engine once.
    assert reached == sorted(f"{tag}-{n}" for tag in ("a", "b") for n in range(count))
    # Each process needed two batches, so the ceiling passed between them while both had requests
    # waiting: the busiest second spans the hand-overs. It is counted as the requests left the
    # pacers, on this machine's one clock; how late a busy machine then delivers them is not the
    # pacer's to decide (bench/RESULTS.md "Drafting at the engine's limit" measures that lag).
    assert len(left["a"]) == len(left["b"]) == count
    tagged = sorted((at, tag) for tag in left for at in left[tag])
    assert busiest_second(left["a"] + left["b"]) <= RATE, [
        (round(at - tagged[0][0], 3), tag) for at, tag in tagged
    ]
    turns = [tag for i, (_, tag) in enumerate(tagged) if i == 0 or tagged[i - 1][1] != tag]
    assert len(turns) >= 2, turns  # the ceiling went from one process to the other


SWITCH = textwrap.dedent(
    """
    import json
    import sys
    import time

    from core.settings import Settings
    from flows.throttle import _PrefectCeiling
    from flows.wiring import ensure_rate_limits

    engine, other = sys.argv[1], sys.argv[1] + "-other"

    def limit_at(rate, engine=engine):
        ensure_rate_limits(Settings(engines=["memory", engine], engine_rate_limits={engine: rate}))

    ceiling = _PrefectCeiling(engine)
    limit_at(1000.0)
    assert ceiling(5000)  # a batch at 1,000 a second: 5 s of requests may still be going out
    limit_at(10.0)
    first = ceiling.until_drained()
    limit_at(10.0)  # the same rate again: nothing held changes
    again = ceiling.until_drained()
    limit_at(1000.0, other)
    assert _PrefectCeiling(other)(100)  # drained at 1,000 a second within a tenth of a second
    time.sleep(0.5)
    limit_at(10.0, other)
    drained = _PrefectCeiling(other).until_drained()
    print(json.dumps([first, again, drained]))
    """
)


def test_a_lower_rate_holds_what_the_higher_one_granted_as_long_not_for_minutes(
    prefect_api_url: str, tmp_path: Path
) -> None:
    script, env = script_for(tmp_path / "switch.py", SWITCH, prefect_api_url)
    done = subprocess.run(
        [sys.executable, str(script), "pacer-switch-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first, again, drained = json.loads(done.stdout.splitlines()[-1])
    # 5,000 slots left at 10 a second would hold the engine for over eight minutes.
    assert 0 < first <= drain_seconds(10.0) + 0.5
    assert 0 < again <= first
    # Slots that had drained at the old rate are not held again at the new one.
    assert drained == 0
