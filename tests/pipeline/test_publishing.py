"""Publishing without Prefect: pages per language, nothing unsafe on them, each channel once, counts frozen."""

from __future__ import annotations

import calendar
import re
import shutil
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlalchemy import select

from core.clock import as_utc
from core.settings import DEFAULT_COLUMNS as COLUMNS
from core.settings import Settings, get_settings
from pipeline import review
from pipeline.drafting import EngineChain
from pipeline.publishing import publish_version, versions_to_publish
from publishers.base import ChannelResult, Page
from publishers.site import Site
from publishers.site.publisher import SitePublisher
from publishers.wechat import NOT_CONFIGURED, WeChatNotConfigured
from store.db import transaction
from store.models import LanguageVersion, NoticeVersion, Publication
from tests.notices import BODY, row_counts, write_notice
from tests.pipeline.steps import (
    REVIEWER,
    WECHAT_LANGUAGES,
    approve,
    audit,
    audit_actions,
    draft,
    override_all,
    publish,
    queue,
    translations,
)
from tests.site_files import site_files
from tests.standins.libretranslate import pseudo_translate
from waiwen.cli import main

# Raw HTML in a body is refused at intake (tests/desk/test_markup_safety.py); what can still
# carry markup is a Markdown link, a reviewer's edit and an engine's answer.
HOSTILE_BODY = """## 会议概况

3月3日，市政府外办召开2025年领事工作通报会。

各国驻沪领事机构代表约120人出席会议。

详见[通知全文](javascript:alert(1))，或致电咨询。

| 事项 | 数量 |
|---|---|
| 领事认证 | 5.6万份 |
"""
# What must never reach a written file, compared in lower case.
UNSAFE = ("<script", "onerror", "javascript:")
# The one script a page may carry: the site's own search, served from the site itself.
OWN_SCRIPT = re.compile(r'<script src="(\.\./)+assets/search\.js" defer></script>')
HOSTILE_TITLE = "<script>alert('title')</script> Consular briefing"
HOSTILE_LINK = 'See <a href="JavaScript:alert(2)" onerror="alert(3)">the notice</a>.'


