"""Flow runs of one dispatch are created one after another, and then run side by side."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from flows.starts import flow_started, one_after_another


class Runs:
    """A stand-in for a flow call: `creating` while its run is made, then its body."""

    def __init__(self, bodies: int) -> None:
        self.lock = threading.Lock()
        self.creating = self.most_creating = 0
        # Two creations at once meet here; one alone waits out the timeout and goes on.
        self.two_creating = threading.Barrier(2, timeout=0.3)
        self.in_bodies = threading.Barrier(bodies, timeout=10)  # every body at once, or it fails

    def __call__(self, number: int) -> int:
        with self.lock:
            self.creating += 1
            self.most_creating = max(self.most_creating, self.creating)
        try:
            self.two_creating.wait()
        except threading.BrokenBarrierError:
            self.two_creating.reset()
        with self.lock:
            self.creating -= 1
        flow_started()
        self.in_bodies.wait()  # the bodies overlap: only the creations are taken in turn
        return number


def test_runs_are_created_one_at_a_time_and_their_bodies_overlap() -> None:
    runs = Runs(bodies=4)
    start = one_after_another(runs)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(contextvars.copy_context().run, start, n) for n in range(4)]
        assert sorted(f.result() for f in futures) == [0, 1, 2, 3]
    assert runs.most_creating == 1


def test_a_run_that_fails_before_its_body_lets_the_next_one_start() -> None:
    def failing(number: int) -> int:
        if number == 0:
            raise RuntimeError("the server refused the flow run")
        flow_started()
        return number

    start = one_after_another(failing)
    with pytest.raises(RuntimeError):
        start(0)
    assert start(1) == 1  # not blocked by the first


def test_outside_a_dispatch_a_flow_body_starts_without_one() -> None:
    flow_started()  # a flow run the worker started: nothing waits for it
