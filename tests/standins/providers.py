"""Stand-ins for Google's mobile page, MyMemory's /get and Baidu's general translation API.

They follow each provider's documented request and answer shapes; the "translation" is the
deterministic `pseudo_translate` of the LibreTranslate stand-in, never a real one.
"""

from __future__ import annotations

import hashlib
import html
from typing import Any

from tests.standins.libretranslate import pseudo_translate
from tests.standins.server import Reply, Request, StandIn

__all__ = ["BaiduStandIn", "GoogleStandIn", "MicrosoftStandIn", "MyMemoryStandIn"]


def _translated(text: str, target: str, action: str) -> str:
    if action == "wrong":
        return text
    if action == "empty":
        return ""
    return pseudo_translate(text, target)


class GoogleStandIn(StandIn):
    """GET /m?sl=..&tl=..&q=.. answered with the mobile page's HTML."""

    name = "google"
    # Google's codes (its language list), to waiwen's: pt is Portuguese, Brazilian by default.
    CODES = {
        "zh-CN": "zh",
        "en": "en",
        "ja": "ja",
        "fr": "fr",
        "ko": "ko",
        "de": "de",
        "es": "es",
        "ru": "ru",
        "ar": "ar",
        "pt": "pt",
        "it": "it",
        "vi": "vi",
        "th": "th",
    }

    def describe(self, request: Request) -> dict[str, Any]:
        """Text and languages of the request."""
        return {
            "q": request.query.get("q"),
            "source": request.query.get("sl"),
            "target": request.query.get("tl"),
        }

    def answer(self, request: Request, action: str) -> Reply:
        """The result page, the translation in <div class="result-container">."""
        if request.path != "/m":
            return self._page(404, "<html><body>Not Found</body></html>")
        target = self.CODES.get(request.query.get("tl", ""))
        text = request.query.get("q", "")
        if target is None or not text:
            return self._page(400, "<html><body>Bad Request</body></html>")
        result = html.escape(_translated(text, target, action))
        return self._page(
            200,
            '<html><head><meta charset="utf-8"></head><body><div class="result-container">'
            f"{result}</div></body></html>",
        )

    def error(self, status: int) -> Reply:
        """Google answers errors as HTML pages."""
        return self._page(status, f"<html><body>Error {status}</body></html>")

    def _page(self, status: int, text: str) -> Reply:
        return Reply(status, text.encode("utf-8"), "text/html; charset=utf-8")


class MyMemoryStandIn(StandIn):
    """GET /get?q=..&langpair=zh-CN|en-GB[&de=email] answered with MyMemory's JSON."""

    name = "mymemory"
    # MyMemory's locale codes (deep-translator's list of them), to waiwen's.
    CODES = {
        "zh-CN": "zh",
        "en-GB": "en",
        "ja-JP": "ja",
        "fr-FR": "fr",
        "ko-KR": "ko",
        "de-DE": "de",
        "es-ES": "es",
        "ru-RU": "ru",
        "ar-SA": "ar",
        "pt-PT": "pt",
        "it-IT": "it",
        "vi-VN": "vi",
        "th-TH": "th",
    }

    def describe(self, request: Request) -> dict[str, Any]:
        """Text and languages of the request."""
        pair = request.query.get("langpair", "|").split("|")
        return {
            "q": request.query.get("q"),
            "source": pair[0],
            "target": pair[-1],
            "de": request.query.get("de"),
        }

    def answer(self, request: Request, action: str) -> Reply:
        """responseData.translatedText plus the matches list, as the API documents."""
        if request.path != "/get":
            return Reply.of_json(404, {"responseStatus": 404, "responseDetails": "NOT FOUND"})
        source, _, target_code = request.query.get("langpair", "").partition("|")
        target = self.CODES.get(target_code)
        text = request.query.get("q", "")
        if source not in self.CODES or target is None:
            return Reply.of_json(
                200,
                {
                    "responseData": {"translatedText": "INVALID TARGET LANGUAGE", "match": 0},
                    "responseStatus": "403",
                    "responseDetails": "'AA' IS AN INVALID TARGET LANGUAGE",
                    "matches": "",
                },
            )
        if len(text) > 500:
            return Reply.of_json(
                200,
                {
                    "responseData": {
                        "translatedText": "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS"
                    },
                    "responseStatus": 403,
                    "matches": [],
                },
            )
        translated = _translated(text, target, action)
        return Reply.of_json(
            200,
            {
                "responseData": {"translatedText": translated, "match": 0.85},
                "quotaFinished": False,
                "responseDetails": "",
                "responseStatus": 200,
                "matches": [
                    {
                        "id": "0",
                        "segment": text,
                        "translation": translated,
                        "quality": "74",
                        "match": 0.85,
                    }
                ],
            },
        )

    def error(self, status: int) -> Reply:
        """MyMemory's error JSON with the HTTP status."""
        return Reply.of_json(
            status, {"responseStatus": status, "responseDetails": f"ERROR {status}"}
        )


# Baidu answers errors with HTTP 200 and these documented codes and messages.
BAIDU_ERRORS = {
    429: ("54003", "Invalid Access Limit"),
    500: ("52002", "SYSTEM ERROR"),
    503: ("52001", "TIMEOUT"),
    403: ("52003", "UNAUTHORIZED USER"),
}


