"""The daily WeChat broadcast as the office configures it: who sends, when, and what people see.

The settings say which columns broadcast (WAIWEN_WECHAT_BROADCAST_COLUMNS), the account's kind and
the time; the office's two-stage columns (desk settings) say which sends wait for an approver's
go. The lines here are what `waiwen status`, `waiwen wechat digest` and the desk show: the send
under way and why it waits, the next send with each article's position, and the quota.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.clock import OFFICE_TIME_ZONE, as_utc
from core.settings import Settings
from pipeline.office_settings import two_stage_columns
from publishers.wechat.broadcast import Broadcaster, BroadcastOptions, DigestPlanner, Plan
from publishers.wechat.client import WeChatClient
from store.db import transaction
from store.models import WeChatBroadcast, utcnow

NOT_BROADCASTING = (
    "no column broadcasts to followers (WAIWEN_WECHAT_BROADCAST_COLUMNS is empty): WeChat "
    "articles are published (freepublish) only"
)
NO_ACCOUNT = "WeChat is not configured (WAIWEN_WECHAT_APPID is empty): nothing can be broadcast"


def broadcasting(settings: Settings) -> bool:
    """Whether any column broadcasts."""
    return bool(settings.wechat_broadcast_columns)


def options(settings: Settings, session: Session) -> BroadcastOptions:
    """The broadcast's options from the settings and the office's two-stage columns."""
    return BroadcastOptions(
        account=settings.wechat_account,
        at=settings.wechat_broadcast_at,
        preview_to=settings.wechat_preview_to,
        two_stage=tuple(two_stage_columns(session)),
    )


def broadcaster(settings: Settings) -> Broadcaster:
    """The sender for the configured account (its secret already in the settings)."""
    if not settings.wechat_appid:
        raise ValueError(NO_ACCOUNT)
    url = settings.resolved_database_url
    client = WeChatClient(
        settings.wechat_appid,
        settings.wechat_secret,
        settings.wechat_base_url,
        timeout=settings.engine_timeout,
    )
    with transaction(url) as session:
        return Broadcaster(url, client, options(settings, session))


def send_due(
    settings: Settings, *, force: bool = False, now: datetime | None = None
) -> WeChatBroadcast | None:
    """Advance the send under way or start the one that is due; None when nothing is to send."""
    if not broadcasting(settings) or not settings.wechat_appid:
        return None
    return broadcaster(settings).run(now, force=force)


def places(
    settings: Settings, session: Session, now: datetime | None = None
) -> dict[tuple[int, str], str]:
    """(notice, language) -> where its article stands in the broadcast ({} when none broadcast)."""
    if not broadcasting(settings):
        return {}
    return DigestPlanner(options(settings, session)).places(session, as_utc(now or utcnow()))


def digest_lines(settings: Settings, session: Session, now: datetime | None = None) -> list[str]:
    """The broadcast in words: the send under way and why it waits, the next send, the quota."""
    if not broadcasting(settings):
        return [NOT_BROADCASTING]
    plan = DigestPlanner(options(settings, session)).plan_in(session, as_utc(now or utcnow()))
    return _lines(plan)


def _lines(plan: Plan) -> list[str]:
    lines = []
    active = plan.active
    if active is not None:
        lines.append(f"broadcast {active.id}: {active.state}  {active.detail}".rstrip())
        if active.waiting:
            lines.append(f"    waiting: {active.waiting}")
        if active.next_step:
            lines.append(f"    next: {active.next_step}")
        if active.msg_id:
            sent = as_utc(active.sent_at or utcnow()).astimezone(OFFICE_TIME_ZONE)
            lines.append(
                f"    msg_id {active.msg_id}, msg_data_id {active.msg_data_id or '-'}, "
                f"msg_status {active.msg_status or 'not asked yet'}, sent {sent:%Y-%m-%d %H:%M}"
            )
    elif plan.due_now:
        lines.append(
            "next broadcast: at the next run (today's time has passed and the send is free)"
        )
    else:
        lines.append(f"next broadcast: {plan.at:%Y-%m-%d %H:%M} (Shanghai time)")
    lines.append(f"    quota: {plan.quota}")
    if plan.last is not None:
        lines.append(f"    last broadcast {plan.last.id}: {plan.last.state}  {plan.last.detail}")
    for placed in plan.articles:
        major = "  MAJOR" if placed.major else ""
        lines.append(
            f"    {placed.position}. [{placed.notice_id}] {placed.language}  {placed.title}{major}"
        )
    if not plan.articles:
        lines.append("    no article is waiting for the broadcast")
    if plan.later:
        lines.append(f"    {len(plan.later)} more article(s) wait for a later broadcast:")
        for placed in plan.later:
            lines.append(f"      [{placed.notice_id}] {placed.language}  {placed.title}")
    return lines
