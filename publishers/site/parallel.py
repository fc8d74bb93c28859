"""A full build on every core: worker processes render the notice pages, then the listings.

Each worker gets a part of the notices (their ids and versions, never the pages: it reads them
itself, from the database or wherever the part says), writes their pages into the build's staging
and sends back their catalogue entries and the names of the files it wrote. This process takes
the parts in order, so the catalogue and every byte are those of the serial build (`Site.build`).
Then the workers render the listing jobs (a column's pages, a language's home, feed and search
index, some shards' sitemaps), each sent the part of the catalogue it reads; this process takes
their change records in the jobs' order, writes the sitemaps that list those pages and moves the
new site in by the same journal.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar, runtime_checkable

from core.failpoints import failpoint
from publishers.base import Page
from publishers.site.builder import FullBuild, ListingJob, Site
from publishers.site.catalog import SHARD_SIZE, Catalog, Entry
from publishers.site.changes import PageChanges
from publishers.site.generations import StagedFiles, Staging

PART_SIZE = SHARD_SIZE  # notices per task: enough to outweigh sending it, few enough to spread
_PARTS_PER_WORKER = 2  # parts sent ahead per worker: none waits, and memory stays bounded
_PARTS_PER_JOB_AT_LEAST = 4  # a small site is cut finer, so every worker gets some
_PARENT_CHECK_SECONDS = 0.5  # how often a worker looks whether the build it serves is still there

Progress = Callable[[int, int], None]  # told (notice pages rendered, of how many)


@runtime_checkable
class NoticeParts(Protocol):
    """Every notice to build a site from, in parts a worker process can read for itself.

    A part must pickle small (what to read, not what was read): it crosses to a worker process.
    """

    def __len__(self) -> int:
        """How many notices."""
        ...

    def page_count(self) -> int:
        """How many pages (a notice has one per language)."""
        ...

    def pages(self) -> Iterator[Sequence[Page]]:
        """Each notice's pages in all its languages, one notice at a time, in the build's order."""
        ...

    def parts(self, size: int) -> Iterator[NoticeParts]:
        """The notices in consecutive parts of ``size``, in the same order as `pages`."""
        ...


class SiteBuildError(Exception):
    """A full build stopped before its swap: the site is served as it was."""


@dataclass(frozen=True)
class _Rendered:
    """What a worker sends back for one part."""

    entries: list[tuple[int, dict[str, Entry]]]
    written: StagedFiles


@dataclass(frozen=True)
class _Listed:
    """What a worker sends back for one listing job: its files and change records."""

    written: StagedFiles
    records: tuple[dict[str, list[Any]], dict[str, str | None]]


_T = TypeVar("_T")


def default_jobs() -> int:
    """The machine's cores."""
    return os.cpu_count() or 1


def build(
    site: Site,
    notices: NoticeParts,
    jobs: int | None = None,
    progress: Progress | None = None,
    part_size: int = PART_SIZE,
) -> int:
    """Render the whole site with ``jobs`` processes (default: the cores); returns the pages.

    One job, or notices too few for more than one part: `Site.build`, in this process.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs: {jobs} is not a number of processes (give 1 or more)")
    size = max(1, min(part_size, math.ceil(len(notices) / (jobs * _PARTS_PER_JOB_AT_LEAST))))
    total = notices.page_count()
    if jobs == 1 or len(notices) <= size:
        told = None if progress is None else (lambda done: progress(done, total))
        return site.build(notices.pages(), told)
    with site.generations.locked():
        full = FullBuild(site)
        workers = min(jobs, math.ceil(len(notices) / size))
        # Spawned, not forked: a worker starts without this process's database connections or threads.
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=_leave_with_parent,
            initargs=(os.getpid(),),
        )
        try:
            for rendered in _rendered_in_order(
                pool, site, full.staging, notices.parts(size), workers
            ):
                full.staging.absorb(rendered.written)
                for notice_id, entries in rendered.entries:
                    full.add_rendered(notice_id, entries)
                if progress is not None:
                    progress(full.pages, total)
            return full.finish(_ListingsInWorkers(pool, workers, site, full.staging))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _rendered_in_order(
    pool: ProcessPoolExecutor,
    site: Site,
    staging: Staging,
    parts: Iterator[NoticeParts],
    jobs: int,
) -> Iterator[_Rendered]:
    """Each part rendered by a worker, in the parts' order, with a few parts sent ahead."""
    pending: deque[Future[_Rendered]] = deque()

    def send_next() -> None:
        part = next(parts, None)
        if part is not None:
            pending.append(pool.submit(_render_part, site, staging.alike(), part))

    for _ in range(jobs * _PARTS_PER_WORKER):
        send_next()
    while pending:
        rendered = _result(pending.popleft(), site, jobs)
        send_next()
        yield rendered


@dataclass
class _ListingsInWorkers:
    """Renders a full build's listing jobs in the build's worker processes (`RenderJobs`)."""

    pool: ProcessPoolExecutor
    workers: int
    site: Site
    staging: Staging

    def __call__(
        self,
        jobs: list[ListingJob],
        catalogs: list[Catalog],
        changes: PageChanges,
        moment: datetime | None,
        languages: Sequence[str],
    ) -> None:
        # All at once: each carries only its part of the catalogue, and the results come back in
        # the jobs' order, so the change records are those of the serial build.
        futures = [
            self.pool.submit(
                _render_listing,
                self.site,
                self.staging.alike(),
                catalog,
                job,
                moment,
                tuple(languages),
            )
            for job, catalog in zip(jobs, catalogs, strict=True)
        ]
        for future in futures:
            listed = _result(future, self.site, self.workers)
            self.staging.absorb(listed.written)
            changes.take(listed.records)


def _result(future: Future[_T], site: Site, jobs: int) -> _T:
    """A worker's result; a dead worker stops the build with what to do."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise SiteBuildError(
            f"a worker process of the site build ({jobs} processes) died before it "
            f"finished its part ({error}); the site {site.generations.site_dir} is served "
            "as it was: run the build again (`waiwen site rebuild --jobs 1` renders "
            "in one process)"
        ) from error


def _leave_with_parent(parent: int) -> None:
    """In a worker, first: exit when the build that started it is gone.

    A build killed outright (SIGKILL, the machine's OOM killer) cannot stop its pool, and a worker
    waiting on the pool's queue never hears of it: each spawned worker holds that queue's write end
    too. Without this, its workers would wait for work for ever, reparented to PID 1.
    """
    threading.Thread(
        target=_exit_when_orphaned, args=(parent,), name="waiwen-parent-watch", daemon=True
    ).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    # Nothing to save: the build never swapped (the next one starts its staging afresh) or its
    # journal is finished by the next read of the site.
    os._exit(1)


def _render_part(site: Site, staging: Staging, part: NoticeParts) -> _Rendered:
    """In a worker: write one part's notice pages into the staging; their entries and files."""
    entries = [
        (pages[0].notice_id, site.render_new_notice(staging, pages)) for pages in part.pages()
    ]
    failpoint("site.part-rendered")
    return _Rendered(entries, staging.written())


def _render_listing(
    site: Site,
    staging: Staging,
    catalog: Catalog,
    job: ListingJob,
    moment: datetime | None,
    languages: tuple[str, ...],
) -> _Listed:
    """In a worker: write one listing job's pages into the staging; their change records."""
    changes = PageChanges(staging)  # a fresh build's: empty
    site.render_listing_job(staging, catalog, changes, moment, job, languages)
    failpoint("site.listing-rendered")
    return _Listed(staging.written(), changes.records())
