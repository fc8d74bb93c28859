"""The daily broadcast (群发): approved articles of broadcast columns pushed to followers, exactly once.

An article of a broadcast column is not submitted with ``freepublish/submit``; the channel uploads
its images and cover, fixes its article and queues it here. At the broadcast time the queue, in
order (major notices first, then each notice as it came, its Chinese original before its
translations), fills one digest of at most eight articles: one multi-article draft and one
``message/mass/sendall``. What does not fit waits for the next send.

The send is a journal (``wechat_broadcasts``) whose every step is committed before the next: the
digest's articles and order, the draft (its request first, so a lost answer is looked for in the
draft box by the articles' markers), the send (its ``clientmsgid`` is fixed when the digest is
assembled and committed before the call, so a repeat is answered 45065 with the existing task
instead of a second push), then WeChat's ``msg_status``. Every answer that stops a send leaves
the digest waiting with the reason and the next step, never dropped.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import OFFICE_TIME_ZONE, as_utc, office_date
from core.failpoints import failpoint
from core.languages import order_of
from core.states import BroadcastState, WeChatPostState
from publishers.wechat.client import DIGEST_SIZE, WeChatClient, marker_of
from publishers.wechat.errors import (
    AccountProblem,
    ContentRefused,
    SendQuotaSpent,
    WeChatError,
    WeChatUnavailable,
)
from store.audit import record
from store.db import transaction
from store.models import WeChatBroadcast, WeChatBroadcastItem, WeChatPost, utcnow

ACTOR = "waiwen"
ACCOUNTS = {"subscription": 1, "service": 4}  # sends per office day / per office month
# States of a send still under way: at most one at a time, the oldest first.
ACTIVE = (
    BroadcastState.ASSEMBLED,
    BroadcastState.DRAFTED,
    BroadcastState.SENDING,
    BroadcastState.SENT,
)
COUNTED = (BroadcastState.SENT, BroadcastState.DONE, BroadcastState.DELETED)
# WeChat remembers a clientmsgid this long; a send asked earlier without an answer is no longer
# protected by it, so waiwen does not ask again on its own.
CLIENTMSGID_MEMORY = timedelta(hours=24)
PROTECTION_MINUTES = 30
SEND_FAIL = "SEND_FAIL"
MASS_PREFIX = "mass:"  # wechat_posts.article_id of a broadcast article: mass:MSG_ID:POSITION
FOLLOWERS_KEEP_IT = (
    "followers already received the broadcast on their phones and keep it; the deletion only "
    "takes it out of the account's history (历史消息)"
)


@dataclass(frozen=True)
class BroadcastOptions:
    """The account's kind, the time of the daily send, and who previews it."""

    account: str = "subscription"  # WAIWEN_WECHAT_ACCOUNT
    at: time = time(17, 30)  # WAIWEN_WECHAT_BROADCAST_AT, office time
    preview_to: str = ""  # WAIWEN_WECHAT_PREVIEW_TO: a reviewer's WeChat id
    two_stage: Collection[str] = ()  # columns whose send waits for an approver's go


@dataclass(frozen=True)
class Placed:
    """One article's place: in which send and at which position, or why it waits."""

    notice_id: int
    language: str
    title: str
    major: bool
    position: int  # 1-based within its send
    send: str  # e.g. "in the broadcast of 2026-12-01 17:30" or "in broadcast 3 (sent)"


@dataclass(frozen=True)
class Plan:
    """What the next send is, when it goes, and what holds it."""

    at: datetime  # office time of the next send
    articles: list[Placed]
    later: list[Placed]  # queued articles that do not fit the next send
    quota: str  # e.g. "today's send is still free" or "used by broadcast 1 at 12:03"
    active: WeChatBroadcast | None  # the send under way, if any
    last: WeChatBroadcast | None = None  # the latest send that ended (done or deleted)
    due_now: bool = False  # the time has passed and a send is free: the next run sends


