"""The engine pacer: at most its rate in any one second, from one process or several sharing a ceiling."""

from __future__ import annotations

import math
import random

import pytest

from translators.pacer import (
    RETRY_SECONDS,
    TOLERANCE_SECONDS,
    Pacer,
    batch_size,
    ceiling_rate,
    drain_seconds,
    spacing,
)

S = spacing(10.0)  # seconds between two cells at 10 requests a second


class Clock:
    """Time that moves only when someone sleeps (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class Ceiling:
    """A rate limit the way Prefect keeps one: `limit` whole slots that drain at `decay` a second,
    counted from the limit's last change (a grant, or the note of a refusal)."""

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
        self.active, self.changed = 0, 0.0
        self.refusals = refusals  # answers "busy" to the first asks (a 503 from the server)
        self.asks: list[tuple[float, bool]] = []

    def held(self) -> int:
        """Slots still held now: whole slots drained since the last change, as Prefect counts."""
        return max(0, self.active - math.floor(self.decay * (self.clock() - self.changed)))

    def __call__(self, slots: int) -> bool:
        now, busy = self.clock(), self.refusals > 0
        self.refusals = max(0, self.refusals - 1)
        granted = not busy and self.held() + slots <= self.limit
        if granted:
            self.active, self.changed = self.held() + slots, now
        elif not busy:
            self.changed = now  # Prefect notes the refused slots: its drain count starts again
        self.asks.append((now, granted))
        assert len(self.asks) < 10_000, "asked again and again: the ceiling never drains"
        self.clock.sleep(self.answers.pop(0) if self.answers else 0.0)
        return granted

    def until_drained(self) -> float:
        """What the pacer reads from Prefect: the time from the last change to a whole drain."""
        return self.changed + self.limit / self.decay - self.clock() if self.held() else 0.0


def busiest_second(times: list[float]) -> int:
    """The most times in any half-open window of one second."""
    times, start, busiest = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def paced(rate: float, clock: Clock, ceiling: Ceiling, share: float = 0.0) -> Pacer:
    return Pacer(
        rate,
        ceiling,
        until_drained=ceiling.until_drained,
        clock=clock,
        sleep=clock.sleep,
        share=lambda: share,
    )


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
    assert busiest_second(released) <= round(rate)
    mean = (len(released) - 1) / (released[-1] - released[0])
    assert mean >= 0.99 * batch_size(rate) / drain_seconds(rate)
    assert ceiling_rate(rate) >= 0.92 * rate  # what the pacer gives up for its guarantees


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
    ceiling = Ceiling(clock, batch_size(10.0), ceiling_rate(10.0), refusals=2)
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
    ceiling = Ceiling(clock, batch_size(10.0), ceiling_rate(10.0))
    pacer = paced(10.0, clock, ceiling)
    pacer.wait()  # the first slot, at the grant
    # The next caller comes late: slots 1 ... 3 have closed, slot 4 is still open.
    late = clock.now = 3 * S + TOLERANCE_SECONDS + 0.001
    pacer.wait()
    assert clock() == late
    released = []
    while len(ceiling.asks) == 1:
        pacer.wait()
        released.append(clock())
    # The batch's remaining slots were 5 ... 49, each used in its cell; the next request waited
    # for a new batch.
    slots = [k * S for k in range(5, batch_size(10.0))]
    assert len(released[:-1]) == len(slots)
    assert all(
        at <= sent <= at + TOLERANCE_SECONDS for at, sent in zip(slots, released[:-1], strict=True)
    )
    assert released[-1] >= drain_seconds(10.0)


def test_a_request_waits_for_its_slot_and_never_leaves_before_it() -> None:
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, batch_size(10.0), ceiling_rate(10.0)))
    times = []
    for _ in range(5):
        pacer.wait()
        times.append(clock())
    assert times == pytest.approx([0.0, S, 2 * S, 3 * S, 4 * S])


def test_a_request_late_in_its_slot_holds_back_only_the_one_a_second_after_it() -> None:
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, batch_size(10.0), ceiling_rate(10.0)))
    pacer.wait()
    clock.now = S + 0.1  # late in slot 1 (it closes at S + the tolerance)
    pacer.wait()
    times = []
    for _ in range(12):
        pacer.wait()
        times.append(clock())
    grid = [k * S for k in range(2, 14)]
    # Slot 11 waits ten spacings after the late request; the slots around it keep the grid.
    assert times[:9] == pytest.approx(grid[:9])
    assert times[9] == pytest.approx(S + 0.1 + 10 * S)
    assert times[10:] == pytest.approx(grid[10:])


def test_callers_arriving_at_random_never_bring_more_than_the_rate_into_one_second() -> None:
    # Callers come late by up to two slots, and sometimes not for a while: wherever a request
    # leaves in its slot, no second holds more than ten.
    clock, arrivals = Clock(), random.Random(20)
    pacer = paced(10.0, clock, Ceiling(clock, batch_size(10.0), ceiling_rate(10.0)), 0.5)
    released = []
    for _ in range(2000):
        clock.now += arrivals.choice(
            [0.0, 0.0, 0.0, arrivals.uniform(0, 2 * S), arrivals.uniform(0, 3)]
        )
        pacer.wait()
        released.append(clock())
    assert busiest_second(released) == 10


