"""Named crash points for recovery tests: the process kills itself where ``WAIWEN_FAILPOINTS`` says.

A test sets e.g. ``WAIWEN_FAILPOINTS=draft.after-segment:3`` to SIGKILL the process the third time it
passes that point, so a crash lands at an exact step instead of depending on timing.
"""

from __future__ import annotations

import os
import signal
import threading

_counts: dict[str, int] = {}
_lock = threading.Lock()


def failpoint(name: str) -> None:
    """Kill this process with SIGKILL if ``name`` is armed and its count is reached."""
    armed = os.environ.get("WAIWEN_FAILPOINTS")
    if not armed:
        return
    for item in armed.split(","):
        point, _, nth = item.strip().partition(":")
        if point != name:
            continue
        with _lock:
            _counts[name] = _counts.get(name, 0) + 1
            if _counts[name] >= int(nth or 1):
                os.kill(os.getpid(), signal.SIGKILL)
