"""WeChat publication, exactly once: each step's result is stored before the next step starts.

The steps of one language version: upload the body's images, upload the cover, add the draft,
submit it, then ask until WeChat says it is out. A run that stops anywhere (a crash, a kill, a
quota) resumes at the first step without a stored result, so a retry makes no second draft and
no second article.

``draft/add`` and ``freepublish/submit`` are not repeated blindly either: before each, the journal
commits that the call is being made, and the draft carries the row's marker on its 阅读原文 link.
A run that finds a call started but its answer missing (a kill between WeChat's answer and the
database write, or a timeout) first looks in the draft box or among the published articles.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from core.clock import OFFICE_TIME_ZONE, as_utc, office_date
from core.failpoints import failpoint
from core.settings import Settings
from core.states import ChannelState, WeChatPostState
from publishers.base import (
    NOT_PUBLISHED,
    PUBLISHED,
    RETRACTED,
    ChannelResult,
    Page,
    PublicationKey,
    Publisher,
)
from publishers.site.paths import absolute, page_path
from publishers.wechat.broadcast import (
    FOLLOWERS_KEEP_IT,
    broadcasts_column,
    queue_article,
    sent_position,
    withdraw_queued,
)
from publishers.wechat.client import Article, Listed, WeChatClient, with_marker
from publishers.wechat.content import NotFitForWeChat, check_size, digest, wechat_html, wechat_title
from publishers.wechat.errors import (
    PUBLISH_STATUS,
    AccountProblem,
    ContentRefused,
    QuotaReached,
)
from publishers.wechat.not_configured import WeChatNotConfigured
from store.audit import record
from store.db import transaction
from store.models import LanguageVersion, NoticeVersion, WeChatPost, utcnow

ACTOR = "waiwen"
DEFAULT_COVER = Path(__file__).resolve().parent / "default-cover.jpg"
# Journal states that end this language's WeChat publication (a Publication row is written).
FINAL = (WeChatPostState.PUBLISHED, WeChatPostState.REFUSED, WeChatPostState.FAILED)
# A submission whose answer was lost and whose draft WeChat took, but whose article has not
# appeared for this long, most likely failed (publish_status 2-6 leave no article to find).
SUBMISSION_PATIENCE = timedelta(hours=24)


@dataclass(frozen=True)
class WeChatOptions:
    """What the channel needs besides the client."""

    site_base_url: str
    author: str = ""
    covers: Mapping[str, Path] | None = None
    polls: int = 12
    poll_seconds: float = 5.0
    languages: tuple[str, ...] = ("zh", "en")  # WAIWEN_WECHAT_LANGUAGES
    # WAIWEN_WECHAT_BROADCAST_COLUMNS: columns pushed to followers by the daily mass send ("*" all)
    broadcast_columns: tuple[str, ...] = ()


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
            return ChannelResult(ChannelState(post.state), post.article_url or "", post.detail)
        if post.state == WeChatPostState.DELETED:  # WeChat cannot bring a deleted article back
            return ChannelResult(ChannelState.REFUSED, "", post.detail)
        if post.postponed_until is not None and utcnow() < as_utc(post.postponed_until):
            return ChannelResult(ChannelState.POSTPONED, "", post.detail)
        try:
            if broadcasts_column(self.options.broadcast_columns, page.column):
                return self._queue(page, post_id)
            return self._advance(page, post_id)
        except QuotaReached as error:
            until = _next_office_day()
            detail = f"{error}; postponed to {until.astimezone(OFFICE_TIME_ZONE):%Y-%m-%d %H:%M} (Shanghai time)"
            self._set(
                post_id, page, state=WeChatPostState.POSTPONED, detail=detail, postponed_until=until
            )
            return ChannelResult(ChannelState.POSTPONED, "", detail)
        except AccountProblem as error:
            self._set(post_id, page, state=WeChatPostState.BLOCKED, detail=str(error))
            return ChannelResult(ChannelState.BLOCKED, "", str(error))
        except (ContentRefused, NotFitForWeChat) as error:
            self._set(post_id, page, state=WeChatPostState.REFUSED, detail=str(error))
            return ChannelResult(ChannelState.REFUSED, "", str(error))

    def supports(self, language: str) -> bool:
        """Only the languages in WAIWEN_WECHAT_LANGUAGES go to the account."""
        return language in self.options.languages

    def status(self, key: PublicationKey) -> ChannelResult:
        """Where the language version stands on WeChat, from the journal (WeChat is not asked)."""
        post = self._post(key)
        if post is None:
            return ChannelResult(NOT_PUBLISHED, "", "never sent to WeChat")
        if post.state == WeChatPostState.PUBLISHED:
            return ChannelResult(PUBLISHED, post.article_url or "", f"article {post.article_id}")
        if post.state == WeChatPostState.DELETED:
            return ChannelResult(NOT_PUBLISHED, "", post.detail)
        if post.state in (WeChatPostState.PREPARING, WeChatPostState.SUBMITTED):
            return ChannelResult(ChannelState.PUBLISHING, "", post.detail)
        # postponed, blocked, refused, failed: the journal's word is the channel's
        return ChannelResult(ChannelState(post.state), "", post.detail)

    def retract(self, key: PublicationKey) -> ChannelResult:
        """Delete the language version's published article (``freepublish/delete``, irreversible)."""
        post = self._post(key)
        if post is not None and post.state == WeChatPostState.PREPARING and post.marker:
            withdrawn = self._withdraw_from_broadcast(post)
            if withdrawn is not None:
                return withdrawn
        if post is not None and sent_position(post.article_id or "") is not None:
            return self._delete_broadcast_article(post)
        if post is None or post.state != WeChatPostState.PUBLISHED or not post.article_id:
            return ChannelResult(NOT_PUBLISHED, "", "no published article")
        article_id, url = post.article_id, post.article_url or ""
        self.client.delete_article(article_id)
        with transaction(self.database_url) as session:
            row = session.get_one(WeChatPost, post.id)
            row.state, row.detail = (
                WeChatPostState.DELETED,
                f"article {article_id} deleted on retraction",
            )
        return ChannelResult(RETRACTED, url, f"article {article_id} deleted")

    def retraction_summary(self, taken_off: Sequence[PublicationKey]) -> str:
        """The ids of the articles deleted (with the warning when some had been broadcast)."""
        ids = [post.article_id or "" for key in taken_off if (post := self._post(key)) is not None]
        summary = f"wechat: articles deleted: {', '.join(ids) if ids else 'none left'}"
        if any(sent_position(article_id) is not None for article_id in ids):
            summary += f"; WARNING: {FOLLOWERS_KEEP_IT}"
        return summary

    def _delete_broadcast_article(self, post: WeChatPost) -> ChannelResult:
        """``message/mass/delete`` of one broadcast article: out of the history, not off phones."""
        if post.state != WeChatPostState.PUBLISHED:
            return ChannelResult(NOT_PUBLISHED, "", post.detail)
        msg_id, position = sent_position(post.article_id or "") or ("", 0)
        self.client.delete_sent(msg_id, position)
        detail = (
            f"article {position} of mass send {msg_id} deleted from the account's history on "
            f"retraction; WARNING: {FOLLOWERS_KEEP_IT}"
        )
        with transaction(self.database_url) as session:
            row = session.get_one(WeChatPost, post.id)
            row.state, row.detail = WeChatPostState.DELETED, detail
        return ChannelResult(RETRACTED, "", detail)

    def _withdraw_from_broadcast(self, post: WeChatPost) -> ChannelResult | None:
        """Take a queued article out of the broadcast before it is sent; None when it is not queued."""
        with transaction(self.database_url) as session:
            detail = withdraw_queued(session, post.language_version_id)
            if detail is None:
                return None
            row = session.get_one(WeChatPost, post.id)
            if detail.startswith("taken out"):
                row.state = WeChatPostState.DELETED
            row.detail = detail
        return ChannelResult(NOT_PUBLISHED, "", detail)

    # -- the steps -----------------------------------------------------------------------------

    def _upload(self, page: Page, post_id: int) -> None:
        """The body's images and the cover on WeChat, each stored as it is uploaded."""
        post = self._load(post_id)
        image_urls = dict(post.image_urls or {})
        for source, data in sorted(page.images.items()):
            if source not in image_urls:
                image_urls[source] = self.client.upload_image(data, Path(source).name or "image")
                self._set(post_id, page, image_urls=image_urls)
        if post.cover_media_id is None:
            cover = self._cover(page.column)
            self._set(
                post_id,
                page,
                cover_media_id=self.client.add_cover(cover.read_bytes(), cover.name),
            )

    def _queue(self, page: Page, post_id: int) -> ChannelResult:
        """A broadcast column's article: uploaded, fixed and queued for the daily mass send."""
        post = self._load(post_id)
        if post.marker is None:
            self._upload(page, post_id)
            post = self._load(post_id)
            marker = _new_marker(page, post_id)
            article = self._article(page, post, marker).as_json()
            with transaction(self.database_url) as session:
                row = session.get_one(WeChatPost, post_id)
                major = (
                    session.scalars(
                        select(NoticeVersion.urgency)
                        .join(LanguageVersion, LanguageVersion.version_id == NoticeVersion.id)
                        .where(LanguageVersion.id == row.language_version_id)
                    ).one()
                    == "major"
                )
                queue_article(
                    session,
                    row,
                    notice_id=page.notice_id,
                    language=page.language,
                    column=page.column,
                    major=major,
                    article=article,
                )
                # The marker is stored with the queued article, in the same transaction.
                row.marker, row.detail = marker, "queued for the daily broadcast"
        return ChannelResult(ChannelState.PUBLISHING, "", self._load(post_id).detail)

    def _advance(self, page: Page, post_id: int) -> ChannelResult:
        post = self._load(post_id)
        if post.draft_media_id is None:
            self._upload(page, post_id)
            media_id, detail = self._draft(page, self._load(post_id))
            self._set(post_id, page, draft_media_id=media_id, detail=detail)
            failpoint("wechat.after-draft")
            post = self._load(post_id)
        if post.publish_id is None:
            if post.submit_requested_at is not None:
                recovered = self._recover_submission(page, post)
                if recovered is not None:
                    return recovered
            self._set(post_id, page, submit_requested_at=utcnow())
            publish_id = self.client.submit(post.draft_media_id or "")
            failpoint("wechat.submit-answered")
            self._set(
                post_id,
                page,
                publish_id=publish_id,
                state=WeChatPostState.SUBMITTED,
                detail="submitted; WeChat is publishing it",
            )
            failpoint("wechat.after-submit")
            post = self._load(post_id)
        return self._follow(page, post_id, post.publish_id or "")

    def _draft(self, page: Page, post: WeChatPost) -> tuple[str, str]:
        """The draft's media_id (the one an interrupted run made, or a new one) and what happened."""
        if post.draft_requested_at is not None and post.marker:
            # An earlier run asked for this draft and stopped before storing WeChat's answer:
            # the draft may well exist, so look before making a second one.
            marker = post.marker
            found = self.client.find_draft(lambda entry: entry.marker == marker)
            if found is not None:
                return found.id, "draft added (found in the draft box after an interrupted run)"
        marker = post.marker or _new_marker(page, post.id)
        article = self._article(page, post, marker)
        # Committed before the call, so whatever happens to WeChat's answer the next run looks.
        self._set(post.id, page, marker=marker, draft_requested_at=utcnow())
        media_id = self.client.add_draft(article)
        failpoint("wechat.draft-answered")
        return media_id, "draft added"

    def _recover_submission(self, page: Page, post: WeChatPost) -> ChannelResult | None:
        """After a submission whose answer was lost: its outcome, or None when it never reached WeChat."""
        marker = post.marker
        if marker:
            found = self.client.find_published(lambda entry: entry.marker == marker)
            if found is not None:
                return self._adopt(page, post.id, found)
        draft = post.draft_media_id
        if self.client.find_draft(lambda entry: entry.id == draft) is not None:
            return None  # the draft is still in the draft box: WeChat never took it
        # WeChat took the draft out of the draft box, so the submission arrived; without its
        # publish_id only the published articles can tell how it ended.
        requested = as_utc(post.submit_requested_at or utcnow())
        if utcnow() - requested > SUBMISSION_PATIENCE:
            detail = (
                f"WeChat took the draft at {requested.astimezone(OFFICE_TIME_ZONE):%Y-%m-%d %H:%M}"
                " (Shanghai time) but no article with it appeared within "
                f"{SUBMISSION_PATIENCE.total_seconds() / 3600:.0f} hours, so the publication "
                "most likely failed: check mp.weixin.qq.com → 内容管理 → 发表记录, then fix the "
                "notice and queue it again"
            )
            self._set(post.id, page, state=WeChatPostState.FAILED, detail=detail)
            return ChannelResult(ChannelState.FAILED, "", detail)
        detail = (
            "submitted before the last run stopped; WeChat took the draft and its article is not "
            "out yet; the next run looks again"
        )
        self._set(post.id, page, state=WeChatPostState.SUBMITTED, detail=detail)
        return ChannelResult(ChannelState.PUBLISHING, "", detail)

    def _adopt(self, page: Page, post_id: int, found: Listed) -> ChannelResult:
        """Take a published article found by its marker as this language's article."""
        if found.deleted:
            detail = (
                f"article {found.id} was {PUBLISH_STATUS[5]}; the notice is not published on WeChat"
            )
            self._set(
                post_id, page, state=WeChatPostState.FAILED, article_id=found.id, detail=detail
            )
            return ChannelResult(ChannelState.FAILED, "", detail)
        return self._published(
            page,
            post_id,
            found.id,
            found.url,
            "published (found among the published articles after an interrupted run)",
        )

    def _published(
        self, page: Page, post_id: int, article_id: str, url: str, detail: str
    ) -> ChannelResult:
        """Record the language's article as out on WeChat."""
        self._set(
            post_id,
            page,
            state=WeChatPostState.PUBLISHED,
            article_id=article_id,
            article_url=url,
            detail=detail,
        )
        return ChannelResult(ChannelState.PUBLISHED, url, f"article {article_id}")

    def _follow(self, page: Page, post_id: int, publish_id: str) -> ChannelResult:
        """Ask WeChat about the submitted draft until it is out, refused, or this run's polls end."""
        for poll in range(max(1, self.options.polls)):
            if poll:
                self.sleep(self.options.poll_seconds)
            state = self.client.publish_state(publish_id)
            if state.status == 0:
                return self._published(
                    page, post_id, state.article_id, state.article_url, WeChatPostState.PUBLISHED
                )
            if state.status != 1:
                meaning = PUBLISH_STATUS.get(state.status, f"publish_status {state.status}")
                detail = f"WeChat publish_status {state.status}: {meaning}; the notice is not published on WeChat"
                self._set(post_id, page, state=WeChatPostState.FAILED, detail=detail)
                return ChannelResult(ChannelState.FAILED, "", detail)
        detail = f"still publishing after {self.options.polls} checks; the next run asks again"
        self._set(post_id, page, detail=detail)
        return ChannelResult(ChannelState.PUBLISHING, "", detail)

    def _article(self, page: Page, post: WeChatPost, marker: str) -> Article:
        content = wechat_html(page.body_markdown, post.image_urls or {}, page.language)
        check_size(content, page.language)
        return Article(
            title=wechat_title(page.title, page.wechat_title, page.language),
            author=self.options.author[:16],
            digest=digest(page.body_markdown),
            content=content,
            # The marker rides on the 阅读原文 link, which WeChat keeps as sent and the site ignores.
            content_source_url=with_marker(
                absolute(self.options.site_base_url, page_path(page.language, page.notice_id)),
                marker,
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
                    state=WeChatPostState.PREPARING,
                    detail="",
                )
                session.add(post)
                session.flush()
            return post.id

    def _post(self, key: PublicationKey) -> WeChatPost | None:
        """The journal row of the key's language version, if it was ever sent."""
        with transaction(self.database_url) as session:
            post = session.scalars(
                select(WeChatPost)
                .join(LanguageVersion, LanguageVersion.id == WeChatPost.language_version_id)
                .join(NoticeVersion, NoticeVersion.id == LanguageVersion.version_id)
                .where(
                    NoticeVersion.notice_id == key.notice_id,
                    NoticeVersion.number == key.version,
                    LanguageVersion.language == key.language,
                )
            ).one_or_none()
            if post is not None:
                session.expunge(post)
            return post

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


def _new_marker(page: Page, post_id: int) -> str:
    """A marker no other draft carries: notice, version, language, journal row, and a random tail.

    The random tail keeps two databases sending to one account (a test copy, a restored backup)
    from ever taking each other's drafts.
    """
    language = re.sub(r"[^a-z0-9]", "", page.language.lower())
    return f"{page.notice_id}-{page.version}-{language}-{post_id}-{secrets.token_hex(4)}"


def _next_office_day() -> datetime:
    """Midnight in Shanghai after today (when WeChat's daily quotas start again)."""
    tomorrow = office_date(utcnow()) + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=OFFICE_TIME_ZONE)


def from_settings(settings: Settings) -> Publisher:
    """The registry's factory: the configured account, or a channel that says WeChat is not configured.

    An empty WAIWEN_WECHAT_SECRET is read from a Prefect Secret block by the flows before they
    call the registry; here the settings hold whatever secret there is.
    """
    if not settings.wechat_appid:
        return WeChatNotConfigured(settings.wechat_languages)
    client = WeChatClient(
        settings.wechat_appid,
        settings.wechat_secret,
        settings.wechat_base_url,
        timeout=settings.engine_timeout,
    )
    options = WeChatOptions(
        site_base_url=settings.site_base_url,
        author=settings.wechat_author,
        covers=settings.wechat_covers,
        polls=settings.wechat_polls,
        poll_seconds=settings.wechat_poll_seconds,
        languages=settings.wechat_languages,
        broadcast_columns=settings.wechat_broadcast_columns,
    )
    return WeChatChannel(settings.resolved_database_url, client, options)
