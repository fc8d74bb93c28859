"""MyMemory through deep-translator (free, with a daily quota per e-mail address)."""

from __future__ import annotations

from typing import Any

from deep_translator import MyMemoryTranslator
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deeptranslator import DeepTranslatorEngine

__all__ = ["MyMemoryEngine", "MyMemorySettings"]


class MyMemorySettings(PluginSettings):
    """WAIWEN_MYMEMORY_URL and WAIWEN_MYMEMORY_EMAIL."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_MYMEMORY_")

    url: str | None = Field(
        default=None, description="MyMemory API address instead of the public one."
    )
    email: str = Field(
        default="", description="E-mail MyMemory counts the free daily quota against (optional)."
    )


class MyMemoryEngine(DeepTranslatorEngine):
    """MyMemory's /get API."""

    id = "mymemory"
    label = "MyMemory"
    settings_model = MyMemorySettings
    public_url = "https://api.mymemory.translated.net/get"
    # Its codes for the languages: the table (core/languages.py, engine id 'mymemory').
    max_chars = 499  # deep-translator refuses 500 characters or more

    def __init__(self, *, url: str | None = None, timeout: float = 30.0, email: str = "") -> None:
        """`email` raises the free daily quota (MyMemory's `de` parameter)."""
        super().__init__(url=url, timeout=timeout)
        self._email = email

    def build(self, source: str, target: str) -> Any:
        """A MyMemoryTranslator for the pair."""
        return MyMemoryTranslator(source=source, target=target, email=self._email or None)

    @classmethod
    def from_settings(
        cls, settings: MyMemorySettings, shared: SharedEngineSettings
    ) -> MyMemoryEngine:
        """Registry factory."""
        return cls(url=settings.url, timeout=shared.timeout, email=settings.email)