def broadcasts_column(columns: Collection[str], column: str) -> bool:
    """Whether articles of ``column`` are broadcast (``*`` stands for every column)."""
    return "*" in columns or column in columns


def queue_article(
    session: Session,
    post: WeChatPost,
    *,
    notice_id: int,
    language: str,
    column: str,
    major: bool,
    article: dict[str, Any],
) -> WeChatBroadcastItem:
    """Queue one language's article for the next send (once: a second call returns the first)."""
    item = session.scalars(
        select(WeChatBroadcastItem).where(
            WeChatBroadcastItem.language_version_id == post.language_version_id
        )
    ).one_or_none()
    if item is None:
        item = WeChatBroadcastItem(
            language_version_id=post.language_version_id,
            notice_id=notice_id,
            language=language,
            column=column,
            major=major,
            queued_at=utcnow(),
            article=article,
            marker=marker_of(str(article.get("content_source_url") or "")),
        )
        session.add(item)
        session.flush()
    return item


def _order(items: Sequence[WeChatBroadcastItem]) -> list[WeChatBroadcastItem]:
    """Major notices first; then notices as they came; in a notice, the original first."""
    first: dict[int, datetime] = {}
    for item in items:
        at = as_utc(item.queued_at)
        first[item.notice_id] = min(first.get(item.notice_id, at), at)
    majors = {item.notice_id for item in items if item.major}
    return sorted(
        items,
        key=lambda i: (
            i.notice_id not in majors,
            first[i.notice_id],
            i.notice_id,
            order_of(i.language),
        ),
    )


