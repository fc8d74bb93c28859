"""The static site: well-formed pages, links that resolve, valid feeds and sitemaps, nothing unsafe,
retraction without a trace, incremental publishing, and a kill at any step undone or finished."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag
from xml.etree import ElementTree as ET

import pytest

from core.settings import Settings
from pipeline.published import RecordedPages
from publishers.site.generations import SiteStateError
from publishers.site.paths import PAGE_SIZE
from publishers.site.publisher import SitePublisher
from publishers.testing import PublisherContract
from tests.publishers.site_pages import BASE_URL, COLUMNS, PNG, pages, site
from tests.site_files import site_files

ROOT = Path(__file__).resolve().parents[2]
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Intake refuses raw HTML and assembly escapes it (content/markup.py); a page body is given here
# directly, as one stored before that rule would be, so the renderer's own defence is what is tested.
HOSTILE = """<script>alert(1)</script>

<img src="x.png" onerror="alert(2)">

[click](javascript:alert(3)) and <a href="JaVaScRiPt:alert(4)">this</a>
"""


class Page(HTMLParser):
    """Checks one page is well-formed and collects its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.links: list[str] = []
        self.alternates: list[tuple[str, str]] = []
        self.html_lang = ""
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = values.get("lang", "")
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.links.append(values[name])
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates.append((values["hreflang"], values["href"]))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else 'nothing'}>")
        else:
            self.open.pop()


