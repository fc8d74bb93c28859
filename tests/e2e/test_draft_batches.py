"""Batch drafting through the real command, a real Prefect server and the real database.

More versions due than WAIWEN_BATCH_THRESHOLD are drafted in `draft-batch` flow runs, a
task run per version named after its notice; a single due version keeps a flow run of its own.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from core.settings import Settings
from store.db import transaction
from store.models import (
    AuditEntry,
    LanguageVersion,
    NoticeVersion,
    Publication,
    Segment,
    Translation,
)
from tests.e2e.conftest import Waiwen
from tests.notices import write_notice
from tests.standins.libretranslate import LibreTranslateStandIn

pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "ja", "fr", "ko"]
NOTICES = 5
# Threshold 2, batches of at most 2, one batch at a time: 5 due make the batches [1, 2] [3, 4] [5].
BATCHING = {
    "WAIWEN_BATCH_THRESHOLD": "2",
    "WAIWEN_BATCH_SIZE": "2",
    "WAIWEN_DISPATCH_CONCURRENCY": "1",
}


@pytest.fixture
def batching(waiwen: Waiwen, libretranslate: LibreTranslateStandIn) -> Waiwen:
    """The command with the engine chain memory → loopback LibreTranslate, batching small."""
    waiwen.env.update(
        WAIWEN_ENGINES="memory,libretranslate",
        WAIWEN_LIBRETRANSLATE_URL=libretranslate.url,
        **BATCHING,
    )
    return waiwen


def _queue(waiwen: Waiwen, folder: Path, title: str) -> list[str]:
    """Queue NOTICES notices titled ``<title><n>`` with sentences of their own; their titles."""
    titles = []
    for n in range(1, NOTICES + 1):
        body = f"第{n}次协调会于3月3日举行，各国驻沪领事机构代表出席。\n\n请于第{n}周内报送材料。\n"
        titles.append(f"{title}{n}号")
        waiwen("queue", str(write_notice(folder / f"{n}.md", body=body, title=titles[-1])))
    return titles


def _task_runs(api_url: str, flow: str, names: list[str]) -> list[dict[str, Any]]:
    """Task runs of the flow's runs with these names, read from the Prefect server's REST API."""
    response = httpx.post(
        f"{api_url}/task_runs/filter",
        json={"flows": {"name": {"any_": [flow]}}, "task_runs": {"name": {"any_": names}}},
        timeout=30,
    )
    response.raise_for_status()
    return list(response.json())


def _flow_run_names(api_url: str, ids: set[str]) -> list[str]:
    response = httpx.post(
        f"{api_url}/flow_runs/filter", json={"flow_runs": {"id": {"any_": sorted(ids)}}}, timeout=30
    )
    response.raise_for_status()
    return sorted(run["name"] for run in response.json())


def _drafted_per_language(url: str) -> Counter[str | None]:
    with transaction(url) as session:
        return Counter(
            session.scalars(select(AuditEntry.language).where(AuditEntry.action == "drafted"))
        )


def _exactly_once_and_in_review(url: str) -> None:
    with transaction(url) as session:
        segments = session.scalar(select(func.count(Segment.id))) or 0
        rows = session.execute(select(Translation.segment_id, Translation.language)).all()
        states = Counter(
            session.scalars(select(LanguageVersion.state).where(LanguageVersion.language != "zh"))
        )
    assert len(rows) == len(set(rows)) == segments * len(LANGUAGES)
    assert states == {"in_review": NOTICES * len(LANGUAGES)}
    assert _drafted_per_language(url) == {lang: NOTICES for lang in LANGUAGES}


@contextmanager
def refused_review(url: str, version_id: int) -> Iterator[None]:
    """The database refuses to move one version's languages to review, as a real write failure would."""
    message = f"languages of version {version_id} refused by the test"
    with transaction(url) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text(
                    "CREATE FUNCTION refuse_review() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN IF NEW.version_id = {version_id} AND NEW.state = 'in_review' "
                    f"THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$"
                )
            )
            session.execute(
                text(
                    "CREATE TRIGGER refuse_review BEFORE UPDATE ON language_versions "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_review()"
                )
            )
        else:
            session.execute(
                text(
                    "CREATE TRIGGER refuse_review BEFORE UPDATE ON language_versions "
                    f"WHEN NEW.version_id = {version_id} AND NEW.state = 'in_review' "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
            )
    try:
        yield
    finally:
        with transaction(url) as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("DROP TRIGGER refuse_review ON language_versions"))
                session.execute(text("DROP FUNCTION refuse_review()"))
            else:
                session.execute(text("DROP TRIGGER refuse_review"))


