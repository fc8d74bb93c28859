"""Baidu Translate through deep-translator (reachable from mainland China; app id and key)."""

from __future__ import annotations

from typing import Any

from deep_translator import BaiduTranslator
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deeptranslator import DeepTranslatorEngine
from translators.errors import (
    AuthenticationFailed,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)

__all__ = ["BaiduEngine", "BaiduSettings"]

# deep-translator passes on Baidu's error_msg only, not its error_code; these are the documented
# messages (lower case) and what they mean for the chain.
_ERRORS: dict[str, tuple[type[EngineError], str]] = {
    "timeout": (EngineUnavailable, "timed out on Baidu's side (52001)"),
    "system error": (EngineUnavailable, "system error on Baidu's side (52002)"),
    "unauthorized user": (AuthenticationFailed, "the app id is not authorised (52003)"),
    "invalid sign": (AuthenticationFailed, "the signature was refused: check the app key (54001)"),
    "invalid access limit": (RateLimited, "too many requests per second (54003)"),
    "insufficient balance": (EngineError, "the account has no balance left (54004)"),
    "long query too frequent": (RateLimited, "long texts sent too often (54005)"),
    "invalid client ip": (AuthenticationFailed, "this server's IP is not allowed (58000)"),
    "target language direction not supported": (
        UnsupportedLanguage,
        "the language pair is not supported (58001)",
    ),
    "service is closed": (EngineError, "the service is switched off in the console (58002)"),
}


class BaiduSettings(PluginSettings):
    """WAIWEN_BAIDU_URL, WAIWEN_BAIDU_APPID and WAIWEN_BAIDU_APPKEY."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_BAIDU_")

    url: str | None = Field(
        default=None, description="Baidu Translate API address instead of the public one."
    )
    appid: str = Field(default="", description="Baidu Translate app id.")
    appkey: SecretStr = Field(
        default=SecretStr(""),
        description="Baidu Translate key; empty: Prefect Secret block `waiwen-baidu-appkey`.",
    )


class BaiduEngine(DeepTranslatorEngine):
    """Baidu's general translation API (sign = MD5(appid + q + salt + key))."""

    id = "baidu"
    label = "Baidu Translate"
    settings_model = BaiduSettings
    public_url = "https://fanyi-api.baidu.com/api/trans/vip/translate"
    # Its codes for the languages: the table (core/languages.py, engine id 'baidu').

    def __init__(
        self,
        appid: str,
        appkey: str,
        *,
        url: str | None = None,
        timeout: float = 30.0,
        max_chars: int = 1000,
    ) -> None:
        """`max_chars`: 1000 on the standard tier, 6000 on the advanced one."""
        if not appid or not appkey:
            raise ValueError(
                "engine 'baidu' needs WAIWEN_BAIDU_APPID and WAIWEN_BAIDU_APPKEY (or the Prefect "
                "Secret block waiwen-baidu-appkey)"
            )
        super().__init__(url=url, timeout=timeout)
        self._appid, self._appkey = appid, appkey
        self.max_chars = max_chars

    def build(self, source: str, target: str) -> Any:
        """A BaiduTranslator for the pair."""
        return BaiduTranslator(source=source, target=target, appid=self._appid, appkey=self._appkey)

    def map_provider_error(self, message: str) -> EngineError:
        """Baidu's documented error messages."""
        # deep-translator prefixes Baidu's error_msg with its own sentence.
        baidu_says = message.rsplit(": ", 1)[-1].strip()
        kind, meaning = _ERRORS.get(baidu_says.lower(), (EngineError, f"error {baidu_says!r}"))
        return kind(self.id, f"Baidu: {meaning}")

    @classmethod
    def from_settings(cls, settings: BaiduSettings, shared: SharedEngineSettings) -> BaiduEngine:
        """Registry factory."""
        return cls(
            settings.appid,
            settings.appkey.get_secret_value(),
            url=settings.url,
            timeout=shared.timeout,
        )