class _Live(HTMLParser):
    """Collects script elements, on* handlers and javascript: addresses of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append("<script>")
        for attr, value in attrs:
            if attr.startswith("on"):
                self.found.append(f"{attr}= on <{tag}>")
            if attr in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{attr}={value}")


def _live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


def _html_parts(name: str, text: str) -> list[str]:
    """The HTML a browser or a feed reader would render from one written file."""
    if name.endswith(".html"):
        return [text]
    if name.endswith(".xml"):
        root = ElementTree.fromstring(text)
        # Atom text constructs are plain text unless typed html or xhtml.
        return [el.text or "" for el in root.iter() if el.get("type") in ("html", "xhtml")]
    return []


@pytest.fixture
def site_dir(settings: Settings) -> Path:
    return Path(settings.site_dir)


@pytest.fixture
def approved(settings: Settings, url: str, chain: EngineChain, tmp_path: Path) -> int:
    """Notice 1 with a hostile body, drafted by the engine; en (with hostile edits) and ja approved."""
    version_id = queue(settings, write_notice(tmp_path / "notice.md", body=HOSTILE_BODY)).version_id
    draft(url, version_id, chain)
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", 0, HOSTILE_TITLE, REVIEWER)
        review.edit_segment(session, "1", "en", 1, HOSTILE_LINK, REVIEWER)
    # The checks flag the hostile edits (markup added, values changed); the reviewer lets them
    # through on purpose here, so that publishing is what must stop the markup.
    assert override_all(url, "1", "en", "hostile markup kept on purpose to test the site") > 0
    approve(url, "1", "en")
    approve(url, "1", "ja")
    return version_id


def files(site_dir: Path) -> dict[str, bytes]:
    """Every file the site serves, by relative path."""
    return site_files(site_dir)


def publications(url: str) -> dict[tuple[str, str], Publication]:
    """(language, channel) -> publication."""
    with transaction(url) as session:
        rows = session.execute(
            select(LanguageVersion.language, Publication).join(
                Publication, Publication.language_version_id == LanguageVersion.id
            )
        ).all()
    return {(language, publication.channel): publication for language, publication in rows}


def language_versions(url: str, version_id: int) -> dict[str, LanguageVersion]:
    with transaction(url) as session:
        rows = session.scalars(
            select(LanguageVersion).where(LanguageVersion.version_id == version_id)
        )
        return {row.language: row for row in rows}


def test_publish_writes_a_page_per_language_and_the_indexes(
    url: str, approved: int, site_dir: Path
) -> None:
    assert versions_to_publish(url) == [approved]

    done = publish(url, approved, site_dir)

    assert [(d.language, d.channels) for d in done] == [
        ("zh", {"site": "published", "wechat": "not_configured"}),
        ("en", {"site": "published", "wechat": "not_configured"}),
        ("ja", {"site": "published"}),
    ]
    written = files(site_dir)
    assert sorted(name for name in written if "/notices/" in name) == [
        "en/notices/0/1.html",
        "ja/notices/0/1.html",
        "zh/notices/0/1.html",
    ]
    pages = {name: data.decode("utf-8") for name, data in written.items()}
    assert "各国驻沪领事机构代表约120人出席会议。" in pages["zh/notices/0/1.html"]
    assert (
        pseudo_translate("各国驻沪领事机构代表约120人出席会议。", "en")
        in pages["en/notices/0/1.html"]
    )
    assert (
        pseudo_translate("各国驻沪领事机构代表约120人出席会议。", "ja")
        in pages["ja/notices/0/1.html"]
    )
    for language in ("zh", "en", "ja"):
        assert 'href="notices/0/1.html"' in pages[f"{language}/index.html"]
        for other in ("zh", "en", "ja"):  # every page links every other published language
            if other != language:
                assert (
                    f'href="../../../{other}/notices/0/1.html"'
                    in pages[f"{language}/notices/0/1.html"]
                )
    states = {lang: row.state for lang, row in language_versions(url, approved).items()}
    assert states == {
        "zh": "published",
        "en": "published",
        "ja": "published",
        "fr": "in_review",
        "ko": "in_review",
    }
    assert versions_to_publish(url) == []


def test_scripts_handlers_and_javascript_links_never_reach_a_page(
    url: str, approved: int, site_dir: Path
) -> None:
    drafted = " ".join(t.text or "" for t in translations(url, approved, "en").values()).lower()
    assert all(unsafe in drafted for unsafe in UNSAFE), (
        "the hostile markup should reach the renderer"
    )

    publish(url, approved, site_dir)

    written = files(site_dir)
    for name, data in written.items():
        # Shown as text, the hostile edit's words may appear escaped; what must not is live
        # markup: a page or a feed's HTML content is parsed, the search index is read by a
        # script that only sets textContent.
        for html in _html_parts(name, data.decode("utf-8")):
            live = _live_markup(OWN_SCRIPT.sub("", html))
            assert not live, f"{live} in {name}"
    # The hostile title is shown as text, on the page and in the index.
    shown = str(escape(HOSTILE_TITLE))
    assert shown.startswith("&lt;script&gt;")
    assert (
        shown in written["en/notices/0/1.html"].decode()
        and shown in written["en/index.html"].decode()
    )


def test_publishing_again_writes_nothing_new(url: str, approved: int, site_dir: Path) -> None:
    publish(url, approved, site_dir)
    pages, counts, entries = files(site_dir), row_counts(url), len(audit(url))

    assert publish(url, approved, site_dir) == []

    assert files(site_dir) == pages
    assert row_counts(url) == counts
    assert len(audit(url)) == entries


class WeChatFailingOnce:
    """A WeChat channel whose call for one language fails the first time (a crash mid-publication)."""

    channel = "wechat"

    def __init__(self, language: str) -> None:
        self.language, self.failed, self.calls = language, False, []

    def supports(self, language: str) -> bool:
        return language in WECHAT_LANGUAGES

    def publish(self, page: Page) -> ChannelResult:
        self.calls.append(page.language)
        if page.language == self.language and not self.failed:
            self.failed = True
            raise ConnectionError("WeChat went away")
        return WeChatNotConfigured().publish(page)


def test_a_publication_interrupted_midway_is_finished_without_repeating_a_channel(
    url: str, approved: int, site_dir: Path
) -> None:
    site = SitePublisher(Site(site_dir, "https://wsb.example.gov.cn/", COLUMNS))
    wechat = WeChatFailingOnce("en")
    with pytest.raises(ConnectionError):
        publish_version(url, approved, {"site": site, "wechat": wechat})
    assert set(publications(url)) == {("zh", "site"), ("zh", "wechat"), ("en", "site")}

    publish_version(url, approved, {"site": site, "wechat": wechat})

    assert wechat.calls == ["zh", "en", "en"]
    assert set(publications(url)) == {
        ("zh", "site"),
        ("zh", "wechat"),
        ("en", "site"),
        ("en", "wechat"),
        ("ja", "site"),
    }
    actions = audit_actions(url)
    assert {lang: actions[("published", lang)] for lang in ("zh", "en", "ja")} == {
        "zh": 1,
        "en": 1,
        "ja": 1,
    }
    assert {lang: actions[("language published", lang)] for lang in ("zh", "en", "ja")} == {
        "zh": 1,
        "en": 1,
        "ja": 1,
    }


class WeChatSayingSkipped:
    """A channel (an outside plug-in, say) answering a state waiwen does not know."""

    channel = "wechat"

    def supports(self, language: str) -> bool:
        return language in WECHAT_LANGUAGES

    def publish(self, page: Page) -> ChannelResult:
        return ChannelResult("skipped", "", "not today")  # type: ignore[arg-type]


def test_a_channel_answering_an_unknown_state_is_refused_and_nothing_is_recorded(
    url: str, approved: int, site_dir: Path
) -> None:
    site = SitePublisher(Site(site_dir, "https://wsb.example.gov.cn/", COLUMNS))
    with pytest.raises(ValueError) as refused:
        publish_version(url, approved, {"site": site, "wechat": WeChatSayingSkipped()})
    assert str(refused.value) == (
        "channel wechat answered the state 'skipped', which waiwen does not know; nothing was "
        "recorded: its publisher must answer one of published, not_configured, refused, failed, "
        "publishing, postponed, blocked"
    )
    assert set(publications(url)) == {("zh", "site")}  # the site went first; WeChat left nothing


def test_wechat_is_recorded_not_configured_for_zh_and_en_only(
    url: str, approved: int, site_dir: Path
) -> None:
    publish(url, approved, site_dir)

    states = {key: p.state for key, p in publications(url).items()}
    assert states == {
        ("zh", "site"): "published",
        ("zh", "wechat"): "not_configured",
        ("en", "site"): "published",
        ("en", "wechat"): "not_configured",
        ("ja", "site"): "published",
    }
    for language in ("zh", "en"):
        wechat = publications(url)[(language, "wechat")]
        assert (wechat.location, wechat.detail) == ("", NOT_CONFIGURED)
    assert publications(url)[("en", "site")].location == "en/notices/0/1.html"
    actions = audit_actions(url)
    assert (
        actions[("publish not_configured", "zh")] == actions[("publish not_configured", "en")] == 1
    )
    assert actions[("publish not_configured", "ja")] == 0


def test_the_figure_is_frozen_on_each_publication(url: str, approved: int, site_dir: Path) -> None:
    before = language_versions(url, approved)
    assert before["zh"].figure is None  # the original is counted when first published
    approved_figures = {lang: before[lang].figure for lang in ("en", "ja")}

    done = publish(url, approved, site_dir)

    after = language_versions(url, approved)
    assert {lang: after[lang].figure for lang in ("en", "ja")} == approved_figures
    assert {d.language: d.figure for d in done} == {
        lang: after[lang].figure for lang in ("zh", "en", "ja")
    }
    assert after["zh"].figure is not None and after["zh"].figure > 0
    assert after["zh"].convention == "office-2020 v2"
    for (language, channel), publication in publications(url).items():
        assert (publication.figure, publication.measures) == (
            after[language].figure,
            after[language].measures,
        ), (
            language,
            channel,
        )


def test_a_new_version_replaces_the_page_of_its_language(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path, site_dir: Path
) -> None:
    old_sentence, new_sentence = (
        "各国驻沪领事机构代表约120人出席会议。",
        "各国驻沪领事机构代表约150人出席会议。",
    )
    path = write_notice(tmp_path / "notice.md")
    first = queue(settings, path).version_id
    draft(url, first, chain)
    approve(url, "1", "en")
    approve(url, "1", "ja")
    publish(url, first, site_dir)
    ja_page = (site_dir / "ja/notices/0/1.html").read_text(encoding="utf-8")

    write_notice(path, body=BODY.replace(old_sentence, new_sentence))
    second = queue(settings, path)
    assert (second.notice_id, second.number, second.outcome) == (1, 2, "new version")
    draft(url, second.version_id, chain)
    approve(url, "1", "en")
    done = publish(url, second.version_id, site_dir)

    assert [d.language for d in done] == ["zh", "en"]
    zh_page = (site_dir / "zh/notices/0/1.html").read_text(encoding="utf-8")
    en_page = (site_dir / "en/notices/0/1.html").read_text(encoding="utf-8")
    assert new_sentence in zh_page and old_sentence not in zh_page
    assert pseudo_translate(new_sentence, "en") in en_page
    assert pseudo_translate(old_sentence, "en") not in en_page
    # Japanese of version 2 is not approved yet: its page stays version 1's.
    assert (site_dir / "ja/notices/0/1.html").read_text(encoding="utf-8") == ja_page
    for language in ("zh", "en"):
        index = (site_dir / f"{language}/index.html").read_text(encoding="utf-8")
        assert index.count('href="notices/0/1.html"') == 1


def test_a_rebuild_of_the_site_gives_the_same_bytes(
    url: str, approved: int, site_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_SITE_BASE_URL", "https://wsb.example.gov.cn/")  # as steps.publish
    get_settings.cache_clear()
    publish(url, approved, site_dir)
    before = files(site_dir)

    result = CliRunner().invoke(main, ["site", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "site rebuilt: 3 pages in 1 notices" in result.output
    assert files(site_dir) == before


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_rebuild_in_worker_processes_gives_the_same_bytes_and_tells_its_progress(
    url: str,
    approved: int,
    chain: EngineChain,
    settings: Settings,
    tmp_path: Path,
    site_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    jobs: str,
) -> None:
    monkeypatch.setenv("WAIWEN_SITE_BASE_URL", "https://wsb.example.gov.cn/")  # as steps.publish
    get_settings.cache_clear()
    publish(url, approved, site_dir)
    second = queue(settings, write_notice(tmp_path / "two.md", title="第二份通知")).version_id
    draft(url, second, chain)
    publish(url, second, site_dir)
    before = files(site_dir)

    result = CliRunner().invoke(main, ["site", "rebuild", "--jobs", jobs])

    assert result.exit_code == 0, result.output
    processes = "2 processes" if jobs == "2" else "1 process"
    assert f"2 notices on the site, {processes}" in result.output
    assert "rendered 4 of 4 pages" in result.output
    assert "site rebuilt: 4 pages in 2 notices" in result.output
    assert files(site_dir) == before


def test_a_site_folder_from_before_generations_is_rebuilt_with_everything_published(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path, site_dir: Path
) -> None:
    first = queue(settings, write_notice(tmp_path / "one.md")).version_id
    draft(url, first, chain)
    publish(url, first, site_dir)
    # What an earlier waiwen left: a plain folder, no state beside it.
    plain = files(site_dir)
    shutil.rmtree(site_dir)
    shutil.rmtree(site_dir.parent / ".site.waiwen")
    for name, data in plain.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_bytes(data)

    second = queue(
        settings, write_notice(tmp_path / "two.md", title="市政府外办发布第二份通知")
    ).version_id
    draft(url, second, chain)
    publish(url, second, site_dir)

    served = files(site_dir)
    assert "zh/notices/0/1.html" in served and "zh/notices/0/2.html" in served
    assert served["zh/notices/0/1.html"] == plain["zh/notices/0/1.html"]
    assert (site_dir.parent / ".site.waiwen" / "before-generations" / "zh" / "index.html").exists()


def _site_publication_times(url: str) -> dict[tuple[int, str], datetime]:
    """(version number, language) -> when the site's publication of it was recorded, in UTC."""
    with transaction(url) as session:
        rows = session.execute(
            select(NoticeVersion.number, LanguageVersion.language, Publication.published_at)
            .join(LanguageVersion, LanguageVersion.version_id == NoticeVersion.id)
            .join(Publication, Publication.language_version_id == LanguageVersion.id)
            .where(Publication.channel == "site")
        ).all()
    return {(number, language): as_utc(at) for number, language, at in rows}


