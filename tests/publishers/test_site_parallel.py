"""A full build in worker processes: the serial build's bytes, and a dead worker or a kill costs nothing.

python -m tests.publishers.test_site_parallel SITE_DIR  (a parallel rebuild a test can kill)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from publishers.base import Page
from publishers.site import parallel
from publishers.site.parallel import NoticeParts, SiteBuildError
from tests.publishers.site_pages import LANGUAGES, pages, site
from tests.site_files import site_files

ROOT = Path(__file__).resolve().parents[2]
NOTICES = tuple(range(1, 41))


@dataclass(frozen=True)
class Numbered:
    """Notices by number, each read where it is rendered (a worker process reads its own part)."""

    notice_ids: tuple[int, ...]
    edition: str = "first"

    def __len__(self) -> int:
        return len(self.notice_ids)

    def page_count(self) -> int:
        return sum(len(self._languages(n)) for n in self.notice_ids)

    def pages(self) -> Iterator[Sequence[Page]]:
        for notice_id in self.notice_ids:
            # Several notices a day, some in fewer languages, all sharing one image.
            day = date(2026, 1, 1) + timedelta(days=notice_id // 3)
            yield pages(
                notice_id,
                self._languages(notice_id),
                published_on=day,
                title=f"{self.edition} notice {notice_id}",
            )

    def parts(self, size: int) -> Iterator[NoticeParts]:
        for start in range(0, len(self.notice_ids), size):
            yield replace(self, notice_ids=self.notice_ids[start : start + size])

    def _languages(self, notice_id: int) -> tuple[str, ...]:
        return LANGUAGES if notice_id % 4 else LANGUAGES[:2]


def state_files(site_dir: Path) -> dict[str, bytes]:
    """The site's bookkeeping (catalogue, change records, file lists), beside it."""
    return site_files(site_dir.parent / f".{site_dir.name}.waiwen" / "meta")


def serial(site_dir: Path, notices: Numbered) -> int:
    return parallel.build(site(site_dir), notices, jobs=1)


def test_a_parallel_build_writes_the_serial_builds_bytes(tmp_path: Path) -> None:
    notices = Numbered(NOTICES)
    told: list[tuple[int, int]] = []

    count = parallel.build(
        site(tmp_path / "parallel"),
        notices,
        jobs=2,
        part_size=3,
        progress=lambda *t: told.append(t),
    )

    assert count == serial(tmp_path / "serial", notices) == notices.page_count()
    built, expected = site_files(tmp_path / "parallel"), site_files(tmp_path / "serial")
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
    assert state_files(tmp_path / "parallel") == state_files(tmp_path / "serial")
    # One report per part, in order, the last with every page.
    assert len(told) == -(-len(NOTICES) // 3)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert told[-1] == (notices.page_count(), notices.page_count())


def test_a_parallel_rebuild_over_a_site_writes_what_a_fresh_serial_build_does(
    tmp_path: Path,
) -> None:
    # The served site differs (other titles, fewer notices): some files change, some stay, some go.
    parallel.build(site(tmp_path / "site"), Numbered(NOTICES[:30], "old"), jobs=1)
    notices = Numbered(NOTICES)

    parallel.build(site(tmp_path / "site"), notices, jobs=2, part_size=4)

    serial(tmp_path / "expected", notices)
    assert site_files(tmp_path / "site") == site_files(tmp_path / "expected")


@pytest.mark.parametrize("point", ["site.part-rendered:2", "site.listing-rendered:3"])
def test_a_worker_dying_fails_the_build_plainly_and_leaves_the_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    served = tmp_path / "site"
    serial(served, Numbered(NOTICES[:10], "old"))
    before, before_state = site_files(served), state_files(served)
    notices = Numbered(NOTICES)
    # Read by the workers only: one dies rendering notice pages, or rendering listings.
    monkeypatch.setenv("WAIWEN_FAILPOINTS", point)

    with pytest.raises(SiteBuildError) as failed:
        parallel.build(site(served), notices, jobs=2, part_size=3)

    assert "worker process" in str(failed.value) and str(served) in str(failed.value)
    assert "served as it was" in str(failed.value)
    assert site_files(served) == before and state_files(served) == before_state
    monkeypatch.delenv("WAIWEN_FAILPOINTS")
    parallel.build(site(served), notices, jobs=2, part_size=3)
    serial(tmp_path / "expected", notices)
    assert site_files(served) == site_files(tmp_path / "expected")


@pytest.mark.parametrize("point", ["site.before-swap", "site.after-journal", "site.applying:7"])
def test_a_parallel_rebuild_killed_is_undone_or_finished_by_the_next(
    tmp_path: Path, point: str
) -> None:
    served = tmp_path / "site"
    serial(served, Numbered(NOTICES[:10], "old"))
    before = site_files(served)
    mark = f"{os.getpid()}-{point}-{tmp_path.name}"  # in the environment of each process it starts

    killed = subprocess.run(
        [sys.executable, "-m", "tests.publishers.test_site_parallel", str(served)],
        cwd=ROOT,
        env={**_environment(), "WAIWEN_FAILPOINTS": point, RUN_MARK: mark},
    )

    assert killed.returncode == -9
    # Its workers (and multiprocessing's resource tracker) leave with it, rather than wait for ever.
    assert _processes_left(mark) == []
    if point == "site.before-swap":
        assert site_files(served) == before  # no journal yet: the site is as it was
    parallel.build(site(served), Numbered(NOTICES), jobs=2, part_size=3)
    serial(tmp_path / "expected", Numbered(NOTICES))
    assert site_files(served) == site_files(tmp_path / "expected")


def test_jobs_below_one_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="jobs: 0"):
        parallel.build(site(tmp_path / "site"), Numbered(NOTICES), jobs=0)


RUN_MARK = "WAIWEN_TEST_RUN_MARK"


def _processes_left(mark: str, patience: float = 60.0) -> list[int]:
    """The processes whose environment carries ``mark``, once they are gone or ``patience`` is up."""
    needle = f"{RUN_MARK}={mark}".encode()
    deadline = time.monotonic() + patience
    while True:
        left = [pid for pid in _pids() if needle in _environ(pid).split(b"\0")]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # gone, or not ours to read
        return b""


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "WAIWEN_FAILPOINTS"}


if __name__ == "__main__":
    parallel.build(site(Path(sys.argv[1])), Numbered(NOTICES), jobs=2, part_size=3)