def test_a_failed_version_leaves_its_batch_drafted_and_the_next_run_drafts_it_alone(
    batching: Waiwen, tmp_path: Path, settings: Settings, prefect_api_url: str
) -> None:
    waiwen, url = batching, settings.resolved_database_url
    titles = _queue(waiwen, tmp_path, "批量起草测试通知第")
    with transaction(url) as session:
        first = session.scalars(select(NoticeVersion.id).order_by(NoticeVersion.id)).first()
    assert first is not None
    with refused_review(url, first):
        failed = waiwen("run", check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "in 3 batch run(s) of at most 2" in failed.stdout
    assert f"version {first}: FAILED" in failed.stdout and "refused by the test" in failed.stdout
    assert f"done: {NOTICES - 1} drafted, {NOTICES} published, 1 failed" in failed.stdout

    # One task run per version, named after its notice, in three batch flow runs.
    names = [f"{title} · v1" for title in titles]
    runs = _task_runs(prefect_api_url, "draft-batch", names)
    assert sorted(run["name"] for run in runs) == sorted(names)
    states = {run["name"]: run["state_type"] for run in runs}
    assert states == {name: "FAILED" if name == names[0] else "COMPLETED" for name in names}
    batch_runs = _flow_run_names(prefect_api_url, {run["flow_run_id"] for run in runs})
    assert batch_runs == sorted(
        [f"batch of 2: {names[0]} …", f"batch of 2: {names[2]} …", f"batch of 1: {names[4]}"]
    )

    # The refused version is the only one due now: a flow run of its own drafts it, nothing twice.
    again = waiwen("run")
    assert "done: 1 drafted, 0 published, 0 failed" in again.stdout
    assert "batch run" not in again.stdout
    response = httpx.post(
        f"{prefect_api_url}/flow_runs/filter",
        json={
            "flows": {"name": {"any_": ["draft-notice"]}},
            "flow_runs": {"name": {"any_": names}},
        },
        timeout=30,
    )
    response.raise_for_status()
    assert [run["name"] for run in response.json()] == [names[0]]
    _exactly_once_and_in_review(url)


def test_kill_in_the_middle_of_a_batch_then_run_again(
    batching: Waiwen, tmp_path: Path, settings: Settings
) -> None:
    waiwen, url = batching, settings.resolved_database_url
    _queue(waiwen, tmp_path, "批量中断测试通知第")
    # Each notice has three segments (title and two sentences) in four languages: 12 drafts, so
    # the 18th stored draft is in the first batch's second version.
    killed = waiwen("run", check=False, env={"WAIWEN_FAILPOINTS": "draft.after-segment:18"})
    assert killed.returncode == -signal.SIGKILL
    with transaction(url) as session:
        stored = session.scalar(select(func.count(Translation.id))) or 0
        first = session.scalars(select(NoticeVersion.id).order_by(NoticeVersion.id)).first()
        per_notice = len(LANGUAGES) * (
            session.scalar(select(func.count(Segment.id)).where(Segment.version_id == first)) or 0
        )
    assert per_notice < stored < 2 * per_notice  # the kill landed in the batch's second version
    assert "done: 4 drafted, 5 published, 0 failed" in waiwen("run").stdout
    _exactly_once_and_in_review(url)


def test_kill_in_the_middle_of_a_publishing_batch_then_run_again(
    batching: Waiwen, tmp_path: Path, settings: Settings, prefect_api_url: str
) -> None:
    waiwen, url = batching, settings.resolved_database_url
    titles = _queue(waiwen, tmp_path, "批量发布测试通知第")
    # The originals are published in the pass that drafts them: batches [1, 2] [3, 4] [5] again,
    # each original to the site and WeChat (not configured: recorded so); the 5th channel is the
    # second batch's first version.
    killed = waiwen("run", check=False, env={"WAIWEN_FAILPOINTS": "publish.after-channel:5"})
    assert killed.returncode == -signal.SIGKILL
    with transaction(url) as session:
        before = session.scalar(select(func.count(Publication.id))) or 0
    assert 4 <= before < 2 * NOTICES
    again = waiwen("run")
    assert "0 failed" in again.stdout
    with transaction(url) as session:
        publications = session.execute(
            select(Publication.language_version_id, Publication.channel)
        ).all()
        published = Counter(
            session.scalars(
                select(AuditEntry.language).where(AuditEntry.action == "language published")
            )
        )
    assert len(publications) == len(set(publications)) == 2 * NOTICES
    assert published == {"zh": NOTICES}
    names = [f"{title} · v1" for title in titles]
    runs = _task_runs(prefect_api_url, "publish-batch", names)
    assert {run["name"] for run in runs} == set(names)
