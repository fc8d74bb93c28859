"""Google Translate through deep-translator (its mobile page; no key)."""

from __future__ import annotations

from typing import Any

from deep_translator import GoogleTranslator
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deeptranslator import DeepTranslatorEngine

__all__ = ["GoogleEngine", "GoogleSettings"]


class GoogleSettings(PluginSettings):
    """WAIWEN_GOOGLE_URL."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_GOOGLE_")

    url: str | None = Field(
        default=None,
        description="Google Translate mobile page to use instead of the public one (a gateway or mirror).",
    )


class GoogleEngine(DeepTranslatorEngine):
    """Google Translate's mobile page (may be unreachable from a government network in China)."""

    id = "google"
    label = "Google Translate"
    settings_model = GoogleSettings
    public_url = "https://translate.google.com/m"
    # Its codes for the languages: the table (core/languages.py, engine id 'google').
    max_chars = 4999  # deep-translator refuses 5000 characters or more

    def build(self, source: str, target: str) -> Any:
        """A GoogleTranslator for the pair."""
        return GoogleTranslator(source=source, target=target)

    @classmethod
    def from_settings(cls, settings: GoogleSettings, shared: SharedEngineSettings) -> GoogleEngine:
        """Registry factory."""
        return cls(url=settings.url, timeout=shared.timeout)
