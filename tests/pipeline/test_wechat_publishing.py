"""WeChat publication through the pipeline against the stand-in: each article exactly once.

The stand-in checks the token on every call and keeps every draft and article it was given, so
these tests count what WeChat would hold, after errors, quotas, and kills at the named steps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from content.notice import NoticeRefused
from pipeline.drafting import EngineChain
from pipeline.publishing import PublishedLanguage, publish_version
from store.db import transaction
from store.models import LanguageVersion, Publication, WeChatPost, utcnow
from tests.notices import write_notice
from tests.pipeline.publish_run import BASE_URL, channels
from tests.pipeline.steps import approve, draft, override_all, queue
from tests.site_files import site_files
from tests.standins.wechat import WeChatStandIn
from waiwen.cli import main
from waiwen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
BODY = """## 会议概况

3月3日，市政府外办召开2025年领事工作通报会。各国驻沪领事机构代表约120人出席会议。

![会场](images/hall.png)

详见[外办网站](https://wsb.sh.gov.cn/)。
"""


@pytest.fixture
def version_id(settings: Settings, url: str, chain: EngineChain, tmp_path: Path) -> int:
    """A notice for site and WeChat with one image, drafted; en approved (zh is approved on entry)."""
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "hall.png").write_bytes(PNG)
    path = write_notice(
        tmp_path / "notice.md", body=BODY, wechat_title={"en": "Consular briefing 2025"}
    )
    version = queue(settings, path).version_id
    draft(url, version, chain)
    # The image's paragraph is copied as it is (its alt text stays Chinese): accepted here.
    override_all(url, "1", "en", "image caption kept in Chinese")
    approve(url, "1", "en")
    return version


def run(url: str, version: int, site_dir: Path, wechat: WeChatStandIn) -> list[PublishedLanguage]:
    channel, site = channels(url, site_dir, wechat.url)
    return publish_version(url, version, {"wechat": channel}, site, ("zh", "en"))


def wechat_states(done: list[PublishedLanguage]) -> dict[str, str]:
    return {d.language: d.channels.get("wechat", "") for d in done}


def posts(url: str) -> dict[str, WeChatPost]:
    with transaction(url) as session:
        rows = session.execute(
            select(LanguageVersion.language, WeChatPost).join(
                LanguageVersion, LanguageVersion.id == WeChatPost.language_version_id
            )
        ).all()
        for _, post in rows:
            session.expunge(post)
    return {language: post for language, post in rows}


def language_states(url: str, version: int) -> dict[str, str]:
    with transaction(url) as session:
        rows = session.execute(
            select(LanguageVersion.language, LanguageVersion.state).where(
                LanguageVersion.version_id == version
            )
        ).all()
    return dict(rows)


def calls(wechat: WeChatStandIn, endpoint: str) -> int:
    return sum(1 for call in wechat.calls if call.endswith(endpoint))


def test_zh_and_en_each_become_one_article_fit_for_wechat(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "published", "en": "published"}
    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2
    by_title = {draft["title"]: draft for draft in wechat.drafts.values()}
    zh, en = by_title["市政府外办召开2025年领事工作通报会"], by_title["Consular briefing 2025"]
    assert zh["content_source_url"] == BASE_URL + "zh/notices/0/1.html"
    assert en["content_source_url"] == BASE_URL + "en/notices/0/1.html"
    for article in (zh, en):
        content = article["content"]
        [image_url] = [u for u in wechat.images if u in content]
        assert wechat.images[image_url] == PNG  # re-hosted on WeChat, the body points there
        assert "images/hall.png" not in content and "<a " not in content  # no links out
        assert 'style="' in content and "<style" not in content  # styles inline
        assert article["thumb_media_id"] in wechat.materials and article["author"] == "上海外办"
    assert "外办网站" in zh["content"]  # the link's text stays
    # The site got the same image under a content-hashed name.
    site = site_files(site_dir)
    [media] = [name for name in site if name.startswith("media/")]
    assert site[media] == PNG and media.endswith(".png")
    assert f'src="../../../{media}"' in site["zh/notices/0/1.html"].decode()
    with transaction(url) as session:
        locations = set(
            session.scalars(select(Publication.location).where(Publication.channel == "wechat"))
        )
    assert locations == {a["url"] for a in wechat.articles.values()}
    assert language_states(url, version_id)["en"] == "published"


def test_publishing_again_sends_nothing(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    run(url, version_id, Path(settings.site_dir), wechat)
    before = list(wechat.calls)

    assert run(url, version_id, Path(settings.site_dir), wechat) == []
    assert wechat.calls == before


@pytest.mark.parametrize(
    ("status", "meaning"), [(2, "originality"), (3, "could not publish"), (4, "platform's review")]
)
def test_a_refused_publication_is_shown_and_the_notice_stays_off_wechat(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn, status: int, meaning: str
) -> None:
    wechat.final_status_next(status)
    done = run(url, version_id, Path(settings.site_dir), wechat)

    assert wechat_states(done)["zh"] == "failed" and wechat_states(done)["en"] == "published"
    detail = posts(url)["zh"].detail
    assert f"publish_status {status}" in detail and meaning in detail
    assert "not published on WeChat" in detail
    assert len(wechat.articles) == 1  # en only
    with transaction(url) as session:
        zh = session.scalars(
            select(Publication).where(
                Publication.channel == "wechat", Publication.state == "failed"
            )
        ).one()
        assert meaning in zh.detail
    assert language_states(url, version_id)["zh"] == "published"  # on the site it is


def test_the_daily_quota_postpones_to_the_next_day_without_a_second_draft(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    wechat.quotas["freepublish/submit"] = 0
    done = run(url, version_id, Path(settings.site_dir), wechat)

    assert wechat_states(done) == {"zh": "postponed", "en": "postponed"}
    assert "postponed to" in posts(url)["zh"].detail and "45009" in posts(url)["zh"].detail
    assert language_states(url, version_id)["en"] == "approved"  # waits, on the site already
    shown = CliRunner().invoke(main, ["status", "1"]).output
    assert "wechat: postponed" in shown and "daily quota" in shown and "postponed to" in shown
    drafts = calls(wechat, "draft/add")

    # The same day, a run sends nothing.
    run(url, version_id, Path(settings.site_dir), wechat)
    assert calls(wechat, "freepublish/submit") == 2 and calls(wechat, "draft/add") == drafts

    # The next day the quota is back: the stored drafts are submitted, none is made again.
    with transaction(url) as session:
        session.execute(update(WeChatPost).values(postponed_until=utcnow() - timedelta(minutes=1)))
    wechat.reset_quotas()
    wechat.quotas["freepublish/submit"] = 100
    done = run(url, version_id, Path(settings.site_dir), wechat)
    assert wechat_states(done) == {"zh": "published", "en": "published"}
    assert calls(wechat, "draft/add") == drafts == 2 and len(wechat.articles) == 2
    assert language_states(url, version_id)["en"] == "published"


def test_an_address_off_the_whitelist_waits_for_the_administrator(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    wechat.answer_next("stable_token", 40164, count=2)
    done = run(url, version_id, Path(settings.site_dir), wechat)
    assert wechat_states(done)["zh"] == "blocked"
    assert "IP白名单" in posts(url)["zh"].detail

    done = run(url, version_id, Path(settings.site_dir), wechat)  # whitelisted meanwhile
    assert wechat_states(done) == {"zh": "published", "en": "published"}


def test_refused_content_is_shown_to_the_editor(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    wechat.answer_next("draft/add", 45166)
    done = run(url, version_id, Path(settings.site_dir), wechat)
    assert wechat_states(done)["zh"] == "refused"
    assert "refused the content as invalid" in posts(url)["zh"].detail


def test_an_article_still_publishing_is_followed_by_the_next_run(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    wechat.publishing_polls = 5
    done = run(url, version_id, Path(settings.site_dir), wechat)
    assert wechat_states(done)["zh"] == "publishing"
    assert language_states(url, version_id)["zh"] == "approved"

    done = run(url, version_id, Path(settings.site_dir), wechat)
    assert wechat_states(done) == {"zh": "published", "en": "published"}
    assert calls(wechat, "freepublish/submit") == 2 and len(wechat.articles) == 2


@pytest.mark.parametrize("point", ["wechat.after-draft", "wechat.after-submit"])
def test_a_kill_between_steps_leaves_exactly_one_draft_and_one_article(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn, point: str
) -> None:
    site_dir = Path(settings.site_dir).resolve()
    command = [
        sys.executable,
        "-m",
        "tests.pipeline.publish_run",
        url,
        str(version_id),
        str(site_dir),
        wechat.url,
    ]
    killed = subprocess.run(
        command, cwd=ROOT, env=os.environ | {"WAIWEN_FAILPOINTS": point}, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert len(wechat.drafts) == 1  # zh was killed right after its draft (or its submit)

    again = subprocess.run(command, cwd=ROOT, env=os.environ, capture_output=True)
    assert again.returncode == 0, again.stderr.decode()

    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2
    assert calls(wechat, "freepublish/submit") == 2
    assert {p.state for p in posts(url).values()} == {"published"}


def test_a_title_too_long_for_wechat_is_refused_at_queueing(
    settings: Settings, tmp_path: Path
) -> None:
    long_title = "市政府外事办公室关于2025年度领事认证业务办理时间调整及相关注意事项的通知"
    with pytest.raises(NoticeRefused) as refused:
        queue(settings, write_notice(tmp_path / "long.md", title=long_title))
    message = str(refused.value)
    assert "long.md" in message and "title" in message and "32" in message
    assert "wechat_title" in message

    outcome = queue(
        settings,
        write_notice(tmp_path / "long.md", title=long_title, wechat_title="领事认证办理时间调整"),
    )
    assert outcome.outcome == "new notice"


def test_retraction_deletes_the_articles(
    url: str,
    version_id: int,
    settings: Settings,
    wechat: WeChatStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(url, version_id, Path(settings.site_dir), wechat)
    monkeypatch.setenv("WAIWEN_WECHAT_APPID", "wx-test-appid")
    monkeypatch.setenv("WAIWEN_WECHAT_SECRET", "test-secret")
    monkeypatch.setenv("WAIWEN_WECHAT_BASE_URL", wechat.url)
    from waiwen.settings import get_settings

    get_settings.cache_clear()

    result = CliRunner().invoke(main, ["retract", "1", "--reason", "内容有误", "--by", "秘书处"])

    assert result.exit_code == 0, result.output
    assert "wechat: articles deleted:" in result.output
    assert all(article["deleted"] for article in wechat.articles.values())
    assert {p.state for p in posts(url).values()} == {"deleted"}
    again = CliRunner().invoke(main, ["retract", "1", "--reason", "再次"])
    assert "wechat: articles deleted: none left" in again.output


def test_a_translated_title_too_long_for_wechat_is_refused_there_only(
    settings: Settings, url: str, chain: EngineChain, tmp_path: Path, wechat: WeChatStandIn
) -> None:
    version = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version, chain)
    approve(url, "1", "en")

    done = run(url, version, Path(settings.site_dir), wechat)

    assert {d.language: d.channels for d in done}["en"] == {
        "site": "published",
        "wechat": "refused",
    }
    detail = posts(url)["en"].detail
    assert "wechat_title.en" in detail and "32" in detail
    assert len(wechat.articles) == 1  # zh


def test_a_missing_cover_waits_with_the_setting_named(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    channel, site = channels(url, Path(settings.site_dir), wechat.url)
    channel.options = replace(channel.options, covers={"要闻动态": Path("covers/missing.jpg")})
    done = publish_version(url, version_id, {"wechat": channel}, site, ("zh", "en"))
    assert wechat_states(done)["zh"] == "blocked"
    assert "WAIWEN_WECHAT_COVERS" in posts(url)["zh"].detail and wechat.drafts == {}
