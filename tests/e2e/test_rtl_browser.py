"""Arabic and Russian in Debian's headless Chromium: the site's pages and the desk's Arabic review.

The site folder is served over HTTP on loopback and the desk runs under uvicorn, as in production.
Screenshots go to test-artifacts/site/ (ar-notice.png, ru-notice.png, ar-home.png) and
test-artifacts/desk/review-ar.png (or under WAIWEN_TEST_ARTIFACTS).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from core.settings import Settings, get_settings
from desk import accounts
from desk.app import create_app
from flows.server import free_port
from publishers.base import Page
from publishers.site import Site
from store.db import transaction
from store.identity import database_id
from tests.arabic_version import ARABIC_TEXTS, hold_in_arabic
from tests.browser import artifacts, chromium
from tests.desk.conftest import HandOvers
from tests.notices import write_notice
from tests.pipeline.steps import draft, engine_chain, queue
from tests.standins.libretranslate import LibreTranslateStandIn

COLUMNS = ("要闻动态", "政务公开")
REVIEWER, PASSWORD = "阿文审校", "a long enough password"
PHONE = "+86 21 6232 1234"
ARABIC_BODY = f"""## لمحة عن الاجتماع

في 3 مارس 2025، عقد مكتب الشؤون الخارجية في شانغهاي اجتماع إحاطة العمل القنصلي لعام 2025. للاستفسار اتصلوا على {PHONE} أو راسلوا consular@wsb.example.gov.cn.

وفي عام 2024، جرى التصديق القنصلي على 56,000 وثيقة، بزيادة 12% على أساس سنوي، وفق الرمز A-12/3.

| البند | العدد |
|---|---|
| التصديق القنصلي | 56,000 نسخة |
| دعوات الأجانب لزيارة الصين | 3,200 حالة |

- أولا: مكتب Shanghai Foreign Affairs Office
- ثانيا: الموقع https://wsb.example.gov.cn/ar/
"""
RUSSIAN_BODY = """## Обзор совещания

3 марта 2025 года Канцелярия иностранных дел Шанхая провела брифинг о консульской работе за 2025 год. Телефон для справок: +86 21 6232 1234.

В 2024 году консульскую легализацию прошли 56 000 документов, что на 12 % больше, чем годом ранее.

| Пункт | Количество |
|---|---|
| Консульская легализация | 56 000 экз. |
| Приглашения для иностранцев | 3 200 случаев |
"""
pytestmark = pytest.mark.e2e

# The page's geometry and styles, read in the browser.
BOXES = """
const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right}; };
const style = (el) => getComputedStyle(el);
const masthead = document.querySelector('.masthead');
const pad = parseFloat(style(masthead).paddingInlineStart);
const sections = [...document.querySelectorAll('nav.sections li')].map(box);
const switcher = [...document.querySelectorAll('nav.languages li')].map(box);
const isolates = [...document.querySelectorAll('.body bdi')].map((el) => {
  const text = el.firstChild, range = document.createRange();
  const at = (i) => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().left; };
  return {text: text.data, direction: style(el).direction, bidi: style(el).unicodeBidi,
          first: at(0), last: at(text.data.length - 1)};
});
return {
  lang: document.documentElement.lang, dir: document.documentElement.dir,
  direction: style(document.body).direction,
  masthead: {left: masthead.getBoundingClientRect().left + pad,
             right: masthead.getBoundingClientRect().right - pad},
  sections, switcher, isolates,
  switchDirs: [...document.querySelectorAll('nav.languages a')].map((a) => [a.lang, a.dir, style(a).direction]),
  cell: style(document.querySelector('.body td')).textAlign,
};
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "chromium") as driver:
        yield driver


@pytest.fixture
def configured(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings with Russian and Arabic among the configured targets."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,ja,fr,ko,ru,ar")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


STYLED = """
const masthead = document.querySelector('.masthead');
return masthead !== null && getComputedStyle(masthead).maxWidth !== 'none';
"""


