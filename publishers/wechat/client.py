"""A client for the WeChat Official Account publishing API (stable token, images, drafts, publishing).

Every call but the token carries ``?access_token=``; the token is cached and refreshed a few
minutes before it expires, and once more when WeChat says it is invalid or expired. Request
bodies are raw UTF-8 JSON: several WeChat endpoints store ``\\uXXXX`` escapes literally.

The draft box and the published articles can be searched for a *marker*: a ``wx`` query
parameter on an article's 阅读原文 link (``content_source_url``), which WeChat keeps as sent. It
lets a run that lost WeChat's answer to ``draft/add`` or ``freepublish/submit`` find what that
call made instead of making it again.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from pydantic import SecretStr

from content.images import image_suffix
from publishers.wechat.errors import (
    AlreadySent,
    ContentRefused,
    WeChatError,
    WeChatUnavailable,
    error_for,
)

_MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif"}


def _image_part(data: bytes, filename: str) -> tuple[str, bytes, str]:
    """The multipart file of an image: named and typed by what its bytes are, not by its name."""
    suffix = image_suffix(data)
    if suffix is None:
        raise ContentRefused(
            0,
            f"{filename} is not a PNG, JPEG or GIF image",
            "media upload",
            "it was not sent; replace the image (or the cover file) with a real PNG or JPEG",
        )
    return PurePosixPath(filename).stem + suffix, data, _MEDIA_TYPES[suffix]


DEFAULT_BASE_URL = "https://api.weixin.qq.com"
# Refresh this long before WeChat's own expiry, so a token never dies between check and use.
REFRESH_MARGIN = 300.0
TOKEN_ERRORS = {40001, 40014, 42001}
MARKER_PARAMETER = "wx"
DIGEST_SIZE = 8  # the most articles one draft (and so one mass send) holds
BATCH_SIZE = 20  # the most one draft/batchget or freepublish/batchget call lists
# A search looks at no more than this many pages (1000 entries, a day's worth of drafts), so a
# large account's draft box costs a bounded number of calls against the listing quota.
SEARCH_PAGES = 50


class _RedactTokens(logging.Filter):
    """httpx logs request URLs; the access token in them must not reach any log."""

    _token = re.compile(r"(access_token=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                self._token.sub(r"\1***", str(a)) if isinstance(a, (str, httpx.URL)) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        record.msg = self._token.sub(r"\1***", str(record.msg))
        return True


logging.getLogger("httpx").addFilter(_RedactTokens())


@dataclass(frozen=True)
class Article:
    """One article of a draft, as ``draft/add`` takes it."""

    title: str
    author: str
    digest: str
    content: str
    content_source_url: str
    thumb_media_id: str

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "author": self.author,
            "digest": self.digest,
            "content": self.content,
            "content_source_url": self.content_source_url,
            "thumb_media_id": self.thumb_media_id,
            "need_open_comment": 0,
            "only_fans_can_comment": 0,
        }


@dataclass(frozen=True)
class Listed:
    """One entry of ``draft/batchget`` (a draft) or ``freepublish/batchget`` (a published article)."""

    id: str  # a draft's media_id, or a published article's article_id
    items: tuple[dict[str, Any], ...]  # content.news_item, as WeChat lists it
    update_time: int = 0

    @property
    def marker(self) -> str:
        """The marker on the first article's 阅读原文 link; "" when there is none."""
        return marker_of(str(self.items[0].get("content_source_url") or "")) if self.items else ""

    @property
    def url(self) -> str:
        """The first article's address (a published article's permanent link)."""
        return str(self.items[0].get("url") or "") if self.items else ""

    @property
    def deleted(self) -> bool:
        """Whether the (published) article was deleted since."""
        return bool(self.items and self.items[0].get("is_deleted"))


def with_marker(url: str, marker: str) -> str:
    """The address with ``wx=marker`` as a query parameter (replacing one already there)."""
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key != MARKER_PARAMETER
    ]
    query.append((MARKER_PARAMETER, marker))
    return urlunsplit(parts._replace(query=urlencode(query)))


def marker_of(url: str) -> str:
    """The ``wx`` query parameter of an address; "" when it has none."""
    return (parse_qs(urlsplit(url).query).get(MARKER_PARAMETER) or [""])[0]


@dataclass(frozen=True)
class MassSend:
    """What ``message/mass/sendall`` answered: the task, and whether it was an earlier one (45065)."""

    msg_id: str
    msg_data_id: str
    repeated: bool = False


