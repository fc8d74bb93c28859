"""Writes one benchmark's figures as a section of bench/RESULTS.md, keeping the other sections."""

from __future__ import annotations

import os
import platform
import re
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n\nEach section is rewritten by its command; figures are from the last run.\n"


def write_section(title: str, command: str, machine: str, rows: list[tuple[str, str]]) -> None:
    """Replace (or add) the section ``## title`` with a table of ``rows``."""
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    section = (
        f"## {title}\n\nCommand: `{command}` · run on {date.today().isoformat()} · {machine}\n\n"
        f"| measure | figure |\n|---|---|\n{table}\n"
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    RESULTS.write_text(text, encoding="utf-8")


def machine(extra: str = "") -> str:
    """This machine, as each section names it."""
    name = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return f"{name}, {extra}" if extra else name


def publish(title: str, command: str, rows: list[tuple[str, str]], extra: str = "") -> None:
    """Write the section and print its rows."""
    write_section(title, command, machine(extra), rows)
    for name, value in rows:
        print(f"{name}: {value}")
