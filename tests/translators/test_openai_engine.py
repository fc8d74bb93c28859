"""Engine `openai` as an engine of the chain: the shipped contract over real HTTP, its settings, its key."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from core.targets import target_languages
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from tests.standins.libretranslate import pseudo_translate
from translators.base import Batch, BatchSegment, Engine, SharedEngineSettings, TranslatesBatches
from translators.chain import draft_segment
from translators.errors import AuthenticationFailed, EngineError
from translators.llm.budget import piece_char_limit, segment_tokens
from translators.llm.engine import OpenAIEngine, OpenAISettings
from translators.memory import DictMemory
from translators.registry import build_engine, read_engine_settings, settings_model
from translators.testing import TEXT, WRONG_KEY, ProviderEngineContract

BUDGET = 400  # tokens of segments a request carries in these tests


class TestOpenAIEngine(ProviderEngineContract):
    limit = piece_char_limit(BUDGET)

    @pytest.fixture
    def standin(self, chat_standin: ChatStandIn) -> ChatStandIn:
        return chat_standin

    def make(self, standin: Any, timeout: float = 5.0) -> OpenAIEngine:
        return OpenAIEngine(
            standin.base_url, MODEL, api_key=API_KEY, timeout=timeout, max_batch_tokens=BUDGET
        )

    def make_with_wrong_key(self, standin: Any) -> OpenAIEngine:
        return OpenAIEngine(standin.base_url, MODEL, api_key=WRONG_KEY, max_batch_tokens=BUDGET)

    def test_it_translates_batches_too(self, engine: Engine) -> None:
        assert isinstance(engine, TranslatesBatches)

    def test_one_segment_is_one_request_of_json_data(self, standin: ChatStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "fr")
        (sent,) = standin.requests
        assert sent["model"] == MODEL and sent["target"] == "fr"
        assert sent["segments"] == [{"id": "s0", "text": TEXT}]
        assert sent["response_format"]["type"] == "json_schema"
        assert TEXT not in sent["system"]


def test_the_chain_retries_a_rate_limited_request_and_then_has_its_draft(
    chat_standin: ChatStandIn,
) -> None:
    engine = OpenAIEngine(chat_standin.base_url, MODEL, api_key=API_KEY)
    chat_standin.fail_next(429, retry_after=1)
    draft = draft_segment(
        TEXT, "en", memory=DictMemory(), engines=[engine], backoff=lambda attempt: None
    )
    assert (draft.text, draft.origin) == (pseudo_translate(TEXT, "en"), "engine:openai")
    assert len(chat_standin.requests) == 2


def test_the_key_never_shows_in_logs_errors_or_results(
    chat_standin: ChatStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: waiwen's, the SDK's, its HTTP client's
    secret = "sk-waiwen-secret-that-must-never-show"
    right = ChatStandIn(api_key=secret).start()
    try:
        shown: list[str] = []
        for key, server in ((secret, right), (WRONG_KEY, right), (secret, chat_standin)):
            engine = OpenAIEngine(server.base_url, MODEL, api_key=key, max_batch_tokens=BUDGET)
            batch = Batch("zh", "en", (BatchSegment("a", TEXT), BatchSegment("b", "第二段。")))
            result = engine.translate_batch(batch)
            shown += [repr(engine), repr(result), *map(str, result.failed.values())]
            try:
                engine.translate(TEXT, "zh", "en")
            except EngineError as error:
                shown += [str(error), repr(error), repr(error.__cause__), repr(error.__context__)]
        assert any("refused the key" in s for s in shown)
        # What makes this test bite: the server quotes the key it was given in its 401 message.
        refusal = httpx.post(
            f"{right.base_url}/chat/completions",
            json={"model": MODEL, "messages": []},
            headers={"Authorization": f"Bearer {WRONG_KEY}"},
        )
        assert refusal.status_code == 401 and WRONG_KEY in refusal.text
    finally:
        right.stop()
    records = [f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records]
    assert records, "the run logged nothing, so this test would see nothing"
    for text in [*shown, *records]:
        assert secret not in text and WRONG_KEY not in text


def test_a_wrong_key_fails_every_segment_of_a_batch_after_one_request(
    chat_standin: ChatStandIn,
) -> None:
    engine = OpenAIEngine(chat_standin.base_url, MODEL, api_key=WRONG_KEY, max_batch_tokens=100)
    segments = tuple(BatchSegment(f"p{i}", f"第{i}段，内容较长的一句话。" * 3) for i in range(4))
    batch = Batch("zh", "en", segments)
    assert sum(map(segment_tokens, (s.text for s in segments))) > 100  # two requests at least
    result = engine.translate_batch(batch)
    assert result.texts == {} and set(result.failed) == {"p0", "p1", "p2", "p3"}
    assert all(isinstance(e, AuthenticationFailed) for e in result.failed.values())
    assert len(chat_standin.requests) == 1 and result.usage.requests == 1


# Settings ------------------------------------------------------------------------------------

VARIABLES = {
    "base_url": ("WAIWEN_OPENAI_BASE_URL", ""),
    "api_key": ("WAIWEN_OPENAI_API_KEY", ""),
    "model": ("WAIWEN_OPENAI_MODEL", ""),
    "response_format": ("WAIWEN_OPENAI_RESPONSE_FORMAT", "json_schema"),
    "max_batch_tokens": ("WAIWEN_OPENAI_MAX_BATCH_TOKENS", 3000),
    "timeout": ("WAIWEN_OPENAI_TIMEOUT", None),
    "temperature": ("WAIWEN_OPENAI_TEMPERATURE", None),
    "concurrent_requests": ("WAIWEN_OPENAI_CONCURRENT_REQUESTS", 4),
    "tokens_per_minute": ("WAIWEN_OPENAI_TOKENS_PER_MINUTE", 0),
}


@pytest.mark.usefixtures("engine_environment")
def test_the_settings_are_the_variables_the_docs_give() -> None:
    model = settings_model("openai")
    assert model is OpenAISettings
    defaults = read_engine_settings("openai")
    assert set(model.model_fields) == set(VARIABLES)
    for field, (variable, default) in VARIABLES.items():
        value = getattr(defaults, field)
        assert model.variable(field) == variable and model.model_fields[field].description
        assert (value.get_secret_value() if isinstance(value, SecretStr) else value) == default
    assert isinstance(defaults.api_key, SecretStr)


@pytest.mark.usefixtures("engine_environment")
def test_a_configured_engine_is_built_from_the_environment(
    chat_standin: ChatStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_RESPONSE_FORMAT", "json_object")
    monkeypatch.setenv("WAIWEN_OPENAI_MAX_BATCH_TOKENS", "1200")
    engine = build_engine("openai", SharedEngineSettings(timeout=7))
    assert isinstance(engine, OpenAIEngine)
    assert (engine.response_format, engine.max_batch_tokens) == ("json_object", 1200)
    assert "timeout=7" in repr(engine) and API_KEY not in repr(engine)
    for target in target_languages():
        assert engine.translate(TEXT, "zh", target) == pseudo_translate(TEXT, target)
    assert {r["response_format"]["type"] for r in chat_standin.requests} == {"json_object"}
    monkeypatch.setenv("WAIWEN_OPENAI_TIMEOUT", "120")
    assert "timeout=120" in repr(build_engine("openai", SharedEngineSettings(timeout=7)))


@pytest.mark.usefixtures("engine_environment")
@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("WAIWEN_OPENAI_RESPONSE_FORMAT", "xml", "WAIWEN_OPENAI_RESPONSE_FORMAT"),
        ("WAIWEN_OPENAI_MAX_BATCH_TOKENS", "10", "WAIWEN_OPENAI_MAX_BATCH_TOKENS"),
        ("WAIWEN_OPENAI_TIMEOUT", "0", "WAIWEN_OPENAI_TIMEOUT"),
    ],
)
def test_a_value_that_does_not_fit_is_refused_by_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=named):
        build_engine("openai")


@pytest.mark.usefixtures("engine_environment")
def test_without_an_address_and_a_model_the_settings_are_named() -> None:
    with pytest.raises(ValueError, match="WAIWEN_OPENAI_BASE_URL .* and WAIWEN_OPENAI_MODEL"):
        build_engine("openai")


def test_the_key_falls_back_to_its_prefect_secret_block() -> None:
    from flows.wiring import secret_block_name

    assert secret_block_name(OpenAISettings, "api_key") == "waiwen-openai-api-key"


@pytest.mark.usefixtures("engine_environment")
def test_the_engine_and_the_ai_reader_share_the_servers_gate_and_limits(
    chat_standin: ChatStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.settings import get_settings
    from flows.throttle import EngineThrottle
    from flows.wiring import ai_reader, ai_reader_throttle

    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)  # else a Prefect Secret block is read
    monkeypatch.setenv("WAIWEN_OPENAI_CONCURRENT_REQUESTS", "2")
    monkeypatch.setenv("WAIWEN_OPENAI_TOKENS_PER_MINUTE", "90000")
    monkeypatch.setenv("WAIWEN_AI_REVIEW", "openai")
    monkeypatch.setenv("WAIWEN_ENGINE_RATE_LIMITS", '{"openai": 3, "libretranslate": 5}')
    get_settings.cache_clear()
    try:
        engine = build_engine("openai", SharedEngineSettings(timeout=7))
        reader = ai_reader()
        assert isinstance(engine, OpenAIEngine) and reader is not None
        gate = engine._client.gate
        assert gate is not None and reader.client.gate is gate
        assert (gate.concurrent, gate.tokens_per_minute) == (2, 90000)
        # The reader's requests count against the engine's requests a second when drafting uses it.
        monkeypatch.setenv("WAIWEN_ENGINES", "memory,openai")
        get_settings.cache_clear()
        assert isinstance(ai_reader_throttle(get_settings(), reader), EngineThrottle)
        monkeypatch.setenv("WAIWEN_ENGINES", "memory,libretranslate")
        get_settings.cache_clear()
        assert ai_reader_throttle(get_settings(), reader) is None
    finally:
        get_settings.cache_clear()
