"""A loopback stand-in for the WeChat Official Account (公众号) publishing API.

It follows the documented request and answer shapes of stable_token, media/uploadimg,
material/add_material, draft/add|batchget and freepublish/submit|get|batchget|delete: every answer
is HTTP 200 with a JSON body, errors are {"errcode": N, "errmsg": "..."}. It also takes the
mass send (群发) of a draft: message/mass/sendall|preview|get|delete, with the account's send
quota (a subscription account one send per quota day, a service account four per 30-day month),
the 60-calls-a-minute limit of the mass-send API, ``clientmsgid`` (a repeat within 24 hours answers
45065 with the existing msg_id and sends nothing) and API mass-send protection (a send waits for
``confirm_on_phone()``; unconfirmed after 30 minutes it fails and gives its quota back). Time is a clock the test
drives (`now`, `advance()`), never the wall clock, so token expiry, daily quotas and the end of a
publication nobody asks about are deterministic.

A submitted draft leaves the draft box (draft/batchget no longer lists it, a second submit of it
is refused); a published article is listed by freepublish/batchget, newest first, deleted ones
with ``is_deleted``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import HTTP
from typing import Any

from tests.standins.server import Reply, Request, StandIn

__all__ = ["ERRMSG", "WeChatStandIn"]

# Plausible errmsg texts for the errcodes the stand-in (or a test's script) answers with.
ERRMSG: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    40013: "invalid appid",
    40014: "invalid access_token",
    40125: "invalid appsecret",
    40164: "invalid ip 1.2.3.4, not in whitelist",
    41005: "media data missing",
    42001: "access_token expired",
    43002: "require POST method",
    44003: "empty news data",
    44004: "empty content",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45009: "reach max api daily quota limit",
    45028: "has no masssend quota",
    45065: "clientmsgid exist",
    45011: "api minute-quota reach limit mustslower retry next minute",
    45110: "author size out of limit",
    45166: "invalid content",
    47001: "data format error",
    48001: "api unauthorized",
    53503: "draft is being published",
}

DEFAULT_QUOTAS: dict[str, int] = {
    "draft/add": 1000,
    "freepublish/submit": 100,
    "freepublish/get": 100,
    "freepublish/delete": 10,
    # interfaces.md gives no figure for the two listings; generous, so only a test sets them low
    "draft/batchget": 1000,
    "freepublish/batchget": 1000,
}

_DAY = 86400.0
_MONTH = 30 * _DAY  # a service account's "month" of four sends, on the test clock
_MASS_PER_MINUTE = 60
_CLIENTMSGID_SECONDS = _DAY  # how long WeChat remembers a clientmsgid
_PROTECTION_SECONDS = 1800.0  # an administrator confirms a protected send within 30 minutes
_MASS_SENDS = {"subscription": 1, "service": 4}
_MSG_BASE = 3147483647
_TOKEN_SHAPE = re.compile(r"^\d+_[0-9a-f]{64}$")
_PUBLISH_BASE = 2247483647  # real publish ids / msg_data_ids are 10-digit numbers of this size
_UPLOADIMG_MAX = 1024 * 1024
_IMAGE_MAX = 10 * 1024 * 1024
_THUMB_MAX = 64 * 1024
_TITLE_MAX, _AUTHOR_MAX, _DIGEST_MAX, _CONTENT_LIMIT = 32, 16, 128, 20000
_BATCH_MAX = 20  # batchget's count is 1-20
_EPOCH = 1764547200  # update_time of the clock's 0 (2025-12-01 UTC): plausible Unix seconds


def _error(code: int) -> Reply:
    return Reply.of_json(200, {"errcode": code, "errmsg": ERRMSG.get(code, f"errcode {code}")})


def _ok(payload: dict[str, Any] | None = None) -> Reply:
    return Reply.of_json(200, {"errcode": 0, "errmsg": "ok", **(payload or {})})


def _image_kind(data: bytes) -> str | None:
    """The image format by its magic bytes; the API checks content, not the file name."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def _opaque_id(*parts: object, length: int = 43) -> str:
    """A deterministic base64url id shaped like WeChat's media and article ids."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    digest += hashlib.sha256(digest).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:length]


def parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Form fields of a multipart/form-data body: name -> (filename, bytes).

    A plain boundary split keeps binary file content byte-exact, which the `email` body parser
    does not promise; `email` only reads each part's headers.
    """
    header = BytesHeaderParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    if header.get_content_type() != "multipart/form-data":
        return {}
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return {}
    fields: dict[str, tuple[str | None, bytes]] = {}
    delimiter = b"--" + boundary.encode("latin-1")
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, sep, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            continue
        headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
        disposition = headers.get("content-disposition")
        if disposition is None:
            continue
        name = disposition.params.get("name")
        if name:
            # the CRLF before the next delimiter belongs to the delimiter, not the content
            fields[name] = (disposition.params.get("filename"), content.removesuffix(b"\r\n"))
    return fields


