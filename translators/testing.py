"""The contract every engine keeps, as pytest cases an engine's test class inherits.

Shipped with waiwen so that the built-in engines and outside packages run the same cases:

- `EngineContract`, for every engine: the subclass defines the fixtures `engine` (the engine under
  test) and `expected_translation` (a function `(text, target) -> str` saying what the engine
  answers for a text).
- `ProviderEngineContract`, for an engine that calls a provider over the network: every case above
  plus the provider's failures. The subclass defines the fixture `standin` (a started loopback
  stand-in of its provider, see `ProviderStandIn`), `make(standin, timeout)` and, when the
  provider takes a key, `make_with_wrong_key(standin)`; `engine` comes from `make`.

An engine that calls no provider (an offline engine) inherits `EngineContract` only; whether it has
a provider is a matter of which class it inherits, so no case is skipped for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pytest

from core.languages import OFFICE_COLUMNS
from core.targets import target_languages
from translators.base import Engine
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)

__all__ = [
    "TEXT",
    "UNKNOWN_LANGUAGE",
    "WRONG_KEY",
    "EngineContract",
    "ExpectedTranslation",
    "ProviderEngineContract",
    "ProviderStandIn",
]

TEXT = "请于3月1日前提交申请。"
UNKNOWN_LANGUAGE = "xx"  # a code of no language waiwen knows: every engine refuses it
WRONG_KEY = "wrong-key-that-must-never-be-shown"

# What an engine answers for a text in a target language: the `expected_translation` fixture.
ExpectedTranslation = Callable[[str, str], str]


class ProviderStandIn(Protocol):
    """A loopback stand-in of a provider, as `ProviderEngineContract` drives it."""

    # Every translation request received, oldest first; "q" is the text it carried.
    requests: list[dict[str, Any]]

    def fail_next(self, status: int, count: int = 1) -> None:
        """Answer the next translation requests with the provider's error for this HTTP status."""
        ...

    def hang_next(self, count: int = 1) -> None:
        """Hold the next translation requests open, answering none."""
        ...

    def wrong_language_next(self, count: int = 1) -> None:
        """Answer the next translation requests with the source text unchanged."""
        ...

    def empty_next(self, count: int = 1) -> None:
        """Answer the next translation requests with an empty translation."""
        ...

    def stop(self) -> None:
        """Stop listening, so that connections are refused."""
        ...


class EngineContract:
    """Every engine: define the fixtures `engine` and `expected_translation`, then inherit."""

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """`target` runs over the configured targets, read when the tests are collected (not at
        import): WAIWEN_TARGET_LANGUAGES=en,de,ar runs the cases for en, de and ar."""
        if "target" in metafunc.fixturenames:
            metafunc.parametrize("target", target_languages())

    def test_it_is_an_engine_with_an_id_and_a_label(self, engine: Engine) -> None:
        assert isinstance(engine, Engine)
        assert engine.id and engine.label

    def test_translates_chinese_into_each_target(
        self, engine: Engine, expected_translation: ExpectedTranslation, target: str
    ) -> None:
        # Every engine translates into the office's four; a further configured language an
        # engine's provider lacks is refused (UnsupportedLanguage), and the chain's next one drafts.
        if target in OFFICE_COLUMNS or engine.supports("zh", target):
            assert engine.supports("zh", target)
            assert engine.translate(TEXT, "zh", target) == expected_translation(TEXT, target)
        else:
            with pytest.raises(UnsupportedLanguage):
                engine.translate(TEXT, "zh", target)

    def test_an_unsupported_pair_is_refused(self, engine: Engine) -> None:
        assert not engine.supports("zh", UNKNOWN_LANGUAGE) and not engine.supports("zh", "zh")
        with pytest.raises(UnsupportedLanguage):
            engine.translate(TEXT, "zh", UNKNOWN_LANGUAGE)

    def test_a_blank_segment_comes_back_as_it_is(self, engine: Engine) -> None:
        assert engine.translate("  ", "zh", "en") == "  "


