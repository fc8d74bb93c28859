"""One broadcast run in its own process, so a test can kill it at a failpoint.

python -m tests.pipeline.broadcast_run DATABASE_URL WECHAT_URL
"""

from __future__ import annotations

import sys

from pydantic import SecretStr

from publishers.wechat.broadcast import Broadcaster, BroadcastOptions
from publishers.wechat.client import WeChatClient


def broadcaster(url: str, wechat_url: str, **options: object) -> Broadcaster:
    """The broadcaster against the stand-in, as the tests configure it."""
    client = WeChatClient("wx-test-appid", SecretStr("test-secret"), wechat_url, timeout=10)
    return Broadcaster(url, client, BroadcastOptions(**options))  # type: ignore[arg-type]


if __name__ == "__main__":
    database_url, wechat_url = sys.argv[1:3]
    row = broadcaster(database_url, wechat_url).run(force=True)
    print(row.state if row is not None else "nothing to send")
