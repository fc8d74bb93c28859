"""Google Translate through deep-translator (its mobile page; no key)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deep_translator import GoogleTranslator

from translators.deeptranslator import DeepTranslatorEngine

if TYPE_CHECKING:
    from translators.registry import EngineSettings

__all__ = ["GoogleEngine", "from_settings"]


class GoogleEngine(DeepTranslatorEngine):
    """Google Translate's mobile page (may be unreachable from a government network in China)."""

    id = "google"
    label = "Google Translate"
    public_url = "https://translate.google.com/m"
    # Google refuses the lower-case zh-cn.
    codes = {"zh": "zh-CN", "en": "en", "ja": "ja", "fr": "fr", "ko": "ko"}
    max_chars = 4999  # deep-translator refuses 5000 characters or more

    def build(self, source: str, target: str) -> Any:
        """A GoogleTranslator for the pair."""
        return GoogleTranslator(source=source, target=target)


def from_settings(settings: EngineSettings) -> GoogleEngine:
    """Registry factory."""
    return GoogleEngine(url=settings.google_url, timeout=settings.timeout)
