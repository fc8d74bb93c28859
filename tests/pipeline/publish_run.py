"""One publication run in its own process, so a test can kill it at a failpoint.

python -m tests.pipeline.publish_run DATABASE_URL VERSION_ID SITE_DIR WECHAT_URL
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import SecretStr

from core.settings import DEFAULT_COLUMNS
from pipeline.publishing import publish_version
from publishers.site import Site
from publishers.site.publisher import SitePublisher
from publishers.wechat.channel import WeChatChannel, WeChatOptions
from publishers.wechat.client import WeChatClient

BASE_URL = "https://wsb.example.gov.cn/"


def channels(url: str, site_dir: Path, wechat_url: str) -> tuple[WeChatChannel, SitePublisher]:
    """The WeChat channel against the stand-in and the site, as the tests configure them."""
    client = WeChatClient("wx-test-appid", SecretStr("test-secret"), wechat_url, timeout=10)
    options = WeChatOptions(site_base_url=BASE_URL, author="上海外办", polls=3, poll_seconds=0)
    return WeChatChannel(url, client, options, sleep=lambda seconds: None), SitePublisher(
        Site(site_dir, BASE_URL, DEFAULT_COLUMNS)
    )


if __name__ == "__main__":
    database_url, version_id, site_dir, wechat_url = sys.argv[1:5]
    wechat, site = channels(database_url, Path(site_dir), wechat_url)
    done = publish_version(database_url, int(version_id), {"site": site, "wechat": wechat})
    print({d.language: d.channels for d in done})
