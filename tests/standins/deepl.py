"""A loopback stand-in for the DeepL API v2: /v2/translate, /v2/glossaries, /v2/usage.

The key goes in the header `Authorization: DeepL-Auth-Key …` (a key in the query or body is refused
with 403, as DeepL does since January 2026). Glossary entries are applied before the deterministic
pseudo-translation, so a test sees whether a glossary was used.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.standins.libretranslate import pseudo_translate
from tests.standins.server import Reply, Request, StandIn

__all__ = ["DeepLStandIn"]

# DeepL's target codes (its list of supported languages), to waiwen's; TH and VI are translated
# by its next-gen models only, PT alone is kept for backward compatibility.
_TARGETS = {
    "EN-GB": "en",
    "EN-US": "en",
    "EN": "en",
    "JA": "ja",
    "FR": "fr",
    "KO": "ko",
    "DE": "de",
    "ES": "es",
    "RU": "ru",
    "AR": "ar",
    "PT-PT": "pt",
    "PT-BR": "pt",
    "PT": "pt",
    "IT": "it",
    "VI": "vi",
    "TH": "th",
}


class DeepLStandIn(StandIn):
    """DeepL's API with one known key."""

    name = "deepl"

    def __init__(self, auth_key: str = "deepl-test-key:fx") -> None:
        """Accept only `auth_key`."""
        super().__init__()
        self.auth_key = auth_key
        self.glossaries: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    def is_translation(self, request: Request) -> bool:
        """Only /v2/translate is scripted and logged."""
        return request.path == "/v2/translate"

    def _data(self, request: Request) -> dict[str, Any]:
        return dict(request.json) if isinstance(request.json, dict) else dict(request.form)

    def describe(self, request: Request) -> dict[str, Any]:
        """Text, languages and glossary of the request."""
        data = self._data(request)
        texts = data.get("text") or []
        return {
            "q": texts[0] if isinstance(texts, list) and texts else texts,
            "source": data.get("source_lang"),
            "target": data.get("target_lang"),
            "glossary_id": data.get("glossary_id"),
            "query_key": "auth_key" in request.query or "auth_key" in data,
        }

    def answer(self, request: Request, action: str) -> Reply:
        """The documented endpoints; every one checks the key first."""
        header = request.headers.get("authorization", "")
        if header != f"DeepL-Auth-Key {self.auth_key}":
            return Reply.of_json(403, {"message": "Authorization failure, check auth_key"})
        if request.path == "/v2/translate" and request.method == "POST":
            return self._translate(self._data(request), action)
        if request.path == "/v2/glossaries" and request.method == "POST":
            return self._create_glossary(self._data(request))
        if request.path == "/v2/glossaries" and request.method == "GET":
            return Reply.of_json(
                200, {"glossaries": [self._info(g) for g in self.glossaries.values()]}
            )
        if request.path == "/v2/usage":
            return Reply.of_json(200, {"character_count": 0, "character_limit": 500000})
        return Reply.of_json(404, {"message": "Not found"})

    def _translate(self, data: dict[str, Any], action: str) -> Reply:
        texts = data.get("text")
        target = _TARGETS.get(str(data.get("target_lang", "")).upper())
        if not isinstance(texts, list) or not texts:
            return Reply.of_json(400, {"message": "Parameter 'text' not specified."})
        if target is None:
            return Reply.of_json(400, {"message": "Value for 'target_lang' not supported."})
        entries: dict[str, str] = {}
        if data.get("glossary_id"):
            glossary = self.glossaries.get(str(data["glossary_id"]))
            if glossary is None:
                return Reply.of_json(404, {"message": "Glossary not found"})
            entries = glossary["entries"]
        out = []
        for text in texts:
            if action == "wrong":
                translated = text
            elif action == "empty":
                translated = ""
            else:
                for source, term in entries.items():
                    text = text.replace(source, term)
                translated = pseudo_translate(text, target)
            out.append(
                {
                    "detected_source_language": "ZH",
                    "text": translated,
                    "billed_characters": len(text),
                }
            )
        return Reply.of_json(200, {"translations": out})

    def _create_glossary(self, data: dict[str, Any]) -> Reply:
        lines = str(data.get("entries", "")).splitlines()
        entries = dict(line.split("\t", 1) for line in lines if "\t" in line)
        if not data.get("name") or not entries:
            return Reply.of_json(400, {"message": "Invalid glossary entries"})
        glossary_id = f"g-{next(self._ids)}"
        self.glossaries[glossary_id] = {
            "glossary_id": glossary_id,
            "name": data["name"],
            "source_lang": str(data.get("source_lang", "")).lower(),
            "target_lang": str(data.get("target_lang", "")).lower(),
            "entries": entries,
        }
        return Reply.of_json(201, self._info(self.glossaries[glossary_id]))

    def _info(self, glossary: dict[str, Any]) -> dict[str, Any]:
        return {
            "glossary_id": glossary["glossary_id"],
            "name": glossary["name"],
            "ready": True,
            "source_lang": glossary["source_lang"],
            "target_lang": glossary["target_lang"],
            "creation_time": "2026-11-22T10:00:00.000000Z",
            "entry_count": len(glossary["entries"]),
        }

    def error(self, status: int) -> Reply:
        """DeepL's error JSON."""
        return Reply.of_json(status, {"message": f"stand-in scripted failure ({status})"})
