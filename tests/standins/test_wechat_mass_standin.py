"""The WeChat stand-in's mass send (群发) keeps the documented contract over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.standins.test_wechat_standin import _draft, _post, _raw_json, _token
from tests.standins.wechat import WeChatStandIn


@pytest.fixture
def wechat() -> Iterator[WeChatStandIn]:
    with WeChatStandIn() as standin:
        yield standin


def _send(standin: WeChatStandIn, token: str, media_id: str, clientmsgid: str) -> dict[str, Any]:
    body = {
        "filter": {"is_to_all": True},
        "mpnews": {"media_id": media_id},
        "msgtype": "mpnews",
        "send_ignore_reprint": 0,
        "clientmsgid": clientmsgid,
    }
    return _post(standin, "message/mass/sendall", token, content=_raw_json(body))


def _status(standin: WeChatStandIn, token: str, msg_id: int) -> str:
    answer = _post(standin, "message/mass/get", token, content=_raw_json({"msg_id": msg_id}))
    return str(answer["msg_status"])


def test_a_repeated_clientmsgid_answers_45065_with_the_existing_task_and_sends_nothing(
    wechat: WeChatStandIn,
) -> None:
    token = _token(wechat)
    media_id = _draft(wechat, token, "今日要闻")
    first = _send(wechat, token, media_id, "digest-1")
    assert first["errcode"] == 0 and first["msg_data_id"]
    again = _send(wechat, token, media_id, "digest-1")
    assert again["errcode"] == 45065 and again["msg_id"] == first["msg_id"]
    assert wechat.pushed() == [["今日要闻"]]
    assert _status(wechat, token, first["msg_id"]) == "SEND_SUCCESS"


@pytest.mark.parametrize(
    ("account", "sends", "advance"),
    [("subscription", 1, 86400.0), ("service", 4, 30 * 86400.0)],
)
def test_the_account_quota_answers_45028_until_the_next_period(
    account: str, sends: int, advance: float
) -> None:
    with WeChatStandIn(account=account) as wechat:
        token = _token(wechat)
        media_id = _draft(wechat, token)
        for n in range(sends):
            assert _send(wechat, token, media_id, f"d-{n}")["errcode"] == 0
        assert _send(wechat, token, media_id, "d-over")["errcode"] == 45028
        wechat.advance(advance)
        token = _token(wechat)
        assert _send(wechat, token, media_id, "d-next")["errcode"] == 0


def test_errors_for_a_bad_media_id_missing_permission_and_the_minute_limit(
    wechat: WeChatStandIn,
) -> None:
    token = _token(wechat)
    assert _send(wechat, token, "no-such-draft", "x")["errcode"] == 40007
    wechat.mass_permission = False
    assert _send(wechat, token, "no-such-draft", "x")["errcode"] == 48001
    wechat.mass_permission = True
    for _ in range(58):  # two mass calls so far in this clock minute, 60 allowed
        _status_call = _post(wechat, "message/mass/get", token, content=_raw_json({"msg_id": 1}))
        assert _status_call["errcode"] == 40007
    assert _send(wechat, token, "no-such-draft", "x")["errcode"] == 45011
    wechat.advance(60)
    assert _send(wechat, token, "no-such-draft", "x")["errcode"] == 40007


def test_a_protected_send_waits_for_the_phone_and_fails_after_30_minutes() -> None:
    with WeChatStandIn(protection=True) as wechat:
        token = _token(wechat)
        media_id = _draft(wechat, token)
        first = _send(wechat, token, media_id, "p-1")
        assert _status(wechat, token, first["msg_id"]) == "SENDING" and wechat.pushed() == []
        wechat.advance(1800)
        assert _status(wechat, token, first["msg_id"]) == "SEND_FAIL"
        second = _send(wechat, token, media_id, "p-2")  # a failed send gave its quota back
        wechat.confirm_on_phone(str(second["msg_id"]))
        assert _status(wechat, token, second["msg_id"]) == "SEND_SUCCESS"
        assert len(wechat.pushed()) == 1


def test_preview_reaches_one_wechat_id_and_delete_marks_the_history(
    wechat: WeChatStandIn,
) -> None:
    token = _token(wechat)
    media_id = _draft(wechat, token, "预览")
    body = {"towxname": "reviewer-wx", "mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
    assert _post(wechat, "message/mass/preview", token, content=_raw_json(body))["errcode"] == 0
    assert wechat.previews[0]["towxname"] == "reviewer-wx" and wechat.pushed() == []
    sent = _send(wechat, token, media_id, "d")
    gone = {"msg_id": sent["msg_id"], "article_idx": 1}
    assert _post(wechat, "message/mass/delete", token, content=_raw_json(gone))["errcode"] == 0
    assert _status(wechat, token, sent["msg_id"]) == "DELETE"
    assert wechat.pushed() == [["预览"]]  # followers' phones keep what they received
