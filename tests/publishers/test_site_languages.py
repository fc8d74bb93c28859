"""The site in any configured language: words for every shipped one, pages, reciprocal hreflang,
feeds and sitemap entries per language, and Arabic right to left with its runs isolated."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from core.languages import LANGUAGES, SOURCE_LANGUAGE
from core.settings import get_settings
from core.targets import all_languages
from publishers.site import Site
from publishers.site.bidi import isolate_ltr_runs
from publishers.site.words import COLUMN_NAMES, WORDS
from tests.publishers.site_pages import BASE_URL, COLUMNS, pages
from tests.site_files import site_files

EIGHT = "en,ja,fr,ko,de,es,ru,ar"
ARABIC_BODY = (
    "## الإحصاءات\n\n"
    "اتصلوا على +86 21 6232 1234 أو (021) 6232-1234 قبل 2026-03-03، الرمز A-12/3.\n\n"
    "| البند | العدد |\n|---|---|\n| التصديق القنصلي | 56,000 |\n\n"
    "- أولا: Shanghai Foreign Affairs Office\n"
)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def eight_targets(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, ...]]:
    """WAIWEN_TARGET_LANGUAGES names eight targets; the languages of the site, the source first."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", EIGHT)
    get_settings.cache_clear()
    try:
        yield all_languages()
    finally:
        get_settings.cache_clear()


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, in order, and the text inside <bdi>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.isolated: list[str] = []
        self._in_bdi = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_bdi += tag == "bdi"

    def handle_endtag(self, tag: str) -> None:
        self._in_bdi -= tag == "bdi"

    def handle_data(self, data: str) -> None:
        if self._in_bdi:
            self.isolated.append(data)

    def first(self, tag: str) -> dict[str, str]:
        return next(attrs for name, attrs in self.tags if name == tag)

    def alternates(self) -> dict[str, str]:
        return {
            a["hreflang"]: a["href"]
            for name, a in self.tags
            if name == "link" and a.get("rel") == "alternate" and "hreflang" in a
        }

    def switcher(self) -> list[dict[str, str]]:
        return [a for name, a in self.tags if name == "a" and "hreflang" in a]


def tags(data: bytes) -> Tags:
    parser = Tags()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def nine_language_site(site_dir: Path, languages: tuple[str, ...]) -> dict[str, bytes]:
    site = Site(site_dir, BASE_URL, COLUMNS)
    notice = pages(1, languages)
    notice = [
        replace(page, body_markdown=ARABIC_BODY) if page.language == "ar" else page
        for page in notice
    ]
    site.publish_notice(notice)
    site.publish_notice(pages(2, ("zh", "en", "ru")))
    return site_files(site_dir)


def test_every_language_of_the_table_has_every_word_of_the_site() -> None:
    keys = set(WORDS[SOURCE_LANGUAGE])
    formatter = string.Formatter()
    for code in LANGUAGES:
        assert set(WORDS.get(code, {})) == keys, code
        for key, text in WORDS[code].items():
            fields = {name for _, name, _, _ in formatter.parse(text) if name}
            source = WORDS[SOURCE_LANGUAGE][key]
            assert fields == {name for _, name, _, _ in formatter.parse(source) if name}, (
                code,
                key,
            )
            assert text.strip() == text and text, (code, key)
    for column, names in COLUMN_NAMES.items():
        assert set(names) == set(LANGUAGES) - {SOURCE_LANGUAGE}, column


@pytest.mark.parametrize(
    ("code", "script_letters"),
    [
        ("ar", re.compile(r"[\u0600-\u06ff]")),
        ("ru", re.compile(r"[\u0400-\u04ff]")),
        ("th", re.compile(r"[\u0e00-\u0e7f]")),
        ("vi", re.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]")),
        ("de", re.compile(r"[äöüß]")),
    ],
)
def test_the_site_words_are_written_in_the_languages_script(
    code: str, script_letters: re.Pattern[str]
) -> None:
    # The office's name, in the language's own letters (not a copy of the English words).
    assert script_letters.search(WORDS[code]["office"] + WORDS[code]["search_needs_script"])
    assert WORDS[code]["office"] != WORDS["en"]["office"]