class DigestPlanner:
    """What the next send is and where each article stands, from the records (WeChat not asked)."""

    def __init__(self, options: BroadcastOptions) -> None:
        if options.account not in ACCOUNTS:
            raise ValueError(
                f"WAIWEN_WECHAT_ACCOUNT is {options.account!r}: give subscription or service"
            )
        self.options = options

    # -- when ----------------------------------------------------------------------------------

    def _period_start(self, now: datetime) -> datetime:
        day = office_date(now)
        if self.options.account == "service":
            day = day.replace(day=1)
        return datetime(day.year, day.month, day.day, tzinfo=OFFICE_TIME_ZONE)

    def _next_period(self, now: datetime) -> date:
        day = office_date(now)
        if self.options.account == "subscription":
            return day + timedelta(days=1)
        return (day.replace(day=1) + timedelta(days=32)).replace(day=1)

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, self.options.at, tzinfo=OFFICE_TIME_ZONE)

    def _sends_this_period(self, session: Session, now: datetime) -> list[WeChatBroadcast]:
        start = as_utc(self._period_start(now))
        return list(
            session.scalars(
                select(WeChatBroadcast)
                .where(
                    WeChatBroadcast.state.in_(COUNTED),
                    WeChatBroadcast.sent_at.is_not(None),
                    WeChatBroadcast.sent_at >= start,
                )
                .order_by(WeChatBroadcast.sent_at)
            )
        )

    def _quota(self, session: Session, now: datetime) -> tuple[bool, str]:
        """Whether a send is left in this period, and the words for it."""
        sends = self._sends_this_period(session, now)
        allowed = ACCOUNTS[self.options.account]
        period = "today" if self.options.account == "subscription" else "this month"
        if len(sends) < allowed:
            return True, f"{allowed - len(sends)} of {allowed} send(s) left {period}"
        last = sends[-1]
        by = "a major notice" if last.major else "the digest"
        when = as_utc(last.sent_at or now).astimezone(OFFICE_TIME_ZONE)
        return False, (
            f"the send quota {period} is spent (last used by {by}, broadcast {last.id}, at "
            f"{when:%Y-%m-%d %H:%M}); the next send is {self._at(self._next_period(now)):%Y-%m-%d %H:%M}"
        )

    # -- what the next send is -----------------------------------------------------------------

    def plan_in(self, session: Session, now: datetime) -> Plan:
        """The next send and where each queued article stands, without asking WeChat."""
        active = self._active(session)
        free, quota = self._quota(session, now)
        today_at = self._at(office_date(now))
        at = today_at if free and now <= today_at else self._at(self._next_period(now))
        if free and now > today_at:
            at = now.astimezone(OFFICE_TIME_ZONE)  # the time passed and the send is free
        if active is not None and active.not_before is not None:
            at = max(at, as_utc(active.not_before).astimezone(OFFICE_TIME_ZONE))
        placed: list[Placed] = []
        if active is not None:
            placed = [
                _placed(item, item.position or 0, f"in broadcast {active.id} ({active.state})")
                for item in self._items_of(session, active.id)
            ]
        queued = _order(self._queued(session))
        room = 0 if active is not None else DIGEST_SIZE
        next_words = f"in the broadcast of {at:%Y-%m-%d %H:%M}"
        articles = [_placed(item, n, next_words) for n, item in enumerate(queued[:room], 1)]
        later = [
            _placed(item, n, "waiting for a later broadcast")
            for n, item in enumerate(queued[room:], 1)
        ]
        last = session.scalars(
            select(WeChatBroadcast)
            .where(WeChatBroadcast.state.not_in(ACTIVE))
            .order_by(WeChatBroadcast.id.desc())
            .limit(1)
        ).one_or_none()
        due_now = free and now > today_at and active is None
        return Plan(at, placed + articles, later, quota, active, last, due_now)

    def places(self, session: Session, now: datetime) -> dict[tuple[int, str], str]:
        """(notice, language) -> where its article stands in the broadcast, in words for people."""
        plan = self.plan_in(session, now)
        found = {
            (p.notice_id, p.language): f"{p.send}, position {p.position}"
            for p in [*plan.articles, *plan.later]
        }
        finished = session.execute(
            select(WeChatBroadcastItem, WeChatBroadcast)
            .join(WeChatBroadcast, WeChatBroadcast.id == WeChatBroadcastItem.broadcast_id)
            .where(WeChatBroadcast.state.not_in(ACTIVE))
        ).all()
        for item, sent in finished:
            found.setdefault(
                (item.notice_id, item.language),
                f"broadcast {sent.id}, position {item.position} ({sent.state}, msg_id {sent.msg_id})",
            )
        return found

    # -- the journal ---------------------------------------------------------------------------

    def _active(self, session: Session) -> WeChatBroadcast | None:
        return session.scalars(
            select(WeChatBroadcast)
            .where(WeChatBroadcast.state.in_(ACTIVE))
            .order_by(WeChatBroadcast.id)
            .limit(1)
        ).one_or_none()

    def _queued(self, session: Session, *, lock: bool = False) -> list[WeChatBroadcastItem]:
        query = select(WeChatBroadcastItem).where(WeChatBroadcastItem.broadcast_id.is_(None))
        return list(session.scalars(query.with_for_update() if lock else query))

    def _items_of(self, session: Session, broadcast_id: int) -> list[WeChatBroadcastItem]:
        return list(
            session.scalars(
                select(WeChatBroadcastItem)
                .where(WeChatBroadcastItem.broadcast_id == broadcast_id)
                .order_by(WeChatBroadcastItem.position)
            )
        )


