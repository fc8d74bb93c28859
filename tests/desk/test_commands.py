"""`waiwen users`, `waiwen calendar` and `waiwen review sign-off` from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from pipeline.drafting import EngineChain
from store.db import transaction
from store.models import LanguageVersion, User
from tests.notices import write_notice
from tests.pipeline.steps import draft, queue
from waiwen.cli import main
from waiwen.settings import Settings

SCHEDULE_2027 = Path(__file__).resolve().parent.parent / "review" / "data" / "2027.yaml"


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
    assert result.exit_code == 1 and "de is not a target language" in result.output
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
