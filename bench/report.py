"""Benchmark: the yearly report over 100,000 notices x 4 languages, on SQLite and on PostgreSQL.

Run from the repository root:
    .venv/bin/python -m bench.report [--notices 100000] [--postgres-url URL]

It fills the counted-texts ledger directly (the one table the report reads): one row per notice
and language (en, ja, fr, ko), archive-style (notice_id NULL, notice_key "bench:<n>"), 90% of the
notices in 2025 and 10% in 2024, twelve months, eight columns, 3% retracted, measures drawn per
notice from a length of its Chinese original. SQLite gets a fresh file under bench/.work/, loaded
with executemany in chunks; PostgreSQL is loaded with COPY. Both are then ANALYZEd. Timed, on each:

- the baseline, in the same run: ``SELECT count(*), sum(latin_words) FROM counted_texts
  WHERE year = :y AND state = 'counted'`` (median of 7);
- ``build_report`` (office table, by month, by column): the first run on a new connection, and the
  median of 7 runs (goal < 1 s);
- the audit listing (``audit_lines`` through ``write_audit_csv`` into /dev/null), once;
- on PostgreSQL, the report and the baseline again after a VACUUM (the visibility map that
  autovacuum would have set on a settled table lets the index-only scan skip the heap).

Without --postgres-url it starts a throwaway PostgreSQL 15 cluster as .ci/run does (initdb into a
temporary folder owned by postgres, unix socket there, trust auth, user waiwen) and removes it
afterwards, error or not. With --postgres-url the database is migrated to head, and the rows this
benchmark adds (notice_key "bench:...") are deleted before loading and again at the end.

The report query's plan is printed on each database. Figures go into bench/RESULTS.md, section
"Yearly report".
"""

from __future__ import annotations

import argparse
import calendar
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, event, insert, text

from bench.results import publish
from content.counting import CONVENTIONS
from core.languages import OFFICE_COLUMNS
from core.settings import DEFAULT_COLUMNS
from pipeline.counts import MEASURE_NAMES
from reporting.formats import write_audit_csv
from reporting.yearly import audit_lines, build_report
from store.db import engine_for, forget_engine, transaction
from store.models import CountedText

WORK = Path(__file__).resolve().parent / ".work"
YEAR = 2025
LANGUAGES = OFFICE_COLUMNS  # the office's four: en, ja, fr, ko
# The seven default columns and a special-topic one; the news columns get most notices.
COLUMNS = (*DEFAULT_COLUMNS, "专题报道")
COLUMN_WEIGHTS = (10, 6, 30, 8, 25, 6, 12, 3)
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 54339
REPEAT = 7
CHUNK = 10_000
CONVENTION = CONVENTIONS["office-2020"]
FIELDS = (
    "notice_key",
    "notice_id",
    "language",
    "title",
    "column",
    "published_on",
    "year",
    "month",
    "version",
    "source",
    "content_hash",
    *MEASURE_NAMES,
    "lead",
    "state",
    "updated_at",
)


@dataclass
class Expected:
    """The YEAR figures the report must show, summed while the rows are generated."""

    rows: int = 0
    articles: int = 0
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))


def measures(rng: random.Random, zh_chars: int, language: str) -> dict[str, int]:
    """Plausible measures of a translation of a Chinese text of ``zh_chars`` characters."""

    def about(value: float) -> int:
        return max(0, round(value * rng.uniform(0.85, 1.15)))

    digits = about(zh_chars / 120)  # figures and dates: Latin words in every language
    if language in ("en", "fr"):
        words = about(zh_chars * (0.62 if language == "en" else 0.75))
        other_script = rng.choice((0, 0, 0, 1, 2))  # 外办 written in an English text
        return {
            "latin_words": words,
            "cjk_characters": rng.choice((0, 0, 0, 2, 4)),
            "characters_no_spaces": about(words * (5.6 if language == "en" else 5.2)),
            "korean_words": 0,
            "words": words + other_script,
        }
    if language == "ja":
        characters = about(zh_chars * 1.35)
        return {
            "latin_words": digits,
            "cjk_characters": about(characters * 0.88),
            "characters_no_spaces": characters,
            "korean_words": 0,
            "words": about(characters / 40),  # sentences and the spaces around Latin words
        }
    words = about(zh_chars * 0.36)  # ko: 어절
    characters = about(words * 3.3)
    return {
        "latin_words": digits,
        "cjk_characters": about(characters * 0.9),
        "characters_no_spaces": characters,
        "korean_words": words,
        "words": words + about(digits * 0.6),  # numbers and Latin words standing alone
    }