class BaiduStandIn(StandIn):
    """POST /api/trans/vip/translate with appid, q, from, to, salt, sign; the sign is verified."""

    name = "baidu"
    # Baidu's codes (常见语种列表 of the general translation API), to waiwen's.
    CODES = {
        "zh": "zh",
        "en": "en",
        "jp": "ja",
        "fra": "fr",
        "kor": "ko",
        "de": "de",
        "spa": "es",
        "ru": "ru",
        "ara": "ar",
        "pt": "pt",
        "it": "it",
        "vie": "vi",
        "th": "th",
    }

    def __init__(self, appid: str = "20260101000001", appkey: str = "baidu-secret-key") -> None:
        """The one app the stand-in knows."""
        super().__init__()
        self.appid, self.appkey = appid, appkey

    def _params(self, request: Request) -> dict[str, str]:
        # The API takes form or query parameters alike; deep-translator sends the query string.
        return {**request.query, **request.form}

    def describe(self, request: Request) -> dict[str, Any]:
        """Text and languages of the request."""
        params = self._params(request)
        return {"q": params.get("q"), "source": params.get("from"), "target": params.get("to")}

    def answer(self, request: Request, action: str) -> Reply:
        """trans_result lines, or the documented error codes."""
        if request.path != "/api/trans/vip/translate":
            return Reply.of_json(404, {"error": "not found"})
        params = self._params(request)
        q, salt, sign = params.get("q", ""), params.get("salt", ""), params.get("sign", "")
        if not q or not params.get("from") or not params.get("to"):
            return self._error("54000", "PARAM_FROM_TO_OR_Q_EMPTY")
        if params.get("appid") != self.appid:
            return self._error("52003", "UNAUTHORIZED USER")
        expected = hashlib.md5((self.appid + q + salt + self.appkey).encode("utf-8")).hexdigest()
        if sign != expected:
            return self._error("54001", "Invalid Sign")
        target = self.CODES.get(params.get("to", ""))
        if target is None:
            return self._error("58001", "Target language direction not supported")
        lines = [{"src": line, "dst": _translated(line, target, action)} for line in q.split("\n")]
        return Reply.of_json(
            200, {"from": params["from"], "to": params["to"], "trans_result": lines}
        )

    def error(self, status: int) -> Reply:
        """Quota, server and key failures come as HTTP 200 with an error code."""
        code, message = BAIDU_ERRORS.get(status, ("52002", "SYSTEM ERROR"))
        return self._error(code, message)

    def _error(self, code: str, message: str) -> Reply:
        return Reply.of_json(200, {"error_code": code, "error_msg": message})


# Translator v3 error codes (error.code): 401000 bad key, 429000 too many requests, 500000 internal.
MICROSOFT_ERRORS = {401: 401000, 403: 403000, 429: 429000, 500: 500000, 503: 503000}


class MicrosoftStandIn(StandIn):
    """POST /translate?api-version=3.0&from=..&to=.. with Ocp-Apim-Subscription-Key."""

    name = "microsoft"
    # Translator v3's codes (language support page), to waiwen's: pt is Brazilian, pt-pt European.
    CODES = {
        "zh-Hans": "zh",
        "en": "en",
        "ja": "ja",
        "fr": "fr",
        "ko": "ko",
        "de": "de",
        "es": "es",
        "ru": "ru",
        "ar": "ar",
        "pt": "pt",
        "pt-pt": "pt",
        "it": "it",
        "vi": "vi",
        "th": "th",
    }

    def __init__(self, key: str = "microsoft-test-key") -> None:
        """Accept only `key`."""
        super().__init__()
        self.key = key

    def describe(self, request: Request) -> dict[str, Any]:
        """Text, languages and region of the request."""
        body = request.json if isinstance(request.json, list) else [{}]
        return {
            "q": body[0].get("Text") if body else None,
            "source": request.query.get("from"),
            "target": request.query.get("to"),
            "region": request.headers.get("ocp-apim-subscription-region"),
        }

    def answer(self, request: Request, action: str) -> Reply:
        """The documented list of translations, or an error object."""
        if request.path != "/translate" or request.query.get("api-version") != "3.0":
            return self._error(404, 404001, "The requested resource was not found.")
        if request.headers.get("ocp-apim-subscription-key") != self.key:
            return self._error(
                401,
                401000,
                "The request is not authorized because credentials are missing or invalid.",
            )
        target = self.CODES.get(request.query.get("to", ""))
        if target is None:
            return self._error(400, 400036, "The target language is not valid.")
        body = request.json if isinstance(request.json, list) else []
        if not body or not isinstance(body[0], dict) or "Text" not in body[0]:
            return self._error(400, 400002, "The request body is invalid.")
        return Reply.of_json(
            200,
            [
                {
                    "translations": [
                        {
                            "text": _translated(item["Text"], target, action),
                            "to": request.query["to"],
                        }
                    ]
                }
                for item in body
            ],
        )

    def error(self, status: int) -> Reply:
        """The v3 error object."""
        return self._error(
            status, MICROSOFT_ERRORS.get(status, status * 1000), "stand-in scripted failure"
        )

    def _error(self, status: int, code: int, message: str) -> Reply:
        return Reply.of_json(status, {"error": {"code": code, "message": message}})