def parse(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty-five notices, some in every language, with a hostile one among them (built once)."""
    folder = tmp_path_factory.mktemp("template")
    s = site(folder / "site")
    for notice_id in range(1, 46):
        languages = ("zh", "en", "ja", "fr", "ko") if notice_id % 3 else ("zh", "en")
        s.publish_notice(pages(notice_id, languages))
    s.publish_notice(
        pages(46, ("zh", "en"), title="<script>alert('t')</script> Hostile", text=HOSTILE)
    )
    return folder


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return tmp_path / "site"


@pytest.fixture
def built(template: Path, site_dir: Path) -> dict[str, bytes]:
    """A copy of the built site (links kept relative, so the copy stands on its own)."""
    shutil.copytree(template, site_dir.parent, symlinks=True, dirs_exist_ok=True)
    return site_files(site_dir)


def test_every_page_is_well_formed_with_its_language(built: dict[str, bytes]) -> None:
    html_pages = [name for name in built if name.endswith(".html")]
    assert len(html_pages) > 150
    for name in html_pages:
        page = parse(built[name])
        assert not page.problems and not page.open, (name, page.problems, page.open)
        language = name.split("/")[0] if "/" in name else "zh"
        assert page.html_lang == language, name
        assert built[name].startswith(b"<!DOCTYPE html>"), name


def test_links_and_hreflang_alternates_resolve_inside_the_output(built: dict[str, bytes]) -> None:
    for name in (n for n in built if n.endswith(".html")):
        page = parse(built[name])
        for link in page.links:
            target, fragment = urldefrag(link)
            if link.startswith("#"):
                assert fragment in page.ids, (name, link)
                continue
            assert not target.startswith(("http:", "https:", "//")) or target.startswith(
                BASE_URL
            ), (name, link)
            if target.startswith(BASE_URL):
                path = unquote(target.removeprefix(BASE_URL))
            else:
                path = os.path.normpath(os.path.join(os.path.dirname(name), unquote(target)))
            assert path in built, (name, link)
        for language, url in page.alternates:
            assert url.startswith(BASE_URL) and unquote(url.removeprefix(BASE_URL)) in built, (
                name,
                url,
            )
            assert language in ("zh", "en", "ja", "fr", "ko", "x-default")
    zh = parse(built["zh/notices/0/1.html"])
    assert {lang for lang, _ in zh.alternates} == {"zh", "en", "ja", "fr", "ko", "x-default"}


def test_feeds_sitemaps_and_search_indexes_are_valid_and_point_at_pages(
    built: dict[str, bytes],
) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for language in ("zh", "en", "ja", "fr", "ko"):
        feed = ET.fromstring(built[f"{language}/feed.xml"])
        assert feed.tag == f"{atom}feed"
        assert feed.find(f"{atom}title") is not None and feed.find(f"{atom}updated") is not None
        entries = feed.findall(f"{atom}entry")
        assert 0 < len(entries) <= 20
        for entry in entries:
            for child in ("title", "id", "updated"):
                assert entry.find(f"{atom}{child}") is not None
            href = entry.find(f"{atom}link").get("href")
            assert unquote(href.removeprefix(BASE_URL)) in built
        manifest = json.loads(built[f"{language}/search.json"])
        found = 0
        for shard in manifest["shards"]:
            shard_path = os.path.normpath(os.path.join(language, shard))
            for row in json.loads(built[shard_path]):
                found += 1
                assert os.path.normpath(os.path.join(language, row["url"])) in built
        assert found == len([n for n in built if n.startswith(f"{language}/notices/")])

    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.fromstring(built["sitemap.xml"])
    assert index.tag == f"{sitemap}sitemapindex"
    listed = 0
    for loc in index.iter(f"{sitemap}loc"):
        urlset = ET.fromstring(built[unquote(loc.text.removeprefix(BASE_URL))])
        assert urlset.tag == f"{sitemap}urlset"
        for url in urlset.findall(f"{sitemap}url"):
            listed += 1
            assert unquote(url.find(f"{sitemap}loc").text.removeprefix(BASE_URL)) in built
            alternates = url.findall("{http://www.w3.org/1999/xhtml}link")
            assert all(unquote(a.get("href").removeprefix(BASE_URL)) in built for a in alternates)
    # Every page but the search pages (a form, nothing to index): notices, homes, the chooser,
    # and every page of every column.
    assert listed == len(
        [n for n in built if n.endswith(".html") and not n.endswith("/search.html")]
    )


def test_markup_in_a_notice_never_reaches_a_page(built: dict[str, bytes]) -> None:
    for name, data in built.items():
        if name == "assets/search.js":
            continue
        text = data.decode("utf-8", errors="replace").lower()
        text = text.replace('<script src="../assets/search.js" defer></script>', "")
        assert "<script" not in text and "javascript:" not in text and "onerror" not in text, name
    assert (
        "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; hostile"
        in built["en/notices/0/46.html"].decode().lower()
    )


def test_images_are_copied_under_content_hashed_names(built: dict[str, bytes]) -> None:
    media = [name for name in built if name.startswith("media/")]
    assert len(media) == 1 and built[media[0]] == PNG  # one image, shared by every notice
    assert f'src="../../../{media[0]}"' in built["fr/notices/0/1.html"].decode()


def test_columns_are_paginated_from_the_oldest_so_old_pages_stay_put(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    column = COLUMNS[1]  # notices 1, 4, 7, ... 46: sixteen in zh
    zh_pages = sorted(n for n in built if n.startswith(f"zh/columns/{column}/page-"))
    assert zh_pages == [f"zh/columns/{column}/page-1.html"]
    s = site(site_dir)
    for notice_id in range(49, 49 + 3 * PAGE_SIZE, 3):  # twenty more in that column
        s.publish_notice(pages(notice_id, ("zh",), column=column))
    before = site_files(site_dir)
    s.publish_notice(pages(200, ("zh",), column=column))
    after = site_files(site_dir)

    changed = {n for n in after if before.get(n) != after[n]}
    assert changed == {
        "zh/notices/0/200.html",
        "zh/index.html",
        f"zh/columns/{column}/index.html",
        f"zh/columns/{column}/page-2.html",
        "zh/feed.xml",
        "zh/search/2.json",
        "zh/search.json",
        "sitemaps/2.xml",
        "sitemaps/home.xml",
        f"sitemaps/columns/{column}.xml",
        "sitemap.xml",
    }
    assert f"zh/columns/{column}/page-1.html" in after  # the oldest page did not move


def test_a_retracted_notice_leaves_no_trace(site_dir: Path, built: dict[str, bytes]) -> None:
    removed = site(site_dir).retract(5)
    assert removed == ["en", "fr", "ja", "ko", "zh"]
    after = site_files(site_dir)
    assert not [n for n in after if n.endswith("/5.html")]
    for name, data in after.items():
        text = data.decode("utf-8", errors="replace")
        for trace in ("Notice 5 (", "notices/0/5.html", "item number 5."):
            assert trace not in text, (name, trace)
    assert site(site_dir).retract(5) == []  # a second time finds nothing to do
    assert site_files(site_dir) == after


def test_publishing_the_same_notice_again_changes_no_byte(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    site(site_dir).publish_notice(pages(7))
    assert site_files(site_dir) == built


@pytest.fixture(scope="module")
def clean(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The template with notice 300 published by a run nobody killed."""
    folder = tmp_path_factory.mktemp("clean")
    shutil.copytree(template, folder, dirs_exist_ok=True)
    site(folder / "site").publish_notice(pages(300))
    return site_files(folder / "site")


def publish_300(site_dir: Path, failpoints: str | None) -> subprocess.CompletedProcess[bytes]:
    """Publish notice 300 in a child process, killed at ``failpoints`` when given."""
    env = dict(os.environ)
    env.pop("WAIWEN_FAILPOINTS", None)
    if failpoints:
        env["WAIWEN_FAILPOINTS"] = failpoints
    command = [sys.executable, "-m", "tests.publishers.site_pages", str(site_dir), "300"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True)


# Before the journal is written a kill leaves the site as it was; after, the next run finishes it.
BEFORE_JOURNAL = ("site.staged", "site.before-swap")
AFTER_JOURNAL = ("site.after-journal", "site.applying:4")


@pytest.mark.parametrize("point", BEFORE_JOURNAL + AFTER_JOURNAL)
def test_a_publish_killed_at_any_step_is_undone_or_finished_by_the_next_run(
    site_dir: Path, built: dict[str, bytes], clean: dict[str, bytes], point: str
) -> None:
    state = site_dir.parent / ".site.waiwen"
    killed = publish_300(site_dir, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    if point in BEFORE_JOURNAL:
        assert not (state / "journal.json").exists()
        assert site_files(site_dir) == built  # byte for byte the previous site
        assert site(site_dir).shown(300) == {}
    else:
        assert (state / "journal.json").is_file()
        if point.startswith("site.applying"):
            cut = site_files(site_dir)  # killed midway: some files moved in, others not yet
            assert cut != built and cut != clean
        # Reading the site finishes the journal before anything else (no publish run yet).
        assert set(site(site_dir).shown(300)) == {"zh", "en", "ja", "fr", "ko"}
        assert site_files(site_dir) == clean

    finished = publish_300(site_dir, None)
    assert finished.returncode == 0, finished.stderr.decode()
    assert site_files(site_dir) == clean  # nothing lost, nothing twice
    assert not (state / "journal.json").exists()
    assert [path for path in (state / "incoming").rglob("*") if path.is_file()] == []


@pytest.mark.parametrize("point", ["site.after-journal", "site.applying:1"])
def test_a_first_publish_moves_its_folder_in_whole_and_a_kill_is_finished(
    tmp_path: Path, point: str
) -> None:
    site_dir, state = tmp_path / "site", tmp_path / ".site.waiwen"
    killed = publish_300(site_dir, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    steps = json.loads((state / "journal.json").read_bytes())["steps"]
    assert steps[0] == ["place", "site", ""] and {area for _, area, _ in steps[1:]} == {"meta"}
    assert site_dir.exists() == (point == "site.applying:1")  # the whole site, or no folder yet
    assert set(site(site_dir).shown(300)) == {"zh", "en", "ja", "fr", "ko"}
    site(tmp_path / "expected").publish_notice(pages(300))
    assert site_files(site_dir) == site_files(tmp_path / "expected")
    assert not (state / "journal.json").exists()


def test_a_first_publish_beside_a_leftover_empty_folder_moves_file_by_file(
    tmp_path: Path,
) -> None:
    site_dir = tmp_path / "site"
    (tmp_path / ".site.waiwen" / "incoming" / "site" / "left-empty").mkdir(parents=True)
    site(site_dir).publish_notice(pages(300))
    assert not (site_dir / "left-empty").exists()
    site(tmp_path / "expected").publish_notice(pages(300))
    assert site_files(site_dir) == site_files(tmp_path / "expected")


def test_an_unreadable_journal_is_refused_with_its_file_and_the_site_left_alone(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    journal = site_dir.parent / ".site.waiwen" / "journal.json"
    journal.write_text('{"steps": [["move", "site"]]}', encoding="utf-8")
    with pytest.raises(SiteStateError) as refused:
        site(site_dir).publish_notice(pages(300))
    assert str(journal) in str(refused.value) and "waiwen site rebuild" in str(refused.value)
    assert site_files(site_dir) == built


def test_a_plain_site_folder_from_before_is_kept_aside(site_dir: Path) -> None:
    site_dir.mkdir()
    (site_dir / "old.html").write_text("old", encoding="utf-8")
    site(site_dir).publish_notice(pages(1))
    served = site_files(site_dir)
    assert not site_dir.is_symlink() and "zh/notices/0/1.html" in served
    assert "old.html" not in served
    assert (
        site_dir.parent / ".site.waiwen" / "before-generations" / "old.html"
    ).read_text() == "old"


def test_a_full_build_gives_the_same_bytes_as_publishing_one_by_one(
    site_dir: Path, built: dict[str, bytes]
) -> None:
    notices = [
        pages(notice_id, ("zh", "en", "ja", "fr", "ko") if notice_id % 3 else ("zh", "en"))
        for notice_id in range(1, 46)
    ]
    notices.append(
        pages(46, ("zh", "en"), title="<script>alert('t')</script> Hostile", text=HOSTILE)
    )
    rebuilt = site_dir.parent / "rebuilt"
    assert site(rebuilt).build(notices) == sum(len(p) for p in notices)
    assert site_files(rebuilt) == built


def test_publishes_at_the_same_time_each_keep_their_notice(site_dir: Path) -> None:
    site(site_dir).publish_notice(pages(1))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: site(site_dir).publish_notice(pages(n)), range(2, 10)))
    served = site_files(site_dir)
    assert all(f"ko/notices/0/{n}.html" in served for n in range(1, 10))
    assert len(json.loads(served["ko/search/0.json"])) == 9


def test_text_colours_meet_a_contrast_of_seven_to_one() -> None:
    css = (ROOT / "publishers" / "site" / "static" / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--(\w+): (#[0-9a-f]{6})", css))

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    paper = luminance(colours["paper"])
    for name in ("ink", "muted", "accent"):
        ratio = (paper + 0.05) / (luminance(colours[name]) + 0.05)
        assert ratio >= 7, (name, ratio)


class TestTheSiteKeepsThePublisherContract(PublisherContract):
    """The site as a channel, reading the (empty) records of the test database."""

    @pytest.fixture
    def publisher(self, settings: Settings, site_dir: Path) -> SitePublisher:
        return SitePublisher(site(site_dir), RecordedPages(settings.resolved_database_url))

    @pytest.fixture
    def held(self, site_dir: Path) -> Callable[[], object]:
        return lambda: site_files(site_dir)