def ledger_rows(notices: int, expected: Expected) -> Iterator[dict[str, Any]]:
    """The counted texts of ``notices`` notices, all four languages each (seeded)."""
    rng = random.Random(20251231)
    now = datetime.now(UTC)
    for n in range(notices):
        year = YEAR if rng.random() < 0.9 else YEAR - 1
        month = rng.randint(1, 12)
        day = date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
        column = rng.choices(COLUMNS, COLUMN_WEIGHTS)[0]
        state = "retracted" if rng.random() < 0.03 else "counted"
        zh_chars = min(12_000, max(120, round(rng.lognormvariate(6.8, 0.6))))  # median ~900
        version = 1 if rng.random() < 0.95 else 2
        counted = year == YEAR and state == "counted"
        expected.articles += counted
        for position, language in enumerate(LANGUAGES):
            values = measures(rng, zh_chars, language)
            if counted:
                expected.rows += 1
                expected.figures[language] += values[CONVENTION.measure_for[language]]
            yield {
                "notice_key": f"bench:{n}",
                "notice_id": None,
                "language": language,
                "title": f"市政府外办关于第{n}号事项的通知",
                "column": column,
                "published_on": day,
                "year": year,
                "month": month,
                "version": version,
                "source": f"version {version}",
                "content_hash": f"{rng.getrandbits(256):064x}",
                **values,
                "lead": position == 0,
                "state": state,
                "updated_at": now,
            }


def chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def remove_bench_rows(engine: Engine) -> None:
    """Delete what an earlier run of this benchmark left in a database it was given."""
    with engine.begin() as connection:
        connection.execute(delete(CountedText).where(CountedText.notice_key.like("bench:%")))


