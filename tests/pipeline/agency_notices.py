"""The notices the agency tests send out: the standard one, and one with inline Markdown."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, learn, queue
from tests.translations import ENGLISH

GUIDE = "https://wsb.sh.gov.cn/guide?id=1&lang=zh"
MARKED_TITLE = "关于办事指南的通知"
MARKED_BODY = f"""详见[办事指南]({GUIDE})和**重要提示**。

请查看`附件1`，咨询电话：021-62172230。

特此通知。

特此通知。
"""
# Segment by segment: the title, a link and bold, a code span and a phone number, twice the same.
MARKED_ENGLISH = {
    MARKED_TITLE: "Notice on the service guide",
    f"详见[办事指南]({GUIDE})和**重要提示**。": (
        f"See the [service guide]({GUIDE}) and the **important notes**."
    ),
    "请查看`附件1`，咨询电话：021-62172230。": "Please see `附件1`; enquiries: 021-62172230.",
    "特此通知。": "Notice is hereby given.",
}


def queue_drafted(settings: Settings, folder: Path) -> int:
    """Notice 1 in English: all but segments 4 and 5 from the memory; its version id."""
    url = settings.resolved_database_url
    learn(url, {s: t for s, t in ENGLISH.items() if "2024" not in s}, "en")
    version_id = queue(settings, write_notice(folder / "notice.md", languages=["en"])).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


def queue_marked(settings: Settings, folder: Path) -> int:
    """Notice 1 in English with inline Markdown, every segment from the memory; its version id."""
    url = settings.resolved_database_url
    learn(url, MARKED_ENGLISH, "en")
    notice = write_notice(folder / "guide.md", MARKED_BODY, title=MARKED_TITLE, languages=["en"])
    version_id = queue(settings, notice).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id
