"""WeChat publication, exactly once: each step's result is stored before the next step starts.

The steps of one language version: upload the body's images, upload the cover, add the draft,
submit it, then ask until WeChat says it is out. A run that stops anywhere (a crash, a kill, a
quota) resumes at the first step without a stored result, so a retry makes no second draft and
no second article.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from pipeline.audit import record
from pipeline.clock import OFFICE_TIME_ZONE, as_utc, office_date
from pipeline.failpoints import failpoint
from publishers.base import ChannelResult, Page
from publishers.site.paths import absolute, page_path
from publishers.wechat.client import Article, WeChatClient
from publishers.wechat.content import NotFitForWeChat, check_size, digest, wechat_html, wechat_title
from publishers.wechat.errors import (
    PUBLISH_STATUS,
    AccountProblem,
    ContentRefused,
    QuotaReached,
)
from store.db import transaction
from store.models import LanguageVersion, NoticeVersion, WeChatPost, utcnow

ACTOR = "waiwen"
DEFAULT_COVER = (
    Path(__file__).resolve().parent.parent / "publishers" / "wechat" / "default-cover.jpg"
)
# Channel states that end this language's WeChat publication (a Publication row is written).
FINAL = ("published", "refused", "failed")


@dataclass(frozen=True)
class WeChatOptions:
    """What the channel needs besides the client."""

    site_base_url: str
    author: str = ""
    covers: Mapping[str, Path] | None = None
    polls: int = 12
    poll_seconds: float = 5.0


class WeChatChannel:
    """The WeChat Official Account as a publishing channel with a stored journal per language."""

    channel = "wechat"

    def __init__(
        self,
        database_url: str,
        client: WeChatClient,
        options: WeChatOptions,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.database_url = database_url
        self.client = client
        self.options = options
        self.sleep = sleep

    def publish(self, page: Page) -> ChannelResult:
        """Take the language version as far as it can go now; say where it stands."""
        post_id = self._journal(page)
        post = self._load(post_id)
        if post.state in FINAL:
            return ChannelResult(post.state, post.article_url or "", post.detail)
        if post.postponed_until is not None and utcnow() < as_utc(post.postponed_until):
            return ChannelResult("postponed", "", post.detail)
        try:
            return self._advance(page, post_id)
        except QuotaReached as error:
            until = _next_office_day()
            detail = f"{error}; postponed to {until.astimezone(OFFICE_TIME_ZONE):%Y-%m-%d %H:%M} (Shanghai time)"
            self._set(post_id, page, state="postponed", detail=detail, postponed_until=until)
            return ChannelResult("postponed", "", detail)
        except AccountProblem as error:
            self._set(post_id, page, state="blocked", detail=str(error))
            return ChannelResult("blocked", "", str(error))
        except (ContentRefused, NotFitForWeChat) as error:
            self._set(post_id, page, state="refused", detail=str(error))
            return ChannelResult("refused", "", str(error))

    def retract(self, language_version_id: int) -> str | None:
        """Withdraw the published article of one language version; None when there is none."""
        with transaction(self.database_url) as session:
            post = session.scalars(
                select(WeChatPost).where(WeChatPost.language_version_id == language_version_id)
            ).one_or_none()
            if post is None or post.state != "published" or not post.article_id:
                return None
            article_id = post.article_id
        self.client.delete_article(article_id)
        with transaction(self.database_url) as session:
            post = session.scalars(
                select(WeChatPost).where(WeChatPost.language_version_id == language_version_id)
            ).one()
            post.state, post.detail = "deleted", f"article {article_id} deleted on retraction"
        return article_id

    # -- the steps -----------------------------------------------------------------------------

    def _advance(self, page: Page, post_id: int) -> ChannelResult:
        post = self._load(post_id)
        if post.draft_media_id is None:
            image_urls = dict(post.image_urls or {})
            for source, data in sorted(page.images.items()):
                if source not in image_urls:
                    image_urls[source] = self.client.upload_image(
                        data, Path(source).name or "image"
                    )
                    self._set(post_id, page, image_urls=image_urls)
            if post.cover_media_id is None:
                cover = self._cover(page.column)
                self._set(
                    post_id,
                    page,
                    cover_media_id=self.client.add_cover(cover.read_bytes(), cover.name),
                )
            article = self._article(page, self._load(post_id))
            media_id = self.client.add_draft(article)
            self._set(post_id, page, draft_media_id=media_id, detail="draft added")
            failpoint("wechat.after-draft")
            post = self._load(post_id)
        if post.publish_id is None:
            publish_id = self.client.submit(post.draft_media_id or "")
            self._set(
                post_id,
                page,
                publish_id=publish_id,
                state="submitted",
                detail="submitted; WeChat is publishing it",
            )
            failpoint("wechat.after-submit")
            post = self._load(post_id)
        return self._follow(page, post_id, post.publish_id or "")

    def _follow(self, page: Page, post_id: int, publish_id: str) -> ChannelResult:
        """Ask WeChat about the submitted draft until it is out, refused, or this run's polls end."""
        for poll in range(max(1, self.options.polls)):
            if poll:
                self.sleep(self.options.poll_seconds)
            state = self.client.publish_state(publish_id)
            if state.status == 0:
                self._set(
                    post_id,
                    page,
                    state="published",
                    article_id=state.article_id,
                    article_url=state.article_url,
                    detail="published",
                )
                return ChannelResult("published", state.article_url, f"article {state.article_id}")
            if state.status != 1:
                meaning = PUBLISH_STATUS.get(state.status, f"publish_status {state.status}")
                detail = f"WeChat publish_status {state.status}: {meaning}; the notice is not published on WeChat"
                self._set(post_id, page, state="failed", detail=detail)
                return ChannelResult("failed", "", detail)
        detail = f"still publishing after {self.options.polls} checks; the next run asks again"
        self._set(post_id, page, detail=detail)
        return ChannelResult("publishing", "", detail)

    def _article(self, page: Page, post: WeChatPost) -> Article:
        content = wechat_html(page.body_markdown, post.image_urls or {})
        check_size(content, page.language)
        return Article(
            title=wechat_title(page.title, page.wechat_title, page.language),
            author=self.options.author[:16],
            digest=digest(page.body_markdown),
            content=content,
            content_source_url=absolute(
                self.options.site_base_url, page_path(page.language, page.notice_id)
            ),
            thumb_media_id=post.cover_media_id or "",
        )

    def _cover(self, column: str) -> Path:
        covers = self.options.covers or {}
        cover = Path(covers[column]) if column in covers else DEFAULT_COVER
        if not cover.is_file():
            raise AccountProblem(
                0,
                "",
                "material/add_material",
                f"the cover of column {column}, {cover}, does not "
                "exist: fix WAIWEN_WECHAT_COVERS, then run again",
            )
        return cover

    # -- the journal ---------------------------------------------------------------------------

    def _journal(self, page: Page) -> int:
        """The journal row of this language version, created on first use."""
        with transaction(self.database_url) as session:
            language_version_id = session.scalars(
                select(LanguageVersion.id)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(
                    NoticeVersion.notice_id == page.notice_id,
                    NoticeVersion.number == page.version,
                    LanguageVersion.language == page.language,
                )
            ).one()
            post = session.scalars(
                select(WeChatPost).where(WeChatPost.language_version_id == language_version_id)
            ).one_or_none()
            if post is None:
                post = WeChatPost(
                    language_version_id=language_version_id,
                    image_urls={},
                    state="preparing",
                    detail="",
                )
                session.add(post)
                session.flush()
            return post.id

    def _load(self, post_id: int) -> WeChatPost:
        with transaction(self.database_url) as session:
            post = session.get_one(WeChatPost, post_id)
            session.expunge(post)
            return post

    def _set(self, post_id: int, page: Page, **values: object) -> None:
        """Store one step's result (and say so in the audit log when the state changes)."""
        with transaction(self.database_url) as session:
            post = session.get_one(WeChatPost, post_id)
            before = post.state
            for name, value in values.items():
                setattr(post, name, value)
            if post.state != before:
                record(
                    session,
                    ACTOR,
                    f"wechat {post.state}",
                    notice_id=page.notice_id,
                    language=page.language,
                    channel="wechat",
                    detail=post.detail,
                )


def _next_office_day() -> datetime:
    """Midnight in Shanghai after today (when WeChat's daily quotas start again)."""
    tomorrow = office_date(utcnow()) + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=OFFICE_TIME_ZONE)


def withdraw_notice(database_url: str, notice_id: int, channel: WeChatChannel) -> list[str]:
    """Delete every WeChat article of a notice (a retraction); returns the article ids deleted."""
    with transaction(database_url) as session:
        language_version_ids = list(
            session.scalars(
                select(WeChatPost.language_version_id)
                .join(LanguageVersion, LanguageVersion.id == WeChatPost.language_version_id)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(NoticeVersion.notice_id == notice_id, WeChatPost.state == "published")
            )
        )
    deleted = []
    for language_version_id in language_version_ids:
        article_id = channel.retract(language_version_id)
        if article_id is not None:
            deleted.append(article_id)
    return deleted