def test_feeds_and_sitemaps_carry_the_recorded_time_of_each_publication(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path, site_dir: Path
) -> None:
    path = write_notice(tmp_path / "notice.md")
    first = queue(settings, path).version_id
    draft(url, first, chain)
    approve(url, "1", "en")
    publish(url, first, site_dir)
    with transaction(url) as session:  # as if version 1 had gone out an hour before
        for publication in session.scalars(select(Publication)):
            publication.published_at = as_utc(publication.published_at) - timedelta(hours=1)
    write_notice(path, body=BODY.replace("约120人", "约150人"))
    second = queue(settings, path)
    draft(url, second.version_id, chain)
    approve(url, "1", "en")
    publish(url, second.version_id, site_dir)

    recorded = _site_publication_times(url)
    assert set(recorded) == {(1, "zh"), (1, "en"), (2, "zh"), (2, "en")}
    assert all(at.microsecond == 0 for at in recorded.values())  # as the pages show them
    assert recorded[(2, "en")] - recorded[(1, "en")] >= timedelta(hours=1)
    written = files(site_dir)
    for language in ("zh", "en"):
        feed = feedparser.parse(written[f"{language}/feed.xml"])
        assert not feed.bozo, feed.get("bozo_exception")
        (entry,) = feed.entries
        # Published when the language first went on the site; updated when version 2 did.
        assert calendar.timegm(entry.published_parsed) == recorded[(1, language)].timestamp()
        assert calendar.timegm(entry.updated_parsed) == recorded[(2, language)].timestamp()
        assert calendar.timegm(feed.feed.updated_parsed) == recorded[(2, language)].timestamp()
    shard = ElementTree.fromstring(written["sitemaps/0.xml"])
    lastmods = {
        url_element.findtext(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        ): datetime.fromisoformat(
            url_element.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod") or ""
        )
        for url_element in shard
    }
    assert lastmods["https://wsb.example.gov.cn/en/notices/0/1.html"] == recorded[(2, "en")]
