"""LibreTranslate engine (self-hosted MT), through deep-translator's LibreTranslator."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import requests
from deep_translator import LibreTranslator
from deep_translator.exceptions import (
    AuthorizationException,
    LanguageNotSupportedException,
    ServerException,
    TooManyRequests,
    TranslationNotFound,
)

from translators.deadline import call_with_timeout
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)
from translators.output import checked_output
from translators.split import translate_in_pieces

if TYPE_CHECKING:
    from translators.registry import EngineSettings

__all__ = ["LibreTranslateEngine", "from_settings"]

# waiwen code -> LibreTranslate code (LibreTranslate accepts plain `zh` on input).
_CODES = {"zh": "zh", "en": "en", "ja": "ja", "fr": "fr", "ko": "ko"}

# ServerException keeps only a message looked up from the status code, so the
# status is recovered by the reverse lookup (all codes unknown to the table
# come out as "API server error").
_STATUS_BY_MESSAGE = {message: status for status, message in ServerException.errors.items()}


def _display_url(url: str) -> str:
    """The URL without user info or query, safe to show in messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class LibreTranslateEngine:
    """A self-hosted LibreTranslate server, called through deep-translator."""

    id = "libretranslate"
    label = "LibreTranslate (self-hosted)"

    def __init__(
        self, url: str, api_key: str = "", timeout: float = 30.0, max_chars: int = 5000
    ) -> None:
        """Use the server at `url`; `timeout` bounds each request in seconds; `max_chars` is the
        server's --char-limit (texts above it are sent in pieces)."""
        if not url:
            raise ValueError("LibreTranslate needs a server URL (WAIWEN_LIBRETRANSLATE_URL)")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        # deep-translator appends "translate" to custom_url without a separator.
        self._url = url if url.endswith("/") else url + "/"
        self._api_key = api_key
        self._timeout = timeout
        self.max_chars = max_chars
        self._where = _display_url(self._url)

    def __repr__(self) -> str:
        """Show the server but never the key."""
        return f"LibreTranslateEngine(url={self._where!r}, timeout={self._timeout!r})"

    def supports(self, source: str, target: str) -> bool:
        """Whether both languages are among zh/en/ja/fr/ko and differ."""
        return source in _CODES and target in _CODES and source != target

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; failures raise `EngineError` subclasses."""
        if not self.supports(source, target):
            raise UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if not text.strip():
            return text  # nothing to translate; do not spend a request on it
        translator = self._translator(source, target)

        def send(piece: str) -> str:
            try:
                answer = call_with_timeout(
                    lambda: translator.translate(piece), self._timeout, pool=self.id
                )
            except TimeoutError:
                raise EngineUnavailable(
                    self.id, f"no answer from {self._where} within {self._timeout:g} s"
                ) from None
            except Exception as exc:  # noqa: BLE001 - every failure is mapped below
                # `from None`: the originals can carry the key (AuthorizationException
                # quotes it, requests errors quote the URL with `api_key=` in the query).
                raise self._map_error(exc, source, target) from None
            return checked_output(self.id, answer, piece, target)

        joiner = "" if target in ("ja", "zh") else " "
        output = translate_in_pieces(text, self.max_chars, send, joiner)
        return checked_output(self.id, output, text, target)

    def _translator(self, source: str, target: str) -> LibreTranslator:
        # deep-translator refuses an empty api_key in its constructor although a
        # keyless server needs none; give it a placeholder, then clear the public
        # attribute so `translate` sends no `api_key` at all (a bogus key would
        # get 403 from a server that has keys enabled but not required).
        try:
            translator = LibreTranslator(
                source=_CODES[source],
                target=_CODES[target],
                api_key=self._api_key or "unused",
                custom_url=self._url,
            )
        except LanguageNotSupportedException:
            raise UnsupportedLanguage(
                self.id, f"deep-translator knows no LibreTranslate code for {source}→{target}"
            ) from None
        translator.api_key = self._api_key
        return translator

    def _map_error(self, exc: Exception, source: str, target: str) -> EngineError:
        where = self._where
        if isinstance(exc, requests.exceptions.Timeout):
            return EngineUnavailable(self.id, f"request to {where} timed out")
        if isinstance(exc, requests.exceptions.ConnectionError | ConnectionError):
            if "refused" in str(exc).lower():
                return EngineUnavailable(self.id, f"connection refused by {where}")
            return EngineUnavailable(self.id, f"cannot connect to {where}")
        if isinstance(exc, requests.exceptions.JSONDecodeError):
            return BadOutput(self.id, f"answer from {where} is not JSON")
        if isinstance(exc, requests.exceptions.RequestException):
            return EngineUnavailable(self.id, f"request to {where} failed ({type(exc).__name__})")
        if isinstance(exc, TooManyRequests):
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429)")
        if isinstance(exc, AuthorizationException):
            return AuthenticationFailed(
                self.id,
                f"{where} refused the API key (HTTP 403); check WAIWEN_LIBRETRANSLATE_API_KEY",
            )
        if isinstance(exc, ServerException):
            return self._map_status(_STATUS_BY_MESSAGE.get(str(exc)), source, target)
        if isinstance(exc, LanguageNotSupportedException):
            return UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if isinstance(exc, TranslationNotFound):
            return BadOutput(self.id, "empty answer")
        if isinstance(exc, KeyError | TypeError | IndexError):
            # deep-translator indexes res["translatedText"] on whatever JSON came back.
            return BadOutput(self.id, "answer has no translatedText")
        return EngineError(self.id, f"unexpected {type(exc).__name__} from deep-translator")

    def _map_status(self, status: int | None, source: str, target: str) -> EngineError:
        where = self._where
        if status == 429:
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429)")
        if status == 401:
            return AuthenticationFailed(self.id, f"{where} refused the API key (HTTP 401)")
        if status == 400:
            # LibreTranslate's 400 means a language it has no model for (servers
            # can load a subset) or text above its character limit.
            return UnsupportedLanguage(
                self.id,
                f"{where} rejected {source}→{target} (HTTP 400: language not installed"
                " or text too long)",
            )
        if status == 404:
            return EngineError(
                self.id, f"{where}translate not found (HTTP 404); check WAIWEN_LIBRETRANSLATE_URL"
            )
        if status is not None and 400 <= status < 500 and status != 408:
            return EngineError(self.id, f"{where} rejected the request (HTTP {status})")
        # 5xx, 503 from a refused connection, and statuses deep-translator's
        # table does not know (502, 504...): the server side, worth retrying.
        shown = f"HTTP {status}" if status is not None else "HTTP error"
        return EngineUnavailable(self.id, f"{where} failed ({shown})")


def from_settings(settings: EngineSettings) -> LibreTranslateEngine:
    """Registry factory: a LibreTranslate engine from waiwen's settings."""
    if not settings.libretranslate_url:
        raise ValueError(
            "engine 'libretranslate' needs the server URL: set WAIWEN_LIBRETRANSLATE_URL"
            " (e.g. http://127.0.0.1:5000/)"
        )
    return LibreTranslateEngine(
        settings.libretranslate_url,
        api_key=settings.libretranslate_api_key.get_secret_value(),
        timeout=settings.timeout,
    )
