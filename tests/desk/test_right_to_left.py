"""The desk shows and edits a right-to-left language right to left; the source stays left to right."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings, get_settings
from pipeline.drafting import EngineChain
from tests.arabic_version import ARABIC_TEXTS, hold_in_arabic
from tests.desk.conftest import REVIEWER
from tests.notices import write_notice
from tests.pipeline.steps import draft, queue

TITLE = ARABIC_TEXTS["市政府外办召开2025年领事工作通报会"]


@pytest.fixture
def arabic(
    settings: Settings, chain: EngineChain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[int]:
    """Notice 1 with an English and an Arabic version (Arabic and Russian configured)."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,ja,fr,ko,ru,ar")
    get_settings.cache_clear()
    outcome = queue(settings, write_notice(tmp_path / "notice.md", languages=["en", "fr"]))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    hold_in_arabic(settings.resolved_database_url, outcome.version_id, drafted="fr")
    yield outcome.version_id
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("path", "element"),
    [
        ("/notices/1/ar", r'<textarea id="t0" name="text" lang="ar" dir="rtl" '),
        ("/notices/1/ar", r'<strong lang="ar" dir="rtl">العربية</strong>'),
        ("/notices/1", r'<a href="/notices/1/ar" lang="ar" dir="rtl">العربية</a>'),
        ("/notices/1/ar/preview/site", r'<html lang="ar" dir="rtl">'),
        ("/notices/1/ar/preview/site", r'<bdi dir="ltr">56,000</bdi>'),
        ("/notices/1/ar/preview/wechat", r'<html lang="ar" dir="rtl">'),
        ("/notices/1/ar/preview/wechat", r'<section dir="rtl" lang="ar" '),
    ],
)
def test_arabic_text_on_the_desk_is_marked_right_to_left(
    desk: Any, arabic: int, path: str, element: str
) -> None:
    page = desk(REVIEWER).get(path)
    assert page.status_code == 200, page.text
    assert element in page.text


def test_the_review_page_keeps_the_source_and_other_languages_left_to_right(
    desk: Any, arabic: int
) -> None:
    client = desk(REVIEWER)
    arabic_page = client.get("/notices/1/ar").text
    assert TITLE in arabic_page
    # The Chinese source cell declares its language and no direction: it reads left to right.
    assert len(re.findall(r'<td lang="zh" class="source">', arabic_page)) == len(ARABIC_TEXTS)
    english = client.get("/notices/1/en").text
    assert 'dir="rtl"' not in english
    assert re.search(r'<textarea id="t0" name="text" lang="en" rows=', english)


def test_an_arabic_edit_is_saved_and_shown_right_to_left_in_the_history(
    desk: Any, arabic: int
) -> None:
    client = desk(REVIEWER)
    corrected = "مكتب الشؤون الخارجية في شانغهاي يعقد اجتماع إحاطة العمل القنصلي لعام 2025"
    response = client.post("/notices/1/ar/segments/0", {"text": corrected, "revision": "1"})
    assert response.status_code == 303, response.text
    page = client.get("/notices/1/ar").text
    assert f'<ins lang="ar" dir="rtl">{corrected}</ins>' in page
    assert f'<del lang="ar" dir="rtl">{TITLE}</del>' in page