class Broadcaster(DigestPlanner):
    """Assembles the digest and takes its send as far as it can go now."""

    def __init__(self, database_url: str, client: WeChatClient, options: BroadcastOptions) -> None:
        super().__init__(options)
        self.database_url = database_url
        self.client = client
        self._now = utcnow()

    def plan(self, now: datetime | None = None) -> Plan:
        """The next send and where each queued article stands, without asking WeChat."""
        with transaction(self.database_url) as session:
            plan = self.plan_in(session, as_utc(now or utcnow()))
            for row in (plan.active, plan.last):
                if row is not None:
                    session.expunge(row)
            return plan

    def where(self, language_version_id: int, now: datetime | None = None) -> str:
        """Where one language's article stands in the broadcast, in words for the desk."""
        with transaction(self.database_url) as session:
            item = session.scalars(
                select(WeChatBroadcastItem).where(
                    WeChatBroadcastItem.language_version_id == language_version_id
                )
            ).one_or_none()
            if item is None:
                return "not queued for a broadcast"
            places = self.places(session, as_utc(now or utcnow()))
            return places.get((item.notice_id, item.language), "queued")

    # -- the send ------------------------------------------------------------------------------

    def run(self, now: datetime | None = None, *, force: bool = False) -> WeChatBroadcast | None:
        """Advance the send under way, or start one when it is due; the send's row, or None."""
        now = as_utc(now or utcnow())  # stored as UTC: SQLite keeps no offset
        self._now = now  # every time this run stores is this one, so quotas count consistently
        broadcast_id, go_on = self._due(now, force)
        if broadcast_id is None:
            return None
        if not go_on:
            return self._load(broadcast_id)  # it waits (not_before): the row says why
        try:
            self._advance(broadcast_id, now, force)
        except WeChatError as error:
            self._answered(broadcast_id, error, now)
        return self._load(broadcast_id)

    def _answered(self, broadcast_id: int, error: WeChatError, now: datetime) -> None:
        """Hold the send on an error answer, with the reason and the next step."""
        row = self._load(broadcast_id)
        if row.state == BroadcastState.SENDING and not isinstance(error, WeChatUnavailable):
            # WeChat answered the send with an error: nothing went out under this clientmsgid.
            self._set(broadcast_id, state=BroadcastState.DRAFTED, send_requested_at=None)
        reason, values = str(error), dict[str, object]()
        if isinstance(error, SendQuotaSpent):
            until = self._at(self._next_period(now))
            step = f"waits for the next send, {until:%Y-%m-%d %H:%M} (Shanghai time)"
            values["not_before"] = as_utc(until)
        elif isinstance(error, AccountProblem):
            step = "an administrator fixes it; the next run tries again"
        elif isinstance(error, WeChatUnavailable):
            # Its answer may be lost: the next run asks with the same clientmsgid (45065 guards).
            step = "the next run tries again (the mass-send API takes at most 60 calls a minute)"
        elif isinstance(error, ContentRefused):
            step = "an editor fixes the article WeChat refused; the next run tries again"
        elif error.code == 40007:
            # The draft was deleted from the draft box (or expired): make it again.
            step = "the next run makes the draft again, then sends"
            values.update(state=BroadcastState.ASSEMBLED, draft_media_id=None)
            values["draft_requested_at"] = None
        else:
            step = "the next run tries again"
        self._hold(broadcast_id, reason, step, **values)

    def give_go(self, broadcast_id: int, approver: str) -> None:
        """An approver's go for a send whose columns are two-stage."""
        give_go(self.database_url, broadcast_id, approver)

    def _due(self, now: datetime, force: bool) -> tuple[int | None, bool]:
        """The send under way (and whether it goes on now), or a new digest when one is due."""
        with transaction(self.database_url) as session:
            active = self._active(session)
            if active is not None:
                held = active.not_before is not None and now < as_utc(active.not_before)
                return active.id, force or not held
            # Locked (PostgreSQL) so two runs at once cannot put one article in two digests.
            queued = _order(self._queued(session, lock=True))
            if not queued:
                return None, False
            free, _ = self._quota(session, now)
            if not free:
                return None, False  # the plan says so; a digest is assembled when a send is free
            major = any(item.major for item in queued)
            if not (force or major or now >= self._at(office_date(now))):
                return None, False
            row = WeChatBroadcast(
                state=BroadcastState.ASSEMBLED,
                major=major and not (now >= self._at(office_date(now))),
                clientmsgid="",
                waiting="",
                next_step="",
                detail="",
            )
            session.add(row)
            session.flush()
            row.clientmsgid = _clientmsgid(row.id, secrets.token_hex(6), 1)
            for position, item in enumerate(queued[:DIGEST_SIZE], 1):
                item.broadcast_id, item.position = row.id, position
            row.detail = f"assembled: {min(len(queued), DIGEST_SIZE)} article(s)"
            if len(queued) > DIGEST_SIZE:
                row.detail += f"; {len(queued) - DIGEST_SIZE} wait for the next send"
            record(
                session,
                ACTOR,
                "wechat broadcast assembled",
                channel="wechat",
                detail=f"broadcast {row.id}: {row.detail}",
            )
            return row.id, True

    def _advance(self, broadcast_id: int, now: datetime, force: bool) -> None:
        row = self._load(broadcast_id)
        if row.state == BroadcastState.ASSEMBLED:
            self._draft(row)
            failpoint("wechat.broadcast-after-draft")
            row = self._load(broadcast_id)
        if row.state == BroadcastState.DRAFTED:
            if row.msg_status == SEND_FAIL and not force:
                return  # a failed send waits for a person: its reason is on the row
            if not self._ready(row):
                return
            self._send(row, now)
            failpoint("wechat.broadcast-after-send")
            row = self._load(broadcast_id)
        if row.state == BroadcastState.SENDING:
            self._send(row, now)
            row = self._load(broadcast_id)
        if row.state == BroadcastState.SENT:
            self._follow(row)

    def _draft(self, row: WeChatBroadcast) -> None:
        """The digest's multi-article draft: the one an interrupted run made, or a new one."""
        with transaction(self.database_url) as session:
            items = self._items_of(session, row.id)
            articles = [item.article for item in items]
            markers = [item.marker for item in items]
        if row.draft_requested_at is not None:
            found = self.client.find_draft(
                lambda entry: (
                    [marker_of(str(i.get("content_source_url") or "")) for i in entry.items]
                    == markers
                )
            )
            if found is not None:
                self._set(
                    row.id,
                    state=BroadcastState.DRAFTED,
                    draft_media_id=found.id,
                    detail="draft found in the draft box after an interrupted run",
                    waiting="",
                    next_step="",
                )
                return
        self._set(row.id, draft_requested_at=self._now)
        media_id = self.client.add_digest(articles)
        failpoint("wechat.broadcast-draft-answered")
        self._set(
            row.id,
            state=BroadcastState.DRAFTED,
            draft_media_id=media_id,
            detail=f"draft of {len(articles)} article(s) added",
            waiting="",
            next_step="",
        )

    def _ready(self, row: WeChatBroadcast) -> bool:
        """Preview sent (when a reviewer is set) and the approver's go given (two-stage columns)."""
        if self.options.preview_to and row.preview_sent_at is None:
            self.client.preview(row.draft_media_id or "", self.options.preview_to)
            self._set(
                row.id,
                preview_sent_at=self._now,
                detail=f"preview sent to {self.options.preview_to}",
            )
        with transaction(self.database_url) as session:
            columns = sorted({i.column for i in self._items_of(session, row.id)})
        two_stage = [c for c in columns if c in self.options.two_stage]
        if two_stage and row.go_by is None:
            self._hold(
                row.id,
                f"column(s) {', '.join(two_stage)} are two-stage: the send waits for an approver's go",
                f"an approver looks at the preview and gives the go on the desk "
                f"(or `waiwen wechat go {row.id} --by NAME`)",
            )
            return False
        return True

    def _send(self, row: WeChatBroadcast, now: datetime) -> None:
        """``sendall`` with the digest's clientmsgid, committed before the call."""
        if row.send_requested_at is not None and row.msg_id is None:
            asked = as_utc(row.send_requested_at)
            if now - asked > CLIENTMSGID_MEMORY:
                self._hold(
                    row.id,
                    f"the send was asked at {asked.astimezone(OFFICE_TIME_ZONE):%Y-%m-%d %H:%M} "
                    "and its answer was lost; WeChat no longer recognises its clientmsgid, so "
                    "asking again could push it twice",
                    "a person checks mp.weixin.qq.com → 内容与互动 → 群发记录 for this digest",
                )
                return
        self._set(
            row.id,
            state=BroadcastState.SENDING,
            send_requested_at=row.send_requested_at or self._now,
            msg_status=None,
        )
        sent = self.client.send_to_all(row.draft_media_id or "", row.clientmsgid)
        failpoint("wechat.broadcast-send-answered")
        detail = (
            f"WeChat answered 45065: this digest (clientmsgid {row.clientmsgid}) was already "
            f"sent as task {sent.msg_id}; recorded, not resent"
            if sent.repeated
            else f"sent to all followers: msg_id {sent.msg_id}, msg_data_id {sent.msg_data_id}"
        )
        self._set(
            row.id,
            state=BroadcastState.SENT,
            msg_id=sent.msg_id,
            msg_data_id=sent.msg_data_id or row.msg_data_id,
            sent_at=row.send_requested_at or self._now,
            detail=detail,
            waiting="",
            next_step="",
            not_before=None,
        )

    def _follow(self, row: WeChatBroadcast) -> None:
        """Ask ``message/mass/get`` how the send ended."""
        status = self.client.send_status(row.msg_id or "")
        if status == "SEND_SUCCESS":
            self._set(
                row.id,
                state=BroadcastState.DONE,
                msg_status=status,
                waiting="",
                next_step="",
                detail=f"{row.detail}; followers received it",
            )
            self._articles_out(row)
        elif status == "DELETE":
            # It reached the followers, then someone deleted it from the history by hand.
            self._set(
                row.id,
                state=BroadcastState.DELETED,
                msg_status=status,
                detail=f"{row.detail}; followers received it; since deleted from the history",
            )
            self._articles_out(row)
        elif status == SEND_FAIL:
            attempt = int(row.clientmsgid.rsplit("-", 1)[1]) + 1
            self._set(
                row.id,
                state=BroadcastState.DRAFTED,
                msg_status=status,
                clientmsgid=_clientmsgid(row.id, row.clientmsgid.split("-")[2], attempt),
                msg_id=None,
                send_requested_at=None,
                sent_at=None,
                waiting=f"WeChat says send {row.msg_id} failed (SEND_FAIL): nothing reached the "
                "followers; with API mass-send protection on, nobody confirmed it on the phone "
                f"within {PROTECTION_MINUTES} minutes",
                next_step="`waiwen wechat broadcast --now` sends it again; an administrator "
                f"confirms on the phone within {PROTECTION_MINUTES} minutes",
            )
        else:  # SENDING
            sent = as_utc(row.sent_at or self._now).astimezone(OFFICE_TIME_ZONE)
            deadline = sent + timedelta(minutes=PROTECTION_MINUTES)
            self._set(
                row.id,
                msg_status=status,
                waiting=f"WeChat is still sending (msg_status {status}); with API mass-send "
                f"protection on, an administrator must confirm it on the phone by {deadline:%H:%M}",
                next_step="the next run asks WeChat again",
            )

    def _articles_out(self, row: WeChatBroadcast) -> None:
        """Each article of a finished send is out on WeChat: its journal row says so."""
        with transaction(self.database_url) as session:
            for item in self._items_of(session, row.id):
                post = session.scalars(
                    select(WeChatPost).where(
                        WeChatPost.language_version_id == item.language_version_id
                    )
                ).one()
                post.state = WeChatPostState.PUBLISHED
                post.article_id = f"{MASS_PREFIX}{row.msg_id}:{item.position}"
                post.detail = f"broadcast {row.id}, position {item.position}, msg_id {row.msg_id}"
                record(
                    session,
                    ACTOR,
                    "wechat broadcast",
                    notice_id=item.notice_id,
                    language=item.language,
                    channel="wechat",
                    detail=post.detail,
                )

    # -- the journal rows ----------------------------------------------------------------------

    def _load(self, broadcast_id: int) -> WeChatBroadcast:
        with transaction(self.database_url) as session:
            row = session.get_one(WeChatBroadcast, broadcast_id)
            session.expunge(row)
            return row

    def _set(self, broadcast_id: int, **values: object) -> None:
        """Store one step's result (and say so in the audit log when the state changes)."""
        with transaction(self.database_url) as session:
            row = session.get_one(WeChatBroadcast, broadcast_id)
            before = row.state
            for name, value in values.items():
                setattr(row, name, value)
            if row.state != before:
                record(
                    session,
                    ACTOR,
                    f"wechat broadcast {row.state}",
                    channel="wechat",
                    detail=f"broadcast {row.id}: {row.detail}",
                )

    def _hold(self, broadcast_id: int, waiting: str, next_step: str, **values: object) -> None:
        """The send waits: why, and what happens next."""
        self._set(broadcast_id, waiting=waiting, next_step=next_step, **values)


