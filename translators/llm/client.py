"""One chat-completions request through the official `openai` SDK, every failure mapped onto waiwen's errors.

The SDK retries nothing here (`max_retries=0`): waiwen's own policy (`run.py`) decides, with its
backoff and the server's Retry-After. The SDK is an optional extra, imported only when an engine is
built, so reading the engine's settings works without it.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from translators.deadline import bounded_call
from translators.deeptranslator import display_url
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
)
from translators.llm.budget import estimate_tokens
from translators.llm.gate import RequestGate

__all__ = [
    "NO_KEY",
    "ChatClient",
    "Completion",
    "ContentFiltered",
    "ContextTooLong",
    "RetryAfter",
    "retry_after",
]

# What is sent as the key when none is configured: the placeholder vLLM's documentation uses for
# a server started without --api-key (Ollama ignores the key). A server that checks keys refuses it.
NO_KEY = "EMPTY"
_SHOWN_MESSAGE = 200  # characters of a server's error message quoted in ours
_CONTEXT_CODES = {"context_length_exceeded", "string_above_max_length"}
# How servers word it without that code: vLLM, Ollama, DeepSeek, DashScope, llama.cpp.
_CONTEXT_WORDS = re.compile(
    r"context length|context window|maximum context|too many tokens|prompt is too long"
    r"|input is too long|exceeds? the (?:maximum|max)",
    re.IGNORECASE,
)


def _sdk() -> Any:
    try:
        import openai
    except ImportError:
        raise ValueError(
            "engine 'openai' needs the official openai SDK: pip install 'waiwen[openai]'"
        ) from None
    return openai


@dataclass(frozen=True)
class Completion:
    """What one answer carried: the message, why it ended, and the tokens the server counted."""

    content: str | None
    finish_reason: str
    refusal: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ContextTooLong(EngineError):
    """The server says the request does not fit the model's context (split it and try again)."""


class ContentFiltered(BadOutput):
    """The server's content filter refused the request's text (Azure answers HTTP 400 so)."""


class RetryAfter(RateLimited):
    """HTTP 429, with the seconds the server asked to wait (None: it did not say)."""

    def __init__(self, engine_id: str, message: str, retry_after: float | None = None) -> None:
        """Remember the wait the server asked for."""
        super().__init__(engine_id, message)
        self.retry_after = retry_after


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks to wait: Retry-After-Ms, or Retry-After in seconds or as an HTTP date."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        if "retry-after-ms" in lower:
            return max(0.0, float(lower["retry-after-ms"]) / 1000)
        if "retry-after" in lower:
            return max(0.0, float(lower["retry-after"]))
    except ValueError:
        pass
    when = lower.get("retry-after")
    if when:
        try:
            moment = email.utils.parsedate_to_datetime(when)
        except (TypeError, ValueError):
            return None
        return max(0.0, moment.timestamp() - time.time())
    return None


