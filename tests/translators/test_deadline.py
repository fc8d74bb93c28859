"""call_with_timeout: results, exceptions, timeouts, and isolation between pools."""

from __future__ import annotations

import threading

import pytest

from translators.deadline import call_with_timeout


def test_result_and_exception_pass_through() -> None:
    assert call_with_timeout(lambda: 42, 5, pool="test-a") == 42

    def fail() -> int:
        raise KeyError("x")

    with pytest.raises(KeyError):
        call_with_timeout(fail, 5, pool="test-a")


def test_timeout_and_a_hung_pool_does_not_starve_another() -> None:
    release = threading.Event()
    try:
        for _ in range(20):  # more than the pool's workers: later calls queue and time out too
            with pytest.raises(TimeoutError):
                call_with_timeout(release.wait, 0.05, pool="test-hung")
        assert call_with_timeout(lambda: "ok", 5, pool="test-other") == "ok"
    finally:
        release.set()
