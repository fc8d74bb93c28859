"""A notice's whole life through the real command, real Prefect flows, a real database and real HTTP."""

from __future__ import annotations

import json
import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.clock import office_today
from core.settings import Settings
from store.db import transaction
from store.models import AuditEntry, Publication, Segment, Translation
from tests.e2e.conftest import Waiwen
from tests.notices import write_notice
from tests.standins.libretranslate import LibreTranslateStandIn
from tests.standins.wechat import WeChatStandIn

# A real Prefect server or `waiwen up`: `pytest -m 'not e2e'` is the fast run without them.
pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "ja", "fr", "ko"]


@pytest.fixture
def with_engine(waiwen: Waiwen, libretranslate: LibreTranslateStandIn) -> Waiwen:
    """The command with the engine chain memory → loopback LibreTranslate."""
    waiwen.env.update(
        WAIWEN_ENGINES="memory,libretranslate", WAIWEN_LIBRETRANSLATE_URL=libretranslate.url
    )
    return waiwen


def _status(waiwen: Waiwen) -> dict:
    [notice] = waiwen.json("status")
    return {lang["language"]: lang for lang in notice["languages"]}


def _audit_actions(url: str) -> Counter[tuple[str, str | None]]:
    with transaction(url) as session:
        return Counter(
            (a, lang) for a, lang in session.execute(select(AuditEntry.action, AuditEntry.language))
        )


def test_main_job_offline_fills_from_memory_and_marks_the_rest(waiwen: Waiwen) -> None:
    waiwen("samples")
    result = waiwen("run")
    assert "failed" in result.stdout and ", 0 failed" in result.stdout
    pending = waiwen.json("review", "list")
    assert pending and {row["state"] for row in pending} == {"in_review"}
    assert any(row["needs_translation"] for row in pending)
    statuses = waiwen.json("status")
    assert len(statuses) >= 6
    origins = Counter()
    for notice in statuses:
        for lang in notice["languages"]:
            origins.update(lang["origins"])
        assert notice["languages"][0]["language"] == "zh"
        assert notice["languages"][0]["state"] == "published"
    assert origins["memory"] > 0 and origins["none"] > 0
    shown = waiwen("review", "show", str(statuses[0]["notice_id"]), pending[0]["language"]).stdout
    assert "needs translation" in shown or "memory" in shown