class ChatClient:
    """POST {base_url}/chat/completions for one model, bounded by a wall-clock timeout."""

    def __init__(
        self,
        engine_id: str,
        *,
        base_url: str,
        api_key: str,
        model: str,
        timeout: float,
        temperature: float | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        """The SDK's client, without its own retries; the key is kept by the SDK only.

        `gate`: the process's cap on requests at once and tokens a minute to this server (none: no
        cap but the engine's requests a second).
        """
        openai = _sdk()
        self._errors = openai
        self._client = openai.OpenAI(
            api_key=api_key or NO_KEY, base_url=base_url, timeout=timeout, max_retries=0
        )
        # Kept only to blank it out of a server's message that quotes it back.
        self._secret = api_key
        self.engine_id = engine_id
        self.model = model
        self.timeout = timeout
        self.temperature = temperature
        self.where = display_url(base_url)
        self.gate = gate

    def __repr__(self) -> str:
        """Address and model, never the key."""
        return f"ChatClient(base_url={self.where!r}, model={self.model!r})"

    def complete(
        self, messages: Sequence[Mapping[str, str]], response_format: Mapping[str, Any]
    ) -> Completion:
        """One request; EngineError subclasses only, ContextTooLong when it does not fit."""
        extra: dict[str, Any] = {}
        if self.temperature is not None:
            extra["temperature"] = self.temperature

        def work() -> Any:
            return self._client.chat.completions.create(
                model=self.model,
                messages=list(messages),
                response_format=dict(response_format),
                **extra,
            )

        try:
            if self.gate is None:
                answer = bounded_call(
                    self.engine_id, self.where, self.timeout, work, self._map_error
                )
            else:
                # The answer is reckoned as long as the prompt until the server says (gate.py).
                asked = sum(estimate_tokens(str(m.get("content", ""))) for m in messages)
                with self.gate.admit(2 * asked) as settle:
                    answer = bounded_call(
                        self.engine_id, self.where, self.timeout, work, self._map_error
                    )
                    settle(_tokens(answer, 2 * asked))
        except EngineError as exc:
            failure = exc
        else:
            return self._read(answer)
        # Raised outside the handler with no context: the SDK's exception it was mapped from may
        # quote the key (servers echo it in 401 messages), so it is dropped, not merely hidden.
        failure.__context__ = None
        raise failure

    def _read(self, answer: Any) -> Completion:
        try:
            choice = answer.choices[0]
            usage = answer.usage
            return Completion(
                content=choice.message.content,
                finish_reason=str(choice.finish_reason or ""),
                refusal=getattr(choice.message, "refusal", None),
                prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            )
        except (AttributeError, IndexError, TypeError, ValueError):
            raise BadOutput(
                self.engine_id, f"answer from {self.where} has no choice with a message"
            ) from None

    def _server_message(self, exc: Any) -> str:
        """The server's own words about a refusal, short, with the key blanked out."""
        body = getattr(exc, "body", None)
        message = body.get("message") if isinstance(body, dict) else None
        text = " ".join(str(message or "").split())
        if self._secret:
            text = text.replace(self._secret, "***")
        return text[:_SHOWN_MESSAGE] + ("…" if len(text) > _SHOWN_MESSAGE else "")

    def _map_error(self, exc: Exception) -> EngineError:
        openai, where, engine = self._errors, self.where, self.engine_id
        if isinstance(exc, openai.APITimeoutError):
            return EngineUnavailable(engine, f"no answer from {where} within {self.timeout:g} s")
        if isinstance(exc, openai.APIConnectionError):
            return EngineUnavailable(engine, f"cannot reach {where}")
        if isinstance(exc, openai.APIStatusError):
            return self._status_error(exc)
        if isinstance(exc, openai.OpenAIError | KeyError | TypeError | ValueError):
            return BadOutput(engine, f"answer from {where} is not what the API documents")
        return EngineError(engine, f"unexpected {type(exc).__name__} from the openai SDK")

    def _status_error(self, exc: Any) -> EngineError:
        status, code = int(exc.status_code), str(getattr(exc, "code", "") or "")
        where, engine = self.where, self.engine_id
        said = self._server_message(exc)
        quoted = f": {said}" if said else ""
        if status == 429 and code == "insufficient_quota":
            return EngineError(
                engine, f"{where}: the account's quota is used up (HTTP 429{quoted})"
            )
        if status == 429:
            wait = retry_after(dict(exc.response.headers))
            asked = f", retry after {wait:g} s" if wait is not None else ""
            return RetryAfter(engine, f"{where} asks to slow down (HTTP 429{asked})", wait)
        if status in (401, 403):
            # Not quoted: servers quote the key they were given back in this message.
            return AuthenticationFailed(
                engine, f"{where} refused the key (HTTP {status}); check WAIWEN_OPENAI_API_KEY"
            )
        if status == 400 and code == "content_filter":
            return ContentFiltered(engine, f"{where}: the server's content filter refused the text")
        if status == 413 or (
            status == 400 and (code in _CONTEXT_CODES or _CONTEXT_WORDS.search(said))
        ):
            return ContextTooLong(engine, f"{where}: the request is too long for the model{quoted}")
        if status == 404:
            return EngineError(
                engine,
                f"{where} has no model {self.model!r} or no chat-completions endpoint (HTTP 404"
                f"{quoted}); check WAIWEN_OPENAI_MODEL and WAIWEN_OPENAI_BASE_URL",
            )
        if status >= 500:
            return EngineUnavailable(engine, f"{where} failed (HTTP {status})")
        hint = (
            "; if the server has no structured output, set WAIWEN_OPENAI_RESPONSE_FORMAT=json_object"
            if "response_format" in said or "json_schema" in said
            else ""
        )
        return EngineError(engine, f"{where} refused the request (HTTP {status}{quoted}){hint}")


def _tokens(answer: Any, otherwise: int) -> int:
    """Prompt and completion tokens the server counted for `answer`, or `otherwise` if it did not say."""
    usage: Any = getattr(answer, "usage", None)
    try:
        return int(usage.prompt_tokens or 0) + int(usage.completion_tokens or 0)
    except (AttributeError, TypeError, ValueError):
        return otherwise