@dataclass(frozen=True)
class PublishState:
    """What ``freepublish/get`` says about one submitted draft."""

    status: int
    article_id: str = ""
    article_url: str = ""


class WeChatClient:
    """The publishing endpoints of one Official Account."""

    def __init__(
        self,
        appid: str,
        secret: SecretStr,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.appid = appid
        self._secret = secret
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout)
        self._clock = clock
        self._token = ""
        self._token_expires = 0.0

    def close(self) -> None:
        self._http.close()

    # -- token ---------------------------------------------------------------------------------

    def access_token(self, *, force_refresh: bool = False) -> str:
        """The cached token, fetched again when it is close to expiry or when forced."""
        if (
            not force_refresh
            and self._token
            and self._clock() < self._token_expires - REFRESH_MARGIN
        ):
            return self._token
        payload = {
            "grant_type": "client_credential",
            "appid": self.appid,
            "secret": self._secret.get_secret_value(),
            "force_refresh": force_refresh,
        }
        data = self._post("/cgi-bin/stable_token", content=_raw_json(payload))
        self._token = str(data["access_token"])
        self._token_expires = self._clock() + float(data.get("expires_in", 7200))
        return self._token

    # -- endpoints -----------------------------------------------------------------------------

    def upload_image(self, data: bytes, filename: str) -> str:
        """Upload an image used inside an article; returns the address WeChat serves it from."""
        media = _image_part(data, filename)
        return str(self._call("/cgi-bin/media/uploadimg", files={"media": media})["url"])

    def add_cover(self, data: bytes, filename: str) -> str:
        """Upload a cover image as permanent material; returns its media_id."""
        answer = self._call(
            "/cgi-bin/material/add_material",
            params={"type": "image"},
            files={"media": _image_part(data, filename)},
        )
        return str(answer["media_id"])

    def add_draft(self, article: Article) -> str:
        """Create a draft of one article; returns the draft's media_id."""
        return str(
            self._call("/cgi-bin/draft/add", payload={"articles": [article.as_json()]})["media_id"]
        )

    def submit(self, draft_media_id: str) -> str:
        """Submit a draft for publishing; returns the publish_id (accepted, not yet published)."""
        return str(
            self._call("/cgi-bin/freepublish/submit", payload={"media_id": draft_media_id})[
                "publish_id"
            ]
        )

    def publish_state(self, publish_id: str) -> PublishState:
        """Where a submitted draft stands; on success, its article id and address."""
        data = self._call("/cgi-bin/freepublish/get", payload={"publish_id": publish_id})
        items = (data.get("article_detail") or {}).get("item") or []
        return PublishState(
            status=int(data["publish_status"]),
            article_id=str(data.get("article_id") or ""),
            article_url=str(items[0].get("article_url", "")) if items else "",
        )

    def delete_article(self, article_id: str) -> None:
        """Withdraw a published article (all its items). Irreversible."""
        self._call("/cgi-bin/freepublish/delete", payload={"article_id": article_id, "index": 0})

    def add_digest(self, articles: list[dict[str, Any]]) -> str:
        """Create one multi-article draft (at most 8 articles); returns its media_id."""
        if not 1 <= len(articles) <= DIGEST_SIZE:
            raise ValueError(
                f"a WeChat draft holds 1 to {DIGEST_SIZE} articles, not {len(articles)}"
            )
        return str(self._call("/cgi-bin/draft/add", payload={"articles": articles})["media_id"])

    def send_to_all(self, draft_media_id: str, clientmsgid: str) -> MassSend:
        """Mass-send (群发) a draft to every follower; a repeated clientmsgid names the earlier send."""
        payload = {
            "filter": {"is_to_all": True},
            "mpnews": {"media_id": draft_media_id},
            "msgtype": "mpnews",
            "send_ignore_reprint": 0,
            "clientmsgid": clientmsgid,
        }
        try:
            data = self._call("/cgi-bin/message/mass/sendall", payload=payload)
        except AlreadySent as error:
            return MassSend(str(error.answer.get("msg_id") or ""), "", repeated=True)
        return MassSend(str(data["msg_id"]), str(data.get("msg_data_id") or ""))

    def preview(self, draft_media_id: str, wechat_id: str) -> None:
        """Send the draft to one follower, by WeChat id, to be seen on a phone before the push."""
        payload = {
            "towxname": wechat_id,
            "mpnews": {"media_id": draft_media_id},
            "msgtype": "mpnews",
        }
        self._call("/cgi-bin/message/mass/preview", payload=payload)

    def send_status(self, msg_id: str) -> str:
        """``msg_status`` of a mass send: SEND_SUCCESS, SENDING, SEND_FAIL or DELETE."""
        data = self._call("/cgi-bin/message/mass/get", payload={"msg_id": int(msg_id)})
        return str(data.get("msg_status") or "")

    def delete_sent(self, msg_id: str, article_idx: int) -> None:
        """Remove article ``article_idx`` (1-based; 0 all) of a send from the history."""
        self._call(
            "/cgi-bin/message/mass/delete",
            payload={"msg_id": int(msg_id), "article_idx": article_idx},
        )

    def drafts(self, offset: int = 0, count: int = BATCH_SIZE) -> tuple[int, list[Listed]]:
        """How many drafts the draft box holds, and one page of them (without their content)."""
        return self._listing("/cgi-bin/draft/batchget", "media_id", offset, count)

    def published(self, offset: int = 0, count: int = BATCH_SIZE) -> tuple[int, list[Listed]]:
        """How many articles were published, and one page of them (without their content)."""
        return self._listing("/cgi-bin/freepublish/batchget", "article_id", offset, count)

    def find_draft(
        self, match: Callable[[Listed], bool], pages: int = SEARCH_PAGES
    ) -> Listed | None:
        """The first draft in the draft box ``match`` accepts; None if none does within ``pages``."""
        return self._find(self.drafts, match, pages)

    def find_published(
        self, match: Callable[[Listed], bool], pages: int = SEARCH_PAGES
    ) -> Listed | None:
        """The first published article ``match`` accepts; None if none does within ``pages``."""
        return self._find(self.published, match, pages)

    # -- plumbing ------------------------------------------------------------------------------

    def _listing(
        self, path: str, id_field: str, offset: int, count: int
    ) -> tuple[int, list[Listed]]:
        """One page of a batchget listing; ``no_content`` because a search needs no bodies."""
        if not 1 <= count <= BATCH_SIZE:
            raise ValueError(f"WeChat lists 1 to {BATCH_SIZE} entries per call, not {count}")
        data = self._call(path, payload={"offset": offset, "count": count, "no_content": 1})
        entries = [
            Listed(
                id=str(item.get(id_field) or ""),
                items=tuple((item.get("content") or {}).get("news_item") or ()),
                update_time=int(item.get("update_time") or 0),
            )
            for item in data.get("item") or ()
        ]
        return int(data.get("total_count") or 0), entries

    def _find(
        self,
        listing: Callable[[int, int], tuple[int, list[Listed]]],
        match: Callable[[Listed], bool],
        pages: int,
    ) -> Listed | None:
        offset = 0
        for _ in range(pages):
            total, entries = listing(offset, BATCH_SIZE)
            for entry in entries:
                if match(entry):
                    return entry
            offset += len(entries)
            if not entries or offset >= total:
                return None
        return None

    def _call(
        self,
        path: str,
        *,
        payload: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        """One API call; a token WeChat rejects is refreshed and the call tried once more."""
        content = _raw_json(payload) if payload is not None else None
        for attempt in (1, 2):
            query = {
                **(params or {}),
                "access_token": self.access_token(force_refresh=attempt == 2),
            }
            try:
                return self._post(path, params=query, content=content, files=files)
            except WeChatError as error:
                if error.code not in TOKEN_ERRORS or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _post(
        self,
        path: str,
        *,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        headers = (
            {"Content-Type": "application/json; charset=utf-8"} if content is not None else None
        )
        try:
            response = self._http.post(
                path, params=params, content=content, files=files, headers=headers
            )
        except httpx.HTTPError as error:
            raise WeChatUnavailable(
                f"WeChat did not answer {path}: {type(error).__name__}"
            ) from None
        if response.status_code >= 500 or response.status_code == 429:
            raise WeChatUnavailable(f"WeChat answered HTTP {response.status_code} to {path}")
        try:
            data = response.json()
        except ValueError:
            raise WeChatUnavailable(
                f"WeChat answered {path} with something that is not JSON"
            ) from None
        code = int(data.get("errcode") or 0) if isinstance(data, dict) else -1
        if code:
            refusal = error_for(code, str(data.get("errmsg", "")), path)
            refusal.answer = data
            raise refusal
        return data  # type: ignore[no-any-return]


def _raw_json(payload: dict[str, Any]) -> bytes:
    """JSON as raw UTF-8 (``ensure_ascii=False``): WeChat keeps ``\\uXXXX`` escapes literally."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")
