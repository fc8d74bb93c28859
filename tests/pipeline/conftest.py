"""Fixtures of the pipeline tests: the test's database URL and an engine chain on the stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.settings import Settings
from pipeline.drafting import EngineChain
from tests.pipeline.steps import engine_chain, llm_engine_chain
from tests.standins.chat import ChatStandIn
from tests.standins.libretranslate import LibreTranslateStandIn


@pytest.fixture
def url(settings: Settings) -> str:
    """The emptied database of this test."""
    return settings.resolved_database_url


@pytest.fixture
def chain(libretranslate: LibreTranslateStandIn) -> EngineChain:
    """The LibreTranslate stand-in as the only engine."""
    return engine_chain(libretranslate.url)


@pytest.fixture
def chat() -> Iterator[ChatStandIn]:
    """A started chat-completions stand-in (an LLM server)."""
    with ChatStandIn() as standin:
        yield standin


@pytest.fixture
def llm_chain(chat: ChatStandIn) -> EngineChain:
    """Engine `openai` on the chat stand-in as the only engine, no waiting between tries."""
    return llm_engine_chain(chat.base_url)
