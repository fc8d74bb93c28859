"""Benchmark: the yearly report over 100,000 notices x 4 languages, on SQLite and on PostgreSQL.

Run from the repository root:  .venv/bin/python -m bench.report [--notices 100000] [--postgres-url URL]
Without --postgres-url it starts a throwaway PostgreSQL 15 cluster (as .ci/run does) and removes
it afterwards. It fills the counted-texts ledger directly (the table the report reads), then times:

- the report (office table, by month, by column): the first run and the median of 7 (goal < 1 s);
- the audit listing (every counted text as CSV, to a null sink), once;
- as the baseline in the same run, one aggregate over the same year's rows: count and one sum.

Figures go into bench/RESULTS.md, section "Yearly report".
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, text

from bench.results import publish
from content.counting import CONVENTIONS
from reporting.formats import write_audit_csv
from reporting.yearly import audit_lines, build_report
from store.db import engine_for, forget_engine, transaction
from store.models import CountedText
from waiwen.settings import DEFAULT_COLUMNS

WORK = Path(__file__).resolve().parent / ".work"
YEAR = 2025
LANGUAGES = ("en", "ja", "fr", "ko")
COLUMNS = (*DEFAULT_COLUMNS, "专题")
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def ledger_rows(notices: int) -> Iterator[dict[str, object]]:
    """Counted texts of ``notices`` notices: 90% in YEAR, the rest in YEAR-1; 3% retracted."""
    rng = random.Random(20251231)
    now = datetime.now(UTC)
    for n in range(notices):
        year = YEAR if rng.random() < 0.9 else YEAR - 1
        day = date(year, rng.randint(1, 12), rng.randint(1, 28))
        column = rng.choice(COLUMNS)
        state = "retracted" if rng.random() < 0.03 else "counted"
        for language in LANGUAGES:
            words = rng.randint(150, 3000)
            yield {
                "notice_key": f"bench:{n}",
                "notice_id": None,
                "language": language,
                "title": f"第{n}号通知",
                "column": column,
                "published_on": day,
                "year": year,
                "month": day.month,
                "version": 1,
                "source": "bench",
                "content_hash": f"{n:064d}",
                "latin_words": words if language in ("en", "fr") else rng.randint(0, 20),
                "cjk_characters": words * 2 if language == "ja" else 0,
                "characters_no_spaces": words * 5,
                "korean_words": words if language == "ko" else 0,
                "lead": language == LANGUAGES[0],
                "state": state,
                "updated_at": now,
            }


def load(url: str, notices: int) -> float:
    """Migrate and fill the ledger; returns the seconds it took."""
    started = time.perf_counter()
    engine_for(url)
    batch: list[dict[str, object]] = []
    for row in ledger_rows(notices):
        batch.append(row)
        if len(batch) == 20_000:
            with transaction(url) as session:
                session.execute(insert(CountedText), batch)
            batch = []
    with transaction(url) as session:
        if batch:
            session.execute(insert(CountedText), batch)
    # Statistics, and on PostgreSQL the visibility map that index-only scans need, as autovacuum
    # leaves a table that has settled.
    engine = engine_for(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        )
    return time.perf_counter() - started


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def measure(url: str) -> dict[str, float]:
    """First report, median report, audit listing and baseline, in seconds."""
    convention = CONVENTIONS["office-2020"]

    def report() -> object:
        with transaction(url) as session:
            return build_report(session, YEAR, convention, datetime.now(UTC))

    def baseline() -> object:
        with transaction(url) as session:
            return session.execute(
                text(
                    "SELECT count(*), sum(latin_words) FROM counted_texts"
                    " WHERE year = :year AND state = 'counted'"
                ),
                {"year": YEAR},
            ).one()

    def audit() -> object:
        with transaction(url) as session:
            return write_audit_csv(audit_lines(session, YEAR, convention), io.StringIO())

    first = timed(report, 1)[0]
    return {
        "first": first,
        "median": statistics.median(timed(report, 7)),
        "baseline": statistics.median(timed(baseline, 7)),
        "audit": timed(audit, 1)[0],
    }


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL 15 cluster in a temporary folder, stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="waiwen-bench-pg."))
    as_pg: list[str] = []
    if os.getuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = "54339"
    data = str(root / "data")
    try:
        subprocess.run(
            [
                *as_pg,
                str(PG_BIN / "initdb"),
                "-D",
                data,
                "-A",
                "trust",
                "-U",
                "waiwen",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_pg,
                str(PG_BIN / "pg_ctl"),
                "-D",
                data,
                "-l",
                str(root / "server.log"),
                "-w",
                "-o",
                f"-k {root} -p {port} -c listen_addresses=''",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", str(root), "-p", port, "-U", "waiwen", "waiwen_bench"],
            check=True,
        )
        yield f"postgresql+psycopg://waiwen@/waiwen_bench?host={root}&port={port}"
    finally:
        subprocess.run(
            [*as_pg, str(PG_BIN / "pg_ctl"), "-D", data, "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


def run_on(name: str, url: str, notices: int) -> list[tuple[str, str]]:
    """Load, measure and describe one database."""
    print(f"{name}: loading {notices:,} notices x {len(LANGUAGES)} languages ...", flush=True)
    loaded = load(url, notices)
    figures = measure(url)
    forget_engine(url)
    ratio = figures["median"] / figures["baseline"]
    met = "met" if figures["median"] < 1.0 else "NOT met"
    return [
        (f"{name}: rows loaded", f"{notices * len(LANGUAGES):,} in {loaded:.1f} s"),
        (f"{name}: report, first run", f"{figures['first'] * 1000:.0f} ms"),
        (f"{name}: report, median of 7 (goal < 1 s)", f"{figures['median'] * 1000:.0f} ms ({met})"),
        (
            f"{name}: baseline (one count and sum over the year)",
            f"{figures['baseline'] * 1000:.0f} ms",
        ),
        (f"{name}: report / baseline", f"{ratio:.1f}x"),
        (f"{name}: audit listing (CSV of every counted text)", f"{figures['audit']:.2f} s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url", default=None, help="use this database instead of a throwaway one"
    )
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    sqlite_file = WORK / "report.db"
    sqlite_file.unlink(missing_ok=True)
    rows = run_on("SQLite", f"sqlite:///{sqlite_file}", args.notices)
    if args.postgres_url:
        rows += run_on("PostgreSQL", args.postgres_url, args.notices)
    else:
        with throwaway_postgres() as url:
            rows += run_on("PostgreSQL 15", url, args.notices)
    command = "python -m bench.report" + (
        f" --notices {args.notices}" if args.notices != 100_000 else ""
    )
    publish("Yearly report", command, rows)


if __name__ == "__main__":
    main()
