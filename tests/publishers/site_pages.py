"""Notice pages for site tests, and a one-publish entry point a test can kill at a failpoint.

python -m tests.publishers.site_pages SITE_DIR NOTICE_ID
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from publishers.base import Page
from publishers.site import Site
from tests.pictures import picture

BASE_URL = "https://wsb.example.gov.cn/"
COLUMNS = ("政务公开", "要闻动态", "温馨提示")
LANGUAGES = ("zh", "en", "ja", "fr", "ko")
PNG = picture("PNG")


def body(notice_id: int, language: str) -> str:
    return (
        f"## {language} {notice_id}\n\n"
        f"Notice {notice_id} in {language}: the office announces item number {notice_id}.\n\n"
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "![map](images/map.png)\n"
    )


def pages(
    notice_id: int,
    languages: tuple[str, ...] = LANGUAGES,
    *,
    column: str | None = None,
    published_on: date | None = None,
    title: str | None = None,
    text: str | None = None,
) -> list[Page]:
    """One notice in several languages, with a table and an image."""
    day = published_on or date(2026, 1, 1) + timedelta(days=notice_id)
    return [
        Page(
            notice_id=notice_id,
            version=1,
            language=language,
            title=title or f"Notice {notice_id} ({language})",
            body_markdown=text or body(notice_id, language),
            column=column or COLUMNS[notice_id % len(COLUMNS)],
            formed_on=day,
            published_on=day,
            languages=languages,
            images={"images/map.png": PNG},
        )
        for language in languages
    ]


def site(site_dir: Path) -> Site:
    return Site(site_dir, BASE_URL, COLUMNS)


if __name__ == "__main__":
    site(Path(sys.argv[1])).publish_notice(pages(int(sys.argv[2])))