def test_a_slow_answer_to_the_ask_narrows_the_last_slots_to_the_ceilings_timeline() -> None:
    # Granted at 0, known at 0.03: a slot opens at 0.03 + k spacings; only the last ten, which
    # lie within a second of the next batch, must close by 0 + k spacings + the tolerance.
    clock = Clock()
    ceiling = Ceiling(clock, batch_size(10.0), ceiling_rate(10.0), answers=(0.03,))
    pacer = paced(10.0, clock, ceiling)
    times = []
    for _ in range(3):
        pacer.wait()
        times.append(clock())
    assert times == pytest.approx([0.03, 0.03 + S, 0.03 + 2 * S])
    late = clock.now = 3 * S + TOLERANCE_SECONDS + 0.001  # slot 3, counted from the answer
    pacer.wait()
    assert clock() == late
    for _ in range(4, 40):
        pacer.wait()
    clock.now = 40 * S + TOLERANCE_SECONDS + 0.001  # slot 40 is one of the last ten: closed
    pacer.wait()
    assert clock() == pytest.approx(0.03 + 41 * S)


def test_an_answer_slower_than_the_tolerance_leaves_the_last_second_of_the_batch_unused() -> None:
    clock = Clock()
    ceiling = Ceiling(
        clock, batch_size(10.0), ceiling_rate(10.0), answers=(TOLERANCE_SECONDS + 0.01,)
    )
    pacer = paced(10.0, clock, ceiling)
    pacer.wait()
    first = 1
    while len(ceiling.asks) == 1:
        pacer.wait()
        first += 1
    # The batch could have been granted too early for its last ten slots to be used safely;
    # its other forty were used (the next request took a new batch).
    assert first - 1 == batch_size(10.0) - 10
    assert [granted for _, granted in ceiling.asks] == [True, True]
    assert pacer.counts["answers slower than the tolerance"] == 1


def test_the_pacer_counts_what_became_of_its_batches() -> None:
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, batch_size(10.0), ceiling_rate(10.0)))
    pacer.wait()
    clock.now = 3 * S + TOLERANCE_SECONDS + 0.001  # slots 1 to 3 were not used in time
    pacer.wait()
    assert pacer.counts == {"batches": 1, "requests": 2, "cells given up": 3}


def test_departures_are_recorded_once_asked_for() -> None:
    clock = Clock()
    pacer = paced(10.0, clock, Ceiling(clock, batch_size(10.0), ceiling_rate(10.0)))
    pacer.wait()
    pacer.departures = []
    pacer.wait()
    pacer.wait()
    assert pacer.departures == pytest.approx([S, 2 * S])


@pytest.mark.parametrize("rate", [0.0, -1.0])
def test_a_rate_that_is_not_positive_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="above 0"):
        Pacer(rate, lambda _slots: True)


def test_a_process_waits_for_the_ceiling_another_holds_without_being_refused() -> None:
    rate, clock = 10.0, Clock()
    ceiling = Ceiling(clock, batch_size(rate), ceiling_rate(rate))
    holder, waiting = paced(rate, clock, ceiling), paced(rate, clock, ceiling)
    holder.wait()  # takes the first batch at 0
    clock.now = 1.0
    waiting.wait()  # reads the ceiling at 1.0 and asks once the holder's batch drained
    assert [granted for _, granted in ceiling.asks] == [True, True]
    assert drain_seconds(rate) <= clock() <= drain_seconds(rate) + 2 / ceiling_rate(rate)


def test_processes_taking_turns_at_one_ceiling_keep_it_busy() -> None:
    # Each process has a run of callers, two batches' worth, then the other takes over: the
    # ceiling passes from one to the other at its drain, not a drain later (a refused ask would
    # restart Prefect's drain).
    rate, clock = 10.0, Clock()
    ceiling = Ceiling(clock, batch_size(rate), ceiling_rate(rate))
    pacers = [paced(rate, clock, ceiling, 0.5), paced(rate, clock, ceiling, 0.2)]
    released = []
    for turn in range(1000):
        pacers[turn // (2 * batch_size(rate)) % 2].wait()
        released.append(clock())
    assert (len(released) - 1) / released[-1] >= 0.97 * ceiling_rate(rate)
    assert busiest_second(released) == rate


class GivenBack(Ceiling):
    """The ceiling with Prefect's decrement: slots returned are no longer held."""

    def give_back(self, slots: int) -> None:
        self.active, self.changed = max(0, self.held() - slots), self.clock()


def test_a_batch_given_back_lets_another_process_start_a_second_after_the_last_request() -> None:
    rate, clock = 10.0, Clock()
    ceiling = GivenBack(clock, batch_size(rate), ceiling_rate(rate))
    done = Pacer(
        rate,
        ceiling,
        until_drained=ceiling.until_drained,
        give_back=ceiling.give_back,
        clock=clock,
        sleep=clock.sleep,
    )
    released = []
    for _ in range(3):  # three requests of a batch of fifty, then the process is done
        done.wait()
        released.append(clock())
    done.release()
    nxt = paced(rate, clock, ceiling)
    for _ in range(12):
        nxt.wait()
        released.append(clock())
    assert released[3] == pytest.approx(released[2] + 10 * S)  # not a whole drain later
    assert busiest_second(released) <= rate


def test_nothing_is_given_back_once_the_batch_has_drained() -> None:
    clock, returned = Clock(), []
    ceiling = Ceiling(clock, batch_size(10.0), ceiling_rate(10.0))
    pacer = Pacer(10.0, ceiling, give_back=returned.append, clock=clock, sleep=clock.sleep)
    pacer.wait()
    clock.now = drain_seconds(10.0)
    pacer.release()
    assert returned == []