class WeChatStandIn(StandIn):
    """The 公众号 draft-and-publish API on a loopback port, with a test-driven clock.

    State tests read: `drafts` (media_id -> first article dict as received, every draft ever
    added; `draft_articles` keeps every article), `articles` (article_id -> {"draft",
    "publish_id", "url", "deleted"}), `publishes`, `images` (uploadimg url -> bytes), `materials`
    (media_id -> bytes), `calls` (path of every call, e.g. "cgi-bin/draft/add"), `tokens_issued`,
    `now`. A publication ends after `publishing_polls` freepublish/get answers of "publishing", or
    once `advance()` moves the clock `publishing_seconds` past its submission.
    """

    name = "wechat"

    def __init__(
        self,
        appid: str = "wx-test-appid",
        secret: str = "test-secret",
        token_seconds: int = 7200,
        publishing_polls: int = 1,
        quotas: dict[str, int] | None = None,
        publishing_seconds: float = 600.0,
        account: str = "subscription",
        protection: bool = False,
        mass_permission: bool = True,
    ) -> None:
        """Not started yet; `start()` or `with` picks a free port."""
        super().__init__()
        self.appid = appid
        self.secret = secret
        self.token_seconds = token_seconds
        self.publishing_polls = publishing_polls
        self.publishing_seconds = publishing_seconds
        self.quotas = {**DEFAULT_QUOTAS, **(quotas or {})}
        self.now = 0.0
        self.drafts: dict[str, dict[str, Any]] = {}
        self.draft_articles: dict[str, list[dict[str, Any]]] = {}
        self.draft_times: dict[str, float] = {}
        self.articles: dict[str, dict[str, Any]] = {}
        self.publishes: dict[str, dict[str, Any]] = {}
        self.images: dict[str, bytes] = {}
        self.materials: dict[str, bytes] = {}
        self.material_types: dict[str, str] = {}
        self.calls: list[str] = []
        self.tokens_issued = 0
        self.quota_used: dict[str, int] = {}
        self._tokens: dict[str, dict[str, Any]] = {}
        self._current_token: str | None = None
        self._scripted: list[list[Any]] = []  # [path_suffix, errcode, remaining]
        self._final_statuses: list[int] = []
        self._seq = 0
        self.account = account  # "subscription" or "service": how many mass sends a period
        self.protection = protection  # API mass-send protection (群发保护) on
        self.mass_permission = mass_permission  # False: the account may not mass-send (48001)
        # msg_id -> {"clientmsgid", "media_id", "articles", "sent_at", "status", "deleted"}
        self.mass_sends: dict[str, dict[str, Any]] = {}
        self.previews: list[dict[str, Any]] = []  # {"towxname"|"touser", "media_id", "articles"}
        self._mass_minute: tuple[int, int] = (-1, 0)  # (clock minute, calls in it)
        self._routes: dict[str, Callable[[Request], Reply]] = {
            "/cgi-bin/media/uploadimg": self._uploadimg,
            "/cgi-bin/material/add_material": self._add_material,
            "/cgi-bin/draft/add": self._draft_add,
            "/cgi-bin/draft/batchget": self._draft_batchget,
            "/cgi-bin/freepublish/batchget": self._published_batchget,
            "/cgi-bin/freepublish/submit": self._submit,
            "/cgi-bin/freepublish/get": self._get,
            "/cgi-bin/freepublish/delete": self._delete,
            "/cgi-bin/message/mass/sendall": self._sendall,
            "/cgi-bin/message/mass/preview": self._preview,
            "/cgi-bin/message/mass/get": self._mass_get,
            "/cgi-bin/message/mass/delete": self._mass_delete,
        }

    # ----- test controls -------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the clock on: a new quota day at each multiple of 86400, due publications end."""
        with self._lock:
            day = self.now // _DAY
            self.now += seconds
            if self.now // _DAY != day:
                self.quota_used.clear()
            for publish in self.publishes.values():
                # WeChat finishes a publication whether or not anyone asks freepublish/get
                due = publish["submitted_at"] + self.publishing_seconds
                if publish["status"] == 1 and self.now >= due:
                    self._finish(publish)
            self._expire_protected()

    def in_draft_box(self) -> list[str]:
        """Media ids draft/batchget lists now (never submitted), newest first."""
        with self._lock:
            return self._draft_box()

    def expire_tokens(self) -> None:
        """Invalidate every issued token at once (later calls with them answer 42001)."""
        with self._lock:
            for entry in self._tokens.values():
                entry["revoked"] = True
            self._current_token = None

    def reset_quotas(self) -> None:
        """Start a fresh quota day without moving the clock."""
        with self._lock:
            self.quota_used.clear()

    def answer_next(self, path_suffix: str, errcode: int, count: int = 1) -> None:
        """The next `count` calls whose path ends with `path_suffix` answer `errcode`, token or not."""
        with self._lock:
            self._scripted.append([path_suffix, errcode, count])

    def final_status_next(self, status: int) -> None:
        """The next submitted publish ends in `status` (0 success; 2, 3, 4, 6 create no article)."""
        with self._lock:
            self._final_statuses.append(status)

    def confirm_on_phone(self, msg_id: str) -> None:
        """An administrator confirms a protected send on the phone: it goes to the followers."""
        with self._lock:
            self._expire_protected()
            send = self.mass_sends[msg_id]
            if send["status"] == "PROTECTING":
                send["status"] = "SEND_SUCCESS"

    def pushed(self) -> list[list[str]]:
        """The titles of every send that reached followers, in the order they were sent."""
        with self._lock:
            self._expire_protected()
            return [
                [article["title"] for article in send["articles"]]
                for send in self.mass_sends.values()
                if send["status"] in ("SEND_SUCCESS", "DELETE")
            ]

    @property
    def current_token(self) -> str | None:
        """The token stable_token would hand out now, if one is still valid."""
        with self._lock:
            token = self._current_token
            return token if token is not None and self._token_error(token) == 0 else None

    # ----- StandIn hooks -------------------------------------------------------------------

    def describe(self, request: Request) -> dict[str, Any]:
        """Method, path and query of every call."""
        return {"method": request.method, "path": request.path, "query": dict(request.query)}

    def error(self, status: int) -> Reply:
        """A transport-level failure scripted with fail_next()/hang_next()."""
        return Reply.of_json(status, {"errcode": -1, "errmsg": ERRMSG[-1]})

    def answer(self, request: Request, action: str) -> Reply:
        """Script first, then method, token, quota and the endpoint itself."""
        with self._lock:
            self.calls.append(request.path.lstrip("/"))
            scripted = self._take_scripted(request.path)
            if scripted is not None:
                return _error(scripted)
            if request.path == "/cgi-bin/stable_token":
                return self._stable_token(request) if request.method == "POST" else _error(43002)
            route = self._routes.get(request.path)
            if route is None:
                return Reply.of_json(404, {"errcode": -1, "errmsg": "invalid url"})
            if request.method != "POST":
                return _error(43002)
            code = self._token_error(request.query.get("access_token", ""))
            if code:
                return _error(code)
            endpoint = request.path.removeprefix("/cgi-bin/")
            if endpoint.startswith("message/mass/"):
                minute = int(self.now // 60)
                seen = self._mass_minute[1] if self._mass_minute[0] == minute else 0
                if seen >= _MASS_PER_MINUTE:
                    return _error(45011)
                self._mass_minute = (minute, seen + 1)
            if endpoint in self.quotas:
                used = self.quota_used.get(endpoint, 0)
                if used >= self.quotas[endpoint]:
                    return _error(45009)
                self.quota_used[endpoint] = used + 1
            return route(request)

    # ----- internals (called with the lock held) -------------------------------------------

    def _take_scripted(self, path: str) -> int | None:
        for entry in self._scripted:
            if path.endswith(entry[0]):
                entry[2] -= 1
                if entry[2] <= 0:
                    self._scripted.remove(entry)
                return int(entry[1])
        return None

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _token_error(self, token: str) -> int:
        if not token:
            return 40001
        if not _TOKEN_SHAPE.match(token):
            return 40014
        entry = self._tokens.get(token)
        if entry is None:
            return 40001
        if entry["revoked"] or self.now >= entry["issued_at"] + self.token_seconds:
            return 42001
        if token != self._current_token and entry.get("superseded"):
            return 40001  # superseded by a force_refresh: "not latest"
        return 0

    def _json(self, request: Request) -> dict[str, Any] | None:
        """The body as a JSON object whatever the Content-Type, as WeChat reads it."""
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _stable_token(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        if data.get("grant_type") != "client_credential":
            return _error(40002)
        if data.get("appid") != self.appid:
            return _error(40013)
        if data.get("secret") != self.secret:
            return _error(40125)
        token = self._current_token
        forced = data.get("force_refresh") is True
        # In the normal mode WeChat renews a token in its last five minutes; the old one keeps
        # working until it expires. A forced refresh makes the old one "not latest" at once.
        renew = (
            token is not None
            and self.now >= self._tokens[token]["issued_at"] + self.token_seconds - 300
        )
        if token is None or forced or renew or self._token_error(token):
            if token is not None and forced:
                self._tokens[token]["superseded"] = True
            self.tokens_issued += 1
            n = self.tokens_issued
            token = f"{80 + n}_{hashlib.sha256(f'{self.appid}:{n}'.encode()).hexdigest()}"
            self._tokens[token] = {"issued_at": self.now, "revoked": False}
            self._current_token = token
        remaining = self._tokens[token]["issued_at"] + self.token_seconds - self.now
        return Reply.of_json(200, {"access_token": token, "expires_in": int(remaining)})

    def _media(self, request: Request) -> bytes | None:
        fields = parse_multipart(request.headers.get("content-type", ""), request.body)
        media = fields.get("media")
        return media[1] if media and media[1] else None

    def _uploadimg(self, request: Request) -> Reply:
        data = self._media(request)
        if data is None:
            return _error(41005)
        kind = _image_kind(data)
        if kind not in ("png", "jpeg"):
            return _error(40005)
        if len(data) > _UPLOADIMG_MAX:
            return _error(40009)
        folder = "mmbiz_png" if kind == "png" else "mmbiz_jpg"
        url = f"http://mmbiz.qpic.cn/{folder}/{_opaque_id('img', hashlib.sha256(data).hexdigest(), length=54)}/0"
        self.images[url] = data
        return _ok({"url": url})

    def _add_material(self, request: Request) -> Reply:
        kind_wanted = request.query.get("type", "")
        if kind_wanted not in ("image", "thumb"):
            return _error(40004)
        data = self._media(request)
        if data is None:
            return _error(41005)
        kind = _image_kind(data)
        if kind_wanted == "thumb":
            if kind != "jpeg":
                return _error(40005)
            if len(data) > _THUMB_MAX:
                return _error(40009)
        else:
            if kind is None:
                return _error(40005)
            if len(data) > _IMAGE_MAX:
                return _error(40009)
        # every upload is a new material, even of the same bytes, as on the real platform
        media_id = _opaque_id("material", self._next_seq(), hashlib.sha256(data).hexdigest())
        fmt = "jpeg" if kind == "jpeg" else kind
        url = f"http://mmbiz.qpic.cn/mmbiz_{'jpg' if kind == 'jpeg' else kind}/{_opaque_id('m', media_id, length=54)}/0?wx_fmt={fmt}"
        self.materials[media_id] = data
        self.material_types[media_id] = kind_wanted
        return _ok({"media_id": media_id, "url": url})

    def _draft_add(self, request: Request) -> Reply:
        # WeChat stores "\uXXXX" escapes literally, so a client must send raw UTF-8 JSON.
        if b"\\u" in request.body:
            return _error(47001)
        data = self._json(request)
        if data is None or not isinstance(data.get("articles", []), list):
            return _error(47001)
        articles = data.get("articles") or []
        if not articles:
            return _error(44003)
        for article in articles:
            code = self._article_error(article)
            if code:
                return _error(code)
        media_id = _opaque_id("draft", self._next_seq())
        self.drafts[media_id] = articles[0]
        self.draft_articles[media_id] = articles
        self.draft_times[media_id] = self.now
        return _ok({"media_id": media_id})

    def _draft_box(self) -> list[str]:
        taken = {publish["media_id"] for publish in self.publishes.values()}
        return [media_id for media_id in reversed(self.drafts) if media_id not in taken]

    def _batch_request(self, request: Request) -> tuple[int, int, bool] | None:
        """Offset, count and no_content of a batchget body; None when WeChat could not read it."""
        data = self._json(request)
        if data is None:
            return None
        offset, count, no_content = (data.get(k, 0) for k in ("offset", "count", "no_content"))
        numbers = (offset, count, no_content)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            return None
        if offset < 0 or not 1 <= count <= _BATCH_MAX or no_content not in (0, 1):
            return None
        return offset, count, no_content == 1

    def _news_items(
        self, articles: list[dict[str, Any]], no_content: bool, **extra: Any
    ) -> list[dict[str, Any]]:
        items = []
        for article in articles:
            item = {**article, **extra}
            if no_content:
                item.pop("content", None)
            items.append(item)
        return items

    def _draft_batchget(self, request: Request) -> Reply:
        asked = self._batch_request(request)
        if asked is None:
            return _error(47001)
        offset, count, no_content = asked
        box = self._draft_box()
        entries = []
        for media_id in box[offset : offset + count]:
            stamp = _EPOCH + int(self.draft_times[media_id])
            preview = f"http://mp.weixin.qq.com/s?__biz=stand-in&tempkey={media_id}"
            news = self._news_items(self.draft_articles[media_id], no_content, url=preview)
            entries.append(
                {
                    "media_id": media_id,
                    "content": {"news_item": news, "create_time": stamp, "update_time": stamp},
                    "update_time": stamp,
                }
            )
        return _ok({"total_count": len(box), "item_count": len(entries), "item": entries})

    def _published_batchget(self, request: Request) -> Reply:
        asked = self._batch_request(request)
        if asked is None:
            return _error(47001)
        offset, count, no_content = asked
        listed = list(reversed(self.articles.values()))
        entries = []
        for article in listed[offset : offset + count]:
            publish = self.publishes[article["publish_id"]]
            stamp = _EPOCH + int(publish["finished_at"])
            news = [
                {**item, "url": article["url"] if i == 1 else f"{article['url']}?idx={i}"}
                for i, item in enumerate(
                    self._news_items(
                        self.draft_articles[article["media_id"]],
                        no_content,
                        is_deleted=article["deleted"],
                    ),
                    start=1,
                )
            ]
            entries.append(
                {
                    "article_id": article["article_id"],
                    "content": {"news_item": news, "create_time": stamp, "update_time": stamp},
                    "update_time": stamp,
                }
            )
        return _ok({"total_count": len(listed), "item_count": len(entries), "item": entries})

    def _article_error(self, article: Any) -> int:
        if not isinstance(article, dict):
            return 47001
        text = {key: article.get(key) or "" for key in ("title", "author", "digest", "content")}
        if not all(isinstance(value, str) for value in text.values()):
            return 47001
        if len(text["title"]) > _TITLE_MAX:
            return 45003
        if len(text["author"]) > _AUTHOR_MAX:
            return 45110
        if len(text["digest"]) > _DIGEST_MAX:
            return 45004
        if not text["content"]:
            return 44004
        if len(text["content"]) >= _CONTENT_LIMIT:
            return 45002
        if "<script" in text["content"].lower():
            return 45166
        if article.get("thumb_media_id") not in self.materials:
            return 40007
        return 0

    def _submit(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        media_id = data.get("media_id")
        if not isinstance(media_id, str) or media_id not in self.drafts:
            return _error(40007)
        earlier = [p for p in self.publishes.values() if p["media_id"] == media_id]
        if earlier:
            # still publishing: busy; published or failed: the draft left the draft box
            return _error(53503 if earlier[0]["status"] == 1 else 40007)
        seq = self._next_seq()
        publish_id = str(_PUBLISH_BASE + seq)
        final = self._final_statuses.pop(0) if self._final_statuses else 0
        self.publishes[publish_id] = {
            "publish_id": publish_id,
            "media_id": media_id,
            "msg_data_id": _PUBLISH_BASE + seq,
            "status": 1,
            "submitted_at": self.now,
            "finished_at": None,
            "polls_left": self.publishing_polls,
            "final_status": final,
            "article_id": None,
        }
        return _ok({"publish_id": publish_id, "msg_data_id": _PUBLISH_BASE + seq})

    def _get(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        publish = self.publishes.get(str(data.get("publish_id")))
        if publish is None:
            return _error(40007)
        if publish["status"] == 1:
            if publish["polls_left"] > 0:
                publish["polls_left"] -= 1
            else:
                self._finish(publish)
        answer: dict[str, Any] = {"publish_id": publish["publish_id"]}
        article_id = publish["article_id"]
        if article_id is not None and self.articles[article_id]["deleted"]:
            answer.update(publish_status=5, article_id=article_id, fail_idx=[])
        elif publish["status"] == 0:
            count = len(self.draft_articles[publish["media_id"]])
            url = self.articles[article_id]["url"]
            items = [
                {"idx": i, "article_url": url if i == 1 else f"{url}?idx={i}"}
                for i in range(1, count + 1)
            ]
            answer.update(
                publish_status=0,
                article_id=article_id,
                article_detail={"count": count, "item": items},
                fail_idx=[],
            )
        elif publish["status"] == 1:
            answer.update(publish_status=1, fail_idx=[])
        else:
            count = len(self.draft_articles[publish["media_id"]])
            answer.update(publish_status=publish["status"], fail_idx=list(range(1, count + 1)))
        return _ok(answer)

    def _finish(self, publish: dict[str, Any]) -> None:
        publish["status"] = publish["final_status"]
        publish["finished_at"] = self.now
        if publish["status"] != 0:
            return
        article_id = _opaque_id("article", publish["publish_id"])
        publish["article_id"] = article_id
        self.articles[article_id] = {
            "article_id": article_id,
            "publish_id": publish["publish_id"],
            "media_id": publish["media_id"],
            "draft": self.drafts[publish["media_id"]],
            "url": f"https://mp.weixin.qq.com/s/{_opaque_id('url', article_id, length=22)}",
            "deleted": False,
        }

    def _delete(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        article = self.articles.get(str(data.get("article_id")))
        if article is None or article["deleted"]:
            return _error(40007)
        article["deleted"] = True
        return _ok()

    # ----- mass send (群发) -------------------------------------------------------------------

    def _expire_protected(self) -> None:
        """A protected send nobody confirmed within 30 minutes fails (and reaches nobody)."""
        for send in self.mass_sends.values():
            if send["status"] == "PROTECTING" and self.now >= send["sent_at"] + _PROTECTION_SECONDS:
                send["status"] = "SEND_FAIL"

    def _sends_in_period(self) -> int:
        """Sends that count against the quota in the current quota day or month."""
        period = _DAY if self.account == "subscription" else _MONTH
        start = (self.now // period) * period
        return sum(
            1
            for send in self.mass_sends.values()
            if send["sent_at"] >= start and send["status"] != "SEND_FAIL"
        )

    def _mpnews(self, data: dict[str, Any]) -> str | None:
        if data.get("msgtype") != "mpnews":
            return None
        mpnews = data.get("mpnews")
        media_id = mpnews.get("media_id") if isinstance(mpnews, dict) else None
        return media_id if isinstance(media_id, str) else None

    def _sendall(self, request: Request) -> Reply:
        if not self.mass_permission:
            return _error(48001)
        data = self._json(request)
        if data is None:
            return _error(47001)
        target = data.get("filter")
        if not isinstance(target, dict) or target.get("is_to_all") is not True:
            return _error(47001)  # the stand-in has no tags: only a send to all followers
        media_id = self._mpnews(data)
        if media_id is None:
            return _error(47001)
        clientmsgid = data.get("clientmsgid")
        if clientmsgid is not None:
            if not isinstance(clientmsgid, str) or not 0 < len(clientmsgid.encode()) <= 64:
                return _error(47001)
            self._expire_protected()
            for msg_id, send in self.mass_sends.items():
                recent = self.now < send["sent_at"] + _CLIENTMSGID_SECONDS
                if send["clientmsgid"] == clientmsgid and recent:
                    return Reply.of_json(
                        200,
                        {"errcode": 45065, "errmsg": ERRMSG[45065], "msg_id": int(msg_id)},
                    )
        if media_id not in self.drafts:
            return _error(40007)
        self._expire_protected()
        if self._sends_in_period() >= _MASS_SENDS[self.account]:
            return _error(45028)
        seq = self._next_seq()
        msg_id = str(_MSG_BASE + seq)
        self.mass_sends[msg_id] = {
            "clientmsgid": clientmsgid,
            "media_id": media_id,
            "articles": list(self.draft_articles[media_id]),
            "sent_at": self.now,
            "status": "PROTECTING" if self.protection else "SEND_SUCCESS",
            "deleted": [],
        }
        return _ok({"msg_id": int(msg_id), "msg_data_id": _MSG_BASE + seq})

    def _preview(self, request: Request) -> Reply:
        if not self.mass_permission:
            return _error(48001)
        data = self._json(request)
        if data is None:
            return _error(47001)
        media_id = self._mpnews(data)
        towxname, touser = data.get("towxname"), data.get("touser")
        if media_id is None or not (isinstance(towxname, str) or isinstance(touser, str)):
            return _error(47001)
        if media_id not in self.drafts:
            return _error(40007)
        who = {"towxname": towxname} if isinstance(towxname, str) else {"touser": touser}
        self.previews.append(
            {**who, "media_id": media_id, "articles": list(self.draft_articles[media_id])}
        )
        return _ok({"msg_id": _MSG_BASE + self._next_seq()})

    def _mass_get(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        self._expire_protected()
        send = self.mass_sends.get(str(data.get("msg_id")))
        if send is None:
            return _error(40007)
        # A protected send not confirmed yet is still "sending" as far as the API says.
        status = "SENDING" if send["status"] == "PROTECTING" else send["status"]
        return _ok({"msg_id": int(str(data.get("msg_id"))), "msg_status": status})

    def _mass_delete(self, request: Request) -> Reply:
        data = self._json(request)
        if data is None:
            return _error(47001)
        self._expire_protected()
        send = self.mass_sends.get(str(data.get("msg_id")))
        index = data.get("article_idx", 0)
        if send is None or send["status"] not in ("SEND_SUCCESS", "DELETE"):
            return _error(40007)
        if not isinstance(index, int) or not 0 <= index <= len(send["articles"]):
            return _error(47001)
        if index == 0:
            send["deleted"] = list(range(1, len(send["articles"]) + 1))
        elif index not in send["deleted"]:
            send["deleted"].append(index)
        if len(send["deleted"]) == len(send["articles"]):
            send["status"] = "DELETE"
        return _ok()
