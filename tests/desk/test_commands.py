"""`waiwen users`, `waiwen calendar` and `waiwen review` (sign-off, edit, reject, hints) on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.settings import Settings
from pipeline import review
from pipeline.drafting import EngineChain
from store.db import transaction
from store.models import LanguageVersion, Review, User
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, draft, learn, queue, translations
from tests.pipeline.test_review_races import someone_first
from tests.translations import ENGLISH
from waiwen.cli import main

SCHEDULE_2027 = Path(__file__).resolve().parent.parent / "content" / "data" / "2027.yaml"


def _run(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_users_add_reads_the_password_from_stdin_and_stores_a_hash(settings: Settings) -> None:
    said = _run(
        "users",
        "add",
        "译审甲",
        "--role",
        "reviewer",
        "--role",
        "approver",
        "--languages",
        "en,ja",
        input="a long enough password\n",
    )
    assert "user 译审甲 added (reviewer, approver)" in said
    with transaction(settings.resolved_database_url) as session:
        user = session.scalars(select(User)).one()
    assert (user.roles, user.languages, user.active) == (
        ["reviewer", "approver"],
        ["en", "ja"],
        True,
    )
    assert "a long enough password" not in user.password_hash
    assert "译审甲  reviewer,approver  languages en,ja" in _run("users", "list")


def test_users_rules_are_said_plainly(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["users", "add", "x", "--role", "editor"], input="short\n")
    assert result.exit_code == 1 and "password: must be at least 10 characters" in result.output
    result = CliRunner().invoke(
        main,
        ["users", "add", "x", "--role", "editor", "--languages", "de"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1 and (
        "languages: de is not among the configured target languages "
        "(WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)" in result.output
    )
    result = CliRunner().invoke(
        main,
        ["users", "add", "x", "--role", "editor", "--languages", "xx"],
        input="a long enough password\n",
    )
    assert result.exit_code == 1 and "xx is not a target language" in result.output
    result = CliRunner().invoke(main, ["users", "set", "nobody", "--disable"])
    assert result.exit_code == 1 and "there is no user 'nobody'" in result.output


def test_users_set_disables_and_changes_roles(settings: Settings) -> None:
    _run("users", "add", "编辑", "--role", "editor", input="a long enough password\n")
    _run("users", "set", "编辑", "--role", "editor", "--role", "reviewer", "--disable")
    assert "编辑  editor,reviewer  (disabled)" in _run("users", "list")


def test_calendar_load_and_list(settings: Settings) -> None:
    assert "the 2027 schedule is loaded" in _run("calendar", "load", str(SCHEDULE_2027))
    assert "2027: " in _run("calendar", "list")
    result = CliRunner().invoke(main, ["calendar", "load", "missing.yaml"])
    assert result.exit_code == 1 and "cannot read the file" in result.output


def test_review_sign_off_on_the_command_line(
    settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    path = write_notice(
        tmp_path / "m.md", languages=["en"], urgency="major", **{"approval.leader": "分管领导戊"}
    )
    outcome = queue(settings, path)
    draft(settings.resolved_database_url, outcome.version_id, chain)
    said = _run("review", "approve", "1", "en", "--reviewer", "审校乙")
    assert "needs an approver's sign-off" in said
    refused = CliRunner().invoke(main, ["review", "sign-off", "1", "en", "--approver", "审校乙"])
    assert refused.exit_code == 1 and "someone else" in refused.output
    said = _run("review", "sign-off", "1", "en", "--approver", "审批丁", "--comment", "同意")
    assert "approved; counted" in said
    with transaction(settings.resolved_database_url) as session:
        assert (
            session.scalars(
                select(LanguageVersion.state).where(LanguageVersion.language == "en")
            ).one()
            == "approved"
        )


def _refused(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 1, result.output
    return result.output


@pytest.fixture
def major(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    """A major notice drafted in English (two-stage review); its version id."""
    path = write_notice(
        tmp_path / "m.md", languages=["en"], urgency="major", **{"approval.leader": "分管领导戊"}
    )
    outcome = queue(settings, path)
    draft(settings.resolved_database_url, outcome.version_id, chain)
    return outcome.version_id


def test_review_edit_saves_only_over_the_revision_it_is_based_on(
    settings: Settings, major: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.resolved_database_url
    edit = ["review", "edit", "1", "en", "1", "--reviewer", "审校乙"]
    assert "saved" in _run(*edit[:5], "Overview", *edit[5:], "--revision", "1")
    said = _refused(*edit[:5], "Summary", *edit[5:], "--revision", "1")
    assert "segment 1 was changed by 审校乙 meanwhile (now: 'Overview')" in said
    assert "--revision 2`" in said  # how to save over it deliberately
    assert translations(url, major, "en")[1].text == "Overview"
    assert "saved" in _run(*edit[:5], "Summary", *edit[5:])  # based on the revision it reads
    assert translations(url, major, "en")[1].revision == 3
    assert "--revision" in _run("review", "edit", "--help")

    def first() -> None:  # a desk save between the command's read and its write
        with transaction(url) as session:
            review.edit_segment(session, "1", "en", 1, "The desk's text", "审校丙", 3)

    someone_first(monkeypatch, first)
    said = _refused(*edit[:5], "The command's text", *edit[5:])
    assert 'changed by 审校丙 meanwhile (now: "The desk\'s text")' in said
    row = translations(url, major, "en")[1]
    assert (row.text, row.revision) == ("The desk's text", 4)


def test_review_approve_that_lost_a_race_exits_1_with_the_message(
    settings: Settings, major: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def first() -> None:
        with transaction(settings.resolved_database_url) as session:
            review.approve(session, "1", "en", "审校丙")

    someone_first(monkeypatch, first)
    said = _refused("review", "approve", "1", "en", "--reviewer", "审校乙")
    assert (
        "en of notice 1 was approved by 审校丙 meanwhile and awaits an approver's sign-off; "
        "nothing was done"
    ) in said
    with transaction(settings.resolved_database_url) as session:
        assert session.execute(select(Review.reviewer, Review.decision)).all() == [
            ("审校丙", "reviewed")
        ]


def test_review_reject_takes_the_role_of_the_stage(settings: Settings, major: int) -> None:
    reject = ["review", "reject", "1", "en", "--comment", "recheck"]
    assert "a reviewer rejects it" in _refused(*reject, "--approver", "审批丁")
    assert "say who rejects" in _refused(*reject)
    assert "say who rejects" in _refused(*reject, "--reviewer", "审校乙", "--approver", "审批丁")
    _run("review", "approve", "1", "en", "--reviewer", "审校乙")
    assert "only an approver can send it back now" in _refused(*reject, "--reviewer", "审校丙")
    assert "rejected" in _run(*reject, "--approver", "审批丁")
    with transaction(settings.resolved_database_url) as session:
        assert session.execute(select(Review.reviewer, Review.decision)).all() == [
            ("审校乙", "reviewed"),
            ("审批丁", "rejected"),
        ]


def test_a_notice_number_past_the_id_column_is_no_notice(settings: Settings, major: int) -> None:
    said = _refused("review", "show", "99999999999999999999", "en")
    assert "no notice '99999999999999999999'" in said
    assert "no notice" in _refused("review", "approve", str(2**31), "en", "--reviewer", "审校乙")


def test_refusals_end_with_the_command_that_helps_next(settings: Settings, tmp_path: Path) -> None:
    # The pipeline's messages name no command (tests/pipeline/test_review.py); the command line adds them.
    url = settings.resolved_database_url
    said = _refused("review", "show", "999", "en")
    assert said == "waiwen: no notice '999': see `waiwen status` for the notice numbers\n"
    counted = "各国驻沪领事机构代表约120人出席会议。"
    learn(url, {zh: en for zh, en in ENGLISH.items() if zh != counted}, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"])).version_id
    said = _refused("review", "show", "1", "en")
    assert said == "waiwen: notice 1 is queued and not drafted yet; run `waiwen run`\n"
    draft(url, version_id, NO_ENGINES)
    approve = ["review", "approve", "1", "en", "--reviewer", "审校乙"]
    [missing] = [p for p, row in translations(url, version_id, "en").items() if row.text is None]
    assert _refused(*approve) == (
        f"waiwen: 1 segment(s) still need translation (segments {missing}); "
        "type them with `waiwen review edit 1 en SEGMENT TEXT`\n"
    )
    wrong = "About 150 representatives of consular missions in Shanghai attended."
    _run("review", "edit", "1", "en", str(missing), wrong, "--reviewer", "审校乙")
    said = _refused(*approve)
    assert said.startswith("waiwen: 1 quality-check error(s) block approval: ")
    assert said.endswith(
        "the translation has 150. Fix the text with `waiwen review edit`, or accept a finding "
        "with `waiwen review override 1 en SEGMENT CHECK --reason TEXT`\n"
    )