def open_styled(browser: Any, url: str) -> None:
    """Open a site page and wait until site.css shapes it. In CI one page was once measured
    unstyled (the masthead as wide as the window, the list's default indent) though the log had
    served site.css: measured without it, every box would be wrong."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 10).until(
        lambda driver: driver.execute_script(STYLED),
        message=f"site.css was not applied to {url} within 10 s",
    )


class Served:
    """A folder over HTTP on 127.0.0.1, as nginx would serve the site."""

    def __init__(self, folder: Path) -> None:
        handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _site(site_dir: Path, languages: tuple[str, ...]) -> None:
    day = date(2025, 3, 4)
    base = Page(
        notice_id=1,
        version=1,
        language="zh",
        title="市政府外办召开2025年领事工作通报会",
        body_markdown="## 会议概况\n\n3月3日，市政府外办召开2025年领事工作通报会。\n",
        column=COLUMNS[0],
        formed_on=day,
        published_on=day,
        languages=languages,
    )
    texts = {
        "ar": (ARABIC_TEXTS["市政府外办召开2025年领事工作通报会"], ARABIC_BODY),
        "ru": (
            "Канцелярия иностранных дел провела брифинг о консульской работе 2025",
            RUSSIAN_BODY,
        ),
        "en": (
            "Foreign Affairs Office holds 2025 consular work briefing",
            "## Overview\n\nText.\n",
        ),
    }
    notice = [base] + [
        replace(base, language=lang, title=texts[lang][0], body_markdown=texts[lang][1])
        for lang in languages
        if lang != "zh"
    ]
    Site(site_dir, "https://wsb.example.gov.cn/", COLUMNS).publish_notice(notice)


def test_arabic_and_russian_pages_in_chromium(
    configured: Settings, browser: Any, tmp_path: Path
) -> None:
    site_dir = tmp_path / "site"
    _site(site_dir, ("zh", "en", "ru", "ar"))
    shots = artifacts("site")
    with Served(site_dir) as served:
        open_styled(browser, served.url + "ar/notices/0/1.html")
        ar = browser.execute_script(BOXES)
        browser.save_screenshot(str(shots / "ar-notice.png"))
        open_styled(browser, served.url + "ar/index.html")
        browser.save_screenshot(str(shots / "ar-home.png"))
        open_styled(browser, served.url + "ru/notices/0/1.html")
        ru = browser.execute_script(BOXES)
        browser.save_screenshot(str(shots / "ru-notice.png"))

    assert (ar["lang"], ar["dir"], ar["direction"]) == ("ar", "rtl", "rtl")
    assert (ru["lang"], ru["dir"], ru["direction"]) == ("ru", "", "ltr")
    # Mirrored: on the Arabic page the sections run from the right edge leftwards and the
    # switcher sits at the left; on the Russian page the other way round.
    assert abs(ar["sections"][0]["right"] - ar["masthead"]["right"]) < 2
    assert ar["sections"][0]["left"] > ar["sections"][1]["right"]
    assert abs(min(b["left"] for b in ar["switcher"]) - ar["masthead"]["left"]) < 2
    assert abs(ru["sections"][0]["left"] - ru["masthead"]["left"]) < 2
    assert abs(max(b["right"] for b in ru["switcher"]) - ru["masthead"]["right"]) < 2
    # Each switcher entry reads in its own direction.
    assert [tuple(d) for d in ar["switchDirs"]] == [
        ("zh", "ltr", "ltr"),
        ("en", "ltr", "ltr"),
        ("ru", "ltr", "ltr"),
    ]
    assert ar["cell"] == "start"
    # Numbers, codes, addresses and Latin names stay in their order inside the Arabic text.
    isolated = {run["text"]: run for run in ar["isolates"]}
    for text in (PHONE, "56,000", "A-12/3", "Shanghai Foreign Affairs Office", "2025"):
        run = isolated[text]
        assert (run["direction"], run["bidi"]) == ("ltr", "isolate"), text
        assert run["first"] < run["last"], text  # its first character is left of its last
    assert not ru["isolates"]


@pytest.fixture
def arabic_review(
    configured: Settings, libretranslate: LibreTranslateStandIn, tmp_path: Path
) -> Settings:
    """Notice 1 drafted, its language version then held in Arabic with Arabic texts.

    The LibreTranslate stand-in drafts English; the texts are then written into the database
    as an Arabic version, as the site tests write their pages directly.
    """
    url = configured.resolved_database_url
    outcome = queue(configured, write_notice(tmp_path / "notice.md", languages=["en"]))
    draft(url, outcome.version_id, engine_chain(libretranslate.url))
    hold_in_arabic(url, outcome.version_id)
    with transaction(url) as session:
        accounts.add_user(session, REVIEWER, PASSWORD, ["reviewer"], "test", [])
    return configured


def test_the_desk_edits_arabic_right_to_left_in_chromium(
    arabic_review: Settings, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(arabic_review, HandOvers(database_id(arabic_review.resolved_database_url))),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not server.started:  # uvicorn says when it listens
            assert thread.is_alive() and time.monotonic() < deadline, "the desk did not start"
            time.sleep(0.05)
        desk = f"http://127.0.0.1:{port}/"
        wait = WebDriverWait(browser, 60)
        browser.get(desk + "login")
        browser.find_element(By.ID, "name").send_keys(REVIEWER)
        browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
        wait.until(lambda d: "Queue" in d.title)
        browser.get(desk + "notices/1/ar")
        wait.until(lambda d: d.find_elements(By.ID, "t2"))
        seen = browser.execute_script(
            """
            const area = document.getElementById('t2');
            const source = document.querySelector('#s2 td.source');
            const box = (el) => el.getBoundingClientRect();
            return {lang: area.lang, dir: area.dir, direction: getComputedStyle(area).direction,
                    align: getComputedStyle(area).textAlign,
                    source: [source.lang, getComputedStyle(source).direction],
                    page: getComputedStyle(document.body).direction,
                    sourceLeft: box(source).left, targetLeft: box(area).left};
            """
        )
        browser.save_screenshot(str(artifacts("desk") / "review-ar.png"))
    finally:
        server.should_exit = True
        thread.join(timeout=60)
    assert (seen["lang"], seen["dir"], seen["direction"]) == ("ar", "rtl", "rtl")
    assert seen["align"] in ("start", "right")
    # The desk itself, and the Chinese source beside the Arabic, stay left to right.
    assert seen["source"] == ["zh", "ltr"] and seen["page"] == "ltr"
    assert seen["sourceLeft"] < seen["targetLeft"]
