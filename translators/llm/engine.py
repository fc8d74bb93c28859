"""Engine `openai`: any server speaking the OpenAI chat-completions protocol (vLLM, Ollama, DeepSeek,
DashScope's compatible mode, Azure OpenAI), a notice's segments in as few requests as fit.

`translate_batch` is the engine's own way (`translators.base.TranslatesBatches`): many segments a
request, with the notice's title, column and neighbouring text, the glossary entries of those
segments and a few memory examples, under waiwen's retry, repair and split policy (`run.py`).
`translate` is a batch of one tried once, so the chain's retries and fallbacks apply as to any engine.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.languages import language
from core.settings import PluginSettings
from translators.base import (
    Batch,
    BatchProgress,
    BatchResult,
    BatchSegment,
    SharedEngineSettings,
    Throttle,
    Usage,
)
from translators.deeptranslator import display_url
from translators.errors import EngineError, UnsupportedLanguage
from translators.llm.budget import piece_char_limit
from translators.llm.client import ChatClient
from translators.llm.gate import gate_for
from translators.llm.prompt import RESPONSE_FORMATS
from translators.llm.run import BatchRun, Policy, Progress, Setting, Unit
from translators.provider_codes import translates
from translators.split import split_for_limit

__all__ = ["DEFAULT_BATCH_TOKENS", "OpenAIEngine", "OpenAISettings"]

DEFAULT_BATCH_TOKENS = 3000
DEFAULT_CONCURRENT_REQUESTS = 4
MIN_BATCH_TOKENS = 100
# translate(): the chain retries and falls back, so one try and nothing more.
_SINGLE = Policy(attempts=1, repair=False, split=False)


class OpenAISettings(PluginSettings):
    """WAIWEN_OPENAI_BASE_URL, _API_KEY, _MODEL, _RESPONSE_FORMAT, _MAX_BATCH_TOKENS, _TIMEOUT, _TEMPERATURE,
    _CONCURRENT_REQUESTS, _TOKENS_PER_MINUTE."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_OPENAI_")

    base_url: str = Field(
        default="",
        description="Address of the chat-completions API up to /v1, e.g. http://127.0.0.1:8000/v1 "
        "(vLLM), http://127.0.0.1:11434/v1 (Ollama), https://api.deepseek.com.",
    )
    api_key: SecretStr = Field(
        default=SecretStr(""),
        description="API key; empty: Prefect Secret block `waiwen-openai-api-key`, and none for a "
        "server that takes no key.",
    )
    model: str = Field(
        default="",
        description="Model name as the server knows it, e.g. Qwen/Qwen3-32B, deepseek-chat.",
    )
    response_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="How the answer's JSON is asked for: json_schema (structured output, a strict "
        "schema) or json_object for servers without schema support.",
    )
    max_batch_tokens: int = Field(
        default=DEFAULT_BATCH_TOKENS,
        ge=MIN_BATCH_TOKENS,
        description="Estimated tokens of segments one request carries; the model's context must "
        "also hold their translation and the instructions.",
    )
    timeout: float | None = Field(
        default=None,
        gt=0,
        description="Seconds before one request is given up; empty: WAIWEN_ENGINE_TIMEOUT. A "
        "request of a whole notice takes as long as the model needs to write it.",
    )
    temperature: float | None = Field(
        default=None, ge=0, le=2, description="Sampling temperature; empty: the server's default."
    )
    concurrent_requests: int = Field(
        default=DEFAULT_CONCURRENT_REQUESTS,
        ge=1,
        description="Requests this process has in flight to the server at once, every language and "
        "the AI second reader together (vLLM's --max-num-seqs, a provider's concurrency quota). A "
        "notice cut into several requests sends them at once up to this many.",
    )
    tokens_per_minute: int = Field(
        default=0,
        ge=0,
        description="Prompt and completion tokens a minute this process may spend on the server "
        "(a provider's TPM quota); 0: no token limit. Requests a second: WAIWEN_ENGINE_RATE_LIMITS.",
    )


