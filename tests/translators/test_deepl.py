"""DeepL through the official SDK over real HTTP: the contract, the header key, glossaries, quota."""

from __future__ import annotations

from typing import Any

import pytest

from tests.standins.deepl import DeepLStandIn
from translators.deepl_engine import DeepLEngine
from translators.errors import EngineError
from translators.glossary import Glossary, Term
from translators.registry import build_engine
from translators.testing import TEXT, WRONG_KEY, ProviderEngineContract


class TestDeepL(ProviderEngineContract):
    limit = 30_000

    @pytest.fixture
    def standin(self, deepl_standin: DeepLStandIn) -> DeepLStandIn:
        return deepl_standin

    def make(self, standin: Any, timeout: float = 5.0) -> DeepLEngine:
        return DeepLEngine(standin.auth_key, url=standin.url, timeout=timeout)

    def make_with_wrong_key(self, standin: Any) -> DeepLEngine:
        return DeepLEngine(WRONG_KEY, url=standin.url)

    def test_the_key_goes_in_the_header_never_the_query(self, standin: DeepLStandIn) -> None:
        self.make(standin).translate(TEXT, "zh", "en")
        [request] = standin.requests
        assert request["query_key"] is False
        assert (request["source"], request["target"]) == ("ZH", "EN-GB")

    def test_a_used_up_quota_is_not_retried(self, standin: DeepLStandIn) -> None:
        standin.fail_next(456)
        with pytest.raises(EngineError, match="quota is used up") as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert not error.value.transient
        assert len(standin.requests) == 1  # the SDK's own retries are off

    def test_the_office_glossary_is_created_once_and_applied(self, standin: DeepLStandIn) -> None:
        glossary = Glossary([Term("申请", "en", "application"), Term("申请", "fr", "demande")])
        engine = self.make(standin)
        engine.use_glossary(glossary)
        engine.translate(TEXT, "zh", "en")
        engine.translate("请提交申请。", "zh", "en")
        [created] = standin.glossaries.values()
        assert created["entries"] == {"申请": "application"}
        assert [r["glossary_id"] for r in standin.requests] == [created["glossary_id"]] * 2
        # Another run (a new engine) finds the glossary by its name instead of making a second.
        again = self.make(standin)
        again.use_glossary(glossary)
        assert "application" in again.translate("请提交申请。", "zh", "en")
        assert len(standin.glossaries) == 1

    def test_a_language_without_terms_sends_no_glossary(self, standin: DeepLStandIn) -> None:
        engine = self.make(standin)
        engine.use_glossary(Glossary([Term("申请", "en", "application")]))
        engine.translate(TEXT, "zh", "ko")
        assert standin.requests[0]["glossary_id"] is None and standin.glossaries == {}


@pytest.mark.usefixtures("engine_environment")
def test_without_a_key_the_setting_is_named() -> None:
    with pytest.raises(ValueError, match="WAIWEN_DEEPL_AUTH_KEY"):
        build_engine("deepl")
