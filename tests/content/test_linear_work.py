"""Every pass over a notice's text is linear in its size, measured in instructions, not seconds.

A pattern that rescans from every occurrence of its first character (an e-mail pattern such as
\\S+@\\S+ on a long Chinese line, an unclosed bracket, an unclosed comment) makes a 1 MB file cost
minutes. Valgrind's callgrind counts the instructions of a child process: the same count for the
same input on every run, whatever else the machine does, so the test depends on no timing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.content.linear_work import SHAPES

ROOT = Path(__file__).resolve().parents[2]
# Half the 40,000-character line and a tenth of that: a quadratic pass costs a hundred
# times its work at ten times the text, enough to pass the ratio below once it does a seventeenth
# of the linear work at the small size, and valgrind then takes half the time it took at 40,000.
SMALL, LARGE = 2_000, 20_000


def _instructions(shape: str, chars: int) -> int:
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        pytest.fail("valgrind is needed to count instructions (Debian package valgrind)")
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [
            valgrind,
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-m",
            "tests.content.linear_work",
            shape,
            str(chars),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1))


def test_ten_times_the_text_costs_at_most_about_ten_times_the_work() -> None:
    start_up = _instructions("all", 0)
    small = _instructions("all", SMALL) - start_up
    large = _instructions("all", LARGE) - start_up
    assert small > 0
    # Linear work gives a ratio near 10; one quadratic pass over any shape gives far more. 15
    # leaves room for the fixed costs inside `small` and for the interpreter's own caches.
    assert large / small < 15, (
        f"{large:,} instructions for 10x the text of {small:,}: time each of "
        f"{', '.join(SHAPES)} with `python -m tests.content.linear_work SHAPE 40000`"
    )
