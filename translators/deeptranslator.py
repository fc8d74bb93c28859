"""What the engines built on deep-translator share: code maps, length limits, timeouts, error mapping.

deep-translator sets no timeouts, lets `requests` exceptions through and hides HTTP statuses behind
its own exceptions; each engine here only says how to build its translator and what its limits are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from deep_translator.exceptions import (
    AuthorizationException,
    BaiduAPIerror,
    LanguageNotSupportedException,
    NotValidLength,
    RequestError,
    ServerException,
    TooManyRequests,
    TranslationNotFound,
)

from translators.deadline import bounded_call
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)
from translators.output import checked_output
from translators.provider_codes import joiner, provider_code, translates
from translators.split import translate_in_pieces

__all__ = ["DeepTranslatorEngine", "display_url"]

_STATUS_BY_MESSAGE = {message: status for status, message in ServerException.errors.items()}


def display_url(url: str) -> str:
    """The URL without user info or query, safe to show in messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class DeepTranslatorEngine:
    """An engine whose requests are made by a deep-translator translator class."""

    id: str = ""
    label: str = ""
    public_url: str = ""
    max_chars: int = 5000  # longest text one request may carry

    def __init__(self, *, url: str | None = None, timeout: float = 30.0) -> None:
        """`url` replaces the provider's public endpoint (a gateway or a stand-in)."""
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self._url = url
        self._timeout = timeout
        self._where = display_url(url or self.public_url)

    def __repr__(self) -> str:
        """Endpoint and timeout, never a key."""
        return f"{type(self).__name__}(url={self._where!r}, timeout={self._timeout!r})"

    def supports(self, source: str, target: str) -> bool:
        """Chinese into a language the table gives this provider a code for."""
        return translates(self.id, source, target)

    def build(self, source: str, target: str) -> Any:
        """The deep-translator translator for one language pair (provider codes)."""
        raise NotImplementedError

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; failures raise `EngineError` subclasses only."""
        if not self.supports(source, target):
            raise UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if not text.strip():
            return text
        try:
            translator = self.build(provider_code(self.id, source), provider_code(self.id, target))
        except Exception as exc:  # noqa: BLE001 - constructor failures are mapped like requests
            raise self.map_error(exc, source, target) from None
        if self._url:
            # deep-translator takes the endpoint from a module constant and offers no argument
            # for it; the instance attribute it reads is the one way to reach a gateway.
            translator._base_url = self._url
        output = translate_in_pieces(
            text, self.max_chars, self._one(translator, source, target), joiner(target)
        )
        return checked_output(self.id, output, text, target)

    def _one(self, translator: Any, source: str, target: str) -> Callable[[str], str]:
        def send(piece: str) -> str:
            answer = bounded_call(
                self.id,
                self._where,
                self._timeout,
                lambda: translator.translate(piece),
                lambda exc: self.map_error(exc, source, target),
            )
            return checked_output(self.id, answer, piece, target)

        return send

    def map_error(self, exc: Exception, source: str, target: str) -> EngineError:
        """One failure of deep-translator or `requests` as an EngineError a person can act on."""
        where = self._where
        if isinstance(exc, requests.exceptions.Timeout):
            return EngineUnavailable(self.id, f"request to {where} timed out")
        if isinstance(exc, requests.exceptions.ConnectionError | ConnectionError):
            if "refused" in str(exc).lower():
                return EngineUnavailable(self.id, f"connection refused by {where}")
            return EngineUnavailable(self.id, f"cannot connect to {where}")
        if isinstance(exc, requests.exceptions.JSONDecodeError | ValueError) and not isinstance(
            exc, LanguageNotSupportedException | NotValidLength
        ):
            return BadOutput(self.id, f"answer from {where} is not what the API documents")
        if isinstance(exc, requests.exceptions.RequestException):
            return EngineUnavailable(self.id, f"request to {where} failed ({type(exc).__name__})")
        if isinstance(exc, TooManyRequests):
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429)")
        if isinstance(exc, AuthorizationException):
            return self.map_status(403)
        if isinstance(exc, RequestError):
            # Google and MyMemory raise it for any status outside 2xx other than 429.
            return EngineUnavailable(self.id, f"{where} answered with an HTTP error")
        if isinstance(exc, ServerException):
            status = _STATUS_BY_MESSAGE.get(str(exc))
            return self.map_status(status)
        if isinstance(exc, BaiduAPIerror):
            return self.map_provider_error(str(exc))
        if isinstance(exc, LanguageNotSupportedException):
            return UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if isinstance(exc, NotValidLength):
            return UnsupportedLanguage(self.id, "text longer than the provider accepts")
        if isinstance(exc, TranslationNotFound):
            return BadOutput(self.id, "the answer holds no translation")
        if isinstance(exc, KeyError | TypeError | IndexError | AttributeError | StopIteration):
            return BadOutput(self.id, f"answer from {where} is not what the API documents")
        return EngineError(self.id, f"unexpected {type(exc).__name__} from deep-translator")

    def map_status(self, status: int | None) -> EngineError:
        """An HTTP status deep-translator reported as ServerException."""
        where = self._where
        if status == 429:
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429)")
        if status in (401, 403):
            return AuthenticationFailed(self.id, f"{where} refused the key (HTTP {status})")
        if status is not None and 400 <= status < 500 and status != 408:
            return EngineError(self.id, f"{where} rejected the request (HTTP {status})")
        shown = f"HTTP {status}" if status is not None else "HTTP error"
        return EngineUnavailable(self.id, f"{where} failed ({shown})")

    def map_provider_error(self, message: str) -> EngineError:
        """A provider error carried in a 200 answer (Baidu); engines that have them override this."""
        return EngineError(self.id, f"{self._where} refused the request: {message}")
