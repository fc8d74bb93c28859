"""A reviewer in Debian's headless Chromium: sign in, correct a segment, approve, see it published.

Runs against a real `waiwen up` (Prefect server, deployments, worker, review desk). Screenshots
of the queue and review pages are saved under test-artifacts/desk/ (or WAIWEN_TEST_ARTIFACTS).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from tests.browser import artifacts, chromium
from tests.e2e.conftest import wait_for
from tests.notices import write_notice

REVIEWER, PASSWORD = "译审甲", "a long enough password"
CORRECTED = "On 3 March, the Foreign Affairs Office held its 2025 consular work briefing."

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    with chromium(tmp_path / "chromium") as driver:
        yield driver


def _artifacts() -> Path:
    return artifacts("desk")


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
