"""MyMemory through deep-translator (free, with a daily quota per e-mail address)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deep_translator import MyMemoryTranslator

from translators.deeptranslator import DeepTranslatorEngine

if TYPE_CHECKING:
    from translators.registry import EngineSettings

__all__ = ["MyMemoryEngine", "from_settings"]


class MyMemoryEngine(DeepTranslatorEngine):
    """MyMemory's /get API."""

    id = "mymemory"
    label = "MyMemory"
    public_url = "https://api.mymemory.translated.net/get"
    codes = {"zh": "zh-CN", "en": "en-GB", "ja": "ja-JP", "fr": "fr-FR", "ko": "ko-KR"}
    max_chars = 499  # deep-translator refuses 500 characters or more

    def __init__(self, *, url: str | None = None, timeout: float = 30.0, email: str = "") -> None:
        """`email` raises the free daily quota (MyMemory's `de` parameter)."""
        super().__init__(url=url, timeout=timeout)
        self._email = email

    def build(self, source: str, target: str) -> Any:
        """A MyMemoryTranslator for the pair."""
        return MyMemoryTranslator(source=source, target=target, email=self._email or None)


def from_settings(settings: EngineSettings) -> MyMemoryEngine:
    """Registry factory."""
    return MyMemoryEngine(
        url=settings.mymemory_url, timeout=settings.timeout, email=settings.mymemory_email
    )
