"""What a site generation lists, kept beside it so a publish reads only what it touches.

Entries are stored per shard of a hundred notices (the shards of the search index and sitemap), and the
order of every language's notices is one small list, so adding a notice to a site of ten thousand
reads one shard and that list, not the whole site.
"""

from __future__ import annotations

import json
from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from core.clock import OFFICE_TIME_ZONE
from publishers.site.generations import Staging

SHARD_SIZE = 100


def shard_of(notice_id: int) -> int:
    """The shard a notice's pages, search entries and sitemap lines live in."""
    return notice_id // SHARD_SIZE


@dataclass(frozen=True)
class Entry:
    """One notice in one language, as indexes, feeds and the search index show it."""

    notice_id: int
    language: str
    title: str
    column: str
    published_on: date
    summary: str
    # The notice version this page shows; None in a catalogue written before versions were kept.
    version: int | None = None
    # When this language first went on the site and when this version did (aware); None where
    # the page came without times or the catalogue was written before times were kept.
    published_at: datetime | None = None
    updated_at: datetime | None = None
    # When the notice's page in this language last changed (the sitemap's <lastmod>).
    lastmod: datetime | None = None

    def rank(self) -> list[Any]:
        """Position in every listing: by first publication, then by id (stable as notices are added)."""
        return [self.published_on.isoformat(), self.notice_id]

    @property
    def published(self) -> datetime:
        """The time of first publication; 09:00 office time of its day when none was given."""
        if self.published_at is not None:
            return self.published_at
        return datetime.combine(self.published_on, time(9, 0), OFFICE_TIME_ZONE)

    @property
    def updated(self) -> datetime:
        """The time this version was published (the first publication's when none was given)."""
        return self.updated_at if self.updated_at is not None else self.published


