"""Engine requests in the flows: transient failures are retried (by a Prefect task), nothing else is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.engine_requests import prefect_request
from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate
from translators.baidu import BaiduSettings
from translators.deepl_engine import DeepLSettings
from translators.errors import AuthenticationFailed, EngineUnavailable
from translators.libretranslate import LibreTranslateEngine

# A real Prefect server or `waiwen up`: `pytest -m 'not e2e'` is the fast run without them.
pytestmark = pytest.mark.e2e


@pytest.fixture
def on_server(prefect_api_url: str) -> Iterator[None]:
    """Task runs of this test go to the session's Prefect server."""
    with temporary_settings({PREFECT_API_URL: prefect_api_url}):
        yield


def test_transient_failures_are_retried(
    on_server: None, libretranslate: LibreTranslateStandIn
) -> None:
    request = prefect_request(None, attempts=3)
    engine = LibreTranslateEngine(libretranslate.url)
    libretranslate.fail_next(500, count=2)
    assert request(engine, "通知", "en") == pseudo_translate("通知", "en")
    assert len(libretranslate.requests) == 3


def test_a_refused_key_is_not_retried(
    on_server: None, libretranslate: LibreTranslateStandIn
) -> None:
    request = prefect_request(None, attempts=3)
    libretranslate.fail_next(403)
    with pytest.raises(AuthenticationFailed):
        request(LibreTranslateEngine(libretranslate.url), "通知", "en")
    assert len(libretranslate.requests) == 1


def test_giving_up_says_how_often_it_tried(
    on_server: None, libretranslate: LibreTranslateStandIn
) -> None:
    request = prefect_request(None, attempts=2)
    libretranslate.fail_next(503, count=2)
    with pytest.raises(EngineUnavailable, match=r"\(after 2 tries\)"):
        request(LibreTranslateEngine(libretranslate.url), "通知", "en")
    assert len(libretranslate.requests) == 2


def test_an_empty_secret_setting_is_read_from_a_prefect_secret_block(
    on_server: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from prefect.blocks.system import Secret

    from core.settings import Settings
    from flows.wiring import engine_settings

    monkeypatch.setenv("WAIWEN_CONFIG", str(tmp_path / "waiwen.toml"))
    for variable in ("WAIWEN_DEEPL_AUTH_KEY", "WAIWEN_BAIDU_APPKEY"):
        monkeypatch.delenv(variable, raising=False)
    Secret(value="block-held-key").save("waiwen-deepl-auth-key", overwrite=True)
    with_deepl = engine_settings(Settings(engines=("memory", "deepl")))["deepl"]
    assert isinstance(with_deepl, DeepLSettings)
    assert with_deepl.auth_key.get_secret_value() == "block-held-key"
    assert "block-held-key" not in repr(with_deepl)
    # An engine outside the chain costs no lookup; a setting always wins over the block.
    assert engine_settings(Settings(engines=("memory",))) == {}
    monkeypatch.setenv("WAIWEN_DEEPL_AUTH_KEY", "from-settings")
    chosen = engine_settings(Settings(engines=("deepl",)))["deepl"]
    assert isinstance(chosen, DeepLSettings)
    assert chosen.auth_key.get_secret_value() == "from-settings"
    # No block under that name: empty, and the engine will say what to set.
    baidu = engine_settings(Settings(engines=("baidu",)))["baidu"]
    assert isinstance(baidu, BaiduSettings) and baidu.appkey.get_secret_value() == ""