def test_a_notice_in_nine_languages_gets_pages_reciprocal_hreflang_feeds_and_sitemap_entries(
    tmp_path: Path, eight_targets: tuple[str, ...]
) -> None:
    assert len(eight_targets) == 9
    built = nine_language_site(tmp_path / "site", eight_targets)
    pages_of_1 = {lang: f"{lang}/notices/0/1.html" for lang in eight_targets}
    expected = {LANGUAGES[lang].bcp47: BASE_URL + path for lang, path in pages_of_1.items()}
    for lang, path in pages_of_1.items():
        page = tags(built[path])
        assert page.first("html")["lang"] == LANGUAGES[lang].bcp47
        assert page.alternates() == {**expected, "x-default": BASE_URL + pages_of_1["zh"]}, lang
        # The switcher names each other language in itself, with its own lang and dir.
        switch = page.switcher()
        assert [a["lang"] for a in switch] == [
            LANGUAGES[o].bcp47 for o in eight_targets if o != lang
        ]
        for entry in switch:
            own = LANGUAGES[entry["lang"]]
            assert entry["dir"] == own.direction and entry["data-script"] == own.script
        names = re.findall(r'hreflang="[^"]+" lang="[^"]+"[^>]*>([^<]+)</a>', built[path].decode())
        assert names == [LANGUAGES[o].own_name for o in eight_targets if o != lang]

    # Every language has a home, a feed listing the notice, a search index and sitemap entries.
    homes = {lang: f"{lang}/index.html" for lang in eight_targets}
    sitemapped = set()
    for loc in ET.fromstring(built["sitemap.xml"]).iter(f"{SITEMAP}loc"):
        urlset = ET.fromstring(built[unquote(loc.text.removeprefix(BASE_URL))])
        for url in urlset.findall(f"{SITEMAP}url"):
            address = url.find(f"{SITEMAP}loc").text
            sitemapped.add(address)
            if address == BASE_URL + pages_of_1["ar"]:
                listed = {a.get("hreflang"): a.get("href") for a in url.findall(f"{XHTML}link")}
                assert listed == {**expected, "x-default": BASE_URL + pages_of_1["zh"]}
    for lang in eight_targets:
        feed = ET.fromstring(built[f"{lang}/feed.xml"])
        links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
        assert BASE_URL + pages_of_1[lang] in links, lang
        assert json.loads(built[f"{lang}/search.json"])["shards"], lang
        assert {BASE_URL + pages_of_1[lang], BASE_URL + homes[lang]} <= sitemapped, lang
        home = tags(built[homes[lang]])
        assert set(home.alternates()) == {LANGUAGES[o].bcp47 for o in eight_targets} | {"x-default"}
    root = tags(built["index.html"])
    assert [a["lang"] for a in root.switcher()] == [LANGUAGES[o].bcp47 for o in eight_targets]


def test_column_pages_list_the_same_column_in_every_language_as_alternates(
    tmp_path: Path, eight_targets: tuple[str, ...]
) -> None:
    built = nine_language_site(tmp_path / "site", eight_targets)
    column_pages = [n for n in built if re.fullmatch(r"[a-z]+/columns/[^/]+/index\.html", n)]
    assert len(column_pages) == len(eight_targets) * len(COLUMNS)
    for name in column_pages:
        page = tags(built[name])
        tail = name.split("/", 1)[1]
        alternates = page.alternates()
        assert set(alternates) == {LANGUAGES[o].bcp47 for o in eight_targets} | {"x-default"}
        assert unquote(alternates["x-default"]) == BASE_URL + f"zh/{tail}"
        for lang_tag, address in alternates.items():
            assert unquote(address.removeprefix(BASE_URL)) in built, (name, lang_tag)


