"""Feeds stamped with the time of publication, a sitemap of every page with its real last change,
and hreflang alternates that answer each other: read back with feedparser, xml.etree and
html.parser from a small site built through the real builder."""

from __future__ import annotations

import calendar
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import feedparser
import pytest

from core.clock import office_date
from publishers.base import Page
from publishers.site.builder import FEED_SIZE, Site
from publishers.site.paths import PAGE_SIZE
from tests.publishers.site_pages import BASE_URL, COLUMNS, pages, site
from tests.site_files import site_files

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\Z")
START = datetime(2026, 2, 1, 1, 30, 15, tzinfo=UTC)  # 09:30:15 in Shanghai: never 09:00
NOTICES = range(1, 31)
BIG_COLUMN = COLUMNS[0]  # notices 1 to 24: more than a column page holds
LATE_ENGLISH = 7  # published in Chinese first, in English two hours later
NEW_VERSION = 25  # its English page republished as version 2 after every other publication


def published_at(notice_id: int) -> datetime:
    """A first publication a day and some minutes after the one before."""
    return START + timedelta(days=notice_id, minutes=17 * notice_id)


def english_at(notice_id: int) -> datetime:
    return published_at(notice_id) + timedelta(hours=2 if notice_id == LATE_ENGLISH else 0)


SECOND_VERSION_AT = published_at(NOTICES[-1]) + timedelta(hours=5, seconds=7)


def languages_of(notice_id: int) -> tuple[str, ...]:
    return ("zh", "en", "ja") if notice_id % 2 == 0 else ("zh", "en")


def column_of(notice_id: int) -> str:
    return BIG_COLUMN if notice_id <= 24 else COLUMNS[1 + notice_id % 2]


def stamped(notice_id: int, languages: Iterable[str], version: int = 1) -> list[Page]:
    """The notice's pages as the pipeline hands them: each with its recorded times."""
    found = []
    for page in pages(notice_id, languages_of(notice_id), column=column_of(notice_id)):
        if page.language not in languages:
            continue
        first = english_at(notice_id) if page.language == "en" else published_at(notice_id)
        updated = SECOND_VERSION_AT if version == 2 and page.language == "en" else first
        found.append(
            replace(
                page,
                version=version if page.language == "en" else 1,
                title=f"{page.title} v{version}" if page.language == "en" else page.title,
                published_on=office_date(first),
                published_at=first,
                updated_at=updated,
            )
        )
    return found


def publish_all(site_dir: Path) -> None:
    s = site(site_dir)
    for notice_id in NOTICES:
        if notice_id == LATE_ENGLISH:
            s.publish_notice(stamped(notice_id, ("zh", "ja")))
        s.publish_notice(stamped(notice_id, languages_of(notice_id)))
    s.publish_notice(stamped(NEW_VERSION, languages_of(NEW_VERSION), version=2))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stamped")
    publish_all(folder / "site")
    return folder


@pytest.fixture
def site_dir(template: Path, tmp_path: Path) -> Path:
    """A copy of the built site of its own (links kept relative, so the copy stands alone)."""
    shutil.copytree(template, tmp_path, symlinks=True, dirs_exist_ok=True)
    return tmp_path / "site"


@pytest.fixture
def built(site_dir: Path) -> dict[str, bytes]:
    return site_files(site_dir)


def seconds(parsed: object) -> int:
    """feedparser's UTC struct_time as seconds since the epoch."""
    return calendar.timegm(parsed)  # type: ignore[arg-type]


