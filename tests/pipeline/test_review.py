"""Review without Prefect: missing segments block approval, edits are audited, approval counts and teaches the memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from content.segments import segment_notice
from core.settings import Settings
from pipeline import review
from pipeline.lookups import NotFound
from pipeline.memory import SqlMemory
from pipeline.review import ReviewError, StageRefused
from pipeline.review_view import show
from store.db import transaction
from store.models import LanguageVersion, Review
from tests.notices import BODY, front_matter, row_counts, write_notice
from tests.pipeline.steps import (
    NO_ENGINES,
    REVIEWER,
    approve,
    audit,
    draft,
    learn,
    queue,
    translations,
)
from tests.translations import ENGLISH

TITLE = front_matter()["title"]
KEY = f"{TITLE}|2025-03-03"
SOURCES = {s.position: s.text for s in segment_notice(TITLE, BODY).segments}
# English in the memory for every segment but these, which the reviewer must type.
MISSING = (4, 7)
MEMORY_EN = {SOURCES[p]: ENGLISH[SOURCES[p]] for p in SOURCES if p not in MISSING}


@pytest.fixture
def drafted(settings: Settings, url: str, tmp_path: Path) -> int:
    """Notice 1, drafted without engines: English from memory except segments 4 and 7; the version id."""
    learn(url, MEMORY_EN, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md")).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


def edit(
    url: str,
    position: int,
    text: str,
    reviewer: str = REVIEWER,
    expected_revision: int | None = None,
) -> None:
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", position, text, reviewer, expected_revision)


def fill_missing(url: str) -> dict[int, str]:
    """Type the missing English segments; returns what was typed."""
    typed = {p: ENGLISH[SOURCES[p]] for p in MISSING}
    for position, text in typed.items():
        edit(url, position, text)
    return typed


def refused(url: str, action: Callable[..., object], *args: object) -> str:
    """Run a review action that must be refused; returns the message, after checking nothing was stored."""
    before = row_counts(url)
    with pytest.raises((ReviewError, NotFound)) as error, transaction(url) as session:
        action(session, *args)
    assert row_counts(url) == before
    return str(error.value)


def state(url: str, version_id: int, language: str = "en") -> str:
    with transaction(url) as session:
        return session.scalars(
            select(LanguageVersion.state).where(
                LanguageVersion.version_id == version_id, LanguageVersion.language == language
            )
        ).one()


def test_approve_is_refused_while_segments_need_translation(url: str, drafted: int) -> None:
    message = refused(url, review.approve, "1", "en", REVIEWER)
    assert message == "2 segment(s) still need translation (segments 4, 7)"
    assert state(url, drafted) == "in_review"


@pytest.mark.parametrize(
    ("position", "before"), [(4, None), (2, MEMORY_EN[SOURCES[2]])], ids=["missing", "drafted"]
)
def test_an_edit_replaces_the_text_and_is_audited(
    url: str, drafted: int, position: int, before: str | None
) -> None:
    assert translations(url, drafted, "en")[position].revision == 1

    edit(url, position, "The reviewer's English.")

    row = translations(url, drafted, "en")[position]
    assert (row.text, row.origin, row.note, row.revision, row.updated_by) == (
        "The reviewer's English.",
        "human",
        "",
        2,
        REVIEWER,
    )
    [entry] = [e for e in audit(url) if e.action == "edited"]
    assert (entry.actor, entry.notice_id, entry.version_id, entry.language) == (
        REVIEWER,
        1,
        drafted,
        "en",
    )
    assert entry.detail == {
        "segment": position,
        "before": before,
        "after": "The reviewer's English.",
    }


def test_an_edit_based_on_a_stale_revision_is_refused(url: str, drafted: int) -> None:
    edit(url, 4, "First reviewer's English.", reviewer="审校甲", expected_revision=1)

    message = refused(
        url, review.edit_segment, "1", "en", 4, "Second reviewer's English.", "审校丙", 1
    )

    assert (
        repr("First reviewer's English.") in message
    )  # the current text, as the reviewer must see it
    assert "审校甲" in message and "reload" in message
    row = translations(url, drafted, "en")[4]
    assert (row.text, row.revision, row.updated_by) == ("First reviewer's English.", 2, "审校甲")
    edit(url, 4, "Second reviewer's English.", reviewer="审校丙", expected_revision=2)
    assert translations(url, drafted, "en")[4].revision == 3


def test_approve_counts_the_language_and_learns_it_into_the_memory(url: str, drafted: int) -> None:
    typed = fill_missing(url)
    with transaction(url) as session:
        assert SqlMemory(session).exact(SOURCES[4], "en") is None

    approve(url, "1", "en")

    with transaction(url) as session:
        lang = session.scalars(
            select(LanguageVersion).where(
                LanguageVersion.version_id == drafted, LanguageVersion.language == "en"
            )
        ).one()
        reviews = session.execute(
            select(Review.reviewer, Review.decision).where(Review.language_version_id == lang.id)
        ).all()
        memory = SqlMemory(session)
        learned = {p: memory.exact(source, "en") for p, source in SOURCES.items()}
        other_language = memory.exact(SOURCES[4], "ja")
    assert (lang.state, lang.approved_by, lang.convention) == (
        "approved",
        REVIEWER,
        "office-2020 v2",
    )
    # office-2020 v2 counts English in words: the twelve texts of tests/translations.py have
    # 9+4+14+9+9+12+1+1+2+2+6+2 = 71 space-separated words (numbers included); table pipes are not words.
    assert lang.figure == 71
    assert lang.measures and all(value >= 0 for value in lang.measures.values())
    assert reviews == [(REVIEWER, "approved")]
    [entry] = [e for e in audit(url) if e.action == "approved"]
    assert (entry.actor, entry.language) == (REVIEWER, "en")
    assert entry.detail == {"figure": lang.figure, "convention": "office-2020 v2"}
    assert learned == {p: typed.get(p) or MEMORY_EN[SOURCES[p]] for p in SOURCES}
    assert other_language is None


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_a_rejection_needs_a_comment(url: str, drafted: int, comment: str) -> None:
    message = refused(url, review.reject, "1", "en", REVIEWER, comment)
    assert "needs a comment" in message
    assert state(url, drafted) == "in_review"


def test_a_rejected_language_returns_to_review_when_edited(url: str, drafted: int) -> None:
    with transaction(url) as session:
        review.reject(session, "1", "en", REVIEWER, "Segments 4 and 7 are missing.")
    assert state(url, drafted) == "rejected"
    [entry] = [e for e in audit(url) if e.action == "rejected"]
    assert (entry.language, entry.detail) == ("en", {"comment": "Segments 4 and 7 are missing."})
    with transaction(url) as session:
        assert session.execute(select(Review.decision, Review.comment)).all() == [
            ("rejected", "Segments 4 and 7 are missing.")
        ]
    assert "is rejected" in refused(url, review.approve, "1", "en", REVIEWER)
    assert "is rejected" in refused(url, review.reject, "1", "en", REVIEWER, "again")

    edit(url, 4, "The meeting reviewed the city's consular work in 2024.")

    assert state(url, drafted) == "in_review"
    edit(url, 7, "Number")
    approve(url, "1", "en")
    assert state(url, drafted) == "approved"


def test_an_approver_does_not_reject_what_no_reviewer_approved(url: str, drafted: int) -> None:
    with pytest.raises(StageRefused) as refusal, transaction(url) as session:
        review.reject(session, "1", "en", "审批丁", "recheck the figures", ("approver",))
    assert refusal.value.needs == "reviewer"
    assert str(refusal.value) == (
        "en of notice 1 is in review and no reviewer has approved it yet: a reviewer rejects it; "
        "approvers send back what a reviewer approved"
    )
    assert state(url, drafted) == "in_review"
    message = refused(url, review.reject, "1", "en", "审批丁", "again", ("approver",))
    assert "a reviewer rejects it" in message  # and nothing was stored (checked by refused)


def test_an_edit_without_a_revision_expects_the_one_it_reads(url: str, drafted: int) -> None:
    edit(url, 4, "First.")
    edit(url, 4, "Second.")  # no revision given: based on revision 2, read in the same call
    row = translations(url, drafted, "en")[4]
    assert (row.text, row.revision) == ("Second.", 3)
    assert "changed by" in refused(url, review.edit_segment, "1", "en", 4, "Third.", REVIEWER, 2)


def test_approving_twice_is_refused(url: str, drafted: int) -> None:
    fill_missing(url)
    approve(url, "1", "en")

    message = refused(url, review.approve, "1", "en", REVIEWER)

    assert message == "en of notice 1 is approved; only a language in review can be approved"
    assert "only drafts in review can be edited" in refused(
        url, review.edit_segment, "1", "en", 4, "Late.", REVIEWER
    )
    assert "only a language in review can be rejected" in refused(
        url, review.reject, "1", "en", REVIEWER, "Late."
    )


def test_a_notice_can_be_named_by_its_key(url: str, drafted: int) -> None:
    with transaction(url) as session:
        view = show(session, KEY, "en")
    assert (view.notice_id, view.version_id, view.language, view.state) == (
        1,
        drafted,
        "en",
        "in_review",
    )
    assert [s.position for s in view.segments] == sorted(SOURCES)
    assert [s.position for s in view.segments if s.text is None] == list(MISSING)


ERRORS = [
    # (action, arguments after the session, words the message must contain)
    (show, ("999", "en"), ["no notice '999'"]),
    (review.approve, ("没有这个通知", "en", REVIEWER), ["no notice '没有这个通知'"]),
    (review.reject, ("42", "en", REVIEWER, "why"), ["no notice '42'"]),
    # All digits but past the INTEGER id column (or not a number int() reads): no notice, no crash.
    (show, ("99999999999999999999", "en"), ["no notice '99999999999999999999'"]),
    (review.approve, (str(2**31), "en", REVIEWER), [f"no notice '{2**31}'"]),
    (show, ("²", "en"), ["no notice '²'"]),
    (
        review.approve,
        ("1", "de", REVIEWER),
        ["notice 1 has no de version (its languages: en, ja, fr, ko)"],
    ),
    (review.edit_segment, ("1", "xx", 1, "text", REVIEWER), ["notice 1 has no xx version"]),
    (review.edit_segment, ("1", "en", 99, "text", REVIEWER), ["notice 1 has no segment 99 in en"]),
    (review.edit_segment, ("1", "en", 4, "  \n ", REVIEWER), ["the new text is empty"]),
]


@pytest.mark.parametrize(
    ("action", "args", "words"), ERRORS, ids=lambda value: getattr(value, "__name__", None)
)
def test_unknown_notice_language_or_segment_is_said_plainly(
    url: str, drafted: int, action: Callable[..., object], args: tuple, words: list[str]
) -> None:
    message = refused(url, action, *args)
    for word in words:
        assert word in message
    assert (
        "waiwen" not in message
    )  # the command line adds its commands (tests/desk/test_commands.py)


def test_a_queued_notice_cannot_be_reviewed_before_drafting(
    settings: Settings, url: str, tmp_path: Path
) -> None:
    queue(settings, write_notice(tmp_path / "notice.md"))
    message = refused(url, show, "1", "en")
    assert message == "notice 1 is queued and not drafted yet"
