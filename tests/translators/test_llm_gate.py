"""The gate to one chat server: requests at once and tokens a minute, for every sender of a process."""

from __future__ import annotations

import threading
from contextlib import ExitStack

import pytest

from translators.llm.gate import WINDOW_SECONDS, RequestGate, gate_for


class Clock:
    """A clock that moves only when the gate sleeps, so waits are exact and instant."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def gate(tokens_per_minute: int, concurrent: int = 4) -> tuple[RequestGate, Clock]:
    clock = Clock()
    return RequestGate(concurrent, tokens_per_minute, clock=clock, sleep=clock.sleep), clock


def test_a_request_waits_until_the_minute_has_room_for_its_estimate() -> None:
    limited, clock = gate(1000)
    with limited.admit(600):
        pass
    started = clock.now
    with limited.admit(600):
        pass
    assert clock.now - started == pytest.approx(WINDOW_SECONDS)


def test_the_minute_is_corrected_with_what_the_server_counted() -> None:
    limited, clock = gate(1000)
    with limited.admit(600) as settle:
        settle(300)  # the answer was shorter than reckoned
    with limited.admit(600):
        pass
    assert clock.slept == []


def test_a_request_dearer_than_the_minute_goes_alone_once_the_minute_is_empty() -> None:
    limited, clock = gate(1000)
    with limited.admit(200):
        pass
    with limited.admit(5000):
        pass
    assert sum(clock.slept) == pytest.approx(WINDOW_SECONDS)


def test_no_token_limit_never_waits() -> None:
    unlimited, clock = gate(0)
    for _ in range(50):
        with unlimited.admit(100_000):
            pass
    assert clock.slept == []


def test_no_more_requests_are_in_flight_than_the_gate_allows() -> None:
    capped, _clock = gate(0, concurrent=2)
    entered = threading.Event()

    def third() -> None:
        with capped.admit(1):
            entered.set()

    with ExitStack() as held:
        held.enter_context(capped.admit(1))
        held.enter_context(capped.admit(1))
        waiting = threading.Thread(target=third)
        waiting.start()
        assert not entered.wait(0.2)  # both places taken: the third request waits
    assert entered.wait(10)  # a place freed: it goes
    waiting.join(10)


def test_one_server_and_model_share_one_gate_in_a_process() -> None:
    first = gate_for("http://127.0.0.1:1/v1", "qwen", 4, 0)
    assert gate_for("http://127.0.0.1:1/v1", "qwen", 4, 0) is first
    assert gate_for("http://127.0.0.1:1/v1", "deepseek-chat", 4, 0) is not first


@pytest.mark.parametrize(
    ("concurrent", "tokens", "message"),
    [(0, 0, "at least 1"), (1, -1, "must not be negative")],
)
def test_limits_that_cannot_hold_are_refused(concurrent: int, tokens: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RequestGate(concurrent, tokens)
