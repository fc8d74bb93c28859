"""`waiwen up`: queueing and approving are enough; the deployments and the worker do the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
