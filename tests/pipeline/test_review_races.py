"""Concurrent review actions: real threads, each in its own transaction; exactly one of them wins."""

# ``race`` lines the threads up with a barrier. ``reads_done`` also holds every thread at its
# first conditional write until all of them have read, so each loser certainly read the state it
# then fails to change; ``someone_first`` lets another person act in that very window. No timing
# is asserted: on SQLite and PostgreSQL alike the outcome must be one winner and clear refusals.

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.settings import Settings
from pipeline import review
from pipeline.agency import export_xliff, import_xliff
from pipeline.glossary import load_glossary
from pipeline.review import EditConflict, StateMoved
from store.db import transaction
from store.models import (
    AuditEntry,
    CheckOverride,
    LanguageVersion,
    MemoryUnit,
    Review,
    Segment,
    Translation,
)
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, learn, queue, translations
from tests.translations import ENGLISH
from translators.xliff import XliffError, read_xliff

MAJOR = {"urgency": "major", "approval.leader": "分管领导戊"}
SEGMENT = 2  # 3月3日，市政府外办召开2025年领事工作通报会。
SOURCE = "3月3日，市政府外办召开2025年领事工作通报会。"
# A reviewer's version of that sentence, without findings (the approval learns it).
TYPED = "On March 3, the Shanghai Foreign Affairs Office held its 2025 consular work briefing in person."
WAIT = 60  # seconds a thread waits for the others before the test fails instead of hanging


def race(count: int, action: Callable[[int], object]) -> list[object]:
    """Run ``action(i)`` in ``count`` threads released together; each one's result or exception."""
    start = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(index: int) -> None:
        start.wait(timeout=WAIT)
        try:
            outcomes[index] = action(index)
        except Exception as error:  # the outcome under test, whatever it is
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * WAIT)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def reads_done(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """Hold each thread at its first conditional write until all ``count`` threads got there."""
    barrier = threading.Barrier(count)
    local = threading.local()
    real = review.updated_rows

    def held(session: Any, statement: Any) -> int:
        if not getattr(local, "held", False):
            local.held = True
            barrier.wait(timeout=WAIT)
        return real(session, statement)

    monkeypatch.setattr(review, "updated_rows", held)


def someone_first(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    """Let ``action`` commit (own thread and transaction) between the caller's reads and first write."""
    real = review.updated_rows
    errors: list[BaseException] = []
    done = threading.Event()

    def competitor() -> None:
        try:
            action()
        except BaseException as error:  # handed to the caller's thread below
            errors.append(error)

    def interleaved(session: Any, statement: Any) -> int:
        if not done.is_set():
            done.set()
            thread = threading.Thread(target=competitor)
            thread.start()
            thread.join(timeout=WAIT)
            assert not thread.is_alive(), "the competing action did not finish"
            if errors:
                raise errors[0]
        return real(session, statement)

    monkeypatch.setattr(review, "updated_rows", interleaved)


def in_transaction(url: str, step: Callable[..., object], *args: object) -> object:
    """One review step in its own transaction, as one request or command runs it."""
    with transaction(url) as session:
        return step(session, *args)


def actions(url: str, action: str) -> list[AuditEntry]:
    with transaction(url) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def reviews(url: str) -> list[tuple[str, str]]:
    with transaction(url) as session:
        return [
            (r.reviewer, r.decision) for r in session.scalars(select(Review).order_by(Review.id))
        ]


def language_state(url: str) -> str:
    with transaction(url) as session:
        return session.scalars(
            select(LanguageVersion.state).where(LanguageVersion.language == "en")
        ).one()


def approvable(settings: Settings, tmp_path: Path, **changes: Any) -> int:
    """Notice 1 in English, every segment from the memory and without findings; its version id."""
    url = settings.resolved_database_url
    learn(url, ENGLISH, "en")
    path = write_notice(tmp_path / "notice.md", languages=["en"], **changes)
    version_id = queue(settings, path).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


@pytest.fixture
def drafted(settings: Settings, tmp_path: Path) -> int:
    return approvable(settings, tmp_path)


@pytest.fixture
def reviewed(settings: Settings, tmp_path: Path) -> int:
    """A major notice whose English a reviewer approved: it awaits the approver's sign-off."""
    version_id = approvable(settings, tmp_path, **MAJOR)
    in_transaction(settings.resolved_database_url, review.approve, "1", "en", "审校乙")
    assert language_state(settings.resolved_database_url) == "reviewed"
    return version_id


@pytest.mark.parametrize(
    ("lined_up", "expected"),
    [("at-start", 1), ("after-reading", 1), ("after-reading", None)],
    # Without a revision each save expects the one it read: only saves that all read the same
    # revision (held until all have read) must then end with one winner.
    ids=["at-start", "after-reading", "after-reading-revision-read"],
)
def test_eight_saves_of_one_revision_store_exactly_one(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch, lined_up: str, expected: int | None
) -> None:
    if lined_up == "after-reading":
        reads_done(monkeypatch, 8)
    texts = [f"Reviewer {i}'s English of the sentence." for i in range(8)]

    outcomes = race(
        8,
        lambda i: in_transaction(
            url, review.edit_segment, "1", "en", SEGMENT, texts[i], f"审校{i}", expected
        ),
    )

    winners = [i for i, outcome in enumerate(outcomes) if outcome is None]
    assert len(winners) == 1, outcomes
    [winner] = winners
    losers = [outcome for i, outcome in enumerate(outcomes) if i != winner]
    assert all(isinstance(loser, EditConflict) for loser in losers), losers
    for conflict in losers:
        assert isinstance(conflict, EditConflict)
        assert (conflict.theirs, conflict.by, conflict.revision) == (
            texts[winner],
            f"审校{winner}",
            2,
        )
    row = translations(url, drafted, "en")[SEGMENT]
    assert (row.text, row.revision, row.updated_by) == (texts[winner], 2, f"审校{winner}")
    [entry] = actions(url, "edited")
    assert entry.detail["after"] == texts[winner]
    assert entry.detail["before"] == ENGLISH[SOURCE]


def test_four_approvals_record_one(url: str, drafted: int, monkeypatch: pytest.MonkeyPatch) -> None:
    in_transaction(url, review.edit_segment, "1", "en", SEGMENT, TYPED, "审校乙", 1)
    reads_done(monkeypatch, 4)

    outcomes = race(4, lambda i: in_transaction(url, review.approve, "1", "en", f"审校{i}"))

    winners = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, LanguageVersion)]
    assert len(winners) == 1, outcomes
    [winner] = winners
    for i, outcome in enumerate(outcomes):
        if i != winner:
            assert isinstance(outcome, StateMoved), outcome
            assert str(outcome) == (
                f"en of notice 1 was approved by 审校{winner} meanwhile; nothing was done"
            )
    assert [e.actor for e in actions(url, "approved")] == [f"审校{winner}"]
    assert reviews(url) == [(f"审校{winner}", "approved")]
    with transaction(url) as session:
        lang = session.scalars(
            select(LanguageVersion).where(LanguageVersion.language == "en")
        ).one()
        learned = session.scalars(select(MemoryUnit).where(MemoryUnit.target_text == TYPED)).all()
    assert (lang.state, lang.approved_by) == ("approved", f"审校{winner}")
    assert lang.figure and lang.figure > 0
    assert [unit.origin for unit in learned] == [f"approved:{drafted}/en"]


