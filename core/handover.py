"""The hand-over contract: how an edge (the desk, a command) asks the running service to act now.

The edges only know this Protocol; the shell passes the implementation that talks to Prefect
(`flows.handoff.ServiceHandOver`), and tests pass a recorder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class HandOver(Protocol):
    """Starts stored work on the running service at once; each call says in words what happened."""

    def draft(self, version_ids: Sequence[int]) -> str:
        """Draft these notice versions now."""
        ...

    def publish(self, version_id: int, language: str) -> str:
        """Publish this approved language of a version now."""
        ...
