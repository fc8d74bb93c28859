"""The objects a process holds from its start, kept out of the garbage collector's full passes.

A full collection walks every object the process holds with every thread stopped: in a drafting
process with Prefect loaded, about a quarter of a second. A request the pacer has just let go
then waits that long before it is sent, and reaches the engine in the same second as the ones
after it (bench/RESULTS.md, "Drafting at the engine's limit"). Frozen once, before the first
request, the objects of the imports and set-up are never walked again; what the run makes after
is collected as before. An object frozen and later dropped in a cycle stays until the process
ends: the set-up's objects live that long anyway.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_long_lived() -> bool:
    """Collect once and freeze what is left, the first time in this process (True then)."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        gc.collect()
        gc.freeze()
        _frozen = True
        return True
