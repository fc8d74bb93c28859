"""`waiwen up`: queueing and approving are enough; the deployments and the worker do the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from core.settings import Settings
from tests.e2e.conftest import wait_for
from tests.notices import write_notice

# A real Prefect server or `waiwen up`: `pytest -m 'not e2e'` is the fast run without them.
pytestmark = pytest.mark.e2e


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


def test_the_sweeps_schedule_gives_it_runs(service: dict[str, str]) -> None:
    # Prefect's scheduler creates the runs of a scheduled deployment ahead of time; with a
    # SQLAlchemy it cannot work with (2.1), it fails every loop and the sweep never runs.
    def scheduled_sweeps() -> int:
        answer = requests.post(
            f"{service['API_URL']}/flow_runs/filter",
            json={
                "deployments": {"name": {"any_": ["sweep"]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED", "COMPLETED", "RUNNING"]}}},
            },
            timeout=10,
        )
        answer.raise_for_status()
        return len(answer.json())

    wait_for(
        lambda: scheduled_sweeps() > 0,
        "the scheduler to give the sweep its runs",
        Path(service["LOG"]),
    )
