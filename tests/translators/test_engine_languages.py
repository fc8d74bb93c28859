"""Every engine drafts into every shipped language its provider has, by the provider's own code.

The codes below are written from each provider's documentation, not read from waiwen's table: a
wrong code in core/languages.py makes a row fail here (the stand-ins accept what the provider does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.languages import LANGUAGES, SHIPPED_TARGETS
from tests.standins.libretranslate import pseudo_translate
from translators.baidu import BaiduEngine
from translators.base import Engine
from translators.deepl_engine import DeepLEngine
from translators.errors import UnsupportedLanguage
from translators.google import GoogleEngine
from translators.libretranslate import LibreTranslateEngine
from translators.llm.engine import OpenAIEngine
from translators.microsoft import MicrosoftEngine
from translators.mymemory import MyMemoryEngine
from translators.tencent import TencentEngine
from translators.testing import TEXT

FURTHER = ("de", "es", "ru", "ar", "pt", "it", "vi", "th")
NONE = ""  # the provider does not translate Chinese into the language

# engine id -> its documented code for de, es, ru, ar, pt, it, vi, th (in that order)
DOCUMENTED: dict[str, tuple[str, ...]] = {
    # Baidu 通用翻译 常见语种列表: 德语 de, 西班牙语 spa, 俄语 ru, 阿拉伯语 ara, 葡萄牙语 pt,
    # 意大利语 it, 越南语 vie, 泰语 th.
    "baidu": ("de", "spa", "ru", "ara", "pt", "it", "vie", "th"),
    # DeepL target_lang: PT-PT (not Brazilian), TH and VI by its next-gen models only.
    "deepl": ("DE", "ES", "RU", "AR", "PT-PT", "IT", "VI", "TH"),
    # Google Translate's ISO 639-1 codes.
    "google": ("de", "es", "ru", "ar", "pt", "it", "vi", "th"),
    # LibreTranslate's codes (Argos models); th is sent past deep-translator's shorter list.
    "libretranslate": ("de", "es", "ru", "ar", "pt", "it", "vi", "th"),
    # Translator v3: pt is Brazilian, pt-pt European Portuguese.
    "microsoft": ("de", "es", "ru", "ar", "pt-pt", "it", "vi", "th"),
    # MyMemory's locale codes.
    "mymemory": ("de-DE", "es-ES", "ru-RU", "ar-SA", "pt-PT", "it-IT", "vi-VN", "th-TH"),
    # TextTranslate, Source zh: en ja ko fr es it de tr ru pt vi id th ms; ar only from en.
    "tencent": ("de", "es", "ru", NONE, "pt", "it", "vi", "th"),
}

ROWS = [
    (engine_id, language, code)
    for engine_id, codes in DOCUMENTED.items()
    for language, code in zip(FURTHER, codes, strict=True)
]


# engine id -> (the fixture of its stand-in, the engine pointed at that stand-in)
MAKERS: dict[str, tuple[str, Callable[[Any], Engine]]] = {
    "baidu": (
        "baidu_standin",
        lambda s: BaiduEngine(s.appid, s.appkey, url=s.url + "/api/trans/vip/translate"),
    ),
    "deepl": ("deepl_standin", lambda s: DeepLEngine(s.auth_key, url=s.url)),
    "google": ("google_standin", lambda s: GoogleEngine(url=s.url + "/m")),
    "libretranslate": ("libretranslate", lambda s: LibreTranslateEngine(s.url)),
    "microsoft": ("microsoft_standin", lambda s: MicrosoftEngine(s.key, url=s.url)),
    "mymemory": ("mymemory_standin", lambda s: MyMemoryEngine(url=s.url + "/get")),
    "tencent": (
        "tencent_standin",
        lambda s: TencentEngine(s.secret_id, s.secret_key, endpoint=s.endpoint),
    ),
}


@pytest.mark.parametrize(("engine_id", "language", "code"), ROWS)
def test_the_table_gives_each_provider_its_documented_code(
    engine_id: str, language: str, code: str
) -> None:
    entry = LANGUAGES[language]
    assert (entry.code_for(engine_id) if entry.engine_supports(engine_id) else NONE) == code


@pytest.mark.parametrize(("engine_id", "language", "code"), ROWS)
def test_each_engine_drafts_into_each_language_its_provider_has(
    request: pytest.FixtureRequest, engine_id: str, language: str, code: str
) -> None:
    fixture, make = MAKERS[engine_id]
    standin = request.getfixturevalue(fixture)  # only this engine's stand-in is started
    engine = make(standin)
    if code == NONE:
        assert not engine.supports("zh", language)
        with pytest.raises(UnsupportedLanguage):
            engine.translate(TEXT, "zh", language)
        assert standin.requests == []
        return
    assert engine.supports("zh", language)
    assert engine.translate(TEXT, "zh", language) == pseudo_translate(TEXT, language)
    assert [r["target"] for r in standin.requests] == [code]


def test_the_language_model_engine_takes_every_shipped_target() -> None:
    engine = OpenAIEngine("http://127.0.0.1:9/v1", "a-model")
    assert all(engine.supports("zh", code) for code in SHIPPED_TARGETS)
    assert not engine.supports("zh", "xx") and not engine.supports("en", "de")


def test_the_documented_table_covers_every_further_shipped_language() -> None:
    assert set(FURTHER) == set(SHIPPED_TARGETS) - {"en", "ja", "fr", "ko"}
