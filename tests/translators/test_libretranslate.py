"""LibreTranslateEngine through real deep-translator over real HTTP against the stand-in."""

from __future__ import annotations

import socket
import traceback
from typing import Any

import pytest

from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)
from translators.libretranslate import LibreTranslateEngine
from translators.testing import WRONG_KEY, ProviderEngineContract

SECRET = "s3cret-key-4711"
TEXT = "上海市人民政府外事办公室关于2025年春节期间对外服务安排的通知"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _assert_no_secret(exc: BaseException) -> None:
    shown = "".join(traceback.format_exception(exc))
    assert SECRET not in shown
    assert SECRET not in repr(exc)


@pytest.mark.parametrize("target", ["en", "ja", "fr", "ko"])
def test_translates_into_every_target(libretranslate: LibreTranslateStandIn, target: str) -> None:
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    assert engine.supports("zh", target)
    assert engine.translate(TEXT, "zh", target) == pseudo_translate(TEXT, target)
    assert [{k: r[k] for k in ("q", "source", "target")} for r in libretranslate.requests] == [
        {"q": TEXT, "source": "zh", "target": target}
    ]


def test_url_without_trailing_slash_and_phrasebook() -> None:
    with LibreTranslateStandIn(phrasebook={("通知", "en"): "Notice"}) as standin:
        engine = LibreTranslateEngine(standin.url.rstrip("/"), timeout=5)
        assert engine.translate("通知", "zh", "en") == "Notice"


def test_correct_api_key_is_accepted() -> None:
    with LibreTranslateStandIn(api_key=SECRET) as standin:
        engine = LibreTranslateEngine(standin.url, api_key=SECRET, timeout=5)
        assert engine.translate("通知", "zh", "fr") == pseudo_translate("通知", "fr")


def test_wrong_api_key_is_authentication_failed_without_leaking_it() -> None:
    with LibreTranslateStandIn(api_key="the-right-one") as standin:
        engine = LibreTranslateEngine(standin.url, api_key=SECRET, timeout=5)
        with pytest.raises(AuthenticationFailed) as caught:
            engine.translate(TEXT, "zh", "en")
    assert not caught.value.transient
    assert str(caught.value).startswith("libretranslate: ")
    _assert_no_secret(caught.value)
    assert SECRET not in repr(engine)


def test_missing_api_key_is_authentication_failed() -> None:
    with LibreTranslateStandIn(api_key=SECRET) as standin:
        engine = LibreTranslateEngine(standin.url, timeout=5)
        with pytest.raises(AuthenticationFailed):
            engine.translate(TEXT, "zh", "en")


def test_429_is_rate_limited(libretranslate: LibreTranslateStandIn) -> None:
    libretranslate.fail_next(429)
    engine = LibreTranslateEngine(libretranslate.url, api_key=SECRET, timeout=5)
    with pytest.raises(RateLimited) as caught:
        engine.translate(TEXT, "zh", "en")
    assert caught.value.transient
    _assert_no_secret(caught.value)
    # The failure was one-off: the next request goes through.
    assert engine.translate(TEXT, "zh", "en") == pseudo_translate(TEXT, "en")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_unavailable(libretranslate: LibreTranslateStandIn, status: int) -> None:
    libretranslate.fail_next(status)
    engine = LibreTranslateEngine(libretranslate.url, api_key=SECRET, timeout=5)
    with pytest.raises(EngineUnavailable) as caught:
        engine.translate(TEXT, "zh", "ko")
    assert caught.value.transient
    _assert_no_secret(caught.value)


def test_scripted_403_is_authentication_failed(libretranslate: LibreTranslateStandIn) -> None:
    libretranslate.fail_next(403)
    engine = LibreTranslateEngine(libretranslate.url, api_key=SECRET, timeout=5)
    with pytest.raises(AuthenticationFailed) as caught:
        engine.translate(TEXT, "zh", "en")
    _assert_no_secret(caught.value)


