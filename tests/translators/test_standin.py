"""The LibreTranslate stand-in follows the documented HTTP contract."""

from __future__ import annotations

import requests

from core.languages import LANGUAGES, SHIPPED_TARGETS
from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate

HAN = range(0x4E00, 0xA000)


def test_json_form_and_query_string(libretranslate: LibreTranslateStandIn) -> None:
    url = libretranslate.url + "translate"
    expected = pseudo_translate("通知", "en")
    as_json = requests.post(url, json={"q": "通知", "source": "zh", "target": "en"}, timeout=5)
    as_form = requests.post(url, data={"q": "通知", "source": "zh", "target": "en"}, timeout=5)
    as_query = requests.post(url, params={"q": "通知", "source": "zh", "target": "en"}, timeout=5)
    for response in (as_json, as_form, as_query):
        assert response.status_code == 200
        assert response.json() == {"translatedText": expected}
    assert len(libretranslate.requests) == 3


def test_list_of_texts(libretranslate: LibreTranslateStandIn) -> None:
    response = requests.post(
        libretranslate.url + "translate",
        json={"q": ["通知", "2025年"], "source": "zh", "target": "ko"},
        timeout=5,
    )
    assert response.json() == {
        "translatedText": [pseudo_translate("通知", "ko"), pseudo_translate("2025年", "ko")]
    }


def test_languages_and_health(libretranslate: LibreTranslateStandIn) -> None:
    languages = requests.get(libretranslate.url + "languages", timeout=5).json()
    # Every language of waiwen's table, as a server with all their models lists them.
    assert {entry["code"] for entry in languages} == set(LANGUAGES)
    zh = next(entry for entry in languages if entry["code"] == "zh")
    assert set(zh["targets"]) == set(SHIPPED_TARGETS)
    assert requests.get(libretranslate.url + "health", timeout=5).json() == {"status": "ok"}


def test_errors_are_json(libretranslate: LibreTranslateStandIn) -> None:
    url = libretranslate.url + "translate"
    missing = requests.post(url, json={"source": "zh", "target": "en"}, timeout=5)
    unsupported = requests.post(url, json={"q": "a", "source": "zh", "target": "xx"}, timeout=5)
    libretranslate.fail_next(429)
    limited = requests.post(url, json={"q": "a", "source": "zh", "target": "en"}, timeout=5)
    assert (missing.status_code, unsupported.status_code, limited.status_code) == (400, 400, 429)
    assert all("error" in r.json() for r in (missing, unsupported, limited))


def test_required_api_key() -> None:
    with LibreTranslateStandIn(api_key="k") as standin:
        url = standin.url + "translate"
        body = {"q": "通知", "source": "zh", "target": "fr"}
        assert requests.post(url, json=body, timeout=5).status_code == 403
        assert requests.post(url, json={**body, "api_key": "k"}, timeout=5).status_code == 200


def test_pseudo_translation_looks_like_the_target_script() -> None:
    text = "详情请访问https://wsb.sh.gov.cn/，电话：021-12345678。"
    for target in ("en", "fr", "ja", "ko"):
        output = pseudo_translate(text, target)
        assert not any(ord(ch) in HAN for ch in output)
        assert "https://wsb.sh.gov.cn/" in output and "021-12345678" in output
        assert output == pseudo_translate(text, target)
    assert any("\u3040" <= ch <= "\u30ff" for ch in pseudo_translate(text, "ja"))
    assert any("\uac00" <= ch <= "\ud7a3" for ch in pseudo_translate(text, "ko"))
