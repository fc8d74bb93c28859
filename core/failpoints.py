"""Named crash points for recovery tests: the process kills itself where ``WAIWEN_FAILPOINTS`` says.

A test sets e.g. ``WAIWEN_FAILPOINTS=draft.after-segment:3`` to SIGKILL the process the third time it
passes that point, so a crash lands at an exact step instead of depending on timing.

With ``WAIWEN_FAILPOINTS_ONCE`` naming a folder, a reached point kills only the first process of
all that share the folder (several workers, each flow run a process of its own): that one creates
``<folder>/<point>`` and writes its process id and its ancestors' into it before it dies, so a test
knows which process died and which worker ran it.
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
            if _counts[name] >= int(nth or 1) and _first_of_all(name):
                os.kill(os.getpid(), signal.SIGKILL)


def _first_of_all(name: str) -> bool:
    """True unless WAIWEN_FAILPOINTS_ONCE is set and another process fired ``name`` already."""
    folder = os.environ.get("WAIWEN_FAILPOINTS_ONCE")
    if not folder:
        return True
    try:
        # O_EXCL: of all processes reaching the point, exactly one creates the marker.
        marker = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(marker, "w") as out:
        out.write(" ".join(str(pid) for pid in _ancestry()) + "\n")
    return True


def _ancestry() -> list[int]:
    """This process id, then its parent's and theirs as far as /proc tells (just the parent elsewhere)."""
    chain = [os.getpid(), os.getppid()]
    while chain[-1] > 1:
        try:
            with open(f"/proc/{chain[-1]}/stat") as stat:
                # The command name (field 2) is in parentheses and may hold spaces; PPid follows it.
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
        chain.append(parent)
    return chain