class ProviderEngineContract(EngineContract):
    """An engine with a provider: define `standin`, `make` (and `make_with_wrong_key` if keyed)."""

    keyed = True  # False for a provider that takes no key (the wrong-key case is then skipped)
    # Longest text one request carries; the splitting case sends more than this.
    limit = 1000

    def make(self, standin: Any, timeout: float = 5.0) -> Engine:
        """The engine under test, pointed at the stand-in."""
        raise NotImplementedError(f"{type(self).__name__} must define make(standin, timeout)")

    def make_with_wrong_key(self, standin: Any) -> Engine:
        """The engine with WRONG_KEY as its key."""
        raise NotImplementedError(f"{type(self).__name__} must define make_with_wrong_key(standin)")

    @pytest.fixture
    def engine(self, standin: ProviderStandIn) -> Engine:
        """The engine under test, pointed at the stand-in."""
        return self.make(standin)

    def test_an_unsupported_pair_costs_no_request(self, standin: ProviderStandIn) -> None:
        with pytest.raises(UnsupportedLanguage):
            self.make(standin).translate(TEXT, "zh", UNKNOWN_LANGUAGE)
        assert standin.requests == []

    def test_a_blank_segment_costs_no_request(self, standin: ProviderStandIn) -> None:
        self.make(standin).translate("  ", "zh", "en")
        assert standin.requests == []

    def test_429_is_rate_limited_and_transient(self, standin: ProviderStandIn) -> None:
        standin.fail_next(429)
        with pytest.raises(RateLimited) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert error.value.transient

    def test_500_is_unavailable_and_transient(self, standin: ProviderStandIn) -> None:
        standin.fail_next(500)
        with pytest.raises(EngineUnavailable) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert error.value.transient

    def test_no_answer_within_the_timeout_is_unavailable(self, standin: ProviderStandIn) -> None:
        standin.hang_next()
        with pytest.raises(EngineUnavailable, match="within 0.3 s"):
            self.make(standin, timeout=0.3).translate(TEXT, "zh", "en")

    def test_a_refused_connection_is_unavailable(self, standin: ProviderStandIn) -> None:
        engine = self.make(standin)
        standin.stop()
        with pytest.raises(EngineUnavailable):
            engine.translate(TEXT, "zh", "en")

    def test_a_wrong_key_is_refused_and_never_shown(self, standin: ProviderStandIn) -> None:
        if not self.keyed:
            pytest.skip("this provider takes no key")
        engine = self.make_with_wrong_key(standin)
        with pytest.raises(AuthenticationFailed) as error:
            engine.translate(TEXT, "zh", "en")
        assert not error.value.transient
        shown = f"{error.value} {error.value!r} {engine!r} {error.value.__cause__ or ''}"
        assert WRONG_KEY not in shown

    def test_the_chinese_text_back_is_bad_output(self, standin: ProviderStandIn) -> None:
        standin.wrong_language_next()
        with pytest.raises(BadOutput, match="unchanged"):
            self.make(standin).translate(TEXT, "zh", "en")

    def test_an_empty_answer_is_bad_output(self, standin: ProviderStandIn) -> None:
        standin.empty_next()
        with pytest.raises(EngineError) as error:
            self.make(standin).translate(TEXT, "zh", "en")
        assert isinstance(error.value, BadOutput)

    def test_a_text_over_the_limit_is_sent_in_pieces(
        self, standin: ProviderStandIn, expected_translation: ExpectedTranslation
    ) -> None:
        sentence = "市政府外办召开领事工作通报会，各国驻沪领事机构代表出席会议。"
        text = sentence * (self.limit // len(sentence) + 2)
        result = self.make(standin).translate(text, "zh", "en")
        sent = [r["q"] for r in standin.requests]
        assert len(sent) >= 2 and all(len(q) <= self.limit for q in sent)
        assert "".join(sent) == text
        assert result == " ".join(expected_translation(q, "en") for q in sent)