class OpenAIEngine:
    """A chat model behind the OpenAI chat-completions protocol, asked for JSON."""

    id = "openai"
    label = "OpenAI-compatible chat model"
    settings_model = OpenAISettings

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str = "",
        response_format: str = "json_schema",
        max_batch_tokens: int = DEFAULT_BATCH_TOKENS,
        timeout: float = 30.0,
        temperature: float | None = None,
        concurrent_requests: int = 1,
        tokens_per_minute: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        """`sleep` waits between tries (tests pass one that records the waits).

        `concurrent_requests` and `tokens_per_minute` are the process's gate to the server, shared
        with every engine and reader on the same server and model (gate.py).
        """
        if not base_url or not model:
            raise ValueError(
                "engine 'openai' needs WAIWEN_OPENAI_BASE_URL (the server's address up to /v1, "
                "e.g. http://127.0.0.1:8000/v1) and WAIWEN_OPENAI_MODEL"
            )
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError("WAIWEN_OPENAI_BASE_URL must start with http:// or https://")
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(
                f"WAIWEN_OPENAI_RESPONSE_FORMAT must be one of {', '.join(RESPONSE_FORMATS)}, "
                f"not {response_format!r}"
            )
        if max_batch_tokens < MIN_BATCH_TOKENS:
            raise ValueError(
                f"WAIWEN_OPENAI_MAX_BATCH_TOKENS must be at least {MIN_BATCH_TOKENS}, "
                f"got {max_batch_tokens}"
            )
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self._client = ChatClient(
            self.id,
            base_url=base_url,
            api_key=api_key,
            model=model,
            timeout=timeout,
            temperature=temperature,
            gate=gate_for(display_url(base_url), model, concurrent_requests, tokens_per_minute),
        )
        self.model = model
        self.response_format = response_format
        self.max_batch_tokens = max_batch_tokens
        self._timeout = timeout
        self._sleep = sleep
        self._rng = rng

    def __repr__(self) -> str:
        """Server, model and timeout, never the key."""
        return (
            f"OpenAIEngine(base_url={self._client.where!r}, model={self.model!r}, "
            f"timeout={self._timeout!r})"
        )

    @property
    def max_segment_chars(self) -> int:
        """Longest text one entry of a request carries; a longer segment goes in pieces."""
        return piece_char_limit(self.max_batch_tokens)

    def supports(self, source: str, target: str) -> bool:
        """Chinese into every target language of waiwen's table (the model is asked by name)."""
        return translates(self.id, source, target)

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment, tried once; failures raise `EngineError` subclasses."""
        batch = Batch(source, target, (BatchSegment("segment", text),))
        result = self._run(batch, None, _SINGLE)
        if "segment" in result.failed:
            raise result.failed["segment"]
        return result.texts["segment"]

    def translate_batch(
        self,
        batch: Batch,
        *,
        throttle: Throttle | None = None,
        attempts: int = 3,
        progress: BatchProgress | None = None,
    ) -> BatchResult:
        """Translate a batch in as few requests as fit; each id translated or failed with its reason."""
        if attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {attempts}")
        return self._run(batch, throttle, Policy(attempts=attempts), progress)

    def _run(
        self,
        batch: Batch,
        throttle: Throttle | None,
        policy: Policy,
        progress: BatchProgress | None = None,
    ) -> BatchResult:
        if not self.supports(batch.source, batch.target):
            raise UnsupportedLanguage(self.id, f"no support for {batch.source}→{batch.target}")
        blank = {s.id: s.text for s in batch.segments if not s.text.strip()}
        units = [unit for s in batch.segments if s.id not in blank for unit in self._units(s)]
        if not units:
            return BatchResult(blank)
        joiner = language(batch.target).joiner
        run = BatchRun(
            self._client,
            Setting(
                source=batch.source,
                target=batch.target,
                budget=self.max_batch_tokens,
                response_format=self.response_format,
                title=batch.title,
                column=batch.column,
                context=batch.context,
                examples=batch.examples,
            ),
            policy,
            throttle=throttle,
            sleep=self._sleep,
            rng=self._rng,
            progress=None if progress is None else _per_segment(units, joiner, progress),
        )
        run.run(units)
        return _result(batch, blank, units, run, joiner)

    def _units(self, segment: BatchSegment) -> list[Unit]:
        """The segment as one entry, or in pieces cut at sentence ends when it is too long for one."""
        pieces = split_for_limit(segment.text, self.max_segment_chars)
        if len(pieces) > 1:
            # Spaces at a cut are not sent (translate_in_pieces does the same).
            pieces = [piece.strip() for piece in pieces if piece.strip()]
        return [
            Unit((segment.id, number), piece, segment.kind, segment.terms)
            for number, piece in enumerate(pieces)
        ]

    @classmethod
    def from_settings(cls, settings: OpenAISettings, shared: SharedEngineSettings) -> OpenAIEngine:
        """Registry factory."""
        return cls(
            settings.base_url,
            settings.model,
            api_key=settings.api_key.get_secret_value(),
            response_format=settings.response_format,
            max_batch_tokens=settings.max_batch_tokens,
            timeout=settings.timeout or shared.timeout,
            temperature=settings.temperature,
            concurrent_requests=settings.concurrent_requests,
            tokens_per_minute=settings.tokens_per_minute,
        )


def _per_segment(units: list[Unit], joiner: str, progress: BatchProgress) -> Progress:
    """The run's progress by unit, told on by segment once every piece of a segment is in."""
    pieces: dict[str, int] = {}
    for unit in units:
        pieces[unit.key[0]] = pieces.get(unit.key[0], 0) + 1
    held: dict[str, dict[int, str]] = {}

    def told(texts: Mapping[tuple[str, int], str], usage: Usage) -> None:
        done: dict[str, str] = {}
        for (segment_id, number), text in texts.items():
            parts = held.setdefault(segment_id, {})
            parts[number] = text
            if len(parts) == pieces[segment_id]:
                done[segment_id] = joiner.join(parts[n] for n in sorted(parts))
        progress(done, usage)

    return told


def _result(
    batch: Batch, blank: dict[str, str], units: list[Unit], run: BatchRun, joiner: str
) -> BatchResult:
    """Pieces joined back per segment; a segment with any piece failed is failed as a whole."""
    texts = dict(blank)
    failed: dict[str, EngineError] = {}
    pieces: dict[str, list[str]] = {}
    for unit in units:
        segment_id = unit.key[0]
        if segment_id in failed:
            continue
        if unit.key in run.failed:
            failed[segment_id] = run.failed[unit.key]
            pieces.pop(segment_id, None)
        else:
            pieces.setdefault(segment_id, []).append(run.texts[unit.key])
    texts.update({segment_id: joiner.join(parts) for segment_id, parts in pieces.items()})
    ordered = {i: texts[i] for i in batch.ids if i in texts}
    return BatchResult(ordered, {i: failed[i] for i in batch.ids if i in failed}, run.usage)