def test_four_sign_offs_record_one(
    url: str, reviewed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_done(monkeypatch, 4)

    outcomes = race(4, lambda i: in_transaction(url, review.sign_off, "1", "en", f"审批{i}"))

    winners = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, LanguageVersion)]
    assert len(winners) == 1, outcomes
    [winner] = winners
    for i, outcome in enumerate(outcomes):
        if i != winner:
            assert isinstance(outcome, StateMoved), outcome
            assert f"was approved by 审批{winner} meanwhile; nothing was done" in str(outcome)
    assert [e.actor for e in actions(url, "approved")] == [f"审批{winner}"]
    assert reviews(url) == [("审校乙", "reviewed"), (f"审批{winner}", "approved")]
    assert language_state(url) == "approved"


def test_a_double_submitted_sign_off_records_one(
    url: str, reviewed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_done(monkeypatch, 4)

    outcomes = race(4, lambda _: in_transaction(url, review.sign_off, "1", "en", "审批丁"))

    assert sum(isinstance(outcome, LanguageVersion) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, StateMoved) for outcome in outcomes) == 3, outcomes
    assert len(actions(url, "approved")) == 1
    assert reviews(url) == [("审校乙", "reviewed"), ("审批丁", "approved")]


def test_a_rejection_and_an_approval_at_once_leave_one_decision(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_done(monkeypatch, 2)
    steps: list[Callable[[], object]] = [
        lambda: in_transaction(url, review.approve, "1", "en", "审校乙"),
        lambda: in_transaction(url, review.reject, "1", "en", "审校丙", "the tone is off"),
    ]

    outcomes = race(2, lambda i: steps[i]())

    moved = [outcome for outcome in outcomes if isinstance(outcome, StateMoved)]
    assert len(moved) == 1, outcomes
    if isinstance(outcomes[0], LanguageVersion):
        assert language_state(url) == "approved"
        assert str(moved[0]) == "en of notice 1 was approved by 审校乙 meanwhile; nothing was done"
        assert reviews(url) == [("审校乙", "approved")]
    else:
        assert language_state(url) == "rejected"
        assert str(moved[0]) == "en of notice 1 was rejected by 审校丙 meanwhile; nothing was done"
        assert reviews(url) == [("审校丙", "rejected")]


def test_an_edit_never_lands_after_the_approval(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads_done(monkeypatch, 2)
    late = TYPED  # without findings: if the edit comes first, the approval still goes ahead
    steps: list[Callable[[], object]] = [
        lambda: in_transaction(url, review.approve, "1", "en", "审校乙"),
        lambda: in_transaction(url, review.edit_segment, "1", "en", SEGMENT, late, "审校丙", 1),
    ]

    approval, edit = race(2, lambda i: steps[i]())

    assert isinstance(approval, LanguageVersion), approval
    stored = translations(url, drafted, "en")[SEGMENT].text
    if edit is None:  # the edit came first: the approval counted and learned the edited text
        assert stored == late
    else:
        assert isinstance(edit, StateMoved), edit
        assert str(edit) == "en of notice 1 was approved by 审校乙 meanwhile; nothing was done"
        assert stored == ENGLISH[SOURCE] and actions(url, "edited") == []
    with transaction(url) as session:
        learned = session.scalars(
            select(MemoryUnit.target_text).where(MemoryUnit.origin == f"approved:{drafted}/en")
        ).all()
    assert (stored in learned) == (edit is None)  # only a changed text is learned anew


def test_a_loser_is_told_who_moved_the_state(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    someone_first(monkeypatch, lambda: in_transaction(url, review.approve, "1", "en", "审校丙"))
    with pytest.raises(StateMoved) as moved, transaction(url) as session:
        review.reject(session, "1", "en", "审校乙", "the tone is off")
    assert str(moved.value) == "en of notice 1 was approved by 审校丙 meanwhile; nothing was done"
    assert reviews(url) == [("审校丙", "approved")]
    assert actions(url, "rejected") == []


def test_a_double_submitted_override_is_stored_once(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dropping the 120 of the source makes the numbers check report an error on segment 3.
    dropped = "About a hundred representatives of consular missions in Shanghai attended."
    in_transaction(url, review.edit_segment, "1", "en", 3, dropped, "审校乙", 1)
    reads_done(monkeypatch, 4)

    outcomes = race(
        4,
        lambda i: in_transaction(
            url, review.override_check, "1", "en", 3, "numbers", f"reason {i}", "审校乙"
        ),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    with transaction(url) as session:
        stored = session.execute(select(CheckOverride.check_id, CheckOverride.revision)).all()
    assert stored == [("numbers", 2)]
    assert len(actions(url, "check overridden")) == 1


def test_an_agency_import_never_overwrites_a_concurrent_edit(
    url: str, drafted: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(url) as session:
        data, _ = export_xliff(session, "1", "en")
    agency = data.replace(ENGLISH[SOURCE].encode(), b"The agency's English of the sentence.", 1)
    mine = "The reviewer's English, saved while the file was imported."
    someone_first(
        monkeypatch,
        lambda: in_transaction(url, review.edit_segment, "1", "en", SEGMENT, mine, "审校乙", 1),
    )

    with pytest.raises(XliffError) as refused, transaction(url) as session:
        import_xliff(session, read_xliff(agency), "译文公司", path="agency/notice-1-en.xlf")

    assert "trans-unit s2: 审校乙 saved segment 2 while the file was imported" in str(refused.value)
    assert "nothing of the file was taken" in str(refused.value)
    row = translations(url, drafted, "en")[SEGMENT]
    assert (row.text, row.revision, row.origin) == (mine, 2, "human")
    assert [e.actor for e in actions(url, "edited")] == ["审校乙"]


def test_the_cas_compares_in_the_database_not_in_memory(url: str, drafted: int) -> None:
    """A stale object in the session does not make a save: the row's revision decides."""
    with transaction(url) as session:
        row = session.scalars(select(Translation).where(Translation.revision == 1)).first()
        assert row is not None
        segment = session.get_one(Segment, row.segment_id)
        in_transaction(
            url, review.edit_segment, "1", "en", segment.position, "Saved elsewhere.", "审校丙", 1
        )
        with pytest.raises(EditConflict) as conflict:
            review.save_text(
                session,
                row,
                segment,
                "Mine, from a stale read.",
                expected_revision=1,
                origin="human",
                actor="审校乙",
                glossary=load_glossary(session),
            )
        assert (conflict.value.theirs, conflict.value.by) == ("Saved elsewhere.", "审校丙")
    with transaction(url) as session:
        count = session.scalar(
            select(func.count())
            .select_from(Translation)
            .where(Translation.text == "Saved elsewhere.")
        )
    assert count == 1