class Catalog:
    """The listing data of one staged generation, read and written through the staging."""

    def __init__(self, staging: Staging) -> None:
        self.staging: Staging | None = staging
        raw = staging.read_meta("order.json")
        stored = json.loads(raw) if raw else {}
        # language -> column -> sorted [published_on, notice_id]
        self.order: dict[str, dict[str, list[list[Any]]]] = stored.get("order", {})
        # language -> shard -> notices of that shard in that language
        self.shard_counts: dict[str, dict[str, int]] = stored.get("shards", {})
        self._shards: dict[int, dict[str, dict[str, dict[str, Any]]]] = {}
        self._dirty: set[int] = set()

    def notice(self, notice_id: int) -> dict[str, Entry]:
        """The entries of one notice by language (empty when it is not on the site)."""
        stored = self._shard(shard_of(notice_id)).get(str(notice_id), {})
        return {language: _entry(notice_id, language, data) for language, data in stored.items()}

    def entries(self, language: str, notice_ids: list[int]) -> list[Entry]:
        """Entries of several notices in one language, in the order asked."""
        found = []
        for notice_id in notice_ids:
            data = self._shard(shard_of(notice_id)).get(str(notice_id), {}).get(language)
            if data is not None:
                found.append(_entry(notice_id, language, data))
        return found

    def shard_entries(self, shard: int) -> dict[int, dict[str, Entry]]:
        """Every notice of a shard with its entries by language."""
        return {int(nid): self.notice(int(nid)) for nid in sorted(self._shard(shard), key=int)}

    def ranked(self, language: str, column: str) -> list[list[Any]]:
        """[published_on, notice_id] of a column's notices in a language, oldest first."""
        return self.order.get(language, {}).get(column, [])

    def newest(self, language: str, count: int) -> list[int]:
        """The ids of a language's ``count`` newest notices, newest first."""
        tails = [row for rows in self.order.get(language, {}).values() for row in rows[-count:]]
        return [notice_id for _, notice_id in sorted(tails)[-count:][::-1]]

    def shards(self, language: str | None = None) -> list[int]:
        """Shards holding a notice in ``language`` (in any language when None)."""
        languages = [language] if language else list(self.shard_counts)
        return sorted(
            {int(s) for lang in languages for s, n in self.shard_counts.get(lang, {}).items() if n}
        )

    def shard_notices(self, shards: Iterable[int]) -> list[int]:
        """The ids of every notice in these shards."""
        return [int(nid) for shard in shards for nid in self._shard(shard)]

    def part(
        self, languages: Sequence[str], columns: Sequence[str], notice_ids: Iterable[int]
    ) -> Catalog:
        """What a helper process reads of this catalogue: the order of ``columns`` in
        ``languages`` and those notices' entries in them. It reads like the whole for those;
        it cannot be saved.
        """
        part = Catalog.__new__(Catalog)
        part.staging = None
        part.order = {
            language: {c: rows for c, rows in self.order.get(language, {}).items() if c in columns}
            for language in languages
        }
        part.shard_counts = {lang: dict(self.shard_counts.get(lang, {})) for lang in languages}
        part._shards = {}
        part._dirty = set()
        for notice_id in notice_ids:
            stored = self._shard(shard_of(notice_id)).get(str(notice_id), {})
            kept = {lang: data for lang, data in stored.items() if lang in languages}
            if kept:
                part._shards.setdefault(shard_of(notice_id), {})[str(notice_id)] = kept
        return part

    def put(self, notice_id: int, entries: dict[str, Entry]) -> dict[str, Entry]:
        """Replace a notice's entries (empty: remove it); returns the entries it had before."""
        before = self.notice(notice_id)
        shard_key = str(shard_of(notice_id))
        for language, old in before.items():
            self.order[language][old.column].remove([old.published_on.isoformat(), notice_id])
            self.shard_counts[language][shard_key] -= 1
        for language, entry in entries.items():
            column = self.order.setdefault(language, {}).setdefault(entry.column, [])
            insort(column, [entry.published_on.isoformat(), notice_id])
            counts = self.shard_counts.setdefault(language, {})
            counts[shard_key] = counts.get(shard_key, 0) + 1
        shard = self._shard(shard_of(notice_id))
        if entries:
            shard[str(notice_id)] = {language: _stored(e) for language, e in entries.items()}
        else:
            shard.pop(str(notice_id), None)
        self._dirty.add(shard_of(notice_id))
        return before

    def save(self) -> None:
        """Write what changed into the staged generation."""
        if self.staging is None:
            raise ValueError("a part of a catalogue (`Catalog.part`) is read, never saved")
        for shard in sorted(self._dirty):
            self.staging.write_meta(f"shard-{shard}.json", _dump(self._shards[shard]))
        self.staging.write_meta(
            "order.json", _dump({"order": self.order, "shards": self.shard_counts})
        )
        self._dirty.clear()

    def _shard(self, shard: int) -> dict[str, dict[str, dict[str, Any]]]:
        if shard not in self._shards:
            if self.staging is None:  # a part: what it was not given, it does not hold
                return {}
            raw = self.staging.read_meta(f"shard-{shard}.json")
            self._shards[shard] = json.loads(raw) if raw else {}
        return self._shards[shard]


def _entry(notice_id: int, language: str, data: dict[str, Any]) -> Entry:
    return Entry(
        notice_id=notice_id,
        language=language,
        title=data["title"],
        column=data["column"],
        published_on=date.fromisoformat(data["published_on"]),
        summary=data["summary"],
        version=int(data["version"]) if data.get("version") is not None else None,
        published_at=_moment(data.get("published_at")),
        updated_at=_moment(data.get("updated_at")),
        lastmod=_moment(data.get("lastmod")),
    )


def _stored(entry: Entry) -> dict[str, Any]:
    """An entry as its shard file keeps it (times as ISO 8601 with their offset)."""
    stored: dict[str, Any] = {
        "title": entry.title,
        "column": entry.column,
        "published_on": entry.published_on.isoformat(),
        "summary": entry.summary,
        "version": entry.version,
    }
    for name in ("published_at", "updated_at", "lastmod"):
        moment = getattr(entry, name)
        if moment is not None:
            stored[name] = moment.isoformat()
    return stored


def _moment(stored: object) -> datetime | None:
    return datetime.fromisoformat(stored) if isinstance(stored, str) else None


def _dump(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
