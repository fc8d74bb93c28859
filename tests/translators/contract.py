"""The contract every engine keeps, as tests each engine's test class inherits.

A subclass provides the `standin` fixture (a started loopback stand-in of its provider) and `make`
(the engine pointed at it); keyed engines also provide `make_with_wrong_key`. Every case runs the
engine's real client code over real HTTP.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.standins.libretranslate import pseudo_translate
from translators.base import Engine
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)

TEXT = "请于3月1日前提交申请。"
TARGETS = ("en", "ja", "fr", "ko")
WRONG_KEY = "wrong-key-that-must-never-be-shown"


class EngineContract:
    """Inherit, then define the `standin` fixture and `make` (and `make_with_wrong_key` if keyed)."""

    keyed = True
    # Longest text one request carries; the splitting case sends more than this.
    limit = 1000

    def make(self, standin: Any, timeout: float = 5.0) -> Engine:
        """The engine under test, pointed at the stand-in."""
        raise NotImplementedError

    def make_with_wrong_key(self, standin: Any) -> Engine:
        """The engine with WRONG_KEY as its key."""
        raise NotImplementedError

    def expected(self, text: str, target: str) -> str:
        """What the stand-in answers for `text`."""
        return pseudo_translate(text, target)

    @pytest.mark.parametrize("target", TARGETS)
    def test_translates_chinese_into_each_target(self, standin: Any, target: str) -> None:
        engine = self.make(standin)
        assert engine.supports("zh", target)
        assert engine.translate(TEXT, "zh", target) == self.expected(TEXT, target)

    def test_an_unsupported_pair_is_refused_without_a_request(self, standin: Any) -> None:
        engine = self.make(standin)
        assert not engine.supports("zh", "de") and not engine.supports("zh", "zh")
        with pytest.raises(UnsupportedLanguage):
            engine.translate(TEXT, "zh", "de")
        assert standin.requests == []

    def test_429_is_rate_limited_and_transient(self, standin: Any) -> None:
        standin.fail_next(429)
        with pytest.raises(RateLimited) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert error.value.transient

    def test_500_is_unavailable_and_transient(self, standin: Any) -> None:
        standin.fail_next(500)
        with pytest.raises(EngineUnavailable) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert error.value.transient

    def test_no_answer_within_the_timeout_is_unavailable(self, standin: Any) -> None:
        standin.hang_next()
        with pytest.raises(EngineUnavailable, match="within 0.3 s"):
            self.make(standin, timeout=0.3).translate(TEXT, "zh", "en")

    def test_a_refused_connection_is_unavailable(self, standin: Any) -> None:
        engine = self.make(standin)
        standin.stop()
        with pytest.raises(EngineUnavailable):
            engine.translate(TEXT, "zh", "en")

    def test_a_wrong_key_is_refused_and_never_shown(self, standin: Any) -> None:
        if not self.keyed:
            pytest.skip("this provider takes no key")
        engine = self.make_with_wrong_key(standin)
        with pytest.raises(AuthenticationFailed) as error:
            engine.translate(TEXT, "zh", "en")
        assert not error.value.transient
        shown = f"{error.value} {error.value!r} {engine!r} {error.value.__cause__ or ''}"
        assert WRONG_KEY not in shown

    def test_the_chinese_text_back_is_bad_output(self, standin: Any) -> None:
        standin.wrong_language_next()
        with pytest.raises(BadOutput, match="unchanged"):
            self.make(standin).translate(TEXT, "zh", "en")

    def test_an_empty_answer_is_bad_output(self, standin: Any) -> None:
        standin.empty_next()
        with pytest.raises(EngineError) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert isinstance(error.value, BadOutput)

    def test_a_text_over_the_limit_is_sent_in_pieces(self, standin: Any) -> None:
        sentence = "市政府外办召开领事工作通报会，各国驻沪领事机构代表出席会议。"
        text = sentence * (self.limit // len(sentence) + 2)
        result = self.make(standin).translate(text, "zh", "en")
        sent = [r["q"] for r in standin.requests]
        assert len(sent) >= 2 and all(len(q) <= self.limit for q in sent)
        assert "".join(sent) == text
        assert result == " ".join(self.expected(q, "en") for q in sent)