def sent_position(article_id: str) -> tuple[str, int] | None:
    """(msg_id, position) of a broadcast article's id; None for a published (freepublish) one."""
    if not article_id.startswith(MASS_PREFIX):
        return None
    msg_id, _, position = article_id.removeprefix(MASS_PREFIX).partition(":")
    return msg_id, int(position)


def withdraw_queued(session: Session, language_version_id: int) -> str | None:
    """Take a language's article out of the broadcast if it was not sent; what happened, or None.

    A digest not sent yet is assembled again without it (a new draft, a new preview, a new go);
    one whose send was asked cannot be stopped, so the words say to retract again once it is out.
    """
    item = session.scalars(
        select(WeChatBroadcastItem).where(
            WeChatBroadcastItem.language_version_id == language_version_id
        )
    ).one_or_none()
    if item is None:
        return None
    row = session.get(WeChatBroadcast, item.broadcast_id) if item.broadcast_id else None
    if row is not None and row.state not in (BroadcastState.ASSEMBLED, BroadcastState.DRAFTED):
        if row.state in (BroadcastState.SENDING, BroadcastState.SENT):
            return (
                f"in broadcast {row.id}, whose send is under way and cannot be stopped: run "
                "`waiwen retract` again once it is out to delete it from the history"
            )
        return None  # sent: the article is deleted as a published one
    session.delete(item)
    session.flush()
    if row is not None:
        rest = list(
            session.scalars(
                select(WeChatBroadcastItem)
                .where(WeChatBroadcastItem.broadcast_id == row.id)
                .order_by(WeChatBroadcastItem.position)
            )
        )
        if not rest:
            session.delete(row)  # nothing was sent under it
        else:
            for position, other in enumerate(rest, 1):
                other.position = position
            row.state, row.draft_media_id, row.draft_requested_at = (
                BroadcastState.ASSEMBLED,
                None,
                None,
            )
            row.preview_sent_at, row.go_by, row.go_at = None, None, None
            row.detail = f"assembled again without a retracted article: {len(rest)} article(s)"
    return "taken out of the broadcast before it was sent; followers never received it"


def give_go(database_url: str, broadcast_id: int, approver: str) -> None:
    """An approver's go for a send whose columns are two-stage: the next run sends it."""
    with transaction(database_url) as session:
        row = session.get_one(WeChatBroadcast, broadcast_id)
        row.go_by, row.go_at = approver, utcnow()
        row.waiting, row.next_step = "", ""
        record(
            session,
            approver,
            "wechat broadcast go",
            channel="wechat",
            detail=f"broadcast {broadcast_id}",
        )


def _clientmsgid(broadcast_id: int, tail: str, attempt: int) -> str:
    """The digest's identity as WeChat's clientmsgid (at most 64 bytes).

    The random tail keeps two databases sending to one account from sharing an identity; the
    attempt changes only after WeChat said a send failed, so nothing was pushed under the old one.
    """
    return f"waiwen-d{broadcast_id}-{tail}-{attempt}"


def _placed(item: WeChatBroadcastItem, position: int, send: str) -> Placed:
    return Placed(
        notice_id=item.notice_id,
        language=item.language,
        title=str(item.article.get("title") or ""),
        major=item.major,
        position=position,
        send=send,
    )
