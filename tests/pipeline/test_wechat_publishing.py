"""WeChat publication through the pipeline against the stand-in: each article exactly once.

The stand-in checks the token on every call and keeps every draft and article it was given, so
these tests count what WeChat would hold, after errors, quotas, lost answers, and kills at the
named steps (among them the instant between WeChat's answer and the database write).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import select, update

from content.notice import NoticeRefused
from core.settings import Settings
from pipeline.drafting import EngineChain
from pipeline.publishing import PublishedLanguage, publish_version
from publishers.wechat.channel import WeChatChannel
from publishers.wechat.errors import WeChatUnavailable
from store.db import transaction
from store.models import LanguageVersion, Publication, WeChatPost, utcnow
from tests.notices import write_notice
from tests.pipeline.publish_run import BASE_URL, channels
from tests.pipeline.steps import approve, draft, override_all, queue
from tests.site_files import site_files
from tests.standins.wechat import WeChatStandIn
from waiwen.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _png() -> bytes:
    """A small PNG that decodes completely (queueing decodes every image it keeps)."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
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


def run(
    url: str,
    version: int,
    site_dir: Path,
    wechat: WeChatStandIn,
    adjust: Callable[[WeChatChannel], None] | None = None,
) -> list[PublishedLanguage]:
    channel, site = channels(url, site_dir, wechat.url)
    if adjust is not None:
        adjust(channel)
    return publish_version(url, version, {"site": site, "wechat": channel})


def lose_first_answer(name: str) -> Callable[[WeChatChannel], None]:
    """Make the client's first `name` call reach WeChat but lose the answer, like a timeout."""

    def adjust(channel: WeChatChannel) -> None:
        real = getattr(channel.client, name)
        lost: list[bool] = []

        def call(*args: Any) -> Any:
            answer = real(*args)
            if not lost:
                lost.append(True)
                raise WeChatUnavailable(f"WeChat did not answer {name}: ReadTimeout")
            return answer

        setattr(channel.client, name, call)

    return adjust


def kill_at(point: str, url: str, version: int, site_dir: Path, wechat: WeChatStandIn) -> None:
    """Run publication in a child process that SIGKILLs itself at the failpoint `point`."""
    killed = subprocess.run(
        publish_command(url, version, site_dir, wechat),
        cwd=ROOT,
        env=os.environ | {"WAIWEN_FAILPOINTS": point},
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()


def rerun(url: str, version: int, site_dir: Path, wechat: WeChatStandIn) -> None:
    """Run publication again in a child process, as the next run after a kill would."""
    again = subprocess.run(
        publish_command(url, version, site_dir, wechat),
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
    )
    assert again.returncode == 0, again.stderr.decode()


def publish_command(url: str, version: int, site_dir: Path, wechat: WeChatStandIn) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.pipeline.publish_run",
        url,
        str(version),
        str(site_dir.resolve()),
        wechat.url,
    ]


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
    journal = posts(url)
    for language, article in (("zh", zh), ("en", en)):
        # 阅读原文 is the notice's page, carrying the journal row's marker as ?wx=
        link = urlsplit(article["content_source_url"])
        assert link._replace(query="").geturl() == BASE_URL + f"{language}/notices/0/1.html"
        assert parse_qs(link.query) == {"wx": [journal[language].marker]}
        assert journal[language].marker.startswith(f"1-1-{language}-{journal[language].id}-")
    assert not calls(wechat, "batchget")  # nothing was interrupted, so nothing is looked up
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


@pytest.mark.parametrize(
    "point", ["wechat.draft-answered", "wechat.after-draft", "wechat.after-submit"]
)
def test_a_kill_between_steps_leaves_exactly_one_draft_and_one_article(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn, point: str
) -> None:
    site_dir = Path(settings.site_dir)
    kill_at(point, url, version_id, site_dir, wechat)
    # zh was killed right after WeChat answered draft/add (its media id not yet stored), after
    # the media id was stored, or after its submission was stored
    assert len(wechat.drafts) == 1

    rerun(url, version_id, site_dir, wechat)

    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2  # one per language
    assert calls(wechat, "draft/add") == 2 and calls(wechat, "freepublish/submit") == 2
    assert {p.state for p in posts(url).values()} == {"published"}
    # only the draft whose answer was lost is looked for
    assert calls(wechat, "draft/batchget") == (1 if point == "wechat.draft-answered" else 0)
    [zh_draft] = [m for m, d in wechat.drafts.items() if "/zh/" in d["content_source_url"]]
    assert posts(url)["zh"].draft_media_id == zh_draft


