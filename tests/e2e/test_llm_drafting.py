"""Engine `openai` configured by settings, through the real command and Prefect flows: a notice's
languages drafted in whole-notice batches, faults ending in complete drafts or a clear needs
translation, the cost in `waiwen status`, and a re-queue sending only the changed segment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Waiwen
from tests.notices import write_notice
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from translators.glossary import Glossary

# A real Prefect server: `pytest -m 'not e2e'` is the fast run without them.
pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "ja", "fr", "ko"]
BODY = """## 会议概况

3月3日，市政府外办召开2025年领事工作通报会。各国驻沪领事机构代表约120人出席会议。

会议通报了2024年本市领事工作情况。2024年共办理领事认证文书5.6万份，同比增长12%。

申请人须提前在网上预约，咨询电话为021-62321234。

节假日期间暂停办理，敬请谅解。
"""
CHANGED = "约150人"  # in the second version; the stand-in's content filter refuses it


@pytest.fixture
def chat() -> Iterator[ChatStandIn]:
    """A started chat-completions stand-in."""
    with ChatStandIn() as standin:
        yield standin


def _languages(waiwen: Waiwen) -> dict[str, dict]:
    [notice] = waiwen.json("status")
    return {lang["language"]: lang for lang in notice["languages"]}


def test_a_notice_is_drafted_in_batches_through_the_flows(
    waiwen: Waiwen, chat: ChatStandIn, tmp_path: Path
) -> None:
    waiwen.env.update(
        WAIWEN_ENGINES="memory,openai",
        WAIWEN_OPENAI_BASE_URL=chat.base_url,
        WAIWEN_OPENAI_MODEL=MODEL,
        WAIWEN_OPENAI_API_KEY=API_KEY,
        WAIWEN_ENGINE_RATE_LIMITS='{"openai": 20}',
    )
    # Faults on the first requests, whichever languages they fall on: retried or repaired, one
    # more request each.
    chat.fail_next(429, retry_after=0.1)
    chat.fail_next(503)
    chat.broken_json_next()
    path = write_notice(tmp_path / "notice.md", body=BODY)
    waiwen("queue", str(path))
    waiwen("run")

    drafted = _languages(waiwen)
    segments = sum(drafted["zh"]["origins"].values())
    by_target: dict[str, list[dict]] = {}
    for request in chat.requests:
        by_target.setdefault(str(request["target"]), []).append(request)
    assert len(chat.requests) == len(LANGUAGES) + 3
    for lang in LANGUAGES:
        status = drafted[lang]
        assert status["state"] == "in_review"
        assert status["needs_translation"] == 0
        assert set(status["origins"]) <= {"engine:openai", "copy", "glossary"}
        sent = by_target[lang]
        assert status["engine_requests"] == len(sent) < segments
        assert status["prompt_tokens"] > 0 and status["completion_tokens"] > 0
        terms = [t for t in Glossary.starter().terms(lang) if t.source in BODY]
        assert terms
        for term in terms:
            assert all(f"{term.source} → {term.target}" in r["system"] for r in sent), term

    # A new version with one changed sentence sends that segment alone, once per language; the
    # content filter refuses it, so it needs translation and the language cannot be approved.
    chat.content_filter_on(CHANGED)
    before = len(chat.requests)
    path.write_text(path.read_text(encoding="utf-8").replace("约120人", CHANGED), encoding="utf-8")
    assert "new version" in waiwen("queue", str(path)).stdout
    waiwen("run")
    again = chat.requests[before:]
    assert sorted(r["target"] for r in again) == sorted(LANGUAGES)
    for request in again:
        [sent] = request["segments"]
        assert CHANGED in sent["text"]
    redrafted = _languages(waiwen)
    for lang in LANGUAGES:
        assert redrafted[lang]["state"] == "in_review"
        assert redrafted[lang]["needs_translation"] == 1
        assert redrafted[lang]["engine_requests"] == 1
    shown = waiwen("review", "show", "1", "en").stdout
    assert "content filter" in shown
    refused = waiwen("review", "approve", "1", "en", "--reviewer", "译审甲", check=False)
    assert refused.returncode != 0 and "need translation" in (refused.stdout + refused.stderr)
