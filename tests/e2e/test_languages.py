"""Eight target languages by configuration, through the real command and Prefect flows: queue, drafts by
the LibreTranslate stand-in, approval, pages in nine languages that point at each other, feeds,
sitemap entries, the Arabic page right to left, and the yearly report's columns."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from core.clock import office_today
from core.languages import LANGUAGES as TABLE
from core.settings import Settings
from tests.e2e.conftest import Waiwen
from tests.notices import write_notice
from tests.standins.libretranslate import LibreTranslateStandIn

pytestmark = pytest.mark.e2e

TARGETS = ["en", "ja", "fr", "ko", "de", "es", "ru", "ar"]
BODY = """## 会议概况

3月3日，市政府外办召开2025年领事工作通报会，各国驻沪领事机构代表约120人出席会议。

2024年共办理领事认证文书5.6万份，同比增长12%。咨询电话为021-62321234。
"""
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _status(waiwen: Waiwen) -> dict[str, dict]:
    [notice] = waiwen.json("status")
    return {lang["language"]: lang for lang in notice["languages"]}


def _sitemap_locations(site: Path) -> set[str]:
    found: set[str] = set()
    for path in (site / "sitemaps").rglob("*.xml"):
        root = ET.parse(path).getroot()
        found |= {loc.text or "" for loc in root.iter(f"{SITEMAP}loc")}
    return found


def test_a_notice_in_eight_languages_is_drafted_approved_and_published_in_nine(
    waiwen: Waiwen, libretranslate: LibreTranslateStandIn, settings: Settings, tmp_path: Path
) -> None:
    waiwen.env.update(
        WAIWEN_TARGET_LANGUAGES=",".join(TARGETS),
        WAIWEN_ENGINES="memory,libretranslate",
        WAIWEN_LIBRETRANSLATE_URL=libretranslate.url,
    )
    waiwen("queue", str(write_notice(tmp_path / "notice.md", body=BODY, languages=TARGETS)))
    waiwen("run")
    drafted = _status(waiwen)
    assert {r["target"] for r in libretranslate.requests} == set(TARGETS)
    for lang in TARGETS:
        assert drafted[lang]["state"] == "in_review", lang
        assert drafted[lang]["needs_translation"] == 0, lang
    for lang in TARGETS:
        waiwen("review", "approve", "1", lang, "--reviewer", "译审甲")
    waiwen("run")

    published = _status(waiwen)
    site = Path(settings.site_dir)
    everyone = ["zh", *TARGETS]
    sitemap = _sitemap_locations(site)
    for lang in everyone:
        assert published[lang]["state"] == "published", lang
        page = (site / lang / "notices" / "0" / "1.html").read_text(encoding="utf-8")
        [html] = re.findall(r"<html[^>]*>", page)
        assert f'lang="{TABLE[lang].bcp47}"' in html
        assert ('dir="rtl"' in html) == (lang == "ar")
        # Reciprocal: every page names all nine, itself included.
        assert set(re.findall(r'hreflang="([^"]+)"', page)) >= {TABLE[o].bcp47 for o in everyone}
        feed = feedparser.parse((site / lang / "feed.xml").read_bytes())
        assert not feed.bozo and len(feed.entries) == 1, lang
        assert any(location.endswith(f"/{lang}/notices/0/1.html") for location in sitemap), lang
    assert '<html lang="ar" dir="rtl">' in (site / "ar" / "notices" / "0" / "1.html").read_text(
        encoding="utf-8"
    )

    # The yearly report: the office's four columns, then de, es, ru, ar, and their sum.
    year = str(office_today().year)
    report = json.loads(waiwen("report", "--year", year, "--format", "json").stdout)
    figures = [published[lang]["figure"] for lang in TARGETS]
    assert list(report["table"])[: len(TARGETS)] == [TABLE[lang].report_label for lang in TARGETS]
    assert list(report["table"].values()) == [*figures, 1, sum(figures)]
