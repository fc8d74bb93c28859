"""An outside engine: `outside-mirror` sends every text back, marked as not a translation.

Deterministic and offline, for demos and tests of the plug-in point. Its output is never a
translation, and says so in the text itself, so that wherever a draft from it appears (the review
desk, `waiwen review show`, an XLIFF export) nobody takes it for one.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from core.targets import target_languages
from translators.base import SharedEngineSettings
from translators.errors import UnsupportedLanguage

__all__ = ["MirrorEngine", "MirrorSettings"]


class MirrorSettings(PluginSettings):
    """WAIWEN_OUTSIDE_MIRROR_MARKER (or `outside_mirror_marker` in waiwen.toml)."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_OUTSIDE_MIRROR_")

    marker: str = Field(
        default="mirror",
        description="Word opening every mirrored text; 'not a translation' always follows it.",
    )


class MirrorEngine:
    """Answers `[<marker>: not a translation] <the Chinese text>` for every target language."""

    id = "outside-mirror"
    label = "Outside mirror (example plug-in: not a translation)"
    settings_model = MirrorSettings

    def __init__(self, marker: str = "mirror") -> None:
        """`marker`: the word shown first in every answer."""
        self.prefix = f"[{marker}: not a translation] "

    def supports(self, source: str, target: str) -> bool:
        """Chinese into every target language waiwen drafts (the configuration, read now)."""
        return source == "zh" and target in target_languages()

    def translate(self, text: str, source: str, target: str) -> str:
        """The text back behind the label; placeholders and all, so nothing is lost."""
        if not self.supports(source, target):
            raise UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if not text.strip():
            return text
        return self.prefix + text

    @classmethod
    def from_settings(cls, settings: MirrorSettings, shared: SharedEngineSettings) -> MirrorEngine:
        """Registry factory (no request is made, so the shared timeout does not apply)."""
        return cls(settings.marker)
