"""Fixtures for the provider stand-ins (imported by the translator tests' conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.standins.chat import ChatStandIn
from tests.standins.deepl import DeepLStandIn
from tests.standins.providers import (
    BaiduStandIn,
    GoogleStandIn,
    MicrosoftStandIn,
    MyMemoryStandIn,
)
from tests.standins.tencent import TencentStandIn


@pytest.fixture
def google_standin() -> Iterator[GoogleStandIn]:
    """A started Google mobile-page stand-in."""
    with GoogleStandIn() as standin:
        yield standin


@pytest.fixture
def mymemory_standin() -> Iterator[MyMemoryStandIn]:
    """A started MyMemory stand-in."""
    with MyMemoryStandIn() as standin:
        yield standin


@pytest.fixture
def baidu_standin() -> Iterator[BaiduStandIn]:
    """A started Baidu stand-in that knows one app id and key."""
    with BaiduStandIn() as standin:
        yield standin


@pytest.fixture
def deepl_standin() -> Iterator[DeepLStandIn]:
    """A started DeepL API stand-in with one known key."""
    with DeepLStandIn() as standin:
        yield standin


@pytest.fixture
def tencent_standin() -> Iterator[TencentStandIn]:
    """A started Tencent TMT stand-in with one known key pair."""
    with TencentStandIn() as standin:
        yield standin


@pytest.fixture
def microsoft_standin() -> Iterator[MicrosoftStandIn]:
    """A started Microsoft Translator v3 stand-in with one known key."""
    with MicrosoftStandIn() as standin:
        yield standin


@pytest.fixture
def chat_standin() -> Iterator[ChatStandIn]:
    """A started OpenAI-compatible chat-completions stand-in with one known key and model."""
    with ChatStandIn() as standin:
        yield standin
