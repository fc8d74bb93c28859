"""draft_segment: memory, copy, engine order, retries, throttling, notes."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from tests.standins.libretranslate import LibreTranslateStandIn, pseudo_translate
from translators.chain import Draft, backoff_delay, draft_segment
from translators.errors import (
    AuthenticationFailed,
    EngineError,
    EngineUnavailable,
    RateLimited,
)
from translators.libretranslate import LibreTranslateEngine
from translators.memory import DictMemory

TEXT = "请于三月一日前提交申请。"


class FakeEngine:
    """An engine that plays back a script of results and errors."""

    def __init__(
        self,
        engine_id: str,
        script: list[str | EngineError | Exception] | None = None,
        targets: tuple[str, ...] = ("en", "ja", "fr", "ko"),
    ) -> None:
        self.id = engine_id
        self.label = f"fake {engine_id}"
        self.script = list(script or [f"[{engine_id}]"])
        self.targets = targets
        self.calls: list[tuple[str, str, str]] = []

    def supports(self, source: str, target: str) -> bool:
        return source == "zh" and target in self.targets

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step


def no_wait(attempt: int) -> None:
    """Backoff that does not sleep."""


def draft(
    engines: list[FakeEngine],
    memory: DictMemory | None = None,
    throttle: Callable[[str], None] | None = None,
    attempts: int = 3,
    text: str = TEXT,
) -> Draft:
    return draft_segment(
        text,
        "en",
        memory=memory or DictMemory(),
        engines=engines,
        throttle=throttle,
        attempts=attempts,
        backoff=no_wait,
    )


def test_memory_hit_wins_and_calls_no_engine() -> None:
    memory = DictMemory()
    memory.add("请于三月一日前提交申请。 ", "en", "Please apply by 1 March.")
    engine = FakeEngine("a")
    assert draft([engine], memory) == Draft("Please apply by 1 March.", "memory")
    assert engine.calls == []


def test_memory_for_another_language_is_not_used() -> None:
    memory = DictMemory()
    memory.add(TEXT, "fr", "Veuillez déposer votre demande avant le 1er mars.")
    assert draft([FakeEngine("a")], memory) == Draft("[a]", "engine:a")


@pytest.mark.parametrize("segment", ["2025", "——", "1.2.3", "（3）", " "])
def test_segments_without_words_are_copied(segment: str) -> None:
    engine = FakeEngine("a")
    assert draft([engine], text=segment) == Draft(segment, "copy")
    assert engine.calls == []


def test_first_engine_that_supports_the_target_is_used() -> None:
    no_english = FakeEngine("ko-only", targets=("ko",))
    first, second = FakeEngine("a"), FakeEngine("b")
    assert draft([no_english, first, second]) == Draft("[a]", "engine:a")
    assert no_english.calls == [] and second.calls == []
    assert first.calls == [(TEXT, "zh", "en")]


def test_transient_errors_are_retried_then_succeed() -> None:
    waits: list[int] = []
    engine = FakeEngine("a", [RateLimited("a", "slow down"), EngineUnavailable("a", "500"), "ok"])
    result = draft_segment(TEXT, "en", memory=DictMemory(), engines=[engine], backoff=waits.append)
    assert result == Draft("ok", "engine:a")
    assert len(engine.calls) == 3
    assert waits == [1, 2]


def test_exhausted_retries_pass_to_the_next_engine() -> None:
    flaky = FakeEngine("a", [EngineUnavailable("a", "connection refused")])
    backup = FakeEngine("b")
    assert draft([flaky, backup], attempts=3) == Draft("[b]", "engine:b")
    assert len(flaky.calls) == 3


def test_permanent_error_is_not_retried() -> None:
    locked = FakeEngine("a", [AuthenticationFailed("a", "bad key")])
    backup = FakeEngine("b")
    assert draft([locked, backup]) == Draft("[b]", "engine:b")
    assert len(locked.calls) == 1


def test_all_failing_needs_translation_with_a_note() -> None:
    a = FakeEngine("a", [EngineUnavailable("a", "connection refused")])
    b = FakeEngine("b", [AuthenticationFailed("b", "bad key")])
    result = draft([a, b])
    assert result.text is None and result.origin == "none"
    assert result.note == "a: connection refused (after 3 tries); b: bad key"


def test_single_failing_engine_note_says_there_is_no_other() -> None:
    a = FakeEngine("a", [EngineUnavailable("a", "connection refused")])
    assert draft([a], attempts=1).note == "a: connection refused; no other engine"


def test_no_engine_is_a_note_too() -> None:
    assert draft([]) == Draft(None, "none", "no translation engine configured")
    only_ko = FakeEngine("k", targets=("ko",))
    assert draft([only_ko]) == Draft(None, "none", "no engine supports zh→en")


def test_throttle_is_called_once_per_request() -> None:
    seen: list[str] = []
    flaky = FakeEngine(
        "a", [RateLimited("a", "429"), RateLimited("a", "429"), RateLimited("a", "429")]
    )
    backup = FakeEngine("b")
    draft([flaky, backup], throttle=seen.append)
    assert seen == ["a", "a", "a", "b"]


def test_contract_breaking_engine_output_and_exceptions_are_contained() -> None:
    empty = FakeEngine("empty", [""])
    broken = FakeEngine("broken", [RuntimeError("key=abc")])
    result = draft([empty, broken])
    assert result.text is None
    assert "abc" not in result.note
    assert "empty: empty translation" in result.note


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (12, 8.0)]:
        delay = backoff_delay(attempt, rng)
        assert ceiling / 2 <= delay <= ceiling


def test_real_engine_rate_limited_twice_then_translated() -> None:
    seen: list[str] = []
    with LibreTranslateStandIn() as standin:
        standin.fail_next(429, count=2)
        engine = LibreTranslateEngine(standin.url, timeout=5)
        result = draft_segment(
            TEXT, "ja", memory=DictMemory(), engines=[engine], throttle=seen.append, backoff=no_wait
        )
        assert len(standin.requests) == 3
    assert result == Draft(pseudo_translate(TEXT, "ja"), "engine:libretranslate")
    assert seen == ["libretranslate"] * 3


def test_real_engine_down_gives_a_note() -> None:
    standin = LibreTranslateStandIn().start()
    url = standin.url
    standin.stop()
    result = draft_segment(
        TEXT,
        "fr",
        memory=DictMemory(),
        engines=[LibreTranslateEngine(url, timeout=5)],
        backoff=no_wait,
    )
    assert result.text is None
    assert result.note.startswith("libretranslate: connection refused")
    assert result.note.endswith("; no other engine")
