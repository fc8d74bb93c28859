"""The multilingual static site: a publish re-renders only what one notice touches, then swaps.

Every page is rendered from Jinja2 templates; notice bodies pass through the sanitising Markdown
renderer. Listings (home pages, column pages, feeds, search index, sitemap) come from the
generation's catalogue, so they never need the database; when each page last changed comes from
the catalogue (notice pages) and the change records (listings, `changes`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from content.counting import excerpt
from content.images import image_suffix
from content.render import markdown_to_html
from core.failpoints import failpoint
from core.languages import SOURCE_LANGUAGE, order_of
from core.languages import language as language_entry
from core.targets import all_languages
from publishers.base import Page
from publishers.site.bidi import isolate_ltr_runs
from publishers.site.catalog import Catalog, Entry, shard_of
from publishers.site.changes import Change, PageChanges, digest, last_change
from publishers.site.frame_lists import (
    LanguageLink,
    alternate_links,
    column_items,
    language_link,
    switch_items,
)
from publishers.site.generations import Generations, Staging
from publishers.site.paths import (
    PAGE_SIZE,
    absolute,
    column_path,
    column_sitemap_path,
    feed_path,
    home_path,
    home_sitemap_path,
    href,
    media_path,
    page_path,
    search_manifest_path,
    search_page_path,
    search_shard_path,
    sitemap_shard_path,
)
from publishers.site.words import WORDS, column_name
from publishers.site.xml_listings import (
    FeedHead,
    SitemapUrl,
    atom_feed,
    sitemap_index,
    urlset,
)

HOME_SIZE = 10
FEED_SIZE = 20
SUMMARY_CHARS = 160
ASSETS = ("site.css", "search.js")
ROOT_PAGE = "index.html"  # the language chooser: every home's x-default alternate
LANGUAGES_META = "languages.json"  # the languages the frame (root, homes, columns) was rendered for
Progress = Callable[[int], None]  # told the notice pages rendered so far
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')

_templates = Environment(
    loader=PackageLoader("publishers.site", "templates"),
    autoescape=select_autoescape(default=True),
    keep_trailing_newline=True,
    # The templates are files of this package: asking the disk whether one changed (a notice
    # page asked four times, twice for each of its two templates) cost a build of 50,000 pages
    # 200,000 stat calls for nothing.
    auto_reload=False,
)


@dataclass(frozen=True)
class ListingJob:
    """One listing job of a publish, independent of the others: a column's pages in a language
    (``column``), a language's home, feed and search index (``language`` alone), or the sitemaps
    of some notice shards (neither)."""

    language: str = ""
    column: str = ""
    since: list[Any] | None = None  # a column's: the first rank whose page moved (None: all)
    shards: tuple[int, ...] = ()


# Renders listing jobs elsewhere (given each one's part of the catalogue, the change's moment and
# the site's languages) and adds their change records to the publish's.
RenderJobs = Callable[
    [list[ListingJob], list[Catalog], PageChanges, datetime | None, Sequence[str]], None
]
_SHARDS_PER_JOB = 10  # notice shards whose sitemaps one job writes: a job of about a column's size


def _listing_jobs(touched: _Touched) -> list[ListingJob]:
    """Every listing job a change makes: its columns, its languages, its shards' sitemaps.

    In this order the change records of listing pages come out as in every earlier build.
    """
    jobs = [
        ListingJob(language, column, since)
        for (language, column), since in sorted(touched.columns.items(), key=lambda kv: kv[0])
    ]
    shards = sorted(touched.shards)
    jobs += [ListingJob(language, shards=tuple(shards)) for language in sorted(touched.languages)]
    jobs += [
        ListingJob(shards=tuple(shards[start : start + _SHARDS_PER_JOB]))
        for start in range(0, len(shards), _SHARDS_PER_JOB)
    ]
    return jobs


@dataclass
class _Touched:
    """What one change makes stale: per language and column, the first rank whose page moved."""

    columns: dict[tuple[str, str], list[Any] | None] = field(default_factory=dict)
    shards: set[int] = field(default_factory=set)
    # When the change under way happened: the newest publication time of the pages it puts on
    # the site, or now when it takes something off. A page whose content moves is dated so.
    moment: datetime | None = None

    def happened(self, moment: datetime) -> None:
        self.moment = moment if self.moment is None else max(self.moment, moment)

    def column(self, language: str, column: str, rank: list[Any] | None) -> None:
        key = (language, column)
        if key in self.columns and self.columns[key] is None:
            return
        old = self.columns.get(key, rank)
        self.columns[key] = None if rank is None or old is None else min(old, rank)

    @property
    def languages(self) -> set[str]:
        return {language for language, _ in self.columns}


class Site:
    """The site folder: publish a notice (all its languages), retract one, or build everything."""

    def __init__(
        self,
        site_dir: Path,
        base_url: str,
        columns: Sequence[str],
        languages: Sequence[str] | None = None,
    ) -> None:
        self.generations = Generations(site_dir)
        self.base_url = base_url or "http://127.0.0.1:8000/"
        self.columns = tuple(columns)
        # The languages with a home, columns, feed and search: the configured ones (the source
        # first); a language published before and no longer configured keeps them (`_languages`).
        self.languages = tuple(all_languages() if languages is None else languages)

    # -- the operations ------------------------------------------------------------------------

    def publish_notice(self, pages: Sequence[Page]) -> list[str]:
        """Put one notice on the site in every language given (the full set it should have)."""
        with self.generations.locked():
            return self._publish_notice(pages)

    def retract(self, notice_id: int) -> list[str]:
        """Take a notice off every page, index, feed, sitemap and search index; idempotent."""
        with self.generations.locked():
            return self._retract(notice_id)

    def build(self, notices: Iterable[Sequence[Page]], progress: Progress | None = None) -> int:
        """Render a whole new site from every notice's pages (a fresh generation); returns pages.

        ``progress`` is told the pages rendered so far after each notice.
        """
        with self.generations.locked():
            build = FullBuild(self)
            for pages in notices:
                build.add(pages)
                if progress is not None:
                    progress(build.pages)
            return build.finish()

    def render_new_notice(self, staging: Staging, pages: Sequence[Page]) -> dict[str, Entry]:
        """Write a notice's pages into a fresh build's staging; its catalogue entries by language.

        For a helper process of a full build (publishers/site/parallel.py): the notice is new
        to the staging, so nothing is read back; `FullBuild.add_rendered` takes the entries.
        """
        entries, _ = self._write_notice(staging, pages[0].notice_id, pages, {}, _Touched())
        return entries

    def shown(self, notice_id: int) -> dict[str, Entry]:
        """The languages the served site shows a notice in, with their entries (empty: not on it)."""
        with self.generations.locked():
            served = self.generations.served()
            return {} if served is None else Catalog(served).notice(notice_id)

    def _publish_notice(self, pages: Sequence[Page]) -> list[str]:
        staging = self.generations.begin()
        catalog = Catalog(staging)
        languages = self._languages(catalog, [page.language for page in pages])
        self._ensure_frame(staging, catalog, languages)
        touched = _Touched()
        self._apply(staging, catalog, pages[0].notice_id, pages, touched)
        self._render_listings(staging, catalog, touched, languages)
        catalog.save()
        failpoint("site.staged")
        self.generations.swap(staging)
        return [page_path(page.language, page.notice_id) for page in pages]

    def _retract(self, notice_id: int) -> list[str]:
        current = self.generations.current()
        if current is None:
            return []
        staging = self.generations.begin()
        catalog = Catalog(staging)
        if not catalog.notice(notice_id):
            # Nothing to take off: drop the unused generation instead of swapping to a copy.
            self.generations.discard(staging)
            return []
        languages = self._languages(catalog)
        touched = _Touched()
        removed = self._apply(staging, catalog, notice_id, [], touched)
        self._render_listings(staging, catalog, touched, languages)
        catalog.save()
        failpoint("site.staged")
        self.generations.swap(staging)
        return removed

    # -- one notice ----------------------------------------------------------------------------

    def _apply(
        self,
        staging: Staging,
        catalog: Catalog,
        notice_id: int,
        pages: Sequence[Page],
        touched: _Touched,
    ) -> list[str]:
        """Write a notice's pages and update the catalogue; note every listing that moves."""
        before = catalog.notice(notice_id)
        entries, removed = self._write_notice(staging, notice_id, pages, before, touched)
        catalog.put(notice_id, entries)
        touched.shards.add(shard_of(notice_id))
        return removed

    def _write_notice(
        self,
        staging: Staging,
        notice_id: int,
        pages: Sequence[Page],
        before: Mapping[str, Entry],
        touched: _Touched,
    ) -> tuple[dict[str, Entry], list[str]]:
        """Write a notice's pages over what it had (``before``); its entries and languages removed."""
        entries = {page.language: _entry(page) for page in pages}
        for entry in entries.values():
            touched.happened(entry.updated)
        if set(before) - set(entries):
            touched.happened(_now())  # a language leaves the site now, whatever the pages say
        removed = []
        for language, old in before.items():
            touched.column(language, old.column, old.rank())
            if language not in entries and staging.delete(page_path(language, notice_id)):
                removed.append(language)
        for page in pages:
            entry = entries[page.language]
            touched.column(page.language, entry.column, entry.rank())
            here = page_path(page.language, notice_id)
            data = self._notice_html(staging, page, entries)
            # A language the notice did not have has no page to compare (a fresh build's case).
            shown = staging.read(here) if page.language in before else None
            entries[page.language] = replace(
                entry,
                lastmod=_notice_lastmod(page.language, shown, data, entries, before, touched),
            )
            staging.write(here, data)
        return entries, sorted(removed)

    def _notice_html(self, staging: Staging, page: Page, entries: Mapping[str, Entry]) -> bytes:
        here = page_path(page.language, page.notice_id)
        body = markdown_to_html(page.body_markdown)
        body = self._local_images(staging, here, body, page.images)
        entry = entries[page.language]
        if language_entry(page.language).direction == "rtl":
            body = isolate_ltr_runs(body)
        languages = sorted(entries, key=_language_order)
        paths = {lang: page_path(lang, page.notice_id) for lang in languages}
        return self._render(
            "notice.html",
            here,
            page.language,
            entry=_shown(entry),
            body=body,
            column_href=href(here, column_path(page.language, entry.column)),
            alternates=self._alternates(paths, x_default=paths.get(SOURCE_LANGUAGE)),
            canonical=absolute(self.base_url, here),
            switch=[
                language_link(lang, href(here, page_path(lang, page.notice_id)))
                for lang in languages
                if lang != page.language
            ],
        )

    def _local_images(
        self, staging: Staging, here: str, body: str, images: Mapping[str, bytes]
    ) -> str:
        """Copy each image the notice uses under a content-hashed name and point the page at it.

        An image waiwen does not hold is dropped: the site serves every asset itself.
        """

        def rewrite(match: re.Match[str]) -> str:
            source = html.unescape(match.group(2))
            data = images.get(source)
            suffix = image_suffix(data) if data is not None else None
            if data is None or suffix is None:
                # Not kept with the notice, or (stored before intake decoded images) not an
                # image: never a broken, outside or disguised file on the site.
                return ""
            target = media_path(hashlib.sha256(data).hexdigest(), suffix)
            staging.write(target, data)
            return match.group(1) + html.escape(href(here, target)) + match.group(3)

        return _IMG_SRC.sub(rewrite, body)

    # -- listings ------------------------------------------------------------------------------

    def _languages(self, catalog: Catalog, incoming: Iterable[str] = ()) -> tuple[str, ...]:
        """The site's languages: the configured ones, and any the catalogue or a publish holds."""
        held = {lang for lang, columns in catalog.order.items() if any(columns.values())}
        found = set(self.languages) | held | set(incoming)
        return tuple(sorted(found, key=_language_order))

    def _ensure_frame(
        self, staging: Staging, catalog: Catalog, languages: Sequence[str], force: bool = False
    ) -> None:
        """The parts every site has from the first publish: assets, root, homes, search pages.

        Rendered again when the site's languages change (a language configured since): every
        home, column page and the root then list the new set in their switchers and alternates.
        """
        recorded = json.dumps(list(languages)).encode("utf-8")
        if not force and staging.read(ROOT_PAGE) is not None:
            before = staging.read_meta(LANGUAGES_META)
            if before is None:  # a site from before this record: the languages it has homes for
                shown = [lang for lang in WORDS if staging.read(home_path(lang)) is not None]
                before = json.dumps(sorted(shown, key=_language_order)).encode("utf-8")
            if before == recorded:
                staging.write_meta(LANGUAGES_META, recorded)
                return
        staging.write_meta(LANGUAGES_META, recorded)
        for name in ASSETS:
            staging.write(
                f"assets/{name}", (files("publishers.site") / "static" / name).read_bytes()
            )
        self._root(staging, languages)
        touched = _Touched()
        for language in languages:
            for column in self.columns:
                touched.column(language, column, None)
            staging.write(
                search_page_path(language),
                self._render(
                    "search.html",
                    search_page_path(language),
                    language,
                    manifest=search_manifest_path(language),
                ),
            )
        if not force:
            self._render_listings(staging, catalog, touched, languages)

    def _root(self, staging: Staging, languages: Sequence[str]) -> None:
        """The language chooser: every home is its alternate, and it is theirs (x-default)."""
        source = language_entry(SOURCE_LANGUAGE)
        root = _templates.get_template("root.html").render(
            lang=source.bcp47,
            dir=source.direction,
            script=source.script,
            office=WORDS[SOURCE_LANGUAGE]["office"],
            alternates=self._home_alternates(languages),
            languages=[language_link(lang, href(ROOT_PAGE, home_path(lang))) for lang in languages],
        )
        staging.write(ROOT_PAGE, root.encode("utf-8"))

    def _render_listings(
        self,
        staging: Staging,
        catalog: Catalog,
        touched: _Touched,
        languages: Sequence[str],
        elsewhere: RenderJobs | None = None,
    ) -> None:
        """Render every listing the change touched, then the sitemaps that list them.

        ``elsewhere`` (a fresh build's helper processes) renders the listing jobs instead of
        this process; the sitemaps of columns and homes and the index are written here after.
        """
        changes = PageChanges(staging)
        if not changes.recorded and catalog.shards():
            # Listings from before the site kept their changes: render them all once (and the
            # root's alternates), so the sitemap lists and dates every page from now on.
            self._root(staging, languages)
            for language in languages:
                for column in self.columns:
                    touched.column(language, column, None)
            touched.shards.update(catalog.shards())
        jobs = _listing_jobs(touched)
        if elsewhere is None:
            for job in jobs:
                self.render_listing_job(staging, catalog, changes, touched.moment, job, languages)
        else:
            parts = [self.catalog_for(catalog, job) for job in jobs]
            elsewhere(jobs, parts, changes, touched.moment, languages)
        # What these list is dated by the pages above: they come after them.
        for column in sorted({column for _, column in touched.columns}):
            self._column_sitemap(staging, catalog, changes, column, languages)
        if touched.languages:
            self._home_sitemap(staging, changes, languages)
        self._sitemap_index(staging, changes)
        changes.save()

    def render_listing_job(
        self,
        staging: Staging,
        catalog: Catalog,
        changes: PageChanges,
        moment: datetime | None,
        job: ListingJob,
        languages: Sequence[str],
    ) -> None:
        """Render one listing job of a change made at ``moment`` (`_Touched.moment`); ``catalog``
        may be just the part `catalog_for` the job (in a helper process)."""
        touched = _Touched(moment=moment)
        if job.column:
            self._column_pages(
                staging, catalog, changes, touched, job.language, job.column, job.since, languages
            )
        elif job.language:
            self._home(staging, catalog, changes, touched, job.language, languages)
            self._feed(staging, catalog, job.language)
            self._search(staging, catalog, job.language, set(job.shards))
        else:
            for shard in job.shards:
                self._sitemap_shard(staging, catalog, changes, shard)

    def catalog_for(self, catalog: Catalog, job: ListingJob) -> Catalog:
        """The part of the catalogue one listing job reads, to send to a helper process."""
        if job.column:
            ranked = catalog.ranked(job.language, job.column)
            return catalog.part([job.language], [job.column], [nid for _, nid in ranked])
        if job.language:
            columns = list(catalog.order.get(job.language, {}))
            return catalog.part([job.language], columns, catalog.shard_notices(job.shards))
        return catalog.part(list(catalog.order), (), catalog.shard_notices(job.shards))

    def _column_pages(
        self,
        staging: Staging,
        catalog: Catalog,
        changes: PageChanges,
        touched: _Touched,
        language: str,
        column: str,
        since: list[Any] | None,
        languages: Sequence[str],
    ) -> None:
        """Rewrite a column's newest page and the archive pages from the first one that moved."""
        ranked = catalog.ranked(language, column)
        count = -(-len(ranked) // PAGE_SIZE)
        first = 1 if since is None else max(1, bisect_left(ranked, since) // PAGE_SIZE)
        heading = column_name(column, language)
        index = column_path(language, column)
        newest = catalog.entries(language, [nid for _, nid in reversed(ranked[-PAGE_SIZE:])])
        staging.write(
            index,
            self._render(
                "column.html",
                index,
                language,
                heading=heading,
                items=self._items(language, index, newest),
                pages=[
                    (n, href(index, column_path(language, column, n)), False)
                    for n in range(count, 0, -1)
                ],
                alternates=self._column_alternates(column, languages),
                canonical=absolute(self.base_url, index),
                switch=[
                    language_link(lang, href(index, column_path(lang, column)))
                    for lang in languages
                    if lang != language
                ],
            ),
        )
        self._changed(changes, touched, index, newest)
        for number in range(first, count + 1):
            here = column_path(language, column, number)
            listed = catalog.entries(
                language,
                [nid for _, nid in reversed(ranked[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])],
            )
            near = [n for n in (number + 1, number, number - 1) if 1 <= n <= count]
            staging.write(
                here,
                self._render(
                    "column.html",
                    here,
                    language,
                    heading=f"{heading} · {WORDS[language]['page'].format(n=number)}",
                    items=self._items(language, here, listed),
                    pages=[
                        (n, href(here, column_path(language, column, n)), n == number) for n in near
                    ],
                ),
            )
            self._changed(changes, touched, here, listed)
        number = count + 1
        while staging.delete(column_path(language, column, number)):  # pages a retraction emptied
            changes.drop(column_path(language, column, number))
            number += 1

    def _home(
        self,
        staging: Staging,
        catalog: Catalog,
        changes: PageChanges,
        touched: _Touched,
        language: str,
        languages: Sequence[str],
    ) -> None:
        here = home_path(language)
        newest = catalog.entries(language, catalog.newest(language, HOME_SIZE))
        counts = {column: len(catalog.ranked(language, column)) for column in self.columns}
        staging.write(
            here,
            self._render(
                "home.html",
                here,
                language,
                items=self._items(language, here, newest),
                column_summaries=[
                    (column_name(c, language), href(here, column_path(language, c)), counts[c])
                    for c in self.columns
                ],
                alternates=self._home_alternates(languages),
                switch=[
                    language_link(lang, href(here, home_path(lang)))
                    for lang in languages
                    if lang != language
                ],
            ),
        )
        # Dated by the notices it lists: its column counts move with them.
        self._changed(changes, touched, here, newest)

    def _items(self, language: str, here: str, entries: list[Entry]) -> list[tuple[Entry, str]]:
        return [
            (_shown(entry), href(here, page_path(language, entry.notice_id))) for entry in entries
        ]

    def _changed(
        self,
        changes: PageChanges,
        touched: _Touched,
        here: str,
        listed: list[Entry],
    ) -> None:
        """Record what a listing page shows now, and when that last changed."""
        shows = digest(
            [[e.notice_id, e.title, e.column, e.published_on.isoformat()] for e in listed]
        )
        derived = max((entry.updated for entry in listed), default=None)
        previous = changes.get(here)
        changes.put(here, Change(shows, last_change(previous, shows, derived, touched.moment)))

    def _feed(self, staging: Staging, catalog: Catalog, language: str) -> None:
        """An Atom feed of the language's newest notices, stamped with their publication times."""
        newest = catalog.entries(language, catalog.newest(language, FEED_SIZE))
        head = FeedHead(
            language=language,
            title=WORDS[language]["office"],
            home_url=absolute(self.base_url, home_path(language)),
            self_url=absolute(self.base_url, feed_path(language)),
        )
        entries = [
            (entry, absolute(self.base_url, page_path(language, entry.notice_id)))
            for entry in newest
        ]
        staging.write(feed_path(language), atom_feed(head, entries))

    def _search(self, staging: Staging, catalog: Catalog, language: str, shards: set[int]) -> None:
        """The language's search index: one JSON file per shard and a manifest listing them."""
        manifest = search_manifest_path(language)
        for shard in shards:
            rows = [
                {
                    "id": entry.notice_id,
                    "title": entry.title,
                    "column": column_name(entry.column, language),
                    "date": entry.published_on.isoformat(),
                    "summary": entry.summary,
                    "url": href(manifest, page_path(language, entry.notice_id)),
                }
                for by_language in catalog.shard_entries(shard).values()
                if (entry := by_language.get(language)) is not None
            ]
            if rows:
                staging.write(search_shard_path(language, shard), _json(rows))
            else:
                staging.delete(search_shard_path(language, shard))
        present = catalog.shards(language)
        staging.write(
            manifest,
            _json(
                {
                    "language": language,
                    "shards": [href(manifest, search_shard_path(language, s)) for s in present],
                }
            ),
        )

    # -- sitemaps ------------------------------------------------------------------------------

    def _sitemap_shard(
        self, staging: Staging, catalog: Catalog, changes: PageChanges, shard: int
    ) -> None:
        """The sitemap of a shard's notice pages, each with the alternates its page lists."""
        path = sitemap_shard_path(shard)
        notices = catalog.shard_entries(shard)
        if not notices:
            staging.delete(path)
            changes.drop_sitemap(path)
            return
        urls = []
        for notice_id, by_language in notices.items():
            languages = sorted(by_language, key=_language_order)
            paths = {lang: page_path(lang, notice_id) for lang in languages}
            alternates = self._alternates(paths, x_default=paths.get(SOURCE_LANGUAGE))
            for language in languages:
                # A catalogue from before page changes were kept: what the entries tell.
                lastmod = by_language[language].lastmod or _notice_derived(language, by_language)
                urls.append(
                    SitemapUrl(absolute(self.base_url, paths[language]), lastmod, alternates)
                )
        self._write_sitemap(staging, changes, path, urls)

    def _column_sitemap(
        self,
        staging: Staging,
        catalog: Catalog,
        changes: PageChanges,
        column: str,
        languages: Sequence[str],
    ) -> None:
        """The sitemap of a column's pages: in each language its newest page, then page 1, 2, …

        The newest pages carry the alternates they list (the archive pages, numbered from each
        language's oldest notice, are no translations of each other).
        """
        pages = []
        newest = {column_path(language, column) for language in languages}
        for language in languages:
            count = -(-len(catalog.ranked(language, column)) // PAGE_SIZE)
            pages.append(column_path(language, column))
            pages += [column_path(language, column, n) for n in range(1, count + 1)]
        alternates = self._column_alternates(column, languages)
        self._write_sitemap(
            staging,
            changes,
            column_sitemap_path(column),
            [
                SitemapUrl(
                    absolute(self.base_url, path), lastmod, alternates if path in newest else ()
                )
                for path, lastmod in changes.lastmods(pages)
            ],
        )

    def _home_sitemap(
        self, staging: Staging, changes: PageChanges, languages: Sequence[str]
    ) -> None:
        """The sitemap of the language chooser and the homes, each with the others as alternates.

        The chooser changes only with the site's languages, so it carries no <lastmod>.
        """
        alternates = self._home_alternates(languages)
        urls = [SitemapUrl(absolute(self.base_url, ROOT_PAGE), None, alternates)]
        urls += [
            SitemapUrl(absolute(self.base_url, path), lastmod, alternates)
            for path, lastmod in changes.lastmods(home_path(lang) for lang in languages)
        ]
        self._write_sitemap(staging, changes, home_sitemap_path(), urls)

    def _write_sitemap(
        self, staging: Staging, changes: PageChanges, path: str, urls: list[SitemapUrl]
    ) -> None:
        staging.write(path, urlset(urls))
        changes.put_sitemap(
            path, max((url.lastmod for url in urls if url.lastmod is not None), default=None)
        )

    def _sitemap_index(self, staging: Staging, changes: PageChanges) -> None:
        """The index of every sitemap: the homes', each column's, each notice shard's."""
        listed = sorted(
            changes.sitemap_files().items(), key=lambda item: self._sitemap_order(item[0])
        )
        staging.write(
            "sitemap.xml",
            sitemap_index((absolute(self.base_url, path), lastmod) for path, lastmod in listed),
        )

    def _sitemap_order(self, path: str) -> tuple[int, int, str]:
        """The homes' first, then the columns' in the configured order, then shards by number."""
        name = path.removeprefix("sitemaps/").removesuffix(".xml")
        if path == home_sitemap_path():
            return (0, 0, "")
        if name.isdigit():
            return (2, int(name), "")
        column = name.removeprefix("columns/")
        position = self.columns.index(column) if column in self.columns else len(self.columns)
        return (1, position, column)

    # -- helpers -------------------------------------------------------------------------------

    def _alternates(self, paths: Mapping[str, str], x_default: str | None) -> list[tuple[str, str]]:
        """hreflang alternates with absolute addresses, and x-default on ``x_default`` if any."""
        found = [
            (language_entry(lang).bcp47, absolute(self.base_url, path))
            for lang, path in paths.items()
        ]
        if x_default is not None:
            found.append(("x-default", absolute(self.base_url, x_default)))
        return found

    def _home_alternates(self, languages: Sequence[str]) -> list[tuple[str, str]]:
        """The homes and the language chooser list the same: every home, x-default the chooser."""
        return self._alternates({lang: home_path(lang) for lang in languages}, x_default=ROOT_PAGE)

    def _column_alternates(self, column: str, languages: Sequence[str]) -> list[tuple[str, str]]:
        """A column's newest page in every language of the site, x-default the source's."""
        paths = {lang: column_path(lang, column) for lang in languages}
        return self._alternates(paths, x_default=paths.get(SOURCE_LANGUAGE))

    def _render(
        self,
        template: str,
        here: str,
        language: str,
        *,
        alternates: Sequence[tuple[str, str]] = (),
        switch: Sequence[LanguageLink] = (),
        **values: object,
    ) -> bytes:
        entry = language_entry(language)
        rtl = entry.direction == "rtl"
        context: dict[str, object] = {
            "lang": entry.bcp47,
            "dir": entry.direction,
            "script": entry.script,
            # Titles and summaries on a right-to-left page: their left-to-right runs isolated.
            "isolate": (lambda text: Markup(isolate_ltr_runs(str(escape(text)))))
            if rtl
            else escape,
            "words": WORDS[language],
            "to": lambda path: href(here, path),
            "home": home_path(language),
            "feed": feed_path(language),
            "search": search_page_path(language),
            "column_items": column_items(
                [
                    (column_name(c, language), href(here, column_path(language, c)))
                    for c in self.columns
                ]
            ),
            "canonical": "",
            # The frame's lists, written here rather than escaped value by value in the loops.
            "alternate_links": alternate_links(alternates),
            "switch_items": switch_items(switch),
        }
        context.update(values)
        return _templates.get_template(template).render(**context).encode("utf-8")


class FullBuild:
    """A whole new site being staged: the notices one by one, then the listings, then the swap.

    Run it under the site's lock (`Site.build` does, and publishers/site/parallel.py).
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self.staging = site.generations.begin(fresh=True)
        self.catalog = Catalog(self.staging)
        self.touched = _Touched()
        self.pages = 0

    def add(self, pages: Sequence[Page]) -> None:
        """Render one notice's pages into the staging and the catalogue."""
        self.site._apply(self.staging, self.catalog, pages[0].notice_id, pages, self.touched)
        self.pages += len(pages)

    def add_rendered(self, notice_id: int, entries: dict[str, Entry]) -> None:
        """Catalogue a notice whose pages a helper wrote (`Site.render_new_notice`), as `add` does."""
        for language, entry in entries.items():
            self.touched.happened(entry.updated)
            self.touched.column(language, entry.column, entry.rank())
        self.catalog.put(notice_id, entries)
        self.touched.shards.add(shard_of(notice_id))
        self.pages += len(entries)

    def finish(self, elsewhere: RenderJobs | None = None) -> int:
        """Render every listing (by ``elsewhere``, helper processes, if given), move the new site
        in; returns the notice pages rendered."""
        site, staging, catalog, touched = self.site, self.staging, self.catalog, self.touched
        languages = site._languages(catalog)
        for language in languages:
            for column in site.columns:
                touched.column(language, column, None)
        site._ensure_frame(staging, catalog, languages, force=True)
        site._render_listings(staging, catalog, touched, languages, elsewhere)
        catalog.save()
        site.generations.swap(staging)
        return self.pages


def _entry(page: Page) -> Entry:
    summary = excerpt(page.body_markdown, SUMMARY_CHARS)
    return Entry(
        page.notice_id,
        page.language,
        page.title,
        page.column,
        page.published_on,
        summary,
        page.version,
        published_at=page.published_at,
        updated_at=page.updated_at,
    )


def _shown(entry: Entry) -> Entry:
    """The entry with its column named as the language's site names it."""
    return replace(entry, column=column_name(entry.column, entry.language))


def _notice_derived(language: str, entries: Mapping[str, Entry]) -> datetime:
    """What a notice page's content tells of its last change: its own version's publication,
    or a language joining the notice later (its switch and alternates then changed)."""
    return max(
        [entries[language].updated]
        + [other.published for lang, other in entries.items() if lang != language]
    )


def _notice_lastmod(
    language: str,
    shown: bytes | None,
    data: bytes,
    entries: Mapping[str, Entry],
    before: Mapping[str, Entry],
    touched: _Touched,
) -> datetime | None:
    """When a notice's page in ``language`` last changed, now that ``data`` replaces ``shown``."""
    old = before.get(language)
    previous = None if old is None or shown is None else Change(digest(shown), old.lastmod)
    return last_change(previous, digest(data), _notice_derived(language, entries), touched.moment)


def _language_order(language: str) -> tuple[int, str]:
    return (order_of(language), language)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _json(value: object) -> bytes:
    """Compact JSON with markup characters escaped, so no file the site serves carries a live tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.encode("utf-8")