def test_queue_draft_approve_publish_with_libretranslate(
    with_engine: Waiwen, tmp_path: Path, settings: Settings, libretranslate: LibreTranslateStandIn
) -> None:
    waiwen = with_engine
    # Raw HTML is refused at intake; a Markdown link with its address is what the engine must keep.
    body = "## 说明\n\n会议于3月3日举行。详情见[外办网站](https://www.shanghai.gov.cn/)。\n"
    waiwen("queue", str(write_notice(tmp_path / "notice.md", body=body)))
    waiwen("run")
    drafted = _status(waiwen)
    for lang in LANGUAGES:
        assert drafted[lang]["state"] == "in_review"
        assert set(drafted[lang]["origins"]) <= {"engine:libretranslate", "copy"}
    assert {r["target"] for r in libretranslate.requests} == set(LANGUAGES)
    for lang in LANGUAGES:
        waiwen("review", "approve", "1", lang, "--reviewer", "译审甲")
    waiwen("run")
    published = _status(waiwen)
    site = Path(settings.site_dir)
    for lang in ["zh", *LANGUAGES]:
        assert published[lang]["state"] == "published"
        assert published[lang]["figure"] and published[lang]["figure"] > 0
        assert published[lang]["publications"]["site"]["state"] == "published"
        page = (site / lang / "notices" / "0" / "1.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and "<script" not in page
        assert (site / lang / "index.html").exists()
        for other in ["zh", *LANGUAGES]:
            assert f'hreflang="{other}"' in page
    assert published["zh"]["publications"]["wechat"]["state"] == "not_configured"
    assert "wechat" not in published["fr"]["publications"]  # WeChat gets zh and en by default
    # The yearly report counts what was published, with the figures frozen at approval.
    year = str(office_today().year)
    report = json.loads(waiwen("report", "--year", year, "--format", "json").stdout)
    figures = [published[lang]["figure"] for lang in ("en", "ja", "fr", "ko")]
    assert list(report["table"].values()) == [*figures, 1, sum(figures)]
    # Nothing is due any more: a third run does nothing and changes nothing.
    before = _audit_actions(settings.resolved_database_url)
    assert "0 drafted, 0 published" in waiwen("run").stdout
    assert _audit_actions(settings.resolved_database_url) == before


def test_requeued_notice_sends_only_changed_segments(
    with_engine: Waiwen, tmp_path: Path, libretranslate: LibreTranslateStandIn
) -> None:
    waiwen = with_engine
    path = write_notice(tmp_path / "notice.md", languages=["en"])
    waiwen("queue", str(path))
    waiwen("run")
    first = len(libretranslate.requests)
    text = path.read_text(encoding="utf-8").replace("约120人出席会议。", "约150人出席会议。")
    path.write_text(text, encoding="utf-8")
    assert "new version" in waiwen("queue", str(path)).stdout
    waiwen("run")
    assert [r["q"] for r in libretranslate.requests[first:]] == [
        "各国驻沪领事机构代表约150人出席会议。"
    ]


def test_kill_while_drafting_then_run_again(
    with_engine: Waiwen, tmp_path: Path, settings: Settings
) -> None:
    waiwen = with_engine
    waiwen("queue", str(write_notice(tmp_path / "notice.md")))
    killed = waiwen("run", check=False, env={"WAIWEN_FAILPOINTS": "draft.after-segment:6"})
    assert killed.returncode == -signal.SIGKILL
    waiwen("run")
    url = settings.resolved_database_url
    with transaction(url) as session:
        segments = session.scalar(select(func.count(Segment.id))) or 0
        rows = session.execute(select(Translation.segment_id, Translation.language)).all()
    assert len(rows) == len(set(rows)) == segments * len(LANGUAGES)
    actions = _audit_actions(url)
    assert all(actions[("drafted", lang)] == 1 for lang in LANGUAGES)
    assert actions[("queued", None)] == 1 and actions[("segmented", None)] == 1
    assert all(
        lang["state"] == "in_review" for code, lang in _status(waiwen).items() if code != "zh"
    )


def test_kill_while_publishing_then_run_again(
    with_engine: Waiwen, tmp_path: Path, settings: Settings
) -> None:
    waiwen = with_engine
    waiwen("queue", str(write_notice(tmp_path / "notice.md")))
    waiwen("run")
    for lang in LANGUAGES:
        waiwen("review", "approve", "1", lang, "--reviewer", "译审甲")
    killed = waiwen("run", check=False, env={"WAIWEN_FAILPOINTS": "publish.after-channel:3"})
    assert killed.returncode == -signal.SIGKILL
    waiwen("run")
    url = settings.resolved_database_url
    with transaction(url) as session:
        publications = session.execute(
            select(Publication.language_version_id, Publication.channel)
        ).all()
    # zh and en go to the site and WeChat, ja fr ko to the site only.
    assert len(publications) == len(set(publications)) == 7
    actions = _audit_actions(url)
    for lang in ["zh", *LANGUAGES]:
        assert actions[("language published", lang)] == 1
        assert actions[("published", lang)] == 1
        assert actions.get(("approved", lang), 0) == (0 if lang == "zh" else 1)
    assert all(lang["state"] == "published" for lang in _status(waiwen).values())


def test_approved_languages_reach_wechat_through_the_flows(
    with_engine: Waiwen, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    waiwen = with_engine
    waiwen.env.update(
        WAIWEN_WECHAT_APPID="wx-test-appid",
        WAIWEN_WECHAT_SECRET="test-secret",
        WAIWEN_WECHAT_BASE_URL=wechat.url,
        WAIWEN_WECHAT_POLL_SECONDS="0",
    )
    notice = write_notice(
        tmp_path / "notice.md", languages=["en"], wechat_title={"en": "Consular briefing 2025"}
    )
    waiwen("queue", str(notice))
    first = waiwen("run")
    waiwen("review", "approve", "1", "en", "--reviewer", "译审甲")
    second = waiwen("run")

    status = _status(waiwen)
    for lang in ("zh", "en"):
        wechat_publication = status[lang]["publications"]["wechat"]
        assert wechat_publication["state"] == "published"
        assert wechat_publication["location"].startswith("https://mp.weixin.qq.com/s/")
        assert status[lang]["state"] == "published"
    assert sorted(d["title"] for d in wechat.drafts.values()) == [
        "Consular briefing 2025",
        "市政府外办召开2025年领事工作通报会",
    ]
    assert len(wechat.articles) == 2
    calls = len(wechat.calls)
    waiwen("run")
    assert len(wechat.calls) == calls  # nothing is sent twice
    for output in (first, second):
        assert "test-secret" not in output.stdout + output.stderr


def test_a_broadcast_column_reaches_followers_once_through_the_flows(
    with_engine: Waiwen, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    waiwen = with_engine
    waiwen.env.update(
        WAIWEN_WECHAT_APPID="wx-test-appid",
        WAIWEN_WECHAT_SECRET="test-secret",
        WAIWEN_WECHAT_BASE_URL=wechat.url,
        WAIWEN_WECHAT_BROADCAST_COLUMNS="要闻动态",
        WAIWEN_WECHAT_BROADCAST_AT="00:00",  # due at any time of the day the test runs
    )
    notice = write_notice(
        tmp_path / "notice.md", languages=["en"], wechat_title={"en": "Consular briefing 2025"}
    )
    waiwen("queue", str(notice))
    waiwen("run")  # drafts en; the original is queued and broadcast at once
    assert wechat.pushed() == [["市政府外办召开2025年领事工作通报会"]]
    assert not wechat.publishes  # broadcast, not freepublish
    waiwen("review", "approve", "1", "en", "--reviewer", "译审甲")
    waiwen("run")
    waiwen("run")

    assert len(wechat.pushed()) == 1  # the day's send is spent: en waits, nothing goes twice
    status = _status(waiwen)
    assert status["zh"]["publications"]["wechat"]["state"] == "published"
    assert status["en"]["state"] == "approved"
    shown = waiwen("status").stdout
    assert "quota today is spent" in shown and "position 1" in shown
    digest = waiwen("wechat", "digest").stdout
    assert "1. [1] en  Consular briefing 2025" in digest
