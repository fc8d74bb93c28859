"""Two workers on one pool through the real `waiwen up --workers 2`; one of them is killed mid-flow."""

# The kill is placed, not timed: WAIWEN_FAILPOINTS_ONCE makes the first flow-run process of either
# worker that stores its second segment SIGKILL itself, and write its ancestry into a marker file;
# the test then SIGKILLs the worker that ran it (with every flow run it still had). A publish flow
# run dies the same way right after its first channel call. Everything
# after that is waited for as states: the surviving worker and its sweep finish the work.

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from core.settings import Settings
from store.db import transaction
from store.models import AuditEntry, LanguageVersion, Publication, Segment, Translation
from tests.e2e.conftest import running_up, wait_for
from tests.notices import write_notice
from tests.standins.libretranslate import LibreTranslateStandIn

pytestmark = pytest.mark.e2e

NOTICES = 4
LANGUAGES = ["en", "fr"]


def test_two_workers_and_a_killed_one_draft_and_publish_every_version_once(
    settings: Settings, libretranslate: LibreTranslateStandIn, tmp_path: Path
) -> None:
    markers = tmp_path / "failpoints"
    markers.mkdir()
    log = tmp_path / "up.log"
    armed = {
        "WAIWEN_FAILPOINTS": "draft.after-segment:2,publish.after-channel:1",
        "WAIWEN_FAILPOINTS_ONCE": str(markers),
        # A sweep run killed with its worker holds the sweep's one slot until its lease ends.
        "PREFECT_SERVER_CONCURRENCY_INITIAL_DEPLOYMENT_LEASE_DURATION": "30",
        # The surviving worker's sweep finishes the dead one's work: every 10 s, not every minute.
        "WAIWEN_SWEEP_SECONDS": "10",
    }
    with running_up(settings, libretranslate, log, "--workers", "2", extra_env=armed) as service:
        worker_pids = [int(pid) for pid in service["WORKER_PIDS"].split()]
        assert len(worker_pids) == 2
        sweep = httpx.get(f"{service['API_URL']}/deployments/name/sweep/sweep", timeout=30)
        sweep.raise_for_status()
        assert [s["schedule"]["interval"] for s in sweep.json()["schedules"]] == [10.0]

        def waiwen(*args: str) -> str:
            result = subprocess.run(
                [sys.executable, "-m", "waiwen", *args],
                env=service,
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            return result.stdout

        def states() -> dict[tuple[int, str], str]:
            return {
                (notice["notice_id"], lang["language"]): lang["state"]
                for notice in json.loads(waiwen("status", "--json"))
                for lang in notice["languages"]
            }

        for number in range(NOTICES):
            path = write_notice(
                tmp_path / f"notice-{number}.md",
                title=f"市政府外办召开2025年领事工作通报会（第{number + 1}次）",
                languages=LANGUAGES,
            )
            assert "handed to the running service" in waiwen("queue", str(path))

        drafting_kill = markers / "draft.after-segment"
        wait_for(drafting_kill.exists, "a flow run to die at its second segment", log)
        ancestry = [int(pid) for pid in drafting_kill.read_text().split()]
        [killed] = [pid for pid in ancestry if pid in worker_pids]
        os.killpg(killed, signal.SIGKILL)  # the worker and every flow run it still had
        wait_for(
            lambda: "exited with status -9; 1 worker(s) go on" in log.read_text(),
            "waiwen up to see its worker die",
            log,
        )

        wait_for(
            lambda: (
                len(states()) == NOTICES * (1 + len(LANGUAGES))
                and all(
                    state == "in_review" for (_, lang), state in states().items() if lang != "zh"
                )
            ),
            "every notice drafted by the surviving worker",
            log,
        )
        notice_ids = sorted({notice for notice, _ in states()})
        for notice in notice_ids:
            assert "handed to the running service" in waiwen(
                "review", "approve", str(notice), "en", "--reviewer", "译审甲"
            )
        wait_for(
            lambda: (
                all(states()[(notice, "en")] == "published" for notice in notice_ids)
                and all(states()[(notice, "zh")] == "published" for notice in notice_ids)
            ),
            "every approved language published",
            log,
        )
        # Some publish flow run died right after a channel call (zh goes out with the first sweep).
        assert (markers / "publish.after-channel").exists()

    url = settings.resolved_database_url
    with transaction(url) as session:
        segments = session.scalars(select(Segment.id)).all()
        translations = session.execute(select(Translation.segment_id, Translation.language)).all()
        publications = session.execute(
            select(LanguageVersion.version_id, LanguageVersion.language, Publication.channel).join(
                LanguageVersion, LanguageVersion.id == Publication.language_version_id
            )
        ).all()
        audit = Counter(
            (action, version, language, detail.get("channel"))
            for action, version, language, detail in session.execute(
                select(
                    AuditEntry.action,
                    AuditEntry.version_id,
                    AuditEntry.language,
                    AuditEntry.detail,
                )
            )
        )
    assert len(translations) == len(set(translations)) == len(segments) * len(LANGUAGES)
    versions = {version for version, _, _ in publications}
    assert len(versions) == NOTICES
    # zh and en of every version, each on the site and WeChat (not configured: "not configured").
    assert sorted(publications) == sorted(
        (version, language, channel)
        for version in versions
        for language in ("en", "zh")
        for channel in ("site", "wechat")
    )
    for version in versions:
        assert audit[("segmented", version, None, None)] == 1
        assert audit[("awaiting review", version, None, None)] == 1
        for language in LANGUAGES:
            assert audit[("drafted", version, language, None)] == 1
        for language in ("en", "zh"):
            assert audit[("language published", version, language, None)] == 1
            assert audit[("published", version, language, "site")] == 1
