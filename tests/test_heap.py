"""The garbage collector's full passes skip what a drafting process held before its first request."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_the_set_up_is_frozen_once_a_process_and_later_garbage_still_collected() -> None:
    script = textwrap.dedent(
        """
        import gc
        import weakref

        from flows.heap import freeze_long_lived

        class Node:
            pass

        kept = [Node() for _ in range(1000)]  # the set-up: alive at the freeze
        assert freeze_long_lived() is True
        frozen = gc.get_freeze_count()
        assert frozen >= 1000, frozen
        assert freeze_long_lived() is False  # once a process
        assert gc.get_freeze_count() == frozen

        later = Node()  # made during the run, then dropped in a cycle
        later.itself = later
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
