"""The WeChat broadcast on the desk: where a notice's articles stand, and an approver's go."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from desk.auth import CsrfToken, posted_by, require
from desk.web import desk_of
from pipeline.broadcasts import broadcasting, digest_lines, places
from publishers.wechat.broadcast import give_go
from store.models import WeChatBroadcast

router = APIRouter()


@router.post("/wechat/broadcasts/{broadcast_id}/go")
def go(
    request: Request,
    broadcast_id: int,
    csrf_token: CsrfToken = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """An approver's go for a send of two-stage columns that waits for one."""
    signed = posted_by(request, csrf_token)
    require(signed, "approver")
    desk = desk_of(request)
    with desk.transaction() as session:
        row = session.get(WeChatBroadcast, broadcast_id)
        if row is None or row.state not in ("assembled", "drafted"):
            state = "no such broadcast" if row is None else f"it is {row.state}"
            return desk.render(
                request,
                "message.html",
                signed,
                409,
                message=f"broadcast {broadcast_id}: {state}; a go is only for a send not made yet",
            )
    give_go(desk.database_url, broadcast_id, signed.account.name)
    target = back if back.startswith("/notices/") and back[9:].isdigit() else "/queue"
    return RedirectResponse(target, status_code=303)


def notice_broadcast(request: Request, notice_id: int) -> dict[str, object]:
    """For a notice's page: its languages' places in the broadcast, the digest, a send awaiting a go."""
    desk = desk_of(request)
    if not broadcasting(desk.settings):
        return {"broadcast_places": {}, "broadcast_lines": [], "broadcast_awaiting_go": None}
    with desk.transaction() as session:
        found = places(desk.settings, session)
        lines = digest_lines(desk.settings, session)
        waiting = session.scalars(
            select(WeChatBroadcast.id).where(
                WeChatBroadcast.state.in_(("assembled", "drafted")),
                WeChatBroadcast.go_by.is_(None),
                WeChatBroadcast.waiting.contains("approver's go"),
            )
        ).first()
    return {
        "broadcast_places": {lang: where for (n, lang), where in found.items() if n == notice_id},
        "broadcast_lines": lines,
        "broadcast_awaiting_go": waiting,
    }