def test_a_kill_after_submit_answered_publishes_once(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    kill_at("wechat.submit-answered", url, version_id, site_dir, wechat)
    assert len(wechat.publishes) == 1 and posts(url)["zh"].publish_id is None

    # At once: WeChat took the draft and is still publishing it, so nothing is submitted again.
    rerun(url, version_id, site_dir, wechat)
    assert posts(url)["zh"].state == "submitted" and "looks again" in posts(url)["zh"].detail
    assert posts(url)["en"].state == "published"
    assert language_states(url, version_id)["zh"] == "approved"  # waits for WeChat's outcome

    # Later: WeChat finished it; the next run finds the article by the draft's marker.
    wechat.advance(wechat.publishing_seconds)
    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "published"}
    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2
    assert calls(wechat, "freepublish/submit") == 2
    zh = posts(url)["zh"]
    [article] = [a for a in wechat.articles.values() if a["media_id"] == zh.draft_media_id]
    assert zh.article_id == article["article_id"] and zh.article_url == article["url"]
    with transaction(url) as session:
        locations = set(
            session.scalars(select(Publication.location).where(Publication.channel == "wechat"))
        )
    assert locations == {a["url"] for a in wechat.articles.values()}
    states = language_states(url, version_id)
    assert states["zh"] == states["en"] == "published"


def test_a_lost_draft_answer_is_found_in_the_draft_box(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    with pytest.raises(WeChatUnavailable):
        run(url, version_id, site_dir, wechat, lose_first_answer("add_draft"))
    assert len(wechat.drafts) == 1 and posts(url)["zh"].draft_media_id is None
    assert posts(url)["zh"].draft_requested_at is not None

    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "published", "en": "published"}
    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2
    assert calls(wechat, "draft/add") == 2 and calls(wechat, "draft/batchget") == 1
    [zh_draft] = [m for m, d in wechat.drafts.items() if "/zh/" in d["content_source_url"]]
    assert posts(url)["zh"].draft_media_id == zh_draft


def test_a_draft_request_that_never_arrived_is_made_after_looking(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    wechat.answer_next("draft/add", -1)  # WeChat's "system error": no draft was made
    with pytest.raises(WeChatUnavailable):
        run(url, version_id, site_dir, wechat)
    assert wechat.drafts == {}

    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "published", "en": "published"}
    assert calls(wechat, "draft/batchget") == 1 and calls(wechat, "draft/add") == 3
    assert len(wechat.drafts) == 2 and len(wechat.articles) == 2


def test_a_submission_that_never_arrived_is_sent_again(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    wechat.answer_next("freepublish/submit", -1)
    with pytest.raises(WeChatUnavailable):
        run(url, version_id, site_dir, wechat)
    assert wechat.publishes == {} and posts(url)["zh"].submit_requested_at is not None

    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "published", "en": "published"}
    # looked among the articles and in the draft box: the draft was still there
    assert calls(wechat, "freepublish/batchget") == 1 and calls(wechat, "draft/batchget") == 1
    assert calls(wechat, "freepublish/submit") == 3 and len(wechat.articles) == 2


def test_a_lost_submission_that_failed_at_wechat_is_failed_after_a_day(
    url: str, version_id: int, settings: Settings, wechat: WeChatStandIn
) -> None:
    site_dir = Path(settings.site_dir)
    wechat.final_status_next(3)
    with pytest.raises(WeChatUnavailable):
        run(url, version_id, site_dir, wechat, lose_first_answer("submit"))
    wechat.advance(wechat.publishing_seconds)  # WeChat's publication ended: failed, no article

    done = run(url, version_id, site_dir, wechat)
    assert wechat_states(done) == {"zh": "publishing", "en": "published"}
    assert calls(wechat, "freepublish/submit") == 2  # the taken draft is never submitted again

    with transaction(url) as session:
        session.execute(
            update(WeChatPost).values(submit_requested_at=utcnow() - timedelta(hours=25))
        )
    done = run(url, version_id, site_dir, wechat)

    assert wechat_states(done) == {"zh": "failed"}
    detail = posts(url)["zh"].detail
    assert "发表记录" in detail and "queue it again" in detail
    assert calls(wechat, "freepublish/submit") == 2 and len(wechat.articles) == 1  # en only
    assert language_states(url, version_id)["zh"] == "published"  # on the site it is


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
    from core.settings import get_settings

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
    done = publish_version(url, version_id, {"site": site, "wechat": channel})
    assert wechat_states(done)["zh"] == "blocked"
    assert "WAIWEN_WECHAT_COVERS" in posts(url)["zh"].detail and wechat.drafts == {}
