"""The WeChat client over real HTTP against the stand-in: tokens, uploads, drafts, publishing, errors."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from publishers.wechat.client import Article, WeChatClient, marker_of, with_marker
from publishers.wechat.errors import AccountProblem, ContentRefused, QuotaReached, WeChatUnavailable
from tests.pictures import picture
from tests.standins.wechat import WeChatStandIn

PNG = picture("PNG")
JPG = picture("JPEG")
SECRET = "test-secret"


class Clock:
    """The client's clock, moved by the test (never real time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(wechat: WeChatStandIn, clock: Clock) -> WeChatClient:
    return WeChatClient("wx-test-appid", SecretStr(SECRET), wechat.url, timeout=5, clock=clock)


def article(
    client: WeChatClient, title: str = "领事工作通报会", content: str = "<p>正文：中文原样</p>"
) -> Article:
    cover = client.add_cover(JPG, "cover.jpg")
    return Article(
        title, "外办", "摘要", content, "https://wsb.example.gov.cn/zh/notices/0/1.html", cover
    )


def publish(client: WeChatClient, wechat: WeChatStandIn) -> str:
    draft = client.add_draft(article(client))
    return client.submit(draft)


def test_a_draft_is_published_and_its_article_found(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    image_url = client.upload_image(PNG, "map.png")
    assert image_url in wechat.images and wechat.images[image_url] == PNG

    publish_id = publish(client, wechat)
    first = client.publish_state(publish_id)
    second = client.publish_state(publish_id)

    assert first.status == 1 and not first.article_id
    assert second.status == 0 and second.article_id in wechat.articles
    assert second.article_url.startswith("https://mp.weixin.qq.com/s/")
    [draft] = wechat.drafts.values()
    assert draft["title"] == "领事工作通报会" and draft["content"] == "<p>正文：中文原样</p>"
    assert wechat.tokens_issued == 1  # one token served every call


def test_the_body_is_raw_utf8_so_chinese_is_stored_as_written(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    # The stand-in answers 47001 to a body with \\u escapes, as WeChat's endpoints should.
    client.add_draft(article(client))
    [draft] = wechat.drafts.values()
    assert draft["title"] == "领事工作通报会"


def test_the_token_is_refreshed_before_it_expires(
    client: WeChatClient, wechat: WeChatStandIn, clock: Clock
) -> None:
    client.upload_image(PNG, "a.png")
    clock.now += 7200 - 299  # inside the refresh margin: fetched again before WeChat drops it
    wechat.advance(7200 - 299)
    client.upload_image(PNG, "b.png")
    assert wechat.tokens_issued == 2
    assert not [c for c in wechat.calls if c.endswith("uploadimg")][2:]  # no call was repeated


@pytest.mark.parametrize("code", [40001, 40014, 42001])
def test_a_rejected_token_is_refreshed_and_the_call_tried_once_more(
    client: WeChatClient, wechat: WeChatStandIn, code: int
) -> None:
    client.upload_image(PNG, "a.png")
    wechat.answer_next("uploadimg", code)

    assert client.upload_image(PNG, "b.png")

    assert wechat.tokens_issued == 2
    assert [c for c in wechat.calls if c.endswith("uploadimg")] == ["cgi-bin/media/uploadimg"] * 3


def test_expired_tokens_at_the_stand_in_are_recovered(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    client.upload_image(PNG, "a.png")
    wechat.expire_tokens()
    assert client.upload_image(PNG, "b.png")


def test_a_token_rejected_twice_is_an_error(client: WeChatClient, wechat: WeChatStandIn) -> None:
    wechat.answer_next("uploadimg", 40001, count=2)
    with pytest.raises(Exception, match="40001"):
        client.upload_image(PNG, "a.png")


def test_the_daily_quota_is_an_error_that_says_tomorrow() -> None:
    with WeChatStandIn(quotas={"freepublish/submit": 1}) as wechat:
        client = WeChatClient("wx-test-appid", SecretStr(SECRET), wechat.url)
        publish(client, wechat)
        with pytest.raises(QuotaReached, match="45009.*tomorrow"):
            publish(client, wechat)


def test_an_address_off_the_whitelist_names_the_whitelist(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    wechat.answer_next("stable_token", 40164)
    with pytest.raises(AccountProblem, match="IP白名单"):
        client.upload_image(PNG, "a.png")


def test_a_wrong_secret_names_the_settings(wechat: WeChatStandIn) -> None:
    client = WeChatClient("wx-test-appid", SecretStr("a-secret-typed-badly"), wechat.url)
    with pytest.raises(AccountProblem, match="WAIWEN_WECHAT_SECRET") as raised:
        client.upload_image(PNG, "a.png")
    assert "a-secret-typed-badly" not in str(raised.value)


@pytest.mark.parametrize(
    ("code", "words"),
    [(45166, "refused the content"), (45002, "20,000"), (47001, "could not read")],
)
def test_refused_content_says_what_was_refused(
    client: WeChatClient, wechat: WeChatStandIn, code: int, words: str
) -> None:
    wechat.answer_next("draft/add", code)
    with pytest.raises(ContentRefused, match=words):
        client.add_draft(article(client))
    assert wechat.drafts == {}


def test_a_script_in_the_content_is_refused_by_wechat(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    with pytest.raises(ContentRefused, match="45166"):
        client.add_draft(article(client, content="<p>x</p><script>alert(1)</script>"))


@pytest.mark.parametrize("status", [2, 3, 4])
def test_a_final_publish_status_is_reported(
    client: WeChatClient, wechat: WeChatStandIn, status: int
) -> None:
    wechat.final_status_next(status)
    publish_id = publish(client, wechat)
    client.publish_state(publish_id)
    assert client.publish_state(publish_id).status == status
    assert wechat.articles == {}


def test_an_article_is_deleted(client: WeChatClient, wechat: WeChatStandIn) -> None:
    publish_id = publish(client, wechat)
    client.publish_state(publish_id)
    article_id = client.publish_state(publish_id).article_id
    client.delete_article(article_id)
    assert wechat.articles[article_id]["deleted"]
    assert client.publish_state(publish_id).status == 5


def test_a_server_error_is_unavailable_not_a_refusal(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    client.upload_image(PNG, "a.png")
    wechat.fail_next(503)
    with pytest.raises(WeChatUnavailable):
        client.upload_image(PNG, "b.png")


def test_neither_secret_nor_token_reaches_a_log(
    client: WeChatClient, wechat: WeChatStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        publish(client, wechat)
    token = wechat.current_token
    assert token and caplog.records  # httpx did log the requests
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert SECRET not in logged and token not in logged
    assert "access_token=***" in logged


def test_a_marker_rides_on_the_link_and_is_read_back() -> None:
    page = "https://wsb.example.gov.cn/zh/notices/0/1.html"
    marked = with_marker(page, "1-2-zh-3-abcd")
    assert marked == page + "?wx=1-2-zh-3-abcd" and marker_of(marked) == "1-2-zh-3-abcd"
    # another query parameter is kept; an old marker is replaced, not doubled
    assert with_marker(marked + "&lang=zh", "new") == page + "?lang=zh&wx=new"
    assert marker_of(page) == "" and marker_of(page + "?wx=1-2-zh-3-abcd5") != "1-2-zh-3-abcd"


def test_a_draft_is_found_by_its_marker_across_pages(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    cover = client.add_cover(JPG, "cover.jpg")
    page = "https://wsb.example.gov.cn/zh/notices/0/1.html"

    def draft(marker: str) -> str:
        link = with_marker(page, marker)
        return client.add_draft(Article("标题", "外办", "摘要", "<p>正文</p>", link, cover))

    wanted = draft("wanted")
    for n in range(45):  # drafts added since push it to the third page (newest first)
        draft(f"other-{n}")

    found = client.find_draft(lambda entry: entry.marker == "wanted")

    assert found is not None and found.id == wanted
    assert found.items[0]["content_source_url"] == with_marker(page, "wanted")
    assert "content" not in found.items[0]  # listed without bodies
    assert wechat.calls.count("cgi-bin/draft/batchget") == 3
    # the search is bounded: two pages do not reach it
    assert client.find_draft(lambda entry: entry.marker == "wanted", pages=2) is None
    assert client.find_draft(lambda entry: entry.marker == "missing") is None
    total, first = client.drafts(0, 20)
    assert total == 46 and len(first) == 20 and first[0].marker == "other-44"
    with pytest.raises(ValueError, match="1 to 20"):
        client.drafts(0, 21)


def test_a_published_article_is_found_by_its_marker(
    client: WeChatClient, wechat: WeChatStandIn
) -> None:
    cover = client.add_cover(JPG, "cover.jpg")
    link = with_marker("https://wsb.example.gov.cn/en/notices/0/1.html", "m-1")
    media_id = client.add_draft(Article("Title", "FAO", "Digest", "<p>Body</p>", link, cover))
    publish_id = client.submit(media_id)
    assert client.find_published(lambda entry: entry.marker == "m-1") is None  # publishing
    assert client.find_draft(lambda entry: entry.id == media_id) is None  # taken by WeChat
    client.publish_state(publish_id)
    state = client.publish_state(publish_id)

    found = client.find_published(lambda entry: entry.marker == "m-1")

    assert found is not None and found.id == state.article_id
    assert found.url == state.article_url and not found.deleted
    client.delete_article(state.article_id)
    deleted = client.find_published(lambda entry: entry.marker == "m-1")
    assert deleted is not None and deleted.deleted


def test_a_listing_over_the_daily_quota_says_tomorrow(wechat: WeChatStandIn) -> None:
    wechat.quotas["draft/batchget"] = 0
    client = WeChatClient("wx-test-appid", SecretStr(SECRET), wechat.url)
    with pytest.raises(QuotaReached, match="tomorrow"):
        client.find_draft(lambda entry: True)
