"""Every engine through its real client over real HTTP against its stand-in, held to the engine contract."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standins.providers import BaiduStandIn, GoogleStandIn, MicrosoftStandIn, MyMemoryStandIn
from translators.baidu import BaiduEngine
from translators.errors import AuthenticationFailed, EngineError, RateLimited, UnsupportedLanguage
from translators.google import GoogleEngine
from translators.microsoft import MicrosoftEngine
from translators.mymemory import MyMemoryEngine
from translators.registry import build_engine
from translators.testing import TEXT, WRONG_KEY, ProviderEngineContract


class TestGoogle(ProviderEngineContract):
    keyed = False
    limit = GoogleEngine.max_chars

    @pytest.fixture
    def standin(self, google_standin: GoogleStandIn) -> GoogleStandIn:
        return google_standin

    def make(self, standin: Any, timeout: float = 5.0) -> GoogleEngine:
        return GoogleEngine(url=standin.url + "/m", timeout=timeout)

    def test_google_gets_its_own_language_codes(self, standin: GoogleStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "ko")
        assert (standin.requests[0]["source"], standin.requests[0]["target"]) == ("zh-CN", "ko")


class TestMyMemory(ProviderEngineContract):
    keyed = False
    limit = MyMemoryEngine.max_chars

    @pytest.fixture
    def standin(self, mymemory_standin: MyMemoryStandIn) -> MyMemoryStandIn:
        return mymemory_standin

    def make(self, standin: Any, timeout: float = 5.0) -> MyMemoryEngine:
        return MyMemoryEngine(url=standin.url + "/get", timeout=timeout, email="wsb@sh.gov.cn")

    def test_the_quota_address_and_codes_are_sent(self, standin: MyMemoryStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "ja")
        assert standin.requests[0] | {} == {
            "q": TEXT,
            "source": "zh-CN",
            "target": "ja-JP",
            "de": "wsb@sh.gov.cn",
        }


class TestBaidu(ProviderEngineContract):
    limit = 1000

    @pytest.fixture
    def standin(self, baidu_standin: BaiduStandIn) -> BaiduStandIn:
        return baidu_standin

    def make(self, standin: Any, timeout: float = 5.0) -> BaiduEngine:
        return BaiduEngine(
            standin.appid,
            standin.appkey,
            url=standin.url + "/api/trans/vip/translate",
            timeout=timeout,
        )

    def make_with_wrong_key(self, standin: Any) -> BaiduEngine:
        return BaiduEngine(standin.appid, WRONG_KEY, url=standin.url + "/api/trans/vip/translate")

    def test_the_signature_is_checked_and_a_wrong_one_names_the_key(
        self, standin: BaiduStandIn
    ) -> None:
        with pytest.raises(AuthenticationFailed, match="check the app key"):
            self.make_with_wrong_key(standin).translate(TEXT, "zh", "en")

    def test_baidu_codes_for_japanese_french_korean(self, standin: BaiduStandIn) -> None:
        for target in ("ja", "fr", "ko"):
            self.make(standin).translate(TEXT, "zh", target)
        assert [r["target"] for r in standin.requests] == ["jp", "fra", "kor"]

    def test_an_unknown_app_id_is_refused(self, standin: BaiduStandIn) -> None:
        engine = BaiduEngine(
            "other-app", standin.appkey, url=standin.url + "/api/trans/vip/translate"
        )
        with pytest.raises(AuthenticationFailed, match="52003"):
            engine.translate(TEXT, "zh", "en")

    def test_the_rate_limit_error_names_its_code(self, standin: BaiduStandIn) -> None:
        standin.fail_next(429)
        with pytest.raises(RateLimited, match="54003"):
            self.make(standin).translate(TEXT, "zh", "en")

    @pytest.mark.usefixtures("engine_environment")
    def test_without_credentials_the_settings_are_named(self) -> None:
        with pytest.raises(ValueError, match="WAIWEN_BAIDU_APPID and WAIWEN_BAIDU_APPKEY"):
            build_engine("baidu")


@pytest.mark.usefixtures("engine_environment")
def test_the_registry_builds_the_keyless_engines() -> None:
    assert isinstance(build_engine("google"), GoogleEngine)
    assert isinstance(build_engine("mymemory"), MyMemoryEngine)


def test_only_engine_errors_leave_an_engine(google_standin: GoogleStandIn) -> None:
    engine = GoogleEngine(url=google_standin.url + "/nowhere")
    with pytest.raises(EngineError) as error:
        engine.translate(TEXT, "zh", "en")
    assert not isinstance(error.value, UnsupportedLanguage)


class TestMicrosoft(ProviderEngineContract):
    limit = 50_000

    @pytest.fixture
    def standin(self, microsoft_standin: MicrosoftStandIn) -> MicrosoftStandIn:
        return microsoft_standin

    def make(self, standin: Any, timeout: float = 5.0) -> MicrosoftEngine:
        return MicrosoftEngine(standin.key, region="chinaeast2", url=standin.url, timeout=timeout)

    def make_with_wrong_key(self, standin: Any) -> MicrosoftEngine:
        return MicrosoftEngine(WRONG_KEY, url=standin.url)

    def test_codes_and_region_are_sent(self, standin: MicrosoftStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "fr")
        assert standin.requests[0] | {} == {
            "q": TEXT,
            "source": "zh-Hans",
            "target": "fr",
            "region": "chinaeast2",
        }