# -- feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en", "ja", "fr", "ko"])
def test_every_feed_parses_cleanly_with_rfc3339_times(
    built: dict[str, bytes], language: str
) -> None:
    feed = feedparser.parse(built[f"{language}/feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    root = ET.fromstring(built[f"{language}/feed.xml"])
    stamps = [
        el.text or "" for el in root.iter() if el.tag in (f"{ATOM}updated", f"{ATOM}published")
    ]
    assert stamps and all(RFC3339.match(stamp) for stamp in stamps), stamps


def test_feed_entries_carry_the_time_of_publication_not_a_fixed_hour(
    built: dict[str, bytes],
) -> None:
    feed = feedparser.parse(built["zh/feed.xml"])
    assert len(feed.entries) == FEED_SIZE
    for entry in feed.entries:
        notice_id = int(entry.id.rsplit("/", 1)[1].removesuffix(".html"))
        assert seconds(entry.published_parsed) == published_at(notice_id).timestamp()
        assert seconds(entry.updated_parsed) == published_at(notice_id).timestamp()
    newest = max(seconds(entry.updated_parsed) for entry in feed.entries)
    assert seconds(feed.feed.updated_parsed) == newest == published_at(NOTICES[-1]).timestamp()


def test_a_new_version_gets_a_new_updated_and_keeps_its_published(
    built: dict[str, bytes],
) -> None:
    feed = feedparser.parse(built["en/feed.xml"])
    by_id = {int(e.id.rsplit("/", 1)[1].removesuffix(".html")): e for e in feed.entries}
    republished = by_id[NEW_VERSION]
    assert republished.title.endswith(" v2")
    assert seconds(republished.published_parsed) == published_at(NEW_VERSION).timestamp()
    assert seconds(republished.updated_parsed) == SECOND_VERSION_AT.timestamp()
    # The feed is as new as its newest entry: the republished one, older by first publication.
    assert seconds(feed.feed.updated_parsed) == SECOND_VERSION_AT.timestamp()


# -- sitemaps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """One <url> of a sitemap."""

    path: str
    lastmod: datetime | None
    alternates: tuple[tuple[str, str], ...]


def local(address: str) -> str:
    assert address.startswith(BASE_URL), address
    return unquote(address.removeprefix(BASE_URL))


def sitemaps(built: dict[str, bytes]) -> dict[str, tuple[datetime | None, list[Listed]]]:
    """Every sitemap the index lists: its <lastmod> in the index and its URLs."""
    index = ET.fromstring(built["sitemap.xml"])
    assert index.tag == f"{SITEMAP}sitemapindex"
    found = {}
    for item in index.findall(f"{SITEMAP}sitemap"):
        path = local(item.findtext(f"{SITEMAP}loc") or "")
        stamp = item.findtext(f"{SITEMAP}lastmod")
        urlset = ET.fromstring(built[path])
        assert urlset.tag == f"{SITEMAP}urlset"
        urls = []
        for url in urlset.findall(f"{SITEMAP}url"):
            lastmod = url.findtext(f"{SITEMAP}lastmod")
            assert lastmod is None or RFC3339.match(lastmod), lastmod
            urls.append(
                Listed(
                    local(url.findtext(f"{SITEMAP}loc") or ""),
                    None if lastmod is None else datetime.fromisoformat(lastmod),
                    tuple(
                        (link.get("hreflang", ""), link.get("href", ""))
                        for link in url.findall(f"{XHTML}link")
                    ),
                )
            )
        found[path] = (None if stamp is None else datetime.fromisoformat(stamp), urls)
    return found


def test_the_sitemap_lists_every_page_once_and_the_index_every_sitemap(
    built: dict[str, bytes],
) -> None:
    found = sitemaps(built)
    assert set(found) == {name for name in built if name.startswith("sitemaps/")}
    listed = [url.path for _, urls in found.values() for url in urls]
    pages_served = {
        name for name in built if name.endswith(".html") and not name.endswith("/search.html")
    }
    assert len(listed) == len(set(listed))
    assert set(listed) == pages_served
    for language in ("zh", "en", "ja", "fr", "ko"):
        assert f"{language}/index.html" in listed
        for column in COLUMNS:
            assert f"{language}/columns/{column}/index.html" in listed
    # The big column has two numbered pages in Chinese: both listed.
    assert {f"zh/columns/{BIG_COLUMN}/page-1.html", f"zh/columns/{BIG_COLUMN}/page-2.html"} <= set(
        listed
    )
    for stamp, urls in found.values():
        dated = [url.lastmod for url in urls if url.lastmod is not None]
        assert stamp == (max(dated) if dated else None)


def test_lastmod_is_when_each_page_last_changed(built: dict[str, bytes]) -> None:
    lastmod = {url.path: url.lastmod for _, urls in sitemaps(built).values() for url in urls}
    # A notice page changes with its own version and when a language joins it.
    assert lastmod["zh/notices/0/3.html"] == published_at(3)
    assert lastmod[f"zh/notices/0/{LATE_ENGLISH}.html"] == english_at(LATE_ENGLISH)
    assert lastmod[f"en/notices/0/{NEW_VERSION}.html"] == SECOND_VERSION_AT
    # The new English version left the other languages' pages as they were.
    assert lastmod[f"zh/notices/0/{NEW_VERSION}.html"] == published_at(NEW_VERSION)
    # A listing page changes when what it lists does.
    assert lastmod["zh/index.html"] == published_at(NOTICES[-1])
    assert lastmod["en/index.html"] == SECOND_VERSION_AT  # it lists v2's new title
    assert lastmod[f"zh/columns/{BIG_COLUMN}/page-1.html"] == published_at(PAGE_SIZE)
    assert lastmod[f"zh/columns/{BIG_COLUMN}/page-2.html"] == published_at(24)
    assert lastmod[f"fr/columns/{BIG_COLUMN}/index.html"] is None  # nothing on it, ever
    assert lastmod["index.html"] is None  # the chooser changes only with the site's languages


def test_a_full_build_dates_the_pages_as_publishing_one_by_one(
    built: dict[str, bytes], tmp_path: Path
) -> None:
    """Without a history, a build dates a page by what it shows: the same, for what was only added."""
    rebuilt = tmp_path / "rebuilt"
    notices = [stamped(n, languages_of(n), version=2 if n == NEW_VERSION else 1) for n in NOTICES]
    site(rebuilt).build(notices)
    lastmod = {
        url.path: url.lastmod for _, urls in sitemaps(site_files(rebuilt)).values() for url in urls
    }
    expected = {url.path: url.lastmod for _, urls in sitemaps(built).values() for url in urls}
    assert lastmod == expected


def test_one_more_notice_rewrites_only_the_sitemaps_it_changes(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    notice_id = 231  # a shard of its own
    at = SECOND_VERSION_AT + timedelta(days=1)
    one_more = [
        replace(page, published_at=at, updated_at=at, published_on=office_date(at))
        for page in pages(notice_id, ("zh", "en"), column=COLUMNS[1])
    ]
    site(site_dir).publish_notice(one_more)
    after = site_files(site_dir)
    changed = {n for n in after if n.startswith("sitemap") and built.get(n) != after[n]}
    assert changed == {
        "sitemap.xml",
        "sitemaps/2.xml",
        "sitemaps/home.xml",
        f"sitemaps/columns/{COLUMNS[1]}.xml",
    }
    before_urls = {u.path: u for _, urls in sitemaps(built).values() for u in urls}
    after_urls = {u.path: u for _, urls in sitemaps(after).values() for u in urls}
    assert after_urls["zh/index.html"].lastmod == at
    assert after_urls[f"en/columns/{COLUMNS[1]}/index.html"].lastmod == at
    assert after_urls["ja/index.html"] == before_urls["ja/index.html"]  # not in Japanese


def test_taking_a_page_off_dates_what_it_left_with_the_time_it_left(site_dir: Path) -> None:
    s = site(site_dir)
    taken = datetime.now(UTC).replace(microsecond=0)
    s.publish_notice(stamped(4, ("zh", "en")))  # its Japanese page is taken off
    s.retract(30)  # the newest notice, from every page
    done = datetime.now(UTC)
    after = site_files(site_dir)
    lastmod = {url.path: url.lastmod for _, urls in sitemaps(after).values() for url in urls}
    assert "ja/notices/0/4.html" not in lastmod and "zh/notices/0/30.html" not in lastmod
    for path in ("zh/notices/0/4.html", "en/notices/0/4.html", "zh/index.html", "ja/index.html"):
        moment = lastmod[path]
        assert moment is not None and taken <= moment <= done, (path, moment)
    # Feeds drop it and are as new as their newest entry left.
    feed = feedparser.parse(after["zh/feed.xml"])
    assert seconds(feed.feed.updated_parsed) == published_at(29).timestamp()


# -- hreflang alternates -----------------------------------------------------------------------


class Alternates(HTMLParser):
    """A page's <html lang> and its hreflang alternates."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates.append((values["hreflang"], values["href"]))


def alternates_of(built: dict[str, bytes]) -> dict[str, Alternates]:
    found = {}
    for name, data in built.items():
        if name.endswith(".html"):
            parser = Alternates()
            parser.feed(data.decode("utf-8"))
            parser.close()
            found[name] = parser
    return found


def test_every_hreflang_alternate_is_answered_by_the_page_it_names(
    built: dict[str, bytes],
) -> None:
    pages_by_path = alternates_of(built)
    clusters = 0
    for path, page in pages_by_path.items():
        if not page.alternates:
            continue
        clusters += 1
        named = {local(href) for _, href in page.alternates}
        assert path in named, f"{path} does not list itself"
        languages = [lang for lang, _ in page.alternates]
        assert len(languages) == len(set(languages)), (path, languages)
        for hreflang, href in page.alternates:
            target = local(href)
            assert target in pages_by_path, (path, href)
            other = pages_by_path[target]
            # Reciprocal: the page named lists this one back, in the same cluster.
            assert sorted(other.alternates) == sorted(page.alternates), (path, target)
            if hreflang != "x-default":
                assert other.lang == hreflang, (path, target, other.lang)
    assert clusters > len(NOTICES)  # notice pages, the homes and the chooser
    root = pages_by_path["index.html"]
    assert ("x-default", f"{BASE_URL}index.html") in root.alternates
    for language in ("zh", "en", "ja", "fr", "ko"):
        home = pages_by_path[f"{language}/index.html"]
        assert ("x-default", f"{BASE_URL}index.html") in home.alternates
        assert (language, f"{BASE_URL}{language}/index.html") in root.alternates


def test_the_sitemap_gives_each_page_the_alternates_the_page_gives(
    built: dict[str, bytes],
) -> None:
    pages_by_path = alternates_of(built)
    for _, urls in sitemaps(built).values():
        for url in urls:
            assert sorted(url.alternates) == sorted(pages_by_path[url.path].alternates), url.path


def test_an_older_site_gets_its_complete_sitemap_and_chooser_at_the_next_publish(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    """A site written before it kept page changes: no records, an old chooser."""
    s = site(site_dir)
    (s.generations.meta_dir / "changes.json").unlink()
    old_root = built["index.html"].replace(
        f'hreflang="x-default" href="{BASE_URL}index.html"'.encode(),
        f'hreflang="x-default" href="{BASE_URL}zh/index.html"'.encode(),
    )
    (site_dir / "index.html").unlink()
    (site_dir / "index.html").write_bytes(old_root)

    s.publish_notice(stamped(3, languages_of(3)))  # nothing new to show: the same pages again

    after = site_files(site_dir)
    assert after["index.html"] == built["index.html"]
    assert {n: d for n, d in after.items() if n.startswith("sitemap")} == {
        n: d for n, d in built.items() if n.startswith("sitemap")
    }


def test_a_column_added_later_lists_only_the_pages_written_so_far(site_dir: Path) -> None:
    added = "新设栏目"
    wider = Site(site_dir, BASE_URL, (*COLUMNS, added))
    wider.publish_notice(pages(232, ("zh",), column=added))
    after = site_files(site_dir)
    listed = {url.path for _, urls in sitemaps(after).values() for url in urls}
    assert f"zh/columns/{added}/index.html" in listed
    assert not listed - set(after), sorted(listed - set(after))
