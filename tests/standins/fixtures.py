"""Pytest fixtures for the stand-in servers (imported by the top-level conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.standins.libretranslate import LibreTranslateStandIn
from tests.standins.wechat import WeChatStandIn


@pytest.fixture
def libretranslate() -> Iterator[LibreTranslateStandIn]:
    """A started LibreTranslate stand-in on a free loopback port, stopped afterwards."""
    with LibreTranslateStandIn() as standin:
        yield standin


@pytest.fixture
def wechat() -> Iterator[WeChatStandIn]:
    """A started WeChat Official Account stand-in, stopped afterwards."""
    with WeChatStandIn() as standin:
        yield standin
