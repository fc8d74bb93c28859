"""When each listing page and sitemap file last changed, kept beside the site's catalogue.

A sitemap's <lastmod> must be the page's real last change, and a publish must not read the whole
site to know it. So every home and column page has a record: a digest of what it lists and the
time that last changed. A publish compares the digest of what it renders with the record and
keeps the time when nothing listed changed. The records are one small file (a few hundred
kilobytes at ten thousand notices), read and written once per publish.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from publishers.site.generations import Staging

_RECORDS = "changes.json"
_DIGEST_CHARS = 16  # 64 bits: enough to tell one render of a page from the next


@dataclass(frozen=True)
class Change:
    """What a page showed (a digest) and when that last changed (None: nothing dated on it)."""

    digest: str
    lastmod: datetime | None


def digest(value: object) -> str:
    """A digest of what a page shows (its bytes, or the values it lists), to compare renders."""
    if isinstance(value, bytes):
        data = value
    else:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(data).hexdigest()[:_DIGEST_CHARS]


def last_change(
    previous: Change | None, now_shows: str, derived: datetime | None, moment: datetime | None
) -> datetime | None:
    """A page's <lastmod> after a render.

    ``derived`` is what its content alone tells (the newest time among what it shows): all there
    is to know for a new page or a full build. ``moment`` is the time of the change under way: a
    page whose content changed moved then, even when what it shows now is older (a notice taken
    off it). Unchanged, it keeps its time.
    """
    if previous is None:
        return derived
    if previous.digest == now_shows:
        return previous.lastmod or derived
    candidates = [time for time in (derived, moment) if time is not None]
    return max(candidates, default=None)


class PageChanges:
    """The change records of one publish, read and written through its staging."""

    def __init__(self, staging: Staging) -> None:
        self.staging = staging
        raw = staging.read_meta(_RECORDS)
        # False for a site written before it kept these records (or a new one).
        self.recorded = raw is not None
        stored: dict[str, Any] = json.loads(raw) if raw else {}
        # page -> [digest, lastmod or None]
        self._pages: dict[str, list[Any]] = stored.get("pages", {})
        # sitemap file -> the newest <lastmod> in it (None when it has none)
        self._sitemaps: dict[str, str | None] = stored.get("sitemaps", {})

    def get(self, path: str) -> Change | None:
        """The record of one page (None when it has none yet)."""
        found = self._pages.get(path)
        return None if found is None else Change(found[0], _moment(found[1]))

    def put(self, path: str, change: Change) -> None:
        """Record what a page shows now and when that last changed."""
        lastmod = None if change.lastmod is None else change.lastmod.isoformat()
        self._pages[path] = [change.digest, lastmod]

    def drop(self, path: str) -> None:
        """Forget a page that left the site."""
        self._pages.pop(path, None)

    def lastmods(self, paths: Iterable[str]) -> list[tuple[str, datetime | None]]:
        """Those of ``paths`` the site has written, with their last change (None: not dated)."""
        return [(path, _moment(self._pages[path][1])) for path in paths if path in self._pages]

    def sitemap_files(self) -> dict[str, datetime | None]:
        """Every sitemap file of the site with the newest <lastmod> in it."""
        return {path: _moment(lastmod) for path, lastmod in self._sitemaps.items()}

    def put_sitemap(self, path: str, lastmod: datetime | None) -> None:
        """Record a sitemap file the index lists."""
        self._sitemaps[path] = None if lastmod is None else lastmod.isoformat()

    def drop_sitemap(self, path: str) -> None:
        """Forget a sitemap file that was removed."""
        self._sitemaps.pop(path, None)

    def records(self) -> tuple[dict[str, list[Any]], dict[str, str | None]]:
        """The records as they stand (a helper process's, to send back), pages in record order."""
        return self._pages, self._sitemaps

    def take(self, records: tuple[dict[str, list[Any]], dict[str, str | None]]) -> None:
        """Add the records a helper process made (`records`), after those made so far."""
        pages, sitemaps = records
        self._pages.update(pages)
        self._sitemaps.update(sitemaps)

    def save(self) -> None:
        """Write the records with the publish's staged files."""
        stored = {"pages": self._pages, "sitemaps": dict(sorted(self._sitemaps.items()))}
        self.staging.write_meta(
            _RECORDS, json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode()
        )
        self.recorded = True


def _moment(stored: object) -> datetime | None:
    return datetime.fromisoformat(stored) if isinstance(stored, str) else None
