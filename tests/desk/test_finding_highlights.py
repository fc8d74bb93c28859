"""The review page highlights where each finding is, in the source and in the translation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.settings import Settings
from tests.desk.conftest import REVIEWER
from tests.pipeline.steps import segments, translations

ATTENDANCE = "各国驻沪领事机构代表约120人出席会议。"
WRONG_COUNT = "About 150 representatives of consular offices in Shanghai attended."
CELL = "领事认证"  # a table cell of its own, and an office glossary term
HOSTILE_TERM = "consular <script>alert(1)</script> certificates: 56,000"


def _edit(
    desk: Any, settings: Settings, version_id: int, chosen: Callable[[str], bool], text: str
) -> str:
    """Save `text` as the English of the one segment whose source is `chosen`; the page after."""
    url = settings.resolved_database_url
    [position] = [p for p, source in segments(url, version_id).items() if chosen(source)]
    revision = translations(url, version_id, "en")[position].revision
    client = desk(REVIEWER)
    saved = client.post(
        f"/notices/1/en/segments/{position}", {"text": text, "revision": str(revision)}
    )
    assert saved.status_code == 303
    page = client.get("/notices/1/en")
    assert page.status_code == 200
    return str(page.text)


def test_a_wrong_number_is_marked_in_the_source_and_the_translation(
    desk: Any, drafted: int, settings: Settings
) -> None:
    page = _edit(desk, settings, drafted, lambda source: ATTENDANCE in source, WRONG_COUNT)
    assert "代表约<mark>120</mark>人出席会议。</dd>" in page
    assert '<dd lang="en" class="in-target">About <mark>150</mark> representatives' in page


def test_markup_inside_a_marked_span_is_shown_as_text(
    desk: Any, drafted: int, settings: Settings
) -> None:
    page = _edit(desk, settings, drafted, lambda source: source == CELL, HOSTILE_TERM)
    assert "<mark>consular &lt;script</mark>&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert '<dd lang="zh" class="in-source"><mark>领事认证</mark></dd>' in page
