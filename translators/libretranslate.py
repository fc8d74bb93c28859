"""LibreTranslate engine (self-hosted MT), through deep-translator's LibreTranslator."""

from __future__ import annotations

from typing import Any

from deep_translator import LibreTranslator
from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deeptranslator import DeepTranslatorEngine
from translators.errors import AuthenticationFailed, EngineError, UnsupportedLanguage

__all__ = ["LibreTranslateEngine", "LibreTranslateSettings"]


class LibreTranslateSettings(PluginSettings):
    """WAIWEN_LIBRETRANSLATE_URL and WAIWEN_LIBRETRANSLATE_API_KEY."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_LIBRETRANSLATE_")

    url: str | None = Field(
        default=None, description="Address of a self-hosted LibreTranslate server."
    )
    api_key: SecretStr = Field(
        default=SecretStr(""),
        description="API key of the LibreTranslate server, if it needs one; empty: Prefect Secret "
        "block `waiwen-libretranslate-api-key`.",
    )


def _listed(code: str) -> str:
    """``code`` if deep-translator's LibreTranslate list has it, else one it has (replaced after)."""
    return code if code in LIBRE_LANGUAGES_TO_CODES.values() else "en"


class LibreTranslateEngine(DeepTranslatorEngine):
    """A self-hosted LibreTranslate server, called through deep-translator."""

    id = "libretranslate"
    label = "LibreTranslate (self-hosted)"
    settings_model = LibreTranslateSettings
    # Its codes for the languages: the table (core/languages.py, engine id 'libretranslate');
    # plain zh is accepted on input (current servers list it as zh-Hans).

    def __init__(
        self, url: str, api_key: str = "", timeout: float = 30.0, max_chars: int = 5000
    ) -> None:
        """Use the server at `url`; `timeout` bounds each request in seconds; `max_chars` is the
        server's --char-limit (texts above it are sent in pieces)."""
        if not url:
            raise ValueError("LibreTranslate needs a server URL (WAIWEN_LIBRETRANSLATE_URL)")
        # deep-translator appends "translate" to the URL without a separator.
        super().__init__(url=url if url.endswith("/") else url + "/", timeout=timeout)
        self._api_key = api_key
        self.max_chars = max_chars

    def build(self, source: str, target: str) -> Any:
        """A LibreTranslator for the pair, sending the key only if there is one."""
        # deep-translator refuses an empty api_key in its constructor although a keyless server
        # needs none; give it a placeholder, then clear the public attribute so `translate` sends
        # no `api_key` at all (a bogus key would get 403 from a server with optional keys).
        translator = LibreTranslator(
            source=_listed(source),
            target=_listed(target),
            api_key=self._api_key or "unused",
            custom_url=self._url,
        )
        translator.api_key = self._api_key
        # deep-translator checks codes against a list of its own that lags LibreTranslate's (it
        # has no th); the server is the judge: one without the model answers 400, unsupported.
        translator._source, translator._target = source, target
        return translator

    def map_status(self, status: int | None) -> EngineError:
        """LibreTranslate's own meanings of 400, 403 and 404."""
        where = self._where
        if status == 400:
            # A language the server has no model for (servers can load a subset) or a text above
            # its character limit.
            return UnsupportedLanguage(
                self.id,
                f"{where} rejected the request (HTTP 400: language not installed or text too long)",
            )
        if status in (401, 403):
            return AuthenticationFailed(
                self.id,
                f"{where} refused the API key (HTTP {status}); check WAIWEN_LIBRETRANSLATE_API_KEY",
            )
        if status == 404:
            return EngineError(
                self.id, f"{where}translate not found (HTTP 404); check WAIWEN_LIBRETRANSLATE_URL"
            )
        return super().map_status(status)

    @classmethod
    def from_settings(
        cls, settings: LibreTranslateSettings, shared: SharedEngineSettings
    ) -> LibreTranslateEngine:
        """Registry factory: the server of WAIWEN_LIBRETRANSLATE_URL."""
        if not settings.url:
            raise ValueError(
                "engine 'libretranslate' needs the server URL: set WAIWEN_LIBRETRANSLATE_URL"
                " (e.g. http://127.0.0.1:5000/)"
            )
        return cls(
            settings.url, api_key=settings.api_key.get_secret_value(), timeout=shared.timeout
        )
