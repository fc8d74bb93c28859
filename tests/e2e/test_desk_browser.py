"""A reviewer in Debian's headless Chromium: sign in, correct a segment, approve, see it published.

Runs against a real `waiwen up` (Prefect server, deployments, worker, review desk). Screenshots
of the queue and review pages are saved under test-artifacts/desk/ (or WAIWEN_TEST_ARTIFACTS).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from tests.e2e.conftest import wait_for
from tests.notices import write_notice

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REVIEWER, PASSWORD = "译审甲", "a long enough password"
CORRECTED = "On 3 March, the Foreign Affairs Office held its 2025 consular work briefing."

pytestmark = pytest.mark.e2e


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is not installed (Debian packages chromium and chromium-driver)"
    return None


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("WAIWEN_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The machine has no internet: without these flags Chromium keeps trying to reach Google.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        # Containers give /dev/shm 64 MB; Chromium's renderer then crashes on larger pages.
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def _artifacts() -> Path:
    folder = Path(os.environ.get("WAIWEN_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "desk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_reviewer_corrects_approves_and_sees_it_published(
    service: dict[str, str], browser: object, settings: Settings, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    driver: WebDriver = browser  # type: ignore[assignment]
    log = Path(service["LOG"])
    desk = service["DESK_URL"]

    def waiwen(*args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "waiwen", *args],
            env=service,
            capture_output=True,
            text=True,
            input=input,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def en_state() -> str:
        notices = json.loads(waiwen("status", "--json"))
        states = (
            {lang["language"]: lang["state"] for lang in notices[0]["languages"]} if notices else {}
        )
        return str(states.get("en", ""))

    waiwen("users", "add", REVIEWER, "--role", "reviewer", input=PASSWORD + "\n")
    waiwen("queue", str(write_notice(tmp_path / "notice.md", languages=["en"])))
    wait_for(lambda: en_state() == "in_review", "the English draft", log)

    wait = WebDriverWait(driver, 60)
    driver.get(desk + "queue")
    wait.until(lambda d: "Sign in" in d.title)
    driver.find_element(By.ID, "name").send_keys(REVIEWER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait.until(lambda d: "Queue" in d.title)
    assert "en: in review" in driver.page_source
    driver.save_screenshot(str(_artifacts() / "queue.png"))

    driver.find_element(By.CSS_SELECTOR, 'a[href="/notices/1/en"]').click()
    wait.until(lambda d: d.find_elements(By.ID, "t2"))
    area = driver.find_element(By.ID, "t2")
    area.clear()
    area.send_keys(CORRECTED)
    # Ctrl+Enter saves the segment (the page's script); the page comes back at the segment.
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    wait.until(lambda d: "revision 2" in d.find_element(By.ID, "s2").text)
    assert driver.find_element(By.ID, "t2").get_attribute("value") == CORRECTED
    driver.save_screenshot(str(_artifacts() / "review.png"))

    driver.find_element(By.CSS_SELECTOR, "button.approve").click()
    wait.until(lambda d: "approved;" in d.page_source)
    assert "handed to the running service" in driver.page_source

    # Nobody starts anything: the running service publishes the approved language.
    page = Path(settings.site_dir) / "en" / "notices" / "0" / "1.html"
    wait_for(page.exists, "the English page on the site", log)
    wait_for(lambda: en_state() == "published", "en published", log)
    assert CORRECTED in page.read_text(encoding="utf-8")
    driver.get(desk + "queue?show=all")
    wait.until(lambda d: "Queue" in d.title)
    assert "en: published" in driver.page_source
    driver.save_screenshot(str(_artifacts() / "queue-published.png"))
