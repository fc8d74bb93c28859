"""A loopback stand-in for Tencent Cloud's TMT API: TC3-HMAC-SHA256 verified, TextTranslate answered.

The signature is recomputed from the request as Tencent Cloud documents it (canonical request of
method, URI, query, content-type and host headers, payload hash; a key derived from the secret key,
the date, the service and "tc3_request"), so a wrong secret key is refused as the real API does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import Any

from tests.standins.libretranslate import pseudo_translate
from tests.standins.server import Reply, Request, StandIn

__all__ = ["TencentStandIn"]

_AUTH = re.compile(
    r"TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>[^/]+)/(?P<service>[^/]+)/tc3_request, "
    r"SignedHeaders=(?P<headers>[^,]+), Signature=(?P<signature>[0-9a-f]+)"
)
# TextTranslate's targets for Source zh (its table of pairs): ar and hi only from en.
_FROM_ZH = ("en", "ja", "ko", "fr", "es", "it", "de", "tr", "ru", "pt", "vi", "id", "th", "ms")
_ERRORS = {
    429: ("RequestLimitExceeded", "请求的次数超过了频率限制。"),
    500: ("InternalError", "内部错误。"),
    503: ("InternalError.BackendTimeout", "后台服务超时，请稍后重试。"),
    403: ("AuthFailure.SignatureFailure", "签名错误。"),
}


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


class TencentStandIn(StandIn):
    """TMT with one known SecretId and SecretKey."""

    name = "tencent"

    def __init__(
        self, secret_id: str = "AKIDwaiwenTEST", secret_key: str = "tencent-secret"
    ) -> None:
        """Accept only this key pair."""
        super().__init__()
        self.secret_id, self.secret_key = secret_id, secret_key

    @property
    def endpoint(self) -> str:
        """What the SDK is given: scheme and host:port."""
        return self.url

    def describe(self, request: Request) -> dict[str, Any]:
        """Text and languages of the request."""
        body = request.json if isinstance(request.json, dict) else {}
        return {
            "q": body.get("SourceText"),
            "source": body.get("Source"),
            "target": body.get("Target"),
            "action": request.headers.get("x-tc-action"),
        }

    def _refusal(self, request: Request) -> tuple[str, str] | None:
        found = _AUTH.match(request.headers.get("authorization", ""))
        if found is None:
            return ("AuthFailure.SignatureFailure", "请求签名格式错误。")
        if found["id"] != self.secret_id:
            return ("AuthFailure.SecretIdNotFound", "密钥不存在。")
        canonical = "\n".join(
            [
                request.method,
                request.path,
                "",
                f"content-type:{request.headers.get('content-type', '')}\nhost:{request.headers.get('host', '')}\n",
                found["headers"],
                hashlib.sha256(request.body).hexdigest(),
            ]
        )
        to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                request.headers.get("x-tc-timestamp", ""),
                f"{found['date']}/{found['service']}/tc3_request",
                hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            ]
        )
        key = _hmac(("TC3" + self.secret_key).encode("utf-8"), found["date"])
        key = _hmac(_hmac(key, found["service"]), "tc3_request")
        expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, found["signature"]):
            return ("AuthFailure.SignatureFailure", "请求签名验证失败。")
        stamp = datetime.fromtimestamp(int(request.headers.get("x-tc-timestamp", "0")), UTC)
        if found["date"] != stamp.strftime("%Y-%m-%d"):
            return ("AuthFailure.SignatureFailure", "签名日期与时间戳不符。")
        return None

    def answer(self, request: Request, action: str) -> Reply:
        """TextTranslate, or Tencent Cloud's error envelope."""
        refused = self._refusal(request)
        if refused is not None:
            return self._error(*refused)
        if request.headers.get("x-tc-action") != "TextTranslate":
            return self._error("InvalidAction", "接口不存在。")
        body = request.json if isinstance(request.json, dict) else {}
        text, target = str(body.get("SourceText", "")), str(body.get("Target", ""))
        if target not in _FROM_ZH:
            return self._error("UnsupportedOperation.UnsupportedLanguage", "不支持的语种。")
        translated = (
            ""
            if action == "empty"
            else text
            if action == "wrong"
            else pseudo_translate(text, target)
        )
        return self._json(
            {
                "Response": {
                    "TargetText": translated,
                    "Source": body.get("Source"),
                    "Target": target,
                    "UsedAmount": len(text),
                    "RequestId": "standin-request",
                }
            }
        )

    def error(self, status: int) -> Reply:
        """Tencent Cloud answers errors with HTTP 200 and an error envelope."""
        return self._error(*_ERRORS.get(status, ("InternalError", "内部错误。")))

    def _error(self, code: str, message: str) -> Reply:
        return self._json(
            {
                "Response": {
                    "Error": {"Code": code, "Message": message},
                    "RequestId": "standin-request",
                }
            }
        )

    def _json(self, payload: object) -> Reply:
        # Exactly "application/json", as the API answers: the SDK reads errors only from that type.
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return Reply(200, body, "application/json")
