"""Loading earlier years' published translations, so a past year's report can be reproduced.

An archive is a CSV manifest, one line per article and language:

    key,language,published_on,file,title,column

``file`` is a Markdown (.md, markup not counted) or plain-text (.txt) file, relative to the
manifest. An article counts in the year of its earliest ``published_on``, like a notice.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.counting import measure
from content.notice import NoticeRefused, Problem
from core.states import CountedState
from pipeline.counts import reported_languages
from store.audit import record
from store.models import CountedText, utcnow

ARCHIVE_PREFIX = "archive:"
REQUIRED_FIELDS = ("key", "language", "published_on", "file")
UNNAMED_COLUMN = "（未注明栏目）"


@dataclass(frozen=True)
class ArchivedText:
    """One archived article in one language, read and measured."""

    key: str
    language: str
    published_on: date
    path: str
    title: str
    column: str
    content_hash: str
    measures: dict[str, int]


@dataclass(frozen=True)
class ArchiveImport:
    """What loading one manifest did."""

    manifest: str
    added: int
    updated: int
    unchanged: int
    years: list[int]


def read_archive(manifest: Path) -> list[ArchivedText]:
    """Read and measure every line of a manifest; refuse all of it if any line is wrong."""
    name = str(manifest)
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise NoticeRefused(
            [Problem(name, "", f"cannot be read as UTF-8 text ({error})")]
        ) from None
    reader = csv.DictReader(text.splitlines())
    missing = [f for f in REQUIRED_FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise NoticeRefused(
            [
                Problem(
                    name,
                    "header",
                    f"must name the fields {', '.join(REQUIRED_FIELDS)} (missing {', '.join(missing)})",
                )
            ]
        )
    reported = reported_languages()
    problems: list[Problem] = []
    texts: list[ArchivedText] = []
    seen: dict[tuple[str, str], int] = {}
    article_names: dict[str, tuple[tuple[str, str], int]] = {}  # key -> (title, column), line
    for line_number, row in enumerate(reader, start=2):
        where = f"{name}: line {line_number}"

        def refuse(field: str, rule: str, where: str = where) -> None:
            problems.append(Problem(where, field, rule))

        values = {k: (row.get(k) or "").strip() for k in (*REQUIRED_FIELDS, "title", "column")}
        for field in REQUIRED_FIELDS:
            if not values[field]:
                refuse(field, "is required")
        if any(not values[f] for f in REQUIRED_FIELDS):
            continue
        if values["language"] not in reported:
            refuse("language", f"{values['language']!r} is not one of {', '.join(reported)}")
            continue
        try:
            published_on = date.fromisoformat(values["published_on"])
        except ValueError:
            refuse("published_on", f"{values['published_on']!r} is not a date (YYYY-MM-DD)")
            continue
        pair = (values["key"], values["language"])
        if pair in seen:
            refuse(
                "language", f"{pair[1]} of {pair[0]!r} is listed twice (first on line {seen[pair]})"
            )
            continue
        seen[pair] = line_number
        named = (values["title"] or values["key"], values["column"] or UNNAMED_COLUMN)
        if named != article_names.setdefault(values["key"], (named, line_number))[0]:
            first = article_names[values["key"]][1]
            refuse("column", f"title and column of {values['key']!r} differ from line {first}")
            continue
        path = manifest.parent / values["file"]
        if path.suffix.lower() not in (".md", ".txt"):
            refuse("file", f"{values['file']}: must be Markdown (.md) or plain text (.txt)")
            continue
        try:
            data = path.read_bytes()
            body = data.decode("utf-8-sig")
        except OSError as error:
            refuse("file", f"{values['file']}: cannot be read ({error.strerror})")
            continue
        except UnicodeDecodeError:
            refuse("file", f"{values['file']}: is not UTF-8 text")
            continue
        if not body.strip():
            refuse("file", f"{values['file']}: is empty")
            continue
        texts.append(
            ArchivedText(
                key=values["key"],
                language=values["language"],
                published_on=published_on,
                path=values["file"],
                title=values["title"] or values["key"],
                column=values["column"] or UNNAMED_COLUMN,
                content_hash=hashlib.sha256(data).hexdigest(),
                measures=measure(body, markdown=path.suffix.lower() == ".md").as_dict(),
            )
        )
    if problems:
        raise NoticeRefused(problems)
    if not texts:
        raise NoticeRefused([Problem(name, "", "lists no article")])
    return texts


def _article_key(counted: CountedText) -> str:
    return counted.notice_key.removeprefix(ARCHIVE_PREFIX)


def import_archive(
    session: Session, manifest: str, texts: list[ArchivedText], actor: str
) -> ArchiveImport:
    """Store archived texts in the report's ledger; loading the same manifest again changes nothing."""
    first_day: dict[str, date] = {}
    for t in texts:
        first_day[t.key] = min(first_day.get(t.key, t.published_on), t.published_on)
    existing = {
        (c.notice_key, c.language): c
        for c in session.scalars(
            select(CountedText).where(
                CountedText.notice_key.in_({ARCHIVE_PREFIX + key for key in first_day})
            )
        )
    }
    for counted in existing.values():
        key = _article_key(counted)
        first_day[key] = min(first_day[key], counted.published_on)
    outcome: dict[str, int] = defaultdict(int)
    has_lead = {_article_key(c) for c in existing.values() if c.lead}
    for t in texts:
        day = first_day[t.key]
        fields = {
            "title": t.title,
            "column": t.column,
            "published_on": day,
            "year": day.year,
            "month": day.month,
            "source": f"{manifest}: {t.path}",
            "content_hash": t.content_hash,
            **t.measures,
        }
        found = existing.get((ARCHIVE_PREFIX + t.key, t.language))
        if found is None:
            session.add(
                CountedText(
                    notice_key=ARCHIVE_PREFIX + t.key,
                    notice_id=None,
                    language=t.language,
                    version=1,
                    lead=t.key not in has_lead,
                    state=CountedState.COUNTED,
                    **fields,
                )
            )
            has_lead.add(t.key)
            outcome["added"] += 1
        elif all(getattr(found, k) == v for k, v in fields.items() if k != "source"):
            outcome["unchanged"] += 1
        else:
            for k, v in fields.items():
                setattr(found, k, v)
            found.version += 1
            found.updated_at = utcnow()
            outcome["updated"] += 1
    # Rows of the same article in languages this manifest did not list take its first day, title
    # and column, so the report's breakdowns never count an article twice.
    names = {t.key: (t.title, t.column) for t in texts}
    for counted in existing.values():
        day = first_day[_article_key(counted)]
        counted.published_on, counted.year, counted.month = day, day.year, day.month
        counted.title, counted.column = names[_article_key(counted)]
    result = ArchiveImport(
        manifest=manifest,
        added=outcome["added"],
        updated=outcome["updated"],
        unchanged=outcome["unchanged"],
        years=sorted({day.year for day in first_day.values()}),
    )
    if result.added or result.updated:
        record(
            session,
            actor,
            "archive imported",
            manifest=manifest,
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
            years=result.years,
        )
    session.flush()
    return result
