"""Tencent TMT through the official SDK over real HTTP, with TC3 signatures checked at the stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standins.tencent import TencentStandIn
from translators.errors import AuthenticationFailed
from translators.registry import build_engine
from translators.tencent import MAX_CHARS, TencentEngine
from translators.testing import TEXT, WRONG_KEY, ProviderEngineContract


class TestTencent(ProviderEngineContract):
    limit = MAX_CHARS

    @pytest.fixture
    def standin(self, tencent_standin: TencentStandIn) -> TencentStandIn:
        return tencent_standin

    def make(self, standin: Any, timeout: float = 5.0) -> TencentEngine:
        return TencentEngine(
            standin.secret_id, standin.secret_key, endpoint=standin.endpoint, timeout=timeout
        )

    def make_with_wrong_key(self, standin: Any) -> TencentEngine:
        return TencentEngine(standin.secret_id, WRONG_KEY, endpoint=standin.endpoint)

    def test_the_action_and_codes_are_sent(self, standin: TencentStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "ko")
        assert standin.requests[0] | {} == {
            "q": TEXT,
            "source": "zh",
            "target": "ko",
            "action": "TextTranslate",
        }

    def test_an_unknown_secret_id_is_named(self, standin: TencentStandIn) -> None:
        engine = TencentEngine("AKIDother", standin.secret_key, endpoint=standin.endpoint)
        with pytest.raises(AuthenticationFailed, match="AuthFailure.SecretIdNotFound"):
            engine.translate(TEXT, "zh", "en")


@pytest.mark.usefixtures("engine_environment")
def test_without_credentials_the_settings_are_named() -> None:
    with pytest.raises(ValueError, match="WAIWEN_TENCENT_SECRET_ID and WAIWEN_TENCENT_SECRET_KEY"):
        build_engine("tencent")
