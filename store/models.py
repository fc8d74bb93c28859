"""SQLAlchemy 2.0 models: the single source of truth for where every notice stands."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.states import (
    BroadcastState,
    ChannelState,
    CountedState,
    Decision,
    LanguageState,
    VersionState,
    WeChatPostState,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, states: type[StrEnum]) -> CheckConstraint:
    """A CHECK that ``column`` holds one of the enum's values (named ck_<table>_<column>)."""
    allowed = ", ".join(f"'{state.value}'" for state in states)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the store uses."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same everywhere."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class Notice(Base):
    """A notice as the office knows it, across all its versions."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    column: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A retracted notice leaves every page and every report; the row stays, so nothing is lost.
    retracted_at: Mapped[datetime | None]
    retracted_by: Mapped[str | None] = mapped_column(String(100))
    retraction_reason: Mapped[str | None] = mapped_column(Text)


class NoticeVersion(Base):
    """One queued file of a notice; a changed file is a new version."""

    __tablename__ = "notice_versions"
    __table_args__ = (
        UniqueConstraint("notice_id", "number"),
        UniqueConstraint("notice_id", "content_hash"),
        one_of("state", VersionState),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    front_matter: Mapped[dict[str, Any]]
    formed_on: Mapped[date] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(10))
    languages: Mapped[list[Any]]
    channels: Mapped[list[Any]]
    # queued -> drafting -> in_review; superseded when a newer version arrives; retracted
    # (core.states.VersionState).
    state: Mapped[str] = mapped_column(String(20), index=True)
    skeleton: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_by: Mapped[str] = mapped_column(String(100))


class Segment(Base):
    """One Chinese sentence or table cell of a version, in reading order (0 is the title)."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("version_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("notice_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    source_text: Mapped[str] = mapped_column(Text)


class LanguageVersion(Base):
    """A version in one language (zh included): its review state, counts and publication."""

    __tablename__ = "language_versions"
    __table_args__ = (UniqueConstraint("version_id", "language"), one_of("state", LanguageState))
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("notice_versions.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    # drafting -> in_review (-> reviewed, in two stages) -> approved -> published; rejected returns
    # to in_review on an edit; superseded when a newer version of the notice arrives before
    # publication (core.states.LanguageState).
    state: Mapped[str] = mapped_column(String(20), index=True)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None]
    measures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    convention: Mapped[str | None] = mapped_column(String(40))
    figure: Mapped[int | None] = mapped_column(Integer)
    # What drafting this language cost at batch engines (LLMs), summed over every drafting run.
    prompt_tokens: Mapped[int] = mapped_column(Integer, server_default="0")
    completion_tokens: Mapped[int] = mapped_column(Integer, server_default="0")
    engine_requests: Mapped[int] = mapped_column(Integer, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Translation(Base):
    """The current text of one segment in one target language, with where it came from."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("segment_id", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str | None] = mapped_column(Text)
    # memory | engine:<id> | copy | glossary | human | agency | none (needs translation); a sentence kept from an earlier
    # version keeps its origin, with the note "kept from version N".
    origin: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Quality-check findings of the current text ({"check", "severity", "message"} each), refreshed
    # on every draft and edit; None for rows written before the checks existed.
    findings: Mapped[list[Any] | None] = mapped_column(JSON)


class CheckOverride(Base):
    """A reviewer's written reason to approve despite an error finding, for one revision of a text."""

    __tablename__ = "check_overrides"
    __table_args__ = (UniqueConstraint("translation_id", "check_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id"), index=True)
    check_id: Mapped[str] = mapped_column(String(40))
    # An override covers the text the reviewer saw: an edit makes a new revision, checked afresh.
    revision: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EngineOutput(Base):
    """What an engine answered for one text sent to it: the office never pays for it twice."""

    __tablename__ = "engine_outputs"
    __table_args__ = (UniqueConstraint("engine", "language", "source_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    engine: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5))
    # SHA-256 of the exact text sent (placeholders included), so the key fits an index.
    source_key: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    output: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GlossaryTerm(Base):
    """An official term, its translation in one language and the other renderings accepted."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("source", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    target: Mapped[str] = mapped_column(String(400))
    note: Mapped[str] = mapped_column(Text, default="")
    # Accepted renderings besides the target (translators.glossary.Term.variants), a JSON list.
    variants: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    # required (a missing term is an error) | preferred (a warning); validated by the importers.
    strength: Mapped[str] = mapped_column(String(20), default="required", server_default="required")
    origin: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Review(Base):
    """A reviewer's decision on a language version."""

    __tablename__ = "reviews"
    __table_args__ = (one_of("decision", Decision),)
    id: Mapped[int] = mapped_column(primary_key=True)
    language_version_id: Mapped[int] = mapped_column(ForeignKey("language_versions.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Publication(Base):
    """A language version on one channel; written once, so nothing is published twice."""

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("language_version_id", "channel"),
        one_of("state", ChannelState),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    language_version_id: Mapped[int] = mapped_column(ForeignKey("language_versions.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    # A channel's outcome: published | not_configured | refused | failed (core.states.ChannelState,
    # whose answers that are not an outcome yet are never recorded).
    state: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(1000), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    figure: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class WeChatPost(Base):
    """One language version on WeChat, step by step: each step's result is kept before the next runs.

    A run that stops anywhere resumes from the last stored result, so a retry never makes a
    second draft after ``draft/add`` was recorded, nor a second article after ``submit`` was.
    ``draft_requested_at`` and ``submit_requested_at`` are committed before those calls: a run
    that finds one set without its answer looks for the draft or article (by ``marker``) first.
    """

    __tablename__ = "wechat_posts"
    __table_args__ = (one_of("state", WeChatPostState),)
    id: Mapped[int] = mapped_column(primary_key=True)
    language_version_id: Mapped[int] = mapped_column(
        ForeignKey("language_versions.id"), unique=True
    )
    # image address in the notice body -> the address WeChat serves the uploaded copy from
    image_urls: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cover_media_id: Mapped[str | None] = mapped_column(String(200))
    draft_media_id: Mapped[str | None] = mapped_column(String(200))
    publish_id: Mapped[str | None] = mapped_column(String(100))
    article_id: Mapped[str | None] = mapped_column(String(200))
    article_url: Mapped[str | None] = mapped_column(String(1000))
    # preparing | submitted | published | postponed | blocked | refused | failed | deleted
    # (core.states.WeChatPostState)
    state: Mapped[str] = mapped_column(String(20), default="preparing")
    detail: Mapped[str] = mapped_column(Text, default="")
    postponed_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the ``wx`` parameter on the draft's 阅读原文 link, by which draft box and articles are searched
    marker: Mapped[str | None] = mapped_column(String(100))
    draft_requested_at: Mapped[datetime | None]
    submit_requested_at: Mapped[datetime | None]


class WeChatBroadcast(Base):
    """One mass send (群发) of a digest, step by step: each step is stored before the next runs.

    ``clientmsgid`` is fixed when the digest is assembled and sent with every ``sendall`` of this
    attempt, so a repeat after a lost answer is answered 45065 by WeChat instead of pushed again.
    ``waiting`` says why the send does not go on now and ``next_step`` what a person or the next
    run does; both are empty when nothing holds it.
    """

    __tablename__ = "wechat_broadcasts"
    __table_args__ = (one_of("state", BroadcastState),)
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="assembled")
    major: Mapped[bool] = mapped_column(default=False)  # sent at once for a major notice
    clientmsgid: Mapped[str] = mapped_column(String(64), unique=True)
    draft_media_id: Mapped[str | None] = mapped_column(String(200))
    draft_requested_at: Mapped[datetime | None]
    preview_sent_at: Mapped[datetime | None]
    go_by: Mapped[str | None] = mapped_column(String(200))  # the approver's go (two-stage columns)
    go_at: Mapped[datetime | None]
    send_requested_at: Mapped[datetime | None]
    msg_id: Mapped[str | None] = mapped_column(String(40))
    msg_data_id: Mapped[str | None] = mapped_column(String(40))
    msg_status: Mapped[str | None] = mapped_column(String(40))
    sent_at: Mapped[datetime | None]
    not_before: Mapped[datetime | None]  # a quota answer: the next send is no earlier than this
    waiting: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WeChatBroadcastItem(Base):
    """One language version waiting for, or placed in, a mass send; its article as it will go."""

    __tablename__ = "wechat_broadcast_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    language_version_id: Mapped[int] = mapped_column(
        ForeignKey("language_versions.id"), unique=True
    )
    notice_id: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(20))
    column: Mapped[str] = mapped_column(String(100))
    major: Mapped[bool] = mapped_column(default=False)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    article: Mapped[dict[str, Any]]  # draft/add's article, thumb and marker included
    marker: Mapped[str] = mapped_column(String(100))
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("wechat_broadcasts.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)  # 1-based, in the send


class NoticeImage(Base):
    """An image a notice version's body uses, kept with the notice so publishing never needs the file."""

    __tablename__ = "notice_images"
    __table_args__ = (UniqueConstraint("version_id", "source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("notice_versions.id"), index=True)
    source: Mapped[str] = mapped_column(String(1000))  # the address as written in the Markdown
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntry(Base):
    """Append-only log: who did what, when. Written in the same transaction as the change it records."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("notice_versions.id"))
    language: Mapped[str | None] = mapped_column(String(5))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MemoryUnit(Base):
    """A human translation pair of the translation memory (imported TMX or learned on approval)."""

    __tablename__ = "memory_units"
    __table_args__ = (UniqueConstraint("source_key", "target_language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_key: Mapped[str] = mapped_column(String(64))
    target_language: Mapped[str] = mapped_column(String(5))
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CountedText(Base):
    """A foreign-language text as the yearly report counts it: the latest published version of one
    language of one notice (or of one archived article), in the year of the notice's first
    foreign-language publication."""

    __tablename__ = "counted_texts"
    __table_args__ = (
        UniqueConstraint("notice_key", "language"),
        # Covers the report's one grouped query, so it reads the index alone, in group order.
        Index(
            "ix_counted_texts_report",
            "year",
            "state",
            "month",
            "column",
            "language",
            "latin_words",
            "cjk_characters",
            "characters_no_spaces",
            "korean_words",
            "words",
            "lead",
        ),
        one_of("state", CountedState),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    # The notice's key, or "archive:<key>" for an article loaded from an earlier year's archive.
    notice_key: Mapped[str] = mapped_column(String(400))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(400))
    column: Mapped[str] = mapped_column(String(100))
    published_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64))
    latin_words: Mapped[int] = mapped_column(Integer)
    cjk_characters: Mapped[int] = mapped_column(Integer)
    characters_no_spaces: Mapped[int] = mapped_column(Integer)
    korean_words: Mapped[int] = mapped_column(Integer)
    # None for a text counted before waiwen took this measure (`waiwen recount` fills it).
    words: Mapped[int | None] = mapped_column(Integer)
    # True on exactly one row per notice (its first counted language): summing it counts articles
    # without a DISTINCT over notice keys.
    lead: Mapped[bool] = mapped_column(Boolean)
    # counted | retracted (core.states.CountedState)
    state: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Setting(Base):
    """Settings the office changes at run time (kept here so every process sees the same)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WorkClaim(Base):
    """Who is doing one piece of work now (drafting a language, sending to a channel), until when.

    A row is taken by one insert or by one conditional update of a dead holder's row, so of two
    workers exactly one holds it; a holder that dies stops renewing, and its claim lapses for the
    next (at once on the holder's own machine, where its process can be seen to be gone).
    """

    __tablename__ = "work_claims"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    # host:pid:start-time of the holding process (store.claims.this_process).
    holder: Mapped[str] = mapped_column(String(300))
    expires_at: Mapped[datetime] = mapped_column(index=True)


class User(Base):
    """A person who signs in to the review desk, with the roles they hold."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # editor | reviewer | approver | admin (one person may hold several)
    roles: Mapped[list[Any]] = mapped_column(JSON)
    # Languages a reviewer is assigned to; empty: every language.
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class DeskSession(Base):
    """A signed-in browser: only a hash of its cookie is stored, with the session's CSRF token."""

    __tablename__ = "desk_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class SignInAttempt(Base):
    """The sign-ins counted for one name in its current window (reserved before any password check)."""

    __tablename__ = "sign_in_attempts"
    # Anything typed at login, as the audit log's actor holds it: unknown names count too, so a
    # hold-off never tells whether a name exists.
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    # Indexed for the sweep that forgets windows long over.
    window_started: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer)
