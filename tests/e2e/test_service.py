"""`waiwen up`: queueing and approving are enough; the deployments and the worker do the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.notices import write_notice
from tests.standins.libretranslate import LibreTranslateStandIn
from waiwen.orchestrator import free_port
from waiwen.settings import Settings

# Generous ceilings so a slow machine never fails the test; the test waits for states, not for time.
PATIENCE = 240.0


def wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    """Poll until ``condition`` holds; fail with the service log if it never does."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"gave up waiting for {what}; service log:\n{log.read_text(errors='replace')}"
            )
        time.sleep(0.5)


@pytest.fixture
def service(
    settings: Settings, libretranslate: LibreTranslateStandIn, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """A running `waiwen up` with the LibreTranslate stand-in as engine; stopped with SIGTERM."""
    env = {
        **os.environ,
        "WAIWEN_ENGINES": "memory,libretranslate",
        "WAIWEN_LIBRETRANSLATE_URL": libretranslate.url,
    }
    env.pop("PREFECT_API_URL", None)
    log = tmp_path / "up.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "waiwen", "up", "--port", str(free_port())],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    up_json = Path(settings.home) / "up.json"
    wait_for(lambda: up_json.exists() or process.poll() is not None, "waiwen up to start", log)
    assert process.poll() is None, log.read_text()
    yield {**env, "LOG": str(log)}
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert "waiwen stopped" in log.read_text()
    assert not up_json.exists()


def test_up_drafts_on_queue_and_publishes_on_approval(
    service: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    log = Path(service["LOG"])

    def waiwen(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "waiwen", *args], env=service, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def states() -> dict[str, str]:
        notices = json.loads(waiwen("status", "--json"))
        return (
            {lang["language"]: lang["state"] for lang in notices[0]["languages"]} if notices else {}
        )

    queued = waiwen("queue", str(write_notice(tmp_path / "notice.md", languages=["en", "fr"])))
    assert "handed to the running service" in queued
    wait_for(
        lambda: states().get("en") == "in_review" and states().get("fr") == "in_review",
        "drafts",
        log,
    )
    approved = waiwen("review", "approve", "1", "en", "--reviewer", "译审甲")
    assert "handed to the running service" in approved
    page = Path(settings.site_dir) / "en" / "notices" / "0" / "1.html"
    wait_for(page.exists, "the English page", log)
    wait_for(lambda: states().get("en") == "published", "en published", log)
    assert states()["fr"] == "in_review"
