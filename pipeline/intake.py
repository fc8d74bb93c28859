"""Queueing: validated notices become versions; the same content twice changes nothing."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from content.images import read_images
from content.notice import IntakeRules, NoticeRefused, NoticeSource, Problem, parse_notice
from core.clock import office_date
from core.states import LanguageState, VersionState
from store.audit import record
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
    problems: list[Problem] = []
    for path in paths:
        data = _read_bounded(str(path), rules.max_bytes, problems)
        if data is None:
            continue
        try:
            source = parse_notice(str(path), data, rules)
        except NoticeRefused as refused:
            problems.extend(refused.problems)
            continue
        images, refused_images = read_images(str(path), source.body)
        problems.extend(refused_images)
        sources.append(_with_images(source, images))
    problems.extend(_repeated_identities(sources))
    if problems:
        raise NoticeRefused(problems)
    return sources


def _read_bounded(path: str, limit: int, problems: list[Problem]) -> bytes | None:
    """The file's bytes, read only if it is a regular file within the size limit."""
    try:
        # Looked at before it is opened: opening a FIFO waits for a writer, and a device
        # (/dev/zero) has no size to check and never ends.
        if not stat.S_ISREG(os.stat(path).st_mode):
            problems.append(Problem(path, "", "is not a regular file; queue a saved .md file"))
            return None
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if info.st_size > limit:
                problems.append(
                    Problem(
                        path, "", f"is too large ({info.st_size} bytes; the limit is {limit} bytes)"
                    )
                )
                return None
            # One byte more than the limit: a file that grew since fstat is still caught.
            data = file.read(limit + 1)
    except OSError as error:
        problems.append(Problem(path, "", f"cannot be read ({error.strerror})"))
        return None
    if len(data) > limit:
        problems.append(
            Problem(path, "", f"is too large (over {limit} bytes; the limit is {limit})")
        )
        return None
    return data


def _repeated_identities(sources: Sequence[NoticeSource]) -> list[Problem]:
    """Two files of one batch that are the same notice: which one is the newer version is unknown."""
    first: dict[str, NoticeSource] = {}
    problems = []
    for source in sources:
        earlier = first.setdefault(source.key, source)
        if earlier is source:
            continue
        field = "id" if "id" in source.front_matter else "title"
        identity = (
            f"id {source.key!r}" if field == "id" else "title and formed_on (the notice has no id)"
        )
        problems.append(
            Problem(
                source.path,
                field,
                f"has the same {identity} as {earlier.path} in this batch; queue one version of a "
                "notice at a time",
            )
        )
    return problems


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
        state=VersionState.QUEUED,
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
        NoticeVersion.notice_id == notice_id, NoticeVersion.state != VersionState.SUPERSEDED
    )
    older_ids = list(session.scalars(older))
    if not older_ids:
        return
    session.execute(
        update(LanguageVersion)
        .where(
            LanguageVersion.version_id.in_(older_ids),
            LanguageVersion.state != LanguageState.PUBLISHED,
        )
        .values(state=LanguageState.SUPERSEDED)
    )
    session.execute(
        update(NoticeVersion)
        .where(NoticeVersion.id.in_(older_ids))
        .values(state=VersionState.SUPERSEDED)
    )
    for version_id in older_ids:
        record(session, actor, "superseded", notice_id=notice_id, version_id=version_id)
