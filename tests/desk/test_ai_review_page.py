"""The review page's "Ask the AI reader": a reviewer's action, warnings shown with spans, never blocking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings, get_settings
from store.db import transaction
from store.models import AuditEntry
from tests.desk.conftest import EDITOR, EN_ONLY, REVIEWER
from tests.pipeline.steps import translations
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from tests.standins.engine_fixtures import chat_standin

__all__ = ["chat_standin"]  # the stand-in's fixture, used by the tests below

ASK = "/notices/1/en/ai-review"
# Segment 3 (各国驻沪领事机构代表约120人出席会议。) under its wire id in the one request.
OMISSION = {
    "id": "s3",
    "category": "omission",
    "severity": "major",
    "source_excerpt": "约120人",
    "target_excerpt": "",
    "explanation": "'about' is missing",
}


@pytest.fixture
def settings(
    settings: Settings, chat_standin: ChatStandIn, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The desk's settings with the AI second reader on the chat stand-in."""
    monkeypatch.setenv("WAIWEN_AI_REVIEW", "openai")
    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_a_reviewer_asks_and_sees_the_findings_as_warnings_with_their_span(
    desk: Any, drafted: int, chat_standin: ChatStandIn
) -> None:
    client = desk(REVIEWER)
    assert "Ask the AI reader" in client.get("/notices/1/en").text
    chat_standin.review_next([OMISSION])

    page = client.post(ASK)

    assert page.status_code == 200, page.text
    assert "AI reader: 12 segment(s) of en read, 1 finding(s) (warnings only)" in page.text
    assert "<strong>warning ai-review</strong>: omission (major): &#39;about&#39; is missing" in (
        page.text
    )
    assert '<dd lang="zh" class="in-source">各国驻沪领事机构代表<mark>约120人</mark>' in page.text
    row = page.text[page.text.index('<tr id="s3"') : page.text.index('<tr id="s4"')]
    assert "Override" not in row  # a warning needs no override
    approved = client.post("/notices/1/en/approve", {"comment": ""})
    assert approved.status_code == 200 and "approved; handed to the running service" in (
        approved.text
    )


def test_an_edited_segment_shows_the_finding_stale(
    desk: Any, drafted: int, chat_standin: ChatStandIn
) -> None:
    client = desk(REVIEWER)
    chat_standin.review_next([OMISSION])
    client.post(ASK)
    saved = client.post(
        "/notices/1/en/segments/3", {"text": "About 120 representatives attended.", "revision": "1"}
    )
    assert saved.status_code == 303
    page = client.get("/notices/1/en").text
    assert "(stale: read at revision 1; the text has changed since)" in page
    assert 'class="finding warning stale"' in page


def test_a_failed_reading_says_so_and_leaves_the_page_as_it_was(
    desk: Any, drafted: int, chat_standin: ChatStandIn, settings: Settings
) -> None:
    client = desk(REVIEWER)
    before = {
        p: t.findings
        for p, t in translations(settings.resolved_database_url, drafted, "en").items()
    }
    chat_standin.fail_next(401)

    page = client.post(ASK)

    assert page.status_code == 200
    assert "AI reader unavailable: " in page.text and "refused the key" in page.text
    assert API_KEY not in page.text
    after = {
        p: t.findings
        for p, t in translations(settings.resolved_database_url, drafted, "en").items()
    }
    assert after == before
    assert "Approve and publish" in page.text  # nothing blocked


@pytest.mark.parametrize(
    ("who", "path", "csrf"),
    [
        (REVIEWER, ASK, False),  # no security token
        (EDITOR, ASK, True),  # not a reviewer
        (EN_ONLY, "/notices/1/fr/ai-review", True),  # a reviewer of another language
    ],
)
def test_only_a_reviewer_of_the_language_with_the_token_may_ask(
    desk: Any, drafted: int, chat_standin: ChatStandIn, who: str, path: str, csrf: bool
) -> None:
    response = desk(who).post(path, csrf=csrf)
    assert response.status_code == 403
    assert chat_standin.requests == []


def test_without_waiwen_ai_review_there_is_no_button_and_nothing_is_sent(
    app: Any, desk: Any, drafted: int, chat_standin: ChatStandIn, settings: Settings
) -> None:
    app.state.desk.settings = settings.model_copy(update={"ai_review": ""})
    client = desk(REVIEWER)
    assert "Ask the AI reader" not in client.get("/notices/1/en").text
    response = client.post(ASK)
    assert response.status_code == 400
    assert "the AI second reader is off: WAIWEN_AI_REVIEW is empty" in response.text
    assert chat_standin.requests == []
    with transaction(settings.resolved_database_url) as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "ai reviewed" not in actions and "ai review failed" not in actions
