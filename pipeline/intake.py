"""Queueing: validated notices become versions; the same content twice changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from content.images import read_images
from content.notice import IntakeRules, NoticeRefused, NoticeSource, Problem, parse_notice
from pipeline.audit import record
from pipeline.clock import office_date
from store.models import LanguageVersion, Notice, NoticeImage, NoticeVersion


@dataclass(frozen=True)
class QueueOutcome:
    """What queueing one file did."""

    path: str
    notice_id: int
    version_id: int
    number: int
    outcome: str  # "new notice" | "new version" | "unchanged"


def read_notices(paths: Sequence[str | Path], rules: IntakeRules) -> list[NoticeSource]:
    """Parse every file; if any is refused, raise one NoticeRefused listing every problem of every file."""
    sources: list[NoticeSource] = []
    problems = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            problems.append(Problem(str(path), "", f"cannot be read ({error.strerror})"))
            continue
        try:
            source = parse_notice(str(path), data, rules)
        except NoticeRefused as refused:
            problems.extend(refused.problems)
            continue
        images, refused_images = read_images(str(path), source.body)
        problems.extend(refused_images)
        sources.append(_with_images(source, images))
    if problems:
        raise NoticeRefused(problems)
    return sources


def _with_images(source: NoticeSource, images: dict[str, bytes]) -> NoticeSource:
    """The source with its images; a changed image makes a new version, as a changed text does."""
    if not images:
        return source
    digest = hashlib.sha256(source.content_hash.encode())
    for name, data in sorted(images.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return replace(source, images=images, content_hash=digest.hexdigest())


def queue_sources(
    session: Session, sources: Sequence[NoticeSource], actor: str
) -> list[QueueOutcome]:
    """Store each source as a notice version unless that exact content is stored already."""
    return [_queue_one(session, source, actor) for source in sources]


def _queue_one(session: Session, source: NoticeSource, actor: str) -> QueueOutcome:
    notice = session.scalars(select(Notice).where(Notice.key == source.key)).one_or_none()
    if notice is None:
        notice = Notice(
            key=source.key, title=source.title, column=source.column, category=source.category
        )
        session.add(notice)
        session.flush()
        outcome = "new notice"
    else:
        if notice.retracted_at is not None:
            raise NoticeRefused(
                [
                    Problem(
                        source.path,
                        "id" if "id" in source.front_matter else "title, formed_on",
                        f"names notice {notice.id}, retracted on {office_date(notice.retracted_at)}"
                        " by " + (notice.retracted_by or "?") + ": a retracted notice takes no new"
                        " version (queue it under a new id to publish it again)",
                    )
                ]
            )
        same = session.scalars(
            select(NoticeVersion).where(
                NoticeVersion.notice_id == notice.id,
                NoticeVersion.content_hash == source.content_hash,
            )
        ).one_or_none()
        if same is not None:
            return QueueOutcome(source.path, notice.id, same.id, same.number, "unchanged")
        notice.title, notice.column, notice.category = source.title, source.column, source.category
        _supersede_older_versions(session, notice.id, actor)
        outcome = "new version"
    number = (
        session.scalar(
            select(func.max(NoticeVersion.number)).where(NoticeVersion.notice_id == notice.id)
        )
        or 0
    ) + 1
    version = NoticeVersion(
        notice_id=notice.id,
        number=number,
        content_hash=source.content_hash,
        source_path=source.path,
        title=source.title,
        body=source.body,
        front_matter=source.front_matter,
        formed_on=source.formed_on,
        urgency=source.urgency,
        languages=list(source.languages),
        channels=list(source.channels),
        state="queued",
        queued_by=actor,
    )
    session.add(version)
    session.flush()
    for name, data in source.images.items():
        session.add(
            NoticeImage(
                version_id=version.id,
                source=name,
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            )
        )
    record(
        session,
        actor,
        "queued",
        notice_id=notice.id,
        version_id=version.id,
        file=source.path,
        version=number,
        languages=list(source.languages),
        urgency=source.urgency,
    )
    return QueueOutcome(source.path, notice.id, version.id, number, outcome)


def _supersede_older_versions(session: Session, notice_id: int, actor: str) -> None:
    """Older versions stop moving: their unpublished languages will never be published."""
    older = select(NoticeVersion.id).where(
        NoticeVersion.notice_id == notice_id, NoticeVersion.state != "superseded"
    )
    older_ids = list(session.scalars(older))
    if not older_ids:
        return
    session.execute(
        update(LanguageVersion)
        .where(LanguageVersion.version_id.in_(older_ids), LanguageVersion.state != "published")
        .values(state="superseded")
    )
    session.execute(
        update(NoticeVersion).where(NoticeVersion.id.in_(older_ids)).values(state="superseded")
    )
    for version_id in older_ids:
        record(session, actor, "superseded", notice_id=notice_id, version_id=version_id)