def test_the_arabic_pages_read_right_to_left_with_their_left_to_right_runs_isolated(
    tmp_path: Path, eight_targets: tuple[str, ...]
) -> None:
    built = nine_language_site(tmp_path / "site", eight_targets)
    for name in ("ar/notices/0/1.html", "ar/index.html"):
        page = tags(built[name])
        assert page.first("html") == {"lang": "ar", "dir": "rtl"}
        assert page.first("body")["data-script"] == "Arab"
    article = tags(built["ar/notices/0/1.html"])
    for run in ("+86 21 6232 1234", "(021) 6232-1234", "2026-03-03", "A-12/3", "56,000"):
        assert run in article.isolated, run
    assert "Shanghai Foreign Affairs Office" in article.isolated
    assert all(a["dir"] == "ltr" for name, a in article.tags if name == "time")
    # A left-to-right page keeps its <html> as it was, and nothing of it is wrapped.
    english = built["en/notices/0/1.html"].decode()
    assert '<html lang="en">' in english and "<bdi" not in english
    assert tags(built["ru/notices/0/1.html"]).first("body")["data-script"] == "Cyrl"


def test_a_language_configured_later_gets_its_home_and_every_page_lists_it(
    tmp_path: Path,
) -> None:
    site_dir = tmp_path / "site"
    Site(site_dir, BASE_URL, COLUMNS, ("zh", "en")).publish_notice(pages(1, ("zh", "en")))
    assert "ar/index.html" not in site_files(site_dir)
    Site(site_dir, BASE_URL, COLUMNS, ("zh", "en", "ar")).publish_notice(pages(2, ("zh", "en")))
    built = site_files(site_dir)
    assert "ar/index.html" in built and "ar/feed.xml" in built
    for name in ("en/index.html", "zh/columns/政务公开/index.html", "index.html"):
        assert "ar" in tags(built[name]).alternates(), name


def test_a_language_no_longer_configured_keeps_its_published_pages(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    Site(site_dir, BASE_URL, COLUMNS, ("zh", "en", "de")).publish_notice(
        pages(1, ("zh", "en", "de"))
    )
    later = Site(site_dir, BASE_URL, COLUMNS, ("zh", "en"))
    later.publish_notice(pages(2, ("zh", "en")))
    built = site_files(site_dir)
    assert "de/notices/0/1.html" in built and "de/index.html" in built
    assert "de" in tags(built["en/index.html"]).alternates()
    assert set(later.shown(1)) == {"zh", "en", "de"}


@pytest.mark.parametrize(
    ("markup", "isolated"),
    [
        ("<p>اتصل على +86 21 6232 1234 اليوم</p>", ["+86 21 6232 1234"]),
        ("<p>الهاتف (021) 6232-1234 فقط</p>", ["(021) 6232-1234"]),
        ("<p>(انظر 12)</p>", ["12"]),
        ("<p>في 2026-03-03، بلغ 5.6%</p>", ["2026-03-03", "5.6%"]),
        ("<p>شركة AT&amp;T و&#39;x&#39;</p>", ["AT", "T", "x"]),
        (
            '<p><a href="https://example.cn/a?b=1">https://example.cn/a</a></p>',
            ["https://example.cn/a"],
        ),
        ("<p>الأمر <code>ls -l 2</code> فقط</p>", []),
        ("<p>التصديق القنصلي ٥٦٠٠٠</p>", []),
    ],
)
def test_left_to_right_runs_in_right_to_left_text_are_isolated(
    markup: str, isolated: list[str]
) -> None:
    result = isolate_ltr_runs(markup)
    assert re.findall(r'<bdi dir="ltr">(.*?)</bdi>', result) == isolated
    # Nothing but the wrappers is added: the text and the tags stay as they were.
    assert result.replace('<bdi dir="ltr">', "").replace("</bdi>", "") == markup