def test_400_is_unsupported_language(libretranslate: LibreTranslateStandIn) -> None:
    libretranslate.fail_next(400)
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    with pytest.raises(UnsupportedLanguage) as caught:
        engine.translate(TEXT, "zh", "ja")
    assert not caught.value.transient


def test_404_is_a_permanent_configuration_error(libretranslate: LibreTranslateStandIn) -> None:
    libretranslate.fail_next(404)
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    with pytest.raises(EngineError) as caught:
        engine.translate(TEXT, "zh", "ja")
    assert not caught.value.transient
    assert "WAIWEN_LIBRETRANSLATE_URL" in str(caught.value)


def test_refused_connection_is_unavailable() -> None:
    engine = LibreTranslateEngine(f"http://127.0.0.1:{_closed_port()}/", api_key=SECRET, timeout=5)
    with pytest.raises(EngineUnavailable) as caught:
        engine.translate(TEXT, "zh", "en")
    assert "refused" in str(caught.value)
    # requests quotes the URL with its query string, api_key included.
    _assert_no_secret(caught.value)


def test_hanging_server_is_unavailable_after_the_timeout(
    libretranslate: LibreTranslateStandIn,
) -> None:
    libretranslate.hang_next()
    engine = LibreTranslateEngine(libretranslate.url, api_key=SECRET, timeout=0.5)
    with pytest.raises(EngineUnavailable) as caught:
        engine.translate(TEXT, "zh", "en")
    _assert_no_secret(caught.value)


def test_source_text_returned_unchanged_is_bad_output(
    libretranslate: LibreTranslateStandIn,
) -> None:
    libretranslate.wrong_language_next()
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    with pytest.raises(BadOutput):
        engine.translate(TEXT, "zh", "en")


def test_short_unchanged_japanese_is_accepted(libretranslate: LibreTranslateStandIn) -> None:
    # Place names are written the same in Japanese; that is not a wrong language.
    libretranslate.wrong_language_next()
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    assert engine.translate("上海市", "zh", "ja") == "上海市"


def test_long_unchanged_japanese_is_bad_output(libretranslate: LibreTranslateStandIn) -> None:
    libretranslate.wrong_language_next()
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    with pytest.raises(BadOutput):
        engine.translate(TEXT, "zh", "ja")


def test_empty_output_is_bad_output() -> None:
    with LibreTranslateStandIn(phrasebook={("通知", "en"): ""}) as standin:
        engine = LibreTranslateEngine(standin.url, timeout=5)
        with pytest.raises(BadOutput):
            engine.translate("通知", "zh", "en")


def test_unsupported_pair_fails_before_any_request(libretranslate: LibreTranslateStandIn) -> None:
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    assert not engine.supports("zh", "xx")
    assert not engine.supports("zh", "zh")
    with pytest.raises(UnsupportedLanguage):
        engine.translate(TEXT, "zh", "xx")
    assert libretranslate.requests == []


def test_blank_segment_needs_no_request(libretranslate: LibreTranslateStandIn) -> None:
    engine = LibreTranslateEngine(libretranslate.url, timeout=5)
    assert engine.translate("  ", "zh", "en") == "  "
    assert libretranslate.requests == []


class TestLibreTranslateContract(ProviderEngineContract):
    """The self-hosted engine keeps the same contract as every other."""

    limit = 300

    @pytest.fixture
    def standin(self, libretranslate: LibreTranslateStandIn) -> LibreTranslateStandIn:
        return libretranslate

    def make(self, standin: Any, timeout: float = 5.0) -> LibreTranslateEngine:
        return LibreTranslateEngine(standin.url, timeout=timeout, max_chars=self.limit)

    def make_with_wrong_key(self, standin: Any) -> LibreTranslateEngine:
        standin.api_key = "the-right-key"
        return LibreTranslateEngine(standin.url, api_key=WRONG_KEY)
