"""Tencent Machine Translation (TMT TextTranslate) through Tencent Cloud's official SDK.

An optional extra (`pip install 'waiwen[tencent]'`): the SDK is imported only when the engine is
built, and a missing SDK is reported as what to install. The SDK's generated TMT models no longer
carry TextTranslate (3.1.x has only the image actions), so the request goes through the SDK's
`CommonClient`, its documented way to call any action: same signing, same errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
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

__all__ = ["TencentEngine", "TencentSettings"]

MAX_CHARS = 6000  # TextTranslate's documented limit per request
PUBLIC_ENDPOINT = "tmt.tencentcloudapi.com"


def _sdk() -> Any:
    try:
        from tencentcloud.common import credential
        from tencentcloud.common.common_client import CommonClient
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
    except ImportError:
        raise ValueError(
            "engine 'tencent' needs Tencent Cloud's SDK: pip install 'waiwen[tencent]'"
        ) from None
    return credential, TencentCloudSDKException, ClientProfile, HttpProfile, CommonClient


class TencentSettings(PluginSettings):
    """WAIWEN_TENCENT_ENDPOINT, _SECRET_ID, _SECRET_KEY and _REGION."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_TENCENT_")

    endpoint: str | None = Field(
        default=None, description="Tencent TMT endpoint instead of tmt.tencentcloudapi.com."
    )
    secret_id: str = Field(default="", description="Tencent Cloud SecretId.")
    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Tencent Cloud SecretKey; empty: Prefect Secret block `waiwen-tencent-secret-key`.",
    )
    region: str = Field(default="ap-shanghai", description="Tencent Cloud region.")


class TencentEngine:
    """TMT TextTranslate (5 requests/s, 6000 characters a request)."""

    id = "tencent"
    label = "Tencent Machine Translation"
    settings_model = TencentSettings

    def __init__(
        self,
        secret_id: str,
        secret_key: str,
        *,
        region: str = "ap-shanghai",
        endpoint: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        """`endpoint`: host or URL other than tmt.tencentcloudapi.com (`http://` for a stand-in)."""
        if not secret_id or not secret_key:
            raise ValueError(
                "engine 'tencent' needs WAIWEN_TENCENT_SECRET_ID and WAIWEN_TENCENT_SECRET_KEY "
                "(or the Prefect Secret block waiwen-tencent-secret-key)"
            )
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        credential, self._error_type, client_profile, http_profile, common_client = _sdk()
        parts = urlsplit(
            endpoint if endpoint and "://" in endpoint else f"https://{endpoint or PUBLIC_ENDPOINT}"
        )
        http = http_profile(
            protocol=parts.scheme, endpoint=parts.netloc, reqTimeout=max(1, int(timeout))
        )
        self._client = common_client(
            "tmt",
            "2018-03-21",
            credential.Credential(secret_id, secret_key),
            region,
            client_profile(httpProfile=http),
        )
        self._timeout = timeout
        self._where = f"{parts.scheme}://{parts.netloc}"

    def __repr__(self) -> str:
        """Endpoint and timeout, never a key."""
        return f"TencentEngine(endpoint={self._where!r}, timeout={self._timeout!r})"

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
            params = {
                "SourceText": piece,
                "Source": provider_code(self.id, source),
                "Target": provider_code(self.id, target),
                "ProjectId": 0,
            }
            answer = self._call(lambda: self._client.call_json("TextTranslate", params))
            text = (
                answer.get("Response", {}).get("TargetText") if isinstance(answer, dict) else None
            )
            return checked_output(self.id, text, piece, target)

        output = translate_in_pieces(text, MAX_CHARS, send, joiner(target))
        return checked_output(self.id, output, text, target)

    def _call(self, work: Callable[[], Any]) -> Any:
        return bounded_call(self.id, self._where, self._timeout, work, self._sdk_error)

    def _sdk_error(self, exc: Exception) -> EngineError:
        if isinstance(exc, self._error_type):
            return self._map_error(str(exc.get_code() or ""), str(exc.get_message() or ""))
        # A broken answer; never shown with its content.
        return BadOutput(self.id, f"unexpected {type(exc).__name__} reading the answer")

    def _map_error(self, code: str, message: str) -> EngineError:
        where = self._where
        if code.startswith("RequestLimitExceeded"):
            return RateLimited(self.id, f"{where} asks to slow down ({code})")
        if code.startswith("AuthFailure"):
            return AuthenticationFailed(
                self.id,
                f"{where} refused the credentials ({code}); check the SecretId and SecretKey",
            )
        if code.startswith("UnsupportedOperation.UnsupportedLanguage") or code.startswith(
            "UnsupportedOperation.UnSupportedTargetLanguage"
        ):
            return UnsupportedLanguage(self.id, f"{where}: language pair not supported ({code})")
        if code in ("ClientNetworkError", "ServerNetworkError") or code.startswith("InternalError"):
            return EngineUnavailable(self.id, f"{where} could not be reached or failed ({code})")
        if code.startswith("FailedOperation.NoFreeAmount") or code.startswith(
            "FailedOperation.ServiceIsolate"
        ):
            return EngineError(self.id, f"{where}: the account has no quota left ({code})")
        return EngineError(self.id, f"{where} refused the request ({code})")

    @classmethod
    def from_settings(
        cls, settings: TencentSettings, shared: SharedEngineSettings
    ) -> TencentEngine:
        """Registry factory."""
        return cls(
            settings.secret_id,
            settings.secret_key.get_secret_value(),
            region=settings.region,
            endpoint=settings.endpoint,
            timeout=shared.timeout,
        )
