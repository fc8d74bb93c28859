"""The LibreTranslate stand-in in a process of its own, as a real engine runs.

In the process that drafts, the stand-in's handler threads wait for the interpreter lock behind the
drafting threads, and note a request's arrival late by as much: a benchmark of what the engine
sees runs it apart. The child prints its address, serves until its standard input closes, then
writes the arrival times (`time.monotonic()`, one clock for every process on Linux) to a file.

    python -m tests.standins.process --latency 0.2 --stamps FILE
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.standins.libretranslate import LibreTranslateStandIn


class LibreTranslateProcess:
    """Starts the child on entry; on exit stops it and reads `stamps`, the arrivals it saw."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self.url = ""
        self.stamps: list[float] = []
        self._folder = tempfile.TemporaryDirectory(prefix="waiwen-engine-")
        self._file = Path(self._folder.name) / "stamps.json"
        self._child: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        command = [sys.executable, "-m", "tests.standins.process"]
        command += ["--latency", str(self.latency), "--stamps", str(self._file)]
        self._child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._child.stdout is not None
        self.url = self._child.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self._child.kill()
            raise RuntimeError(f"the engine stand-in did not start (it said {self.url!r})")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._child is not None and self._child.stdin is not None
        self._child.stdin.close()
        self._child.wait(timeout=60)
        if self._child.returncode == 0:
            self.stamps = json.loads(self._file.read_text())
        self._folder.cleanup()
        if self._child.returncode != 0 and exc is None:
            raise RuntimeError(f"the engine stand-in exited with {self._child.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--stamps", type=Path, required=True)
    args = parser.parse_args()
    with LibreTranslateStandIn(latency=args.latency) as engine:
        print(engine.url, flush=True)
        sys.stdin.read()  # until the parent closes it (or dies)
    stamps = [request["at"] for request in engine.requests]
    args.stamps.write_text(json.dumps(stamps))


if __name__ == "__main__":
    main()
