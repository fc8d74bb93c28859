"""A throwaway PostgreSQL server for a benchmark, started the way .ci/run starts its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PORT = 54339


def _bin() -> Path:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        return folder
    found = shutil.which("initdb")
    if found is None:
        raise SystemExit("PostgreSQL's initdb is not installed; pass --database-url instead")
    return Path(found).parent


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Start PostgreSQL in a temporary folder (unix socket only); yields a SQLAlchemy URL."""
    binaries = _bin()
    root = Path(tempfile.mkdtemp(prefix="waiwen-bench-pg."))
    as_pg: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]

    def quiet(args: list[str]) -> None:
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    quiet(
        [
            *as_pg,
            str(binaries / "initdb"),
            "-D",
            str(root / "data"),
            "-A",
            "trust",
            "-U",
            "waiwen",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
    )
    quiet(
        [
            *as_pg,
            str(binaries / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-l",
            str(root / "server.log"),
            "-w",
            "-o",
            f"-k {root} -p {PORT} -c listen_addresses='' -c max_connections=200",
            "start",
        ]
    )
    try:
        quiet(
            [
                str(binaries / "createdb"),
                "-h",
                str(root),
                "-p",
                str(PORT),
                "-U",
                "waiwen",
                "waiwen_bench",
            ]
        )
        yield f"postgresql+psycopg://waiwen@/waiwen_bench?host={root}&port={PORT}"
    finally:
        subprocess.run(
            [*as_pg, str(binaries / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)