def load(engine: Engine, rows: Iterator[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany of a core insert in chunks elsewhere."""
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            columns = ", ".join(f'"{name}"' for name in FIELDS)
            with (
                raw.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
                cursor.copy(f"COPY counted_texts ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(tuple(row[name] for name in FIELDS))
            raw.commit()
        finally:
            raw.close()
    else:
        statement = insert(CountedText.__table__)
        for batch in chunks(rows, CHUNK):
            with engine.begin() as connection:
                connection.execute(statement, batch)
    analyze(engine, "ANALYZE")


def analyze(engine: Engine, command: str) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(command))


def timed(call: Callable[[], object], repeat: int = 1) -> list[float]:
    """Seconds of each of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def report(url: str) -> Any:
    with transaction(url) as session:
        return build_report(session, YEAR, CONVENTION, datetime.now(UTC))


BASELINE_SQL = (
    "SELECT count(*), sum(latin_words) FROM counted_texts WHERE year = :y AND state = 'counted'"
)


def baseline(url: str) -> Any:
    with transaction(url) as session:
        return session.execute(text(BASELINE_SQL), {"y": YEAR}).one()


def audit(url: str) -> int:
    with transaction(url) as session, open(os.devnull, "wb") as sink:
        return write_audit_csv(audit_lines(session, YEAR, CONVENTION), sink)


def report_statement(url: str) -> tuple[str, Any]:
    """The SQL build_report sends (and its parameters), caught on its way to the database."""
    caught: list[tuple[str, Any]] = []
    engine = engine_for(url)

    def catch(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "counted_texts" in statement:
            caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        report(url)
    finally:
        event.remove(engine, "before_cursor_execute", catch)
    return caught[0]


def query_plan(url: str) -> tuple[str, str]:
    """The report query's plan: printed in full, and its gist for the results table."""
    statement, parameters = report_statement(url)
    engine = engine_for(url)
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines = [row[0] for row in cursor.fetchall()]
            # The plan's nodes, top down, and how often an index-only scan had to visit the heap.
            gist = [
                line.strip().removeprefix("->  ").split("  (cost=")[0]
                for line in lines
                if "(cost=" in line
            ]
            gist += [line.strip() for line in lines if "Heap Fetches" in line]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            lines = [row[3] for row in cursor.fetchall()]
            gist = lines
        cursor.close()
    return "\n".join(lines), "; ".join(gist)


@dataclass
class Figures:
    """What one database measured, in seconds."""

    name: str
    rows: int
    load: float
    baseline: float
    first: float
    warm: float
    audit: float
    audit_lines: int
    plan: str
    vacuumed: tuple[float, float, str] | None = None  # report, baseline, plan after VACUUM


def check(result: Any, expected: Expected) -> None:
    """The report must show the figures the rows add up to, or the timing means nothing."""
    got = {lang: result.year_row.figures[lang] for lang in LANGUAGES}
    if got != expected.figures or result.year_row.articles != expected.articles:
        raise SystemExit(
            f"report figures differ: {got}, {result.year_row.articles} articles;"
            f" expected {expected.figures}, {expected.articles}"
        )


def run_on(name: str, url: str, notices: int, given: bool) -> Figures:
    """Load, check and time one database."""
    print(f"{name}: migrating and loading {notices:,} notices x {len(LANGUAGES)} languages ...")
    engine = engine_for(url)
    postgres = engine.dialect.name == "postgresql"
    if given:
        remove_bench_rows(engine)
        with engine.connect() as connection:
            others = connection.execute(
                text("SELECT count(*) FROM counted_texts WHERE year = :y"), {"y": YEAR}
            ).scalar()
        if others:
            raise SystemExit(
                f"{url} holds {others} counted texts of {YEAR}: give a scratch database"
            )
    expected = Expected()
    started = time.perf_counter()
    load(engine, ledger_rows(notices, expected))
    loaded = time.perf_counter() - started
    print(f"  loaded in {loaded:.1f} s; {expected.rows:,} rows count in {YEAR}", flush=True)
    try:
        forget_engine(url)  # the first report opens a new connection, as `waiwen report` does
        first = timed(lambda: check(report(url), expected))[0]
        warm = statistics.median(timed(lambda: report(url), REPEAT))
        base = statistics.median(timed(lambda: baseline(url), REPEAT))
        listing: list[int] = []
        audit_seconds = timed(lambda: listing.append(audit(url)))[0]
        if listing[0] != expected.rows:
            raise SystemExit(f"audit listing has {listing[0]} lines, expected {expected.rows}")
        full_plan, plan = query_plan(url)
        print("  report query plan:\n    " + full_plan.replace("\n", "\n    "))
        figures = Figures(
            name, expected.rows, loaded, base, first, warm, audit_seconds, listing[0], plan
        )
        print(
            f"  baseline {base * 1000:.0f} ms; report first {first * 1000:.0f} ms,"
            f" warm {warm * 1000:.0f} ms; audit {audit_seconds:.2f} s",
            flush=True,
        )
        if postgres:
            analyze(engine_for(url), "VACUUM ANALYZE counted_texts")
            vacuumed_warm = statistics.median(timed(lambda: report(url), REPEAT))
            vacuumed_base = statistics.median(timed(lambda: baseline(url), REPEAT))
            full_plan, plan = query_plan(url)
            print("  after VACUUM:\n    " + full_plan.replace("\n", "\n    "))
            print(
                f"  after VACUUM: baseline {vacuumed_base * 1000:.0f} ms;"
                f" report warm {vacuumed_warm * 1000:.0f} ms",
                flush=True,
            )
            figures.vacuumed = (vacuumed_warm, vacuumed_base, plan)
        return figures
    finally:
        if given:
            remove_bench_rows(engine_for(url))
        forget_engine(url)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL 15 cluster in a temporary folder, stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="waiwen-bench-pg."))
    data = root / "data"
    as_pg: list[str] = []
    if os.getuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    pg_ctl = [*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*as_pg, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "waiwen"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
        )
        options = f"-k {root} -p {PG_PORT} -c listen_addresses='' -c fsync=off"
        subprocess.run(
            [*pg_ctl, "-l", str(root / "server.log"), "-w", "-o", options, "start"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", str(root), "-p", str(PG_PORT), "-U", "waiwen"]
            + ["waiwen_bench"],
            check=True,
        )
        yield f"postgresql+psycopg://waiwen@/waiwen_bench?host={root}&port={PG_PORT}"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def server_version(url: str) -> str:
    with transaction(url) as session:
        return str(session.execute(text("SHOW server_version")).scalar()).split()[0]


def rows_for(figures: Figures) -> list[tuple[str, str]]:
    """The results table's lines for one database."""
    name, base = figures.name, figures.baseline

    def versus(seconds: float) -> str:
        return f"{seconds / base:.1f}x the baseline"

    def goal(seconds: float) -> str:
        return "goal met" if seconds < 1.0 else "goal NOT met"

    rows = [
        (f"{name}: load (migrate, bulk insert, ANALYZE)", f"{figures.load:.1f} s"),
        (
            f"{name}: baseline, count and sum over {YEAR} (median of {REPEAT})",
            f"{base * 1000:.0f} ms",
        ),
        (
            f"{name}: report, first run on a new connection",
            f"{figures.first * 1000:.0f} ms ({versus(figures.first)}; {goal(figures.first)})",
        ),
        (
            f"{name}: report, median of {REPEAT} (goal < 1 s)",
            f"{figures.warm * 1000:.0f} ms ({versus(figures.warm)}; {goal(figures.warm)})",
        ),
        (
            f"{name}: audit listing, {figures.audit_lines:,} lines of CSV to /dev/null",
            f"{figures.audit:.2f} s ({versus(figures.audit)})",
        ),
        (f"{name}: report query plan", f"`{figures.plan}`"),
    ]
    if figures.vacuumed:
        warm, vacuumed_base, plan = figures.vacuumed
        rows += [
            (
                f"{name} after VACUUM: report, median of {REPEAT}; baseline",
                f"{warm * 1000:.0f} ms ({warm / vacuumed_base:.1f}x); {vacuumed_base * 1000:.0f} ms",
            ),
            (f"{name} after VACUUM: report query plan", f"`{plan}`"),
        ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url", default=None, help="use this database instead of a throwaway cluster"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="report.", dir=WORK))  # concurrent runs stay apart
    try:
        sqlite_url = f"sqlite:///{folder / 'report.db'}"
        results = [run_on("SQLite", sqlite_url, args.notices, given=False)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.postgres_url:
        version = server_version(args.postgres_url)
        results.append(run_on(f"PostgreSQL {version}", args.postgres_url, args.notices, True))
    else:
        with throwaway_postgres() as url:
            version = server_version(url)
            results.append(run_on(f"PostgreSQL {version}", url, args.notices, given=False))
            forget_engine(url)
    rows = [
        (
            "ledger",
            f"{args.notices:,} notices x {len(LANGUAGES)} languages ="
            f" {args.notices * len(LANGUAGES):,} rows; {results[0].rows:,} counted in {YEAR}",
        )
    ]
    for figures in results:
        rows += rows_for(figures)
    command = "python -m bench.report"
    if args.notices != 100_000:
        command += f" --notices {args.notices}"
    if args.postgres_url:
        command += " --postgres-url URL"
    where = "given database" if args.postgres_url else "throwaway cluster, fsync=off"
    publish(
        "Yearly report",
        command,
        rows,
        f"nproc {len(os.sched_getaffinity(0))}, SQLite {sqlite3.sqlite_version},"
        f" PostgreSQL {version} ({where}), {platform.system()}",
    )


if __name__ == "__main__":
    main()
