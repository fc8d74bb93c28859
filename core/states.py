"""The states the database stores, one enum per state column; each value is the stored string.

A member compares equal to its string, so code and stored rows agree without conversion; the
database refuses any other value (a CHECK per column, migration 0008).
"""

from __future__ import annotations

from enum import StrEnum


class VersionState(StrEnum):
    """Where a notice version stands (``notice_versions.state``)."""

    QUEUED = "queued"
    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    SUPERSEDED = "superseded"  # a newer version of the notice arrived
    RETRACTED = "retracted"


class LanguageState(StrEnum):
    """Where one language of a version stands in review and publishing (``language_versions.state``)."""

    # A language of a queued version has no row yet; the status shows it as queued.
    QUEUED = "queued"
    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"  # approved by a reviewer, awaiting an approver's sign-off
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a newer version of the notice arrived before publication
    RETRACTED = "retracted"


class Decision(StrEnum):
    """A reviewer's or approver's decision on a language (``reviews.decision``)."""

    REVIEWED = "reviewed"  # the first of two stages
    APPROVED = "approved"
    REJECTED = "rejected"


class ChannelState(StrEnum):
    """What a channel answers for one page; an outcome is kept as its publication (``publications.state``)."""

    PUBLISHED = "published"
    NOT_CONFIGURED = "not_configured"
    REFUSED = "refused"
    FAILED = "failed"
    # Not an outcome yet: nothing is recorded, the language stays approved and the next run goes on.
    PUBLISHING = "publishing"
    POSTPONED = "postponed"
    BLOCKED = "blocked"


class HeldState(StrEnum):
    """What a channel answers when asked about, or told to retract, a key it does not hold.

    An answer only: never stored (publications keep their last ChannelState).
    """

    NOT_PUBLISHED = "not_published"
    RETRACTED = "retracted"  # it held the page and has just taken it off


class WeChatPostState(StrEnum):
    """Where one language's WeChat article stands in its journal (``wechat_posts.state``)."""

    PREPARING = "preparing"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    POSTPONED = "postponed"
    BLOCKED = "blocked"
    REFUSED = "refused"
    FAILED = "failed"
    DELETED = "deleted"  # withdrawn on retraction


class BroadcastState(StrEnum):
    """Where one mass send (群发) of a digest stands in its journal (``wechat_broadcasts.state``)."""

    ASSEMBLED = "assembled"  # its articles and their order are fixed; no draft yet
    DRAFTED = "drafted"  # the multi-article draft exists; not sent
    SENDING = "sending"  # sendall was asked (its clientmsgid committed first)
    SENT = "sent"  # WeChat took the send (msg_id stored); followers may not have it yet
    DONE = "done"  # message/mass/get said SEND_SUCCESS
    DELETED = "deleted"  # taken out of the account's history on retraction


class CountedState(StrEnum):
    """Whether a text counts in the yearly report (``counted_texts.state``)."""

    COUNTED = "counted"
    RETRACTED = "retracted"
