"""Quick checks that the WeChat stand-in keeps the documented contract over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.standins.wechat import WeChatStandIn

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\r\n--fake-png-body\xff" * 8
JPG = b"\xff\xd8\xff\xe0" + b"\x00\r\n\xfejpeg" * 8


@pytest.fixture
def wechat() -> Iterator[WeChatStandIn]:
    with WeChatStandIn() as standin:
        yield standin


def _post(
    standin: WeChatStandIn, path: str, token: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    params = {"access_token": token} if token is not None else {}
    params.update(kwargs.pop("params", {}))
    reply = httpx.post(f"{standin.url}/cgi-bin/{path}", params=params, timeout=5, **kwargs)
    assert reply.status_code == 200
    return reply.json()


def _raw_json(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _token(standin: WeChatStandIn, force: bool = False) -> str:
    body = {
        "grant_type": "client_credential",
        "appid": standin.appid,
        "secret": standin.secret,
        "force_refresh": force,
    }
    answer = _post(standin, "stable_token", json=body)
    return answer["access_token"]


def _draft(standin: WeChatStandIn, token: str, title: str = "标题") -> str:
    thumb = _post(
        standin,
        "material/add_material",
        token,
        params={"type": "thumb"},
        files={"media": ("t.jpg", JPG, "image/jpeg")},
    )
    article = {
        "title": title,
        "author": "作者",
        "digest": "摘要",
        "content": "<p>正文</p>",
        "content_source_url": "",
        "thumb_media_id": thumb["media_id"],
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }
    answer = _post(standin, "draft/add", token, content=_raw_json({"articles": [article]}))
    assert answer["errcode"] == 0, answer
    return answer["media_id"]


def test_stable_token_is_reused_refreshed_and_expires(wechat: WeChatStandIn) -> None:
    bad = _post(
        wechat,
        "stable_token",
        json={"grant_type": "client_credential", "appid": wechat.appid, "secret": "nope"},
    )
    assert bad["errcode"] == 40125
    first = _token(wechat)
    assert _token(wechat) == first and wechat.tokens_issued == 1
    second = _token(wechat, force=True)
    assert second != first
    assert _post(wechat, "freepublish/get", first, json={"publish_id": "1"})["errcode"] == 40001
    assert _post(wechat, "freepublish/get", "short", json={"publish_id": "1"})["errcode"] == 40014
    assert _post(wechat, "freepublish/get", None, json={"publish_id": "1"})["errcode"] == 40001
    wechat.advance(7200)
    assert _post(wechat, "freepublish/get", second, json={"publish_id": "1"})["errcode"] == 42001
    third = _token(wechat)
    assert third != second
    wechat.expire_tokens()
    assert _post(wechat, "freepublish/get", third, json={"publish_id": "1"})["errcode"] == 42001


def test_full_publish_path(wechat: WeChatStandIn) -> None:
    token = _token(wechat)
    image = _post(wechat, "media/uploadimg", token, files={"media": ("a.png", PNG, "image/png")})
    assert image["url"].startswith("http://mmbiz.qpic.cn/mmbiz_png/")
    assert wechat.images[image["url"]] == PNG  # multipart bytes arrive byte-exact
    media_id = _draft(wechat, token)
    assert wechat.drafts[media_id]["title"] == "标题"
    submitted = _post(wechat, "freepublish/submit", token, json={"media_id": media_id})
    assert submitted["errcode"] == 0 and isinstance(submitted["msg_data_id"], int)
    publish_id = submitted["publish_id"]
    assert (
        _post(wechat, "freepublish/submit", token, json={"media_id": media_id})["errcode"] == 53503
    )
    assert (
        _post(wechat, "freepublish/get", token, json={"publish_id": publish_id})["publish_status"]
        == 1
    )
    done = _post(wechat, "freepublish/get", token, json={"publish_id": publish_id})
    assert done["publish_status"] == 0 and done["fail_idx"] == []
    assert done["article_detail"]["item"][0]["article_url"].startswith(
        "https://mp.weixin.qq.com/s/"
    )
    article_id = done["article_id"]
    assert (
        _post(wechat, "freepublish/delete", token, json={"article_id": article_id, "index": 0})[
            "errcode"
        ]
        == 0
    )
    assert wechat.articles[article_id]["deleted"]
    assert (
        _post(wechat, "freepublish/get", token, json={"publish_id": publish_id})["publish_status"]
        == 5
    )
    assert wechat.calls[-1] == "cgi-bin/freepublish/get"


def test_final_status_next_and_draft_validation(wechat: WeChatStandIn) -> None:
    wechat.publishing_polls = 0
    token = _token(wechat)
    wechat.final_status_next(4)
    publish_id = _post(
        wechat, "freepublish/submit", token, json={"media_id": _draft(wechat, token)}
    )["publish_id"]
    assert (
        _post(wechat, "freepublish/get", token, json={"publish_id": publish_id})["publish_status"]
        == 4
    )
    assert not wechat.articles
    assert (
        _post(wechat, "draft/add", token, content=_raw_json({"articles": []}))["errcode"] == 44003
    )
    long_title = {"articles": [{"title": "长" * 33, "content": "x", "thumb_media_id": "x"}]}
    assert _post(wechat, "draft/add", token, content=_raw_json(long_title))["errcode"] == 45003
    no_thumb = {"articles": [{"title": "t", "content": "x", "thumb_media_id": "missing"}]}
    assert _post(wechat, "draft/add", token, content=_raw_json(no_thumb))["errcode"] == 40007


def test_escaped_json_body_is_refused(wechat: WeChatStandIn) -> None:
    token = _token(wechat)
    body = json.dumps({"articles": [{"title": "标题", "content": "正文"}]}).encode()  # ensure_ascii
    assert b"\\u" in body
    assert _post(wechat, "draft/add", token, content=body)["errcode"] == 47001
    assert not wechat.drafts


def test_daily_quota(wechat: WeChatStandIn) -> None:
    wechat.quotas["freepublish/submit"] = 1
    token = _token(wechat)
    first, second = _draft(wechat, token), _draft(wechat, token, "二")
    assert _post(wechat, "freepublish/submit", token, json={"media_id": first})["errcode"] == 0
    assert _post(wechat, "freepublish/submit", token, json={"media_id": second})["errcode"] == 45009
    wechat.advance(86400)
    token = _token(wechat)
    assert _post(wechat, "freepublish/submit", token, json={"media_id": second})["errcode"] == 0


def test_quota_from_constructor() -> None:
    with WeChatStandIn(quotas={"freepublish/submit": 1}) as wechat:
        token = _token(wechat)
        assert (
            _post(wechat, "freepublish/submit", token, json={"media_id": "x"})["errcode"] == 40007
        )
        assert (
            _post(wechat, "freepublish/submit", token, json={"media_id": "x"})["errcode"] == 45009
        )
        wechat.reset_quotas()
        assert (
            _post(wechat, "freepublish/submit", token, json={"media_id": "x"})["errcode"] == 40007
        )


def test_answer_next(wechat: WeChatStandIn) -> None:
    wechat.answer_next("draft/add", 40164, count=2)
    for _ in range(2):
        answer = _post(wechat, "draft/add", None, content=b"{}")
        assert answer == {"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"}
    assert _post(wechat, "draft/add", None, content=b"{}")["errcode"] == 40001
    assert wechat.calls.count("cgi-bin/draft/add") == 3


def test_image_checks(wechat: WeChatStandIn) -> None:
    token = _token(wechat)
    big_png = PNG + b"\x00" * (1024 * 1024)
    assert (
        _post(wechat, "media/uploadimg", token, files={"media": ("a.png", big_png)})["errcode"]
        == 40009
    )
    assert (
        _post(wechat, "media/uploadimg", token, files={"media": ("a.txt", b"hello")})["errcode"]
        == 40005
    )
    assert (
        _post(wechat, "media/uploadimg", token, files={"other": ("a.png", PNG)})["errcode"] == 41005
    )
    thumb = {"type": "thumb"}
    assert (
        _post(
            wechat, "material/add_material", token, params=thumb, files={"media": ("t.png", PNG)}
        )["errcode"]
        == 40005
    )
    big_jpg = JPG + b"\x00" * (64 * 1024)
    assert (
        _post(
            wechat,
            "material/add_material",
            token,
            params=thumb,
            files={"media": ("t.jpg", big_jpg)},
        )["errcode"]
        == 40009
    )
    image = _post(
        wechat,
        "material/add_material",
        token,
        params={"type": "image"},
        files={"media": ("i.png", PNG)},
    )
    assert wechat.materials[image["media_id"]] == PNG and image["url"].startswith(
        "http://mmbiz.qpic.cn/"
    )


def _batch(
    standin: WeChatStandIn,
    path: str,
    token: str | None,
    offset: int,
    count: int,
    no_content: int = 0,
) -> dict[str, Any]:
    body = {"offset": offset, "count": count, "no_content": no_content}
    return _post(standin, path, token, json=body)


def test_draft_batchget_lists_the_draft_box_newest_first(wechat: WeChatStandIn) -> None:
    token = _token(wechat)
    first, second, third = (_draft(wechat, token, title) for title in ("一", "二", "三"))

    page = _batch(wechat, "draft/batchget", token, 0, 2)
    assert page["errcode"] == 0 and page["total_count"] == 3 and page["item_count"] == 2
    assert [item["media_id"] for item in page["item"]] == [third, second]
    news = page["item"][0]["content"]["news_item"][0]
    assert news["title"] == "三" and news["content"] == "<p>正文</p>"
    assert isinstance(page["item"][0]["update_time"], int)
    rest = _batch(wechat, "draft/batchget", token, 2, 20, no_content=1)
    [item] = rest["item"]
    assert item["media_id"] == first and "content" not in item["content"]["news_item"][0]
    assert "content_source_url" in item["content"]["news_item"][0]

    # a submitted draft leaves the draft box
    assert _post(wechat, "freepublish/submit", token, json={"media_id": second})["errcode"] == 0
    after = _batch(wechat, "draft/batchget", token, 0, 20)
    assert [i["media_id"] for i in after["item"]] == [third, first] and after["total_count"] == 2
    assert wechat.in_draft_box() == [third, first] and len(wechat.drafts) == 3

    for offset, count in ((0, 0), (0, 21), (-1, 5)):
        assert _batch(wechat, "draft/batchget", token, offset, count)["errcode"] == 47001
    assert _batch(wechat, "draft/batchget", None, 0, 1)["errcode"] == 40001
    wechat.quotas["draft/batchget"] = wechat.quota_used["draft/batchget"]
    assert _batch(wechat, "draft/batchget", token, 0, 1)["errcode"] == 45009


def test_freepublish_batchget_lists_published_articles(wechat: WeChatStandIn) -> None:
    wechat.publishing_polls = 5
    token = _token(wechat)
    media_id = _draft(wechat, token)
    publish_id = _post(wechat, "freepublish/submit", token, json={"media_id": media_id})[
        "publish_id"
    ]
    publishing = _batch(wechat, "freepublish/batchget", token, 0, 20)
    assert publishing["total_count"] == 0 and publishing["item"] == []

    # nobody asks freepublish/get: the publication still ends once its time has passed
    wechat.advance(wechat.publishing_seconds)
    listed = _batch(wechat, "freepublish/batchget", token, 0, 20, no_content=1)
    [item] = listed["item"]
    [article_id] = wechat.articles
    assert item["article_id"] == article_id and listed["total_count"] == 1
    news = item["content"]["news_item"][0]
    assert news["url"] == wechat.articles[article_id]["url"] and news["is_deleted"] is False
    assert news["title"] == "标题" and "content" not in news
    got = _post(wechat, "freepublish/get", token, json={"publish_id": publish_id})
    assert got["publish_status"] == 0 and got["article_id"] == article_id

    _post(wechat, "freepublish/delete", token, json={"article_id": article_id, "index": 0})
    deleted = _batch(wechat, "freepublish/batchget", token, 0, 20)
    assert deleted["item"][0]["content"]["news_item"][0]["is_deleted"] is True
    assert _batch(wechat, "freepublish/batchget", token, 0, 21)["errcode"] == 47001
    assert _batch(wechat, "freepublish/batchget", "short", 0, 1)["errcode"] == 40014
