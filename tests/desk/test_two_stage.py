"""Two-stage review: major notices, and columns an admin chooses, need an approver after the reviewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.settings import Settings
from desk import accounts
from flows.handoff import PUBLISH
from pipeline import review
from pipeline.drafting import EngineChain
from store.db import transaction
from store.models import AuditEntry, LanguageVersion, Review
from tests.desk.conftest import ADMIN, APPROVER, EN_ONLY, PASSWORD, REVIEWER, REVIEWER2, HandOvers
from tests.notices import write_notice
from tests.pipeline.steps import draft, queue
from tests.pipeline.test_review_races import someone_first

MAJOR = {"urgency": "major", "approval.leader": "分管领导戊"}


def _draft(settings: Settings, chain: EngineChain, tmp_path: Path, **changes: Any) -> int:
    outcome = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"], **changes))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    return outcome.version_id


def _state(settings: Settings) -> str:
    with transaction(settings.resolved_database_url) as session:
        return session.scalars(
            select(LanguageVersion.state).where(LanguageVersion.language == "en")
        ).one()


def test_a_major_notice_needs_the_approvers_sign_off(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path, handed: HandOvers
) -> None:
    version_id = _draft(settings, chain, tmp_path, **MAJOR)
    reviewer = desk(REVIEWER)
    page = reviewer.get("/notices/1/en").text
    assert "two-stage review" in page and "Approve (first stage)" in page
    response = reviewer.post("/notices/1/en/approve", {"comment": "first look"})
    assert "waiting for an approver" in response.text
    assert _state(settings) == "reviewed" and handed == []
    assert "en: awaiting approver" in reviewer.get("/queue").text
    approver = desk(APPROVER)
    assert "Sign off and publish" in approver.get("/notices/1/en").text
    done = approver.post("/notices/1/en/sign-off", {"comment": "agreed"})
    assert done.status_code == 200 and _state(settings) == "approved"
    assert handed == [
        (PUBLISH, [({"version_id": version_id}, f"publish-{handed.database}-{version_id}-en")])
    ]
    with transaction(settings.resolved_database_url) as session:
        decisions = [
            (r.reviewer, r.decision) for r in session.scalars(select(Review).order_by(Review.id))
        ]
    assert decisions == [(REVIEWER, "reviewed"), (APPROVER, "approved")]


def test_the_same_person_cannot_give_both_sign_offs(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    with transaction(settings.resolved_database_url) as session:
        accounts.add_user(session, "两职", PASSWORD, ["reviewer", "approver"], "test")
    both = desk("两职")
    both.post("/notices/1/en/approve", {})
    response = both.post("/notices/1/en/sign-off", {})
    assert response.status_code == 400 and "must come from someone else" in response.text
    assert _state(settings) == "reviewed"


def test_an_edit_after_the_first_sign_off_needs_a_new_review(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    reviewer = desk(REVIEWER)
    reviewer.post("/notices/1/en/approve", {})
    reviewer.post("/notices/1/en/segments/1", {"text": "Overview of the meeting", "revision": "1"})
    assert _state(settings) == "in_review"
    assert desk(APPROVER).post("/notices/1/en/sign-off", {}).status_code == 400


def test_the_approver_can_send_it_back(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    desk(REVIEWER).post("/notices/1/en/approve", {})
    assert (
        desk(APPROVER).post("/notices/1/en/reject", {"comment": "recheck the figures"}).status_code
        == 303
    )
    assert _state(settings) == "rejected"


def _refusals(settings: Settings) -> list[AuditEntry]:
    with transaction(settings.resolved_database_url) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")))


def _decisions(settings: Settings) -> list[tuple[str, str]]:
    with transaction(settings.resolved_database_url) as session:
        return [
            (r.reviewer, r.decision) for r in session.scalars(select(Review).order_by(Review.id))
        ]


def test_an_approver_cannot_reject_what_no_reviewer_approved(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    approver = desk(APPROVER)
    assert "Reject" not in approver.get("/notices/1/en").text.split("<h2>Decision</h2>")[1]

    response = approver.post("/notices/1/en/reject", {"comment": "recheck the figures"})

    assert response.status_code == 403
    assert "no reviewer has approved it yet: a reviewer rejects it" in response.text
    [refusal] = _refusals(settings)
    assert (refusal.actor, refusal.detail["path"]) == (APPROVER, "/notices/1/en/reject")
    assert "a reviewer rejects it" in refusal.detail["why"]
    assert _state(settings) == "in_review" and _decisions(settings) == []


def test_a_reviewer_cannot_reject_what_awaits_the_approver(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    desk(REVIEWER).post("/notices/1/en/approve", {})

    response = desk(REVIEWER2).post("/notices/1/en/reject", {"comment": "I changed my mind"})

    assert response.status_code == 403 and "only an approver can send it back now" in response.text
    [refusal] = _refusals(settings)
    assert refusal.actor == REVIEWER2
    assert _state(settings) == "reviewed" and _decisions(settings) == [(REVIEWER, "reviewed")]


def test_a_reviewer_and_approver_rejects_in_the_stage_the_language_is_in(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    with transaction(settings.resolved_database_url) as session:
        accounts.add_user(session, "两职", PASSWORD, ["reviewer", "approver"], "test", ["fr"])
    both = desk("两职")
    # In review, rejecting takes the reviewer's role with the language: 两职 reviews fr only.
    response = both.post("/notices/1/en/reject", {"comment": "too literal"})
    assert response.status_code == 403 and "reviews fr only, not en" in response.text
    desk(EN_ONLY).post("/notices/1/en/approve", {})
    # Awaiting sign-off, the approver's role is the one that counts.
    assert both.post("/notices/1/en/reject", {"comment": "too literal"}).status_code == 303
    assert _decisions(settings) == [(EN_ONLY, "reviewed"), ("两职", "rejected")]


def test_a_sign_off_that_lost_a_race_is_a_409(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path, monkeypatch: Any
) -> None:
    _draft(settings, chain, tmp_path, **MAJOR)
    desk(REVIEWER).post("/notices/1/en/approve", {})

    def first() -> None:
        with transaction(settings.resolved_database_url) as session:
            review.reject(session, "1", "en", "审批己", "the figures are wrong", ("approver",))

    someone_first(monkeypatch, first)
    response = desk(APPROVER).post("/notices/1/en/sign-off", {})

    assert response.status_code == 409
    assert "en of notice 1 was rejected by 审批己 meanwhile; nothing was done" in response.text
    assert _decisions(settings) == [(REVIEWER, "reviewed"), ("审批己", "rejected")]
    assert _state(settings) == "rejected"


def test_an_admin_makes_a_column_two_stage(
    desk: Any, settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    _draft(settings, chain, tmp_path)
    reviewer = desk(REVIEWER)
    assert "one-stage review" in reviewer.get("/notices/1/en").text
    admin = desk(ADMIN)
    assert admin.post("/admin/two-stage", {"columns": ["要闻动态"]}).status_code == 303
    assert admin.post("/admin/two-stage", {"columns": ["没有这个栏目"]}).status_code == 400
    reviewer.post("/notices/1/en/approve", {})
    assert _state(settings) == "reviewed"
