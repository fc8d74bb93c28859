"""The engine pacer: at most its rate in any one second, from one process or several sharing a ceiling."""

from __future__ import annotations

import pytest

from translators.pacer import (
    GUARD_SECONDS,
    RETRY_SECONDS,
    TOLERANCE_SECONDS,
    Pacer,
    batch_size,
    ceiling_rate,
)


class Clock:
    """Time that moves only when someone sleeps (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class Ceiling:
    """A rate limit the way Prefect keeps one: `limit` slots that drain at `decay` a second."""

    def __init__(
        self,
        clock: Clock,
        limit: int,
        decay: float,
        refusals: int = 0,
        answers: tuple[float, ...] = (),
    ) -> None:
        self.clock, self.limit, self.decay = clock, limit, decay
        self.answers = list(answers)  # seconds each answer takes to come back (then at once)
        self.active, self.updated = 0.0, 0.0
        self.refusals = refusals  # answers "busy" to the first asks (a 503 from the server)
        self.asks: list[tuple[float, bool]] = []

    def __call__(self, slots: int) -> bool:
        now = self.clock()
        self.active = max(0.0, self.active - self.decay * (now - self.updated))
        self.updated = now
        granted = self.refusals == 0 and self.active + slots <= self.limit + 1e-9
        self.refusals = max(0, self.refusals - 1)
        if granted:
            self.active += slots
        self.asks.append((now, granted))
        self.clock.sleep(self.answers.pop(0) if self.answers else 0.0)
        return granted


def busiest_second(times: list[float]) -> int:
    """The most times in any half-open window of one second."""
    times, start, busiest = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def paced(rate: float, clock: Clock, ceiling: Ceiling, share: float = 0.0) -> Pacer:
    return Pacer(rate, ceiling, clock=clock, sleep=clock.sleep, share=lambda: share)


@pytest.mark.parametrize("rate", [10.0, 3.0, 25.0, 1.0])
def test_one_pacer_lets_at_most_its_rate_leave_in_any_second_and_keeps_close_to_it(
    rate: float,
) -> None:
    clock = Clock()
    ceiling = Ceiling(clock, batch_size(rate), ceiling_rate(rate))
    pacer = paced(rate, clock, ceiling)
    released = []
    for _ in range(int(rate * 30)):
        pacer.wait()
        released.append(clock())
    assert busiest_second(released) == round(rate)
    span = batch_size(rate) / rate + TOLERANCE_SECONDS + GUARD_SECONDS
    mean = (len(released) - 1) / (released[-1] - released[0])
    assert mean >= 0.99 * batch_size(rate) / span


def test_processes_sharing_one_ceiling_stay_under_it_together() -> None:
    # Two processes' callers arrive in turn; each process has its own pacer, the ceiling is one.
    rate, clock = 10.0, Clock()
    ceiling = Ceiling(clock, batch_size(rate), ceiling_rate(rate))
    pacers = [paced(rate, clock, ceiling, 0.5), paced(rate, clock, ceiling, 0.2)]
    released: dict[int, list[float]] = {0: [], 1: []}
    for turn in range(400):
        which = turn % 2 if turn % 7 else 1 - turn % 2  # not strictly alternating
        pacers[which].wait()
        released[which].append(clock())
    assert released[0] and released[1]
    assert busiest_second(released[0] + released[1]) <= rate


def test_a_busy_or_full_ceiling_is_asked_again_after_the_retry_pause() -> None:
    clock = Clock()
    ceiling = Ceiling(clock, 10, ceiling_rate(10.0), refusals=2)
    pacer = paced(10.0, clock, ceiling)
    pacer.wait()
    assert ceiling.asks == [
        (0.0, False),
        (RETRY_SECONDS, False),
        (pytest.approx(2 * RETRY_SECONDS), True),
    ]
    assert clock() == pytest.approx(2 * RETRY_SECONDS)


def test_a_slot_nobody_used_in_time_is_given_up_not_sent_late() -> None:
    clock = Clock()
    ceiling = Ceiling(clock, 10, ceiling_rate(10.0))
    pacer = paced(10.0, clock, ceiling)
    pacer.wait()  # the first slot, at the grant
    clock.now = 0.3 + TOLERANCE_SECONDS + 0.01  # the next caller comes late: 0.1 ... 0.3 are gone
    pacer.wait()
    assert clock() == pytest.approx(0.4)
    released = [clock()]
    while len(ceiling.asks) == 1:
        pacer.wait()
        released.append(clock())
    # The batch's remaining slots were 0.4 ... 0.9; the next request waited for a new batch.
    assert released[:-1] == pytest.approx([0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert released[-1] >= 1.0 + TOLERANCE_SECONDS + GUARD_SECONDS


def test_a_request_waits_for_its_slot_and_never_leaves_before_it() -> None:
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, 10, ceiling_rate(10.0)))
    times = []
    for _ in range(5):
        pacer.wait()
        times.append(clock())
    assert times == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_a_slow_answer_to_the_ask_narrows_the_slots_to_the_ceilings_timeline() -> None:
    # Granted at 0, known at 0.03: a slot may open at 0.03 + k/10 and must close by 0 + k/10 + tolerance.
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, 10, ceiling_rate(10.0), answers=(0.03,)))
    times = []
    for _ in range(3):
        pacer.wait()
        times.append(clock())
    assert times == pytest.approx([0.03, 0.13, 0.23])
    clock.now = 0.3 + TOLERANCE_SECONDS + 0.001  # past the slot of 0.3 on the ceiling's timeline
    pacer.wait()
    assert clock() == pytest.approx(0.43)


def test_an_answer_slower_than_the_tolerance_leaves_the_batch_unused() -> None:
    clock = Clock()
    ceiling = Ceiling(clock, 10, ceiling_rate(10.0), answers=(TOLERANCE_SECONDS + 0.01,))
    pacer = paced(10.0, clock, ceiling)
    pacer.wait()
    # The first batch could have been granted too early to use safely; the second one is used.
    assert [granted for _, granted in ceiling.asks] == [True, True]


@pytest.mark.parametrize("rate", [0.0, -1.0])
def test_a_rate_that_is_not_positive_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="above 0"):
        Pacer(rate, lambda _slots: True)
