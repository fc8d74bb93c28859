"""The AI second reader on stored drafts: warnings kept per revision, stale after an edit, never blocking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings, get_settings
from pipeline import review
from pipeline.ai_review import configured_reader, review_language
from pipeline.drafting import EngineChain
from pipeline.office_settings import CHECK_LEVELS, set_check_level, write
from pipeline.review_view import show
from store.db import transaction
from store.models import AuditEntry, LanguageVersion
from tests.notices import write_notice
from tests.pipeline.steps import REVIEWER, draft, queue, translations
from tests.standins.chat import API_KEY, MODEL, ChatStandIn
from tests.standins.engine_fixtures import chat_standin
from translators.checks.advisory import AI_REVIEW
from translators.checks.severity import SeverityRuleError
from translators.llm.client import ChatClient
from translators.llm.review import AIReader

__all__ = ["chat_standin"]  # the stand-in's fixture, used by the tests below

# Segment 3 of the test notice (各国驻沪领事机构代表约120人出席会议。); one request carries the
# whole language, so its wire id is s3. Findings here are scripted for the request.
OMISSION = {
    "id": "s3",
    "category": "omission",
    "severity": "major",
    "source_excerpt": "约120人",
    "target_excerpt": "",
    "explanation": "'about' is missing",
}


@pytest.fixture
def drafted(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    """Notice 1 drafted into en and fr by the LibreTranslate stand-in; its version id."""
    outcome = queue(settings, write_notice(tmp_path / "notice.md", languages=["en", "fr"]))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    return outcome.version_id


def reader_on(standin: ChatStandIn) -> AIReader:
    client = ChatClient(
        "openai", base_url=standin.base_url, api_key=API_KEY, model=MODEL, timeout=5
    )
    return AIReader(client, sleep=lambda _s: None)


def rows_of(url: str, version_id: int, language: str, position: int) -> list[dict[str, Any]]:
    return list(translations(url, version_id, language)[position].findings or [])


def test_findings_are_stored_as_warnings_with_category_revision_and_spans(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    checks_before = rows_of(url, drafted, "en", 3)
    target = translations(url, drafted, "en")[3].text or ""
    chat_standin.review_next(
        [
            OMISSION,
            {**OMISSION, "target_excerpt": target[:12], "severity": "minor", "category": "style"},
        ]
    )

    outcome = review_language(url, "1", "en", reader_on(chat_standin))

    assert outcome.findings == 2 and not outcome.failed and outcome.note == ""
    assert outcome.usage.requests == 1 and outcome.usage.prompt_tokens > 0
    rows = rows_of(url, drafted, "en", 3)
    assert rows[: len(checks_before)] == checks_before  # the checks' own are untouched
    major, minor = rows[len(checks_before) :]
    assert major == {
        "check": AI_REVIEW,
        "severity": "warning",
        "message": "omission (major): 'about' is missing",
        "category": "omission",
        "model_severity": "major",
        "revision": 1,
        "model": MODEL,
        "source_span": [major["source_span"][0], major["source_span"][0] + 5],
    }
    with transaction(url) as session:
        source = show(session, "1", "en").segments[3].source
    assert source[slice(*major["source_span"])] == "约120人"
    assert minor["severity"] == "warning" and minor["target_span"] == [0, 12]
    assert minor["source_span"] == major["source_span"]


def test_a_new_reading_replaces_the_segments_earlier_ai_findings_only(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    chat_standin.review_next([OMISSION])
    review_language(url, "1", "en", reader_on(chat_standin))
    chat_standin.review_next([])  # the second reading finds nothing
    review_language(url, "1", "en", reader_on(chat_standin))
    assert [r for r in rows_of(url, drafted, "en", 3) if r["check"] == AI_REVIEW] == []


def test_one_segment_can_be_read_alone(url: str, drafted: int, chat_standin: ChatStandIn) -> None:
    chat_standin.review_next([{**OMISSION, "id": "s0"}])
    outcome = review_language(url, "1", "en", reader_on(chat_standin), position=3)
    (request,) = chat_standin.requests
    assert len(request["data"]["segments"]) == 1 and outcome.read == 1
    assert any(r["check"] == AI_REVIEW for r in rows_of(url, drafted, "en", 3))


def test_an_edit_keeps_the_ai_findings_and_they_are_shown_stale(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    chat_standin.review_next([OMISSION])
    review_language(url, "1", "en", reader_on(chat_standin))
    with transaction(url) as session:
        fresh = show(session, "1", "en").segments[3].findings
    assert [f.get("stale") for f in fresh if f["check"] == AI_REVIEW] == [None]

    with transaction(url) as session:
        review.edit_segment(session, "1", "en", 3, "About 120 representatives attended.", REVIEWER)

    kept = [r for r in rows_of(url, drafted, "en", 3) if r["check"] == AI_REVIEW]
    assert len(kept) == 1 and kept[0]["revision"] == 1
    with transaction(url) as session:
        segment = show(session, "1", "en").segments[3]
    assert segment.revision == 2
    (shown,) = [f for f in segment.findings if f["check"] == AI_REVIEW]
    assert shown["stale"] is True and "target_span" not in shown


def test_approval_passes_with_only_ai_findings_even_when_stored_levels_say_error(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    chat_standin.review_next([OMISSION, {**OMISSION, "id": "s0"}])
    review_language(url, "1", "en", reader_on(chat_standin))
    with transaction(url) as session:
        with pytest.raises(SeverityRuleError, match="never block"):
            set_check_level(session, AI_REVIEW, "error", None, "管理员", get_settings().columns)
        # A level written around the refusal still counts as a warning.
        write(session, CHECK_LEVELS, {"checks": {AI_REVIEW: "error"}, "columns": {}}, "管理员")
    with transaction(url) as session:
        shown = show(session, "1", "en").segments[3].findings
        assert {f["severity"] for f in shown if f["check"] == AI_REVIEW} == {"warning"}
        review.approve(session, "1", "en", REVIEWER)
    with transaction(url) as session:
        state = session.scalars(
            select(LanguageVersion.state).where(LanguageVersion.language == "en")
        ).one()
    assert state == "approved"


def test_ai_review_is_a_level_the_office_may_set_to_off(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    chat_standin.review_next([OMISSION])
    review_language(url, "1", "en", reader_on(chat_standin))
    with transaction(url) as session:
        set_check_level(session, AI_REVIEW, "off", None, "管理员", get_settings().columns)
    with transaction(url) as session:
        assert all(f["check"] != AI_REVIEW for f in show(session, "1", "en").segments[3].findings)


def test_a_failed_reading_leaves_a_note_and_changes_no_finding_or_state(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    chat_standin.review_next([OMISSION])
    review_language(url, "1", "en", reader_on(chat_standin))
    before = {p: t.findings for p, t in translations(url, drafted, "en").items()}
    chat_standin.fail_next(503, count=3)

    outcome = review_language(url, "1", "en", reader_on(chat_standin))

    assert outcome.note.startswith("AI reader unavailable: ")
    assert (
        "HTTP 503" in outcome.note and "every segment not read; nothing is blocked" in outcome.note
    )
    assert outcome.summary().endswith(outcome.note) and outcome.usage.requests == 3
    assert {p: t.findings for p, t in translations(url, drafted, "en").items()} == before
    with transaction(url) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.action, entry.detail["note"]) == ("ai review failed", outcome.note)
        assert show(session, "1", "en").state == "in_review"


def test_the_reader_is_off_unless_waiwen_ai_review_names_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, chat_standin: ChatStandIn
) -> None:
    assert settings.ai_review == "" and configured_reader(settings) is None
    monkeypatch.setenv("WAIWEN_AI_REVIEW", "deepl")
    get_settings.cache_clear()
    with pytest.raises(
        ValueError, match="WAIWEN_AI_REVIEW='deepl': the AI second reader can be openai"
    ):
        configured_reader(get_settings())
    monkeypatch.setenv("WAIWEN_AI_REVIEW", "openai")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="needs WAIWEN_OPENAI_BASE_URL"):
        configured_reader(get_settings())
    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)
    get_settings.cache_clear()
    built = configured_reader(get_settings())
    assert built is not None and built.model == MODEL and API_KEY not in repr(built)
    assert chat_standin.requests == []  # building it sends nothing


def test_the_task_after_drafting_sends_nothing_while_off_and_reads_when_on(
    url: str, drafted: int, chat_standin: ChatStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.drafting import ai_review

    assert ai_review.fn(drafted, "en") == "AI reader off"
    assert chat_standin.requests == []

    monkeypatch.setenv("WAIWEN_AI_REVIEW", "openai")
    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)
    get_settings.cache_clear()
    chat_standin.review_next([OMISSION])
    said = ai_review.fn(drafted, "en")
    assert said == "AI reader: 12 segment(s) of en read, 1 finding(s) (warnings only)"
    assert [r["check"] for r in rows_of(url, drafted, "en", 3)][-1] == AI_REVIEW

    chat_standin.fail_next(401)
    said = ai_review.fn(drafted, "en")
    assert "AI reader unavailable: " in said and "refused the key" in said


def test_a_reading_that_finishes_after_an_edit_is_stored_stale_and_the_edit_stands(
    url: str, drafted: int, chat_standin: ChatStandIn
) -> None:
    edited = "About 120 representatives attended."

    class EditedMeanwhile(AIReader):
        """A reader during whose request a reviewer saves segment 3."""

        def review(self, *args: Any, **kwargs: Any) -> Any:
            with transaction(url) as session:
                review.edit_segment(session, "1", "en", 3, edited, REVIEWER)
            return super().review(*args, **kwargs)

    chat_standin.review_next([OMISSION])
    plain = reader_on(chat_standin)
    review_language(url, "1", "en", EditedMeanwhile(plain.client, sleep=lambda _s: None))

    stored = translations(url, drafted, "en")[3]
    assert (stored.text, stored.revision) == (edited, 2)
    with transaction(url) as session:
        (shown,) = [
            f for f in show(session, "1", "en").segments[3].findings if f["check"] == AI_REVIEW
        ]
    assert shown["revision"] == 1 and shown["stale"] is True


def test_the_review_ai_command_reads_on_request_and_says_what_it_cost(
    url: str, drafted: int, chat_standin: ChatStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from waiwen.cli import main

    off = CliRunner().invoke(main, ["review", "ai", "1", "en"])
    assert off.exit_code == 1 and "the AI second reader is off" in off.output
    monkeypatch.setenv("WAIWEN_AI_REVIEW", "openai")
    monkeypatch.setenv("WAIWEN_OPENAI_BASE_URL", chat_standin.base_url)
    monkeypatch.setenv("WAIWEN_OPENAI_MODEL", MODEL)
    monkeypatch.setenv("WAIWEN_OPENAI_API_KEY", API_KEY)
    get_settings.cache_clear()
    chat_standin.review_next([{**OMISSION, "id": "s0"}])

    done = CliRunner().invoke(main, ["review", "ai", "1", "en", "--segment", "3"])

    assert done.exit_code == 0, done.output
    assert "AI reader: 1 segment(s) of en read, 1 finding(s) (warnings only)" in done.output
    assert "1 request(s), " in done.output and " prompt and " in done.output
    shown = CliRunner().invoke(main, ["review", "show", "1", "en"])
    assert "! warning [ai-review] omission (major): 'about' is missing" in shown.output

    chat_standin.fail_next(503, count=3)
    failed = CliRunner().invoke(main, ["review", "ai", "1", "en"])
    assert failed.exit_code == 1 and "AI reader unavailable: " in failed.output
    missing = CliRunner().invoke(main, ["review", "ai", "99", "en"])
    assert missing.exit_code == 1 and "99" in missing.output


def test_checks_list_names_the_ai_reader_and_checks_set_refuses_error_for_it(
    settings: Settings,
) -> None:
    from click.testing import CliRunner

    from waiwen.cli import main

    listed = CliRunner().invoke(main, ["checks", "list"])
    assert listed.exit_code == 0 and "ai-review  AI second reader" in listed.output
    refused = CliRunner().invoke(main, ["checks", "set", "ai-review", "error"])
    assert refused.exit_code == 1
    assert "check ai-review: level 'error' is not allowed" in refused.output
    quiet = CliRunner().invoke(main, ["checks", "set", "ai-review", "off", "--actor", "管理员"])
    assert quiet.exit_code == 0 and "ai-review: its findings in every column are not shown" in (
        quiet.output
    )
