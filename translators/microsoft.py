"""Microsoft Translator (Azure AI Translator, API v3) over HTTP.

Not through deep-translator: its MicrosoftTranslator fetches the language list from the public
endpoint inside its constructor, with no way to point it elsewhere and no timeout, so it cannot
work behind an office gateway or on an air-gapped network. The v3 API is one documented request.
"""

from __future__ import annotations

from typing import Any

import requests
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deeptranslator import display_url
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

__all__ = ["MicrosoftEngine", "MicrosoftSettings"]

PUBLIC_URL = "https://api.cognitive.microsofttranslator.com"
MAX_CHARS = 50_000  # characters per request, the documented v3 limit


class MicrosoftSettings(PluginSettings):
    """WAIWEN_MICROSOFT_URL, WAIWEN_MICROSOFT_KEY and WAIWEN_MICROSOFT_REGION."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_MICROSOFT_")

    url: str | None = Field(
        default=None, description="Microsoft Translator address instead of the public one."
    )
    key: SecretStr = Field(
        default=SecretStr(""),
        description="Microsoft Translator key; empty: Prefect Secret block `waiwen-microsoft-key`.",
    )
    region: str = Field(default="", description="Azure region of the Translator resource.")


class MicrosoftEngine:
    """POST {url}/translate?api-version=3.0&from=zh-Hans&to=xx with the subscription key header."""

    id = "microsoft"
    label = "Microsoft Translator"
    settings_model = MicrosoftSettings

    def __init__(
        self, key: str, *, region: str = "", url: str | None = None, timeout: float = 30.0
    ) -> None:
        """`region`: the Azure region of a regional or multi-service resource."""
        if not key:
            raise ValueError(
                "engine 'microsoft' needs WAIWEN_MICROSOFT_KEY (or the Prefect Secret block "
                "waiwen-microsoft-key)"
            )
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self._key, self._region = key, region
        self._url = (url or PUBLIC_URL).rstrip("/")
        self._timeout = timeout
        self._where = display_url(self._url)

    def __repr__(self) -> str:
        """Endpoint and timeout, never the key."""
        return f"MicrosoftEngine(url={self._where!r}, timeout={self._timeout!r})"

    def supports(self, source: str, target: str) -> bool:
        """Chinese into a language the table gives this provider a code for (core/languages.py)."""
        return translates(self.id, source, target)

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; failures raise `EngineError` subclasses only."""
        if not self.supports(source, target):
            raise UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if not text.strip():
            return text

        def send(piece: str) -> str:
            return checked_output(self.id, self._request(piece, target), piece, target)

        output = translate_in_pieces(text, MAX_CHARS, send, joiner(target))
        return checked_output(self.id, output, text, target)

    def _request(self, text: str, target: str) -> Any:
        headers = {"Ocp-Apim-Subscription-Key": self._key, "Content-Type": "application/json"}
        if self._region:
            headers["Ocp-Apim-Subscription-Region"] = self._region
        try:
            response = requests.post(
                f"{self._url}/translate",
                params={
                    "api-version": "3.0",
                    "from": provider_code(self.id, "zh"),
                    "to": provider_code(self.id, target),
                },
                headers=headers,
                json=[{"Text": text}],
                timeout=self._timeout,
            )
        except requests.exceptions.Timeout:
            raise EngineUnavailable(
                self.id, f"no answer from {self._where} within {self._timeout:g} s"
            ) from None
        except requests.exceptions.RequestException:
            raise EngineUnavailable(self.id, f"cannot reach {self._where}") from None
        if response.status_code != 200:
            raise self._map_status(response)
        try:
            return response.json()[0]["translations"][0]["text"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise BadOutput(
                self.id, f"answer from {self._where} is not what the API documents"
            ) from None

    def _map_status(self, response: requests.Response) -> EngineError:
        status, where = response.status_code, self._where
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = status
        if status == 429:
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429, {code})")
        if status in (401, 403):
            return AuthenticationFailed(
                self.id,
                f"{where} refused the key (HTTP {status}, {code}); check WAIWEN_MICROSOFT_KEY",
            )
        if status >= 500 or status == 408:
            return EngineUnavailable(self.id, f"{where} failed (HTTP {status}, {code})")
        if status == 400:
            return UnsupportedLanguage(self.id, f"{where} refused the request (HTTP 400, {code})")
        return EngineError(self.id, f"{where} refused the request (HTTP {status}, {code})")

    @classmethod
    def from_settings(
        cls, settings: MicrosoftSettings, shared: SharedEngineSettings
    ) -> MicrosoftEngine:
        """Registry factory."""
        return cls(
            settings.key.get_secret_value(),
            region=settings.region,
            url=settings.url,
            timeout=shared.timeout,
        )
