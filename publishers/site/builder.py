"""The multilingual static site: a publish re-renders only what one notice touches, then swaps.

Every page is rendered from Jinja2 templates; notice bodies pass through the sanitising Markdown
renderer. Listings (home pages, column pages, feeds, search index, sitemap) come from the
generation's catalogue, so they never need the database.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib.resources import files
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from jinja2 import Environment, PackageLoader, select_autoescape

from content.counting import excerpt
from content.images import image_suffix
from content.render import markdown_to_html
from core.clock import OFFICE_TIME_ZONE
from core.failpoints import failpoint
from publishers.base import Page
from publishers.site.catalog import Catalog, Entry, shard_of
from publishers.site.generations import Generations, Staging
from publishers.site.paths import (
    PAGE_SIZE,
    absolute,
    column_path,
    feed_path,
    home_path,
    href,
    media_path,
    page_path,
    search_manifest_path,
    search_page_path,
    search_shard_path,
    sitemap_shard_path,
)
from publishers.site.words import LANGUAGE_NAMES, LANGUAGES, WORDS, column_name

HOME_SIZE = 10
FEED_SIZE = 20
SUMMARY_CHARS = 160
ASSETS = ("site.css", "search.js")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')

# Tags are written plain and the namespaces declared on each root, so no tag carries a prefix.
_SITEMAP = {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"}
_XHTML = {"xmlns:xhtml": "http://www.w3.org/1999/xhtml"}
_ATOM = {"xmlns": "http://www.w3.org/2005/Atom"}

_templates = Environment(
    loader=PackageLoader("publishers.site", "templates"),
    autoescape=select_autoescape(default=True),
    keep_trailing_newline=True,
)


@dataclass
class _Touched:
    """What one change makes stale: per language and column, the first rank whose page moved."""

    columns: dict[tuple[str, str], list[Any] | None] = field(default_factory=dict)
    shards: set[int] = field(default_factory=set)

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

    def __init__(self, site_dir: Path, base_url: str, columns: Sequence[str]) -> None:
        self.generations = Generations(site_dir)
        self.base_url = base_url or "http://127.0.0.1:8000/"
        self.columns = tuple(columns)

    # -- the operations ------------------------------------------------------------------------

    def publish_notice(self, pages: Sequence[Page]) -> list[str]:
        """Put one notice on the site in every language given (the full set it should have)."""
        with self.generations.locked():
            return self._publish_notice(pages)

    def retract(self, notice_id: int) -> list[str]:
        """Take a notice off every page, index, feed, sitemap and search index; idempotent."""
        with self.generations.locked():
            return self._retract(notice_id)

    def build(self, notices: Iterable[Sequence[Page]]) -> int:
        """Render a whole new site from every notice's pages (a fresh generation); returns pages."""
        with self.generations.locked():
            return self._build(notices)

    def shown(self, notice_id: int) -> dict[str, Entry]:
        """The languages the served site shows a notice in, with their entries (empty: not on it)."""
        with self.generations.locked():
            served = self.generations.served()
            return {} if served is None else Catalog(served).notice(notice_id)

    def _publish_notice(self, pages: Sequence[Page]) -> list[str]:
        staging = self.generations.begin()
        catalog = Catalog(staging)
        self._ensure_frame(staging, catalog)
        touched = _Touched()
        self._apply(staging, catalog, pages[0].notice_id, pages, touched)
        self._render_listings(staging, catalog, touched)
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
        touched = _Touched()
        removed = self._apply(staging, catalog, notice_id, [], touched)
        self._render_listings(staging, catalog, touched)
        catalog.save()
        failpoint("site.staged")
        self.generations.swap(staging)
        return removed

    def _build(self, notices: Iterable[Sequence[Page]]) -> int:
        staging = self.generations.begin(fresh=True)
        catalog = Catalog(staging)
        touched = _Touched()
        count = 0
        for pages in notices:
            self._apply(staging, catalog, pages[0].notice_id, pages, touched)
            count += len(pages)
        for language in LANGUAGES:
            for column in self.columns:
                touched.column(language, column, None)
        self._ensure_frame(staging, catalog, force=True)
        self._render_listings(staging, catalog, touched)
        catalog.save()
        self.generations.swap(staging)
        return count

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
        entries = {page.language: _entry(page) for page in pages}
        before = catalog.put(notice_id, entries)
        removed = []
        for language, old in before.items():
            touched.column(language, old.column, old.rank())
            if language not in entries and staging.delete(page_path(language, notice_id)):
                removed.append(language)
        for page in pages:
            entry = entries[page.language]
            touched.column(page.language, entry.column, entry.rank())
            staging.write(
                page_path(page.language, notice_id), self._notice_html(staging, page, entries)
            )
        touched.shards.add(shard_of(notice_id))
        return sorted(removed)

    def _notice_html(self, staging: Staging, page: Page, entries: Mapping[str, Entry]) -> bytes:
        here = page_path(page.language, page.notice_id)
        body = markdown_to_html(page.body_markdown)
        body = self._local_images(staging, here, body, page.images)
        entry = entries[page.language]
        languages = sorted(entries, key=_language_order)
        return self._render(
            "notice.html",
            here,
            page.language,
            entry=_shown(entry),
            body=body,
            column_href=href(here, column_path(page.language, entry.column)),
            alternates=self._alternates(
                {lang: page_path(lang, page.notice_id) for lang in languages}
            ),
            canonical=absolute(self.base_url, here),
            switch=[
                (lang, LANGUAGE_NAMES[lang], href(here, page_path(lang, page.notice_id)))
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

    def _ensure_frame(self, staging: Staging, catalog: Catalog, force: bool = False) -> None:
        """The parts every site has from the first publish: assets, root, homes, search pages."""
        if not force and staging.read("index.html") is not None:
            return
        for name in ASSETS:
            staging.write(
                f"assets/{name}", (files("publishers.site") / "static" / name).read_bytes()
            )
        homes = {lang: home_path(lang) for lang in LANGUAGES}
        root = _templates.get_template("root.html").render(
            office=WORDS["zh"]["office"],
            alternates=self._alternates(homes),
            languages=[
                (lang, LANGUAGE_NAMES[lang], href("index.html", homes[lang])) for lang in LANGUAGES
            ],
        )
        staging.write("index.html", root.encode("utf-8"))
        touched = _Touched()
        for language in LANGUAGES:
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
            self._render_listings(staging, catalog, touched)

    def _render_listings(self, staging: Staging, catalog: Catalog, touched: _Touched) -> None:
        for (language, column), since in sorted(touched.columns.items(), key=lambda kv: kv[0]):
            self._column_pages(staging, catalog, language, column, since)
        for language in sorted(touched.languages):
            self._home(staging, catalog, language)
            self._feed(staging, catalog, language)
            self._search(staging, catalog, language, touched.shards)
        for shard in sorted(touched.shards):
            self._sitemap_shard(staging, catalog, shard)
        self._sitemap_index(staging, catalog, touched.shards)

    def _column_pages(
        self,
        staging: Staging,
        catalog: Catalog,
        language: str,
        column: str,
        since: list[Any] | None,
    ) -> None:
        """Rewrite a column's newest page and the archive pages from the first one that moved."""
        ranked = catalog.ranked(language, column)
        count = -(-len(ranked) // PAGE_SIZE)
        first = 1 if since is None else max(1, bisect_left(ranked, since) // PAGE_SIZE)
        heading = column_name(column, language)
        index = column_path(language, column)
        newest = [nid for _, nid in reversed(ranked[-PAGE_SIZE:])]
        staging.write(
            index,
            self._render(
                "column.html",
                index,
                language,
                heading=heading,
                items=self._items(catalog, language, index, newest),
                pages=[
                    (n, href(index, column_path(language, column, n)), False)
                    for n in range(count, 0, -1)
                ],
            ),
        )
        for number in range(first, count + 1):
            here = column_path(language, column, number)
            ids = [
                nid for _, nid in reversed(ranked[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
            ]
            near = [n for n in (number + 1, number, number - 1) if 1 <= n <= count]
            staging.write(
                here,
                self._render(
                    "column.html",
                    here,
                    language,
                    heading=f"{heading} · {WORDS[language]['page'].format(n=number)}",
                    items=self._items(catalog, language, here, ids),
                    pages=[
                        (n, href(here, column_path(language, column, n)), n == number) for n in near
                    ],
                ),
            )
        number = count + 1
        while staging.delete(column_path(language, column, number)):  # pages a retraction emptied
            number += 1

    def _home(self, staging: Staging, catalog: Catalog, language: str) -> None:
        here = home_path(language)
        newest = catalog.newest(language, HOME_SIZE)
        counts = {column: len(catalog.ranked(language, column)) for column in self.columns}
        staging.write(
            here,
            self._render(
                "home.html",
                here,
                language,
                items=self._items(catalog, language, here, newest),
                column_summaries=[
                    (column_name(c, language), href(here, column_path(language, c)), counts[c])
                    for c in self.columns
                ],
                alternates=self._alternates({lang: home_path(lang) for lang in LANGUAGES}),
                switch=[
                    (lang, LANGUAGE_NAMES[lang], href(here, home_path(lang)))
                    for lang in LANGUAGES
                    if lang != language
                ],
            ),
        )

    def _items(
        self, catalog: Catalog, language: str, here: str, ids: list[int]
    ) -> list[tuple[Entry, str]]:
        return [
            (_shown(entry), href(here, page_path(language, entry.notice_id)))
            for entry in catalog.entries(language, ids)
        ]

    def _feed(self, staging: Staging, catalog: Catalog, language: str) -> None:
        """An Atom feed of the language's newest notices."""
        newest = catalog.entries(language, catalog.newest(language, FEED_SIZE))
        feed = ET.Element("feed", _ATOM | {"xml:lang": language})
        ET.SubElement(feed, "title").text = WORDS[language]["office"]
        ET.SubElement(feed, "id").text = absolute(self.base_url, home_path(language))
        ET.SubElement(
            feed, "link", rel="alternate", href=absolute(self.base_url, home_path(language))
        )
        ET.SubElement(feed, "link", rel="self", href=absolute(self.base_url, feed_path(language)))
        ET.SubElement(feed, "updated").text = _timestamp(
            newest[0].published_on if newest else date(2000, 1, 1)
        )
        author = ET.SubElement(feed, "author")
        ET.SubElement(author, "name").text = WORDS[language]["office"]
        for entry in newest:
            url = absolute(self.base_url, page_path(language, entry.notice_id))
            item = ET.SubElement(feed, "entry")
            ET.SubElement(item, "title").text = entry.title
            ET.SubElement(item, "id").text = url
            ET.SubElement(item, "link", rel="alternate", href=url)
            ET.SubElement(item, "updated").text = _timestamp(entry.published_on)
            ET.SubElement(item, "summary").text = entry.summary
        staging.write(feed_path(language), _xml(feed))

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

    def _sitemap_shard(self, staging: Staging, catalog: Catalog, shard: int) -> None:
        notices = catalog.shard_entries(shard)
        if not notices:
            staging.delete(sitemap_shard_path(shard))
            return
        urlset = ET.Element("urlset", _SITEMAP | _XHTML)
        for notice_id, by_language in notices.items():
            languages = sorted(by_language, key=_language_order)
            for language in languages:
                url = ET.SubElement(urlset, "url")
                ET.SubElement(url, "loc").text = absolute(
                    self.base_url, page_path(language, notice_id)
                )
                ET.SubElement(url, "lastmod").text = by_language[language].published_on.isoformat()
                for other in languages:
                    ET.SubElement(
                        url,
                        "xhtml:link",
                        rel="alternate",
                        hreflang=other,
                        href=absolute(self.base_url, page_path(other, notice_id)),
                    )
        staging.write(sitemap_shard_path(shard), _xml(urlset))

    def _sitemap_index(self, staging: Staging, catalog: Catalog, shards: set[int]) -> None:
        present = catalog.shards()
        index = ET.Element("sitemapindex", _SITEMAP)
        for shard in present:
            item = ET.SubElement(index, "sitemap")
            ET.SubElement(item, "loc").text = absolute(self.base_url, sitemap_shard_path(shard))
        staging.write("sitemap.xml", _xml(index))

    # -- helpers -------------------------------------------------------------------------------

    def _alternates(self, paths: Mapping[str, str]) -> list[tuple[str, str]]:
        """hreflang alternates with absolute addresses, and x-default on the Chinese original."""
        found = [(lang, absolute(self.base_url, path)) for lang, path in paths.items()]
        if "zh" in paths:
            found.append(("x-default", absolute(self.base_url, paths["zh"])))
        return found

    def _render(self, template: str, here: str, language: str, **values: object) -> bytes:
        context: dict[str, object] = {
            "lang": language,
            "words": WORDS[language],
            "to": lambda path: href(here, path),
            "home": home_path(language),
            "feed": feed_path(language),
            "search": search_page_path(language),
            "column_links": [
                (column_name(c, language), href(here, column_path(language, c)))
                for c in self.columns
            ],
            "alternates": [],
            "canonical": "",
            "switch": [],
        }
        context.update(values)
        return _templates.get_template(template).render(**context).encode("utf-8")


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
    )


def _shown(entry: Entry) -> Entry:
    """The entry with its column named as the language's site names it."""
    return Entry(
        entry.notice_id,
        entry.language,
        entry.title,
        column_name(entry.column, entry.language),
        entry.published_on,
        entry.summary,
        entry.version,
    )


def _language_order(language: str) -> tuple[int, str]:
    return (LANGUAGES.index(language) if language in LANGUAGES else len(LANGUAGES), language)


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(9, 0), OFFICE_TIME_ZONE).isoformat()


def _xml(element: ET.Element) -> bytes:
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"


def _json(value: object) -> bytes:
    """Compact JSON with markup characters escaped, so no file the site serves carries a live tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.encode("utf-8")
