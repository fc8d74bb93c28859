"""Debian's headless Chromium for the browser tests, and where their screenshots go.

A missing browser skips the test, or fails it under WAIWEN_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def browser_missing() -> str | None:
    """Why no browser test can run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is not installed (Debian packages chromium and chromium-driver)"
    return None


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """A headless Chromium WebDriver with its profile in ``profile``; skips (or fails) without one."""
    missing = browser_missing()
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
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def artifacts(folder: str) -> Path:
    """test-artifacts/FOLDER (or under WAIWEN_TEST_ARTIFACTS), made if missing."""
    found = Path(os.environ.get("WAIWEN_TEST_ARTIFACTS", ROOT / "test-artifacts")) / folder
    found.mkdir(parents=True, exist_ok=True)
    return found
