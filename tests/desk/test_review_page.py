"""The review page: side by side, edit with history, conflicts, overrides, decisions, previews."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import Settings
from flows.handoff import PUBLISH
from pipeline import review
from pipeline.memory import remember
from store.db import transaction
from store.models import AuditEntry, LanguageVersion, Review
from tests.desk.conftest import APPROVER, EN_ONLY, REVIEWER, REVIEWER2, HandOvers
from tests.notices import row_counts
from tests.pipeline.steps import translations
from tests.pipeline.test_review_races import someone_first

CORRECTED = "The Foreign Affairs Office held its 2025 consular work briefing on March 3."


def _state(settings: Settings, language: str) -> str:
    with transaction(settings.resolved_database_url) as session:
        return session.scalars(
            select(LanguageVersion.state).where(LanguageVersion.language == language)
        ).one()


def test_source_and_draft_side_by_side_with_origin_and_glossary(desk: Any, drafted: int) -> None:
    page = desk(REVIEWER).get("/notices/1/en")
    assert page.status_code == 200
    assert "3月3日，市政府外办召开2025年领事工作通报会。" in page.text
    assert "engine libretranslate" in page.text
    # 领事认证 is a starter glossary term; its required English is shown beside the source.
    assert "consular legalization" in page.text
    assert page.text.count('class="edit"') == len(translations_of(desk))


def translations_of(desk: Any) -> list[str]:
    return re.findall(r'<tr id="s\d+"', desk(REVIEWER).get("/notices/1/en").text)


def test_editing_saves_a_new_revision_and_shows_the_change_in_history(
    desk: Any, drafted: int, settings: Settings
) -> None:
    client = desk(REVIEWER)
    before = translations(settings.resolved_database_url, drafted, "en")[2]
    response = client.post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"})
    assert response.status_code == 303 and response.headers["location"] == "/notices/1/en#s2"
    after = translations(settings.resolved_database_url, drafted, "en")[2]
    assert (after.text, after.origin, after.revision, after.updated_by) == (
        CORRECTED,
        "human",
        2,
        REVIEWER,
    )
    page = client.get("/notices/1/en").text
    history = page[page.index("<h2>History</h2>") :]
    assert f"{REVIEWER}: edited segment 2" in history
    assert f'<del lang="en">{before.text}</del>' in history
    assert f'<ins lang="en">{CORRECTED}</ins>' in history


def test_status_history_shows_the_edit(desk: Any, drafted: int, settings: Settings) -> None:
    desk(REVIEWER).post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"})
    from click.testing import CliRunner

    from waiwen.cli import main

    result = CliRunner().invoke(main, ["status", "1", "--history"])
    assert result.exit_code == 0, result.output
    assert f"{REVIEWER}: edited en  segment=2" in result.output
    assert CORRECTED in result.output


def test_a_second_save_of_the_same_revision_is_a_conflict_showing_both_texts(
    desk: Any, drafted: int, settings: Settings
) -> None:
    first, second = desk(REVIEWER), desk(REVIEWER2)
    assert (
        first.post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"}).status_code
        == 303
    )
    mine = "A different correction of the same sentence."
    response = second.post("/notices/1/en/segments/2", {"text": mine, "revision": "1"})
    assert response.status_code == 409
    assert CORRECTED in response.text and mine in response.text and REVIEWER in response.text
    assert translations(settings.resolved_database_url, drafted, "en")[2].text == CORRECTED
    # Choosing to keep one's own text is an explicit save over the newer revision.
    assert (
        second.post("/notices/1/en/segments/2", {"text": mine, "revision": "2"}).status_code == 303
    )
    assert translations(settings.resolved_database_url, drafted, "en")[2].text == mine


@pytest.mark.parametrize(
    "revision",
    [None, "", "abc", "1.0", "-1", "²", "99999999999999999999"],
    ids=["absent", "empty", "letters", "decimal", "negative", "superscript", "20-digits"],
)
def test_a_save_without_a_usable_revision_is_refused_and_saves_nothing(
    desk: Any, drafted: int, settings: Settings, revision: str | None
) -> None:
    url = settings.resolved_database_url
    client = desk(REVIEWER)
    before, counts = translations(url, drafted, "en")[2], row_counts(url)
    form = {"text": CORRECTED} | ({} if revision is None else {"revision": revision})

    response = client.post("/notices/1/en/segments/2", form)

    assert response.status_code == 400
    assert "nothing was saved: reload the page and edit again" in response.text
    after = translations(url, drafted, "en")[2]
    assert (after.text, after.revision) == (before.text, before.revision)
    assert row_counts(url) == counts


def test_ids_too_large_for_the_database_are_no_such_page(desk: Any, drafted: int) -> None:
    client = desk(REVIEWER)
    huge = "99999999999999999999"
    for path in (
        f"/notices/{huge}/en",
        f"/notices/{2**31}/en",
        "/notices/0/en",
        f"/notices/1/en/segments/{huge}/suggestions",
        f"/notices/{huge}/en/preview/site",
        f"/notices/{huge}/images/{'0' * 64}",
    ):
        response = client.get(path)
        assert (response.status_code, "No such page." in response.text) == (404, True), path
    for path in (
        f"/notices/1/en/segments/{huge}",
        f"/notices/{huge}/en/segments/2",
        f"/notices/{huge}/en/approve",
        f"/notices/{huge}/en/reject",
        f"/notices/1/en/segments/{huge}/override",
    ):
        response = client.post(path, {"text": CORRECTED, "revision": "1", "comment": "x"})
        assert response.status_code == 404, path
    # The largest id the column holds is an ordinary unknown notice.
    response = client.get(f"/notices/{2**31 - 1}/en")
    assert response.status_code == 404 and f"no notice &#39;{2**31 - 1}&#39;" in response.text


def test_an_approval_that_lost_a_race_is_a_409_saying_who_moved_it(
    desk: Any, drafted: int, settings: Settings, handed: HandOvers, monkeypatch: Any
) -> None:
    url = settings.resolved_database_url

    def first() -> None:
        with transaction(url) as session:
            review.approve(session, "1", "en", REVIEWER2)

    someone_first(monkeypatch, first)
    response = desk(REVIEWER).post("/notices/1/en/approve", {"comment": "double click"})

    assert response.status_code == 409
    assert (
        f"en of notice 1 was approved by {REVIEWER2} meanwhile; nothing was done" in response.text
    )
    with transaction(url) as session:
        assert session.scalars(select(Review.reviewer)).all() == [REVIEWER2]
        approved = session.scalars(select(AuditEntry).where(AuditEntry.action == "approved")).all()
    assert [entry.actor for entry in approved] == [REVIEWER2]
    assert handed == []  # the loser hands nothing over


def test_an_edit_that_lost_to_an_approval_is_a_409_and_saves_nothing(
    desk: Any, drafted: int, settings: Settings, monkeypatch: Any
) -> None:
    url = settings.resolved_database_url
    before = translations(url, drafted, "en")[2]

    def first() -> None:
        with transaction(url) as session:
            review.approve(session, "1", "en", REVIEWER2)

    someone_first(monkeypatch, first)
    response = desk(REVIEWER).post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"})

    assert response.status_code == 409
    assert f"was approved by {REVIEWER2} meanwhile; nothing was done" in response.text
    after = translations(url, drafted, "en")[2]
    assert (after.text, after.revision) == (before.text, before.revision)
    assert _state(settings, "en") == "approved"


def test_an_empty_text_is_refused_with_a_message(desk: Any, drafted: int) -> None:
    response = desk(REVIEWER).post("/notices/1/en/segments/2", {"text": "  ", "revision": "1"})
    assert response.status_code == 400 and "the new text is empty" in response.text


def test_findings_block_approval_until_fixed_or_overridden_with_a_reason(
    desk: Any, drafted: int, settings: Settings, handed: HandOvers
) -> None:
    client = desk(REVIEWER)
    # Dropping the 120 of the source makes the numbers check report an error.
    client.post(
        "/notices/1/en/segments/3",
        {"text": "About a hundred representatives attended.", "revision": "1"},
    )
    page = client.get("/notices/1/en").text
    assert "error numbers" in page
    refused = client.post("/notices/1/en/approve", {})
    assert refused.status_code == 400 and "block approval" in refused.text
    assert "accept a finding with Override and a written reason" in refused.text
    assert "waiwen review" not in refused.text  # the command line's hint stays on the command line
    no_reason = client.post(
        "/notices/1/en/segments/3/override", {"check": "numbers", "reason": " "}
    )
    assert no_reason.status_code == 400 and "written reason" in no_reason.text
    assert (
        client.post(
            "/notices/1/en/segments/3/override",
            {"check": "numbers", "reason": "the office rounds here"},
        ).status_code
        == 303
    )
    assert "accepted with a reason" in client.get("/notices/1/en").text
    response = client.post("/notices/1/en/approve", {"comment": "fine"})
    assert response.status_code == 200, response.text
    assert _state(settings, "en") == "approved"
    assert handed == [
        (PUBLISH, [({"version_id": drafted}, f"publish-{handed.database}-{drafted}-en")])
    ]
    assert "handed to the running service" in response.text


def test_reject_needs_a_comment_and_an_edit_returns_it_to_review(
    desk: Any, drafted: int, settings: Settings
) -> None:
    client = desk(REVIEWER)
    assert client.post("/notices/1/fr/reject", {"comment": ""}).status_code == 400
    assert client.post("/notices/1/fr/reject", {"comment": "ton trop familier"}).status_code == 303
    assert _state(settings, "fr") == "rejected"
    page = client.get("/notices/1/fr").text
    assert "rejected: ton trop familier" in page
    client.post("/notices/1/fr/segments/1", {"text": "Aperçu de la réunion", "revision": "1"})
    assert _state(settings, "fr") == "in_review"


def test_a_reviewer_assigned_to_english_edits_english(desk: Any, drafted: int) -> None:
    client = desk(EN_ONLY)
    assert (
        client.post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"}).status_code
        == 303
    )
    assert 'class="edit"' not in client.get("/notices/1/fr").text


def test_memory_suggestions_are_offered_and_can_be_used(
    desk: Any, drafted: int, settings: Settings
) -> None:
    with transaction(settings.resolved_database_url) as session:
        remember(
            session,
            "3月3日，市政府外办召开2024年领事工作通报会。",
            "en",
            "On 3 March the FAO held its 2024 consular briefing.",
            "test",
        )
    client = desk(REVIEWER)
    fragment = client.get("/notices/1/en/segments/2/suggestions", params={"fragment": "1"})
    assert fragment.status_code == 200
    assert (
        "<html" not in fragment.text
        and "On 3 March the FAO held its 2024 consular briefing." in fragment.text
    )
    assert "%" in fragment.text and "Use this" in fragment.text
    full = client.get("/notices/1/en/segments/2/suggestions")
    assert "<html" in full.text
    used = client.post(
        "/notices/1/en/segments/2",
        {"text": "On 3 March the FAO held its 2024 consular briefing.", "revision": "1"},
    )
    assert used.status_code == 303


def test_previews_show_the_current_text_as_site_and_wechat(desk: Any, drafted: int) -> None:
    client = desk(REVIEWER)
    client.post("/notices/1/en/segments/2", {"text": CORRECTED, "revision": "1"})
    for channel in ("site", "wechat"):
        response = client.get(f"/notices/1/en/preview/{channel}")
        assert response.status_code == 200
        assert CORRECTED in response.text
        policy = response.headers["content-security-policy"]
        assert "script-src" not in policy and "default-src 'none'" in policy
    wechat = client.get("/notices/1/en/preview/wechat").text
    assert 'style="' in wechat  # WeChat's inline styles
    assert client.get("/notices/1/en/preview/print").status_code == 404


def test_unknown_notice_or_language_is_a_404_with_words(desk: Any, drafted: int) -> None:
    client = desk(REVIEWER)
    assert "no notice" in client.get("/notices/99/en").text
    response = client.get("/notices/1/ko")
    assert response.status_code == 404 and "has no ko version" in response.text
    # Actions, previews and the notice page answer the same way, in the desk's words only.
    for response in (
        client.post("/notices/1/ko/approve", {}),
        client.post("/notices/99/en/segments/1", {"text": "x", "revision": "1"}),
        client.get("/notices/99/en/preview/site"),
        client.get("/notices/99"),
    ):
        assert response.status_code == 404 and "Not found" in response.text
        assert "no notice" in response.text or "has no ko version" in response.text
        assert "waiwen" not in response.text.split("<main", 1)[-1]


def test_approval_is_recorded_with_who_and_the_comment(
    desk: Any, drafted: int, settings: Settings
) -> None:
    desk(REVIEWER).post("/notices/1/en/approve", {"comment": "checked against the Chinese"})
    with transaction(settings.resolved_database_url) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "approved")).one()
    assert entry.actor == REVIEWER and entry.detail["comment"] == "checked against the Chinese"


def test_approvers_see_no_edit_forms(desk: Any, drafted: int) -> None:
    page = desk(APPROVER).get("/notices/1/en").text
    assert 'class="edit"' not in page and "Nothing for you to decide here" in page


def test_an_approval_stands_when_the_service_cannot_be_reached(
    settings: Settings, drafted: int, app: Any, monkeypatch: Any
) -> None:
    """The approval is stored first; a failed hand-over only says the sweep will publish it."""
    from desk.app import create_app
    from flows import handoff
    from tests.desk.conftest import Desk

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # nothing listens on port 9
    monkeypatch.setattr(handoff, "running_api_url", lambda _settings: "http://127.0.0.1:9/api")
    client = Desk(
        create_app(settings, handoff.ServiceHandOver(settings))
    )  # the real hand-over, not the fixture's recorder
    assert client.login(REVIEWER).status_code == 303
    try:
        response = client.post("/notices/1/en/approve", {})
    finally:
        # The hand-over pointed this process's Prefect settings at port 9: point them back.
        monkeypatch.undo()
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()
    assert response.status_code == 200
    assert "did not answer" in response.text and "the sweep" in response.text
    assert _state(settings, "en") == "approved"


def test_previews_show_the_notices_images_from_the_desk(
    desk: Any, settings: Settings, chain: Any, tmp_path: Any
) -> None:
    import hashlib
    from pathlib import Path

    from tests.notices import write_notice
    from tests.pipeline.steps import draft, queue

    cover = Path(__file__).resolve().parents[2] / "publishers" / "wechat" / "default-cover.jpg"
    (tmp_path / "hall.jpg").write_bytes(cover.read_bytes())
    body = "## 会场\n\n会议在上海举行。\n\n![会场](hall.jpg)\n"
    outcome = queue(settings, write_notice(tmp_path / "pic.md", body=body, languages=["en"]))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    sha = hashlib.sha256(cover.read_bytes()).hexdigest()
    client = desk(REVIEWER)
    for channel in ("site", "wechat"):
        assert (
            f'src="/notices/1/images/{sha}"' in client.get(f"/notices/1/zh/preview/{channel}").text
        )
    image = client.get(f"/notices/1/images/{sha}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content == cover.read_bytes()
    assert client.get(f"/notices/2/images/{sha}").status_code == 404  # only through its own notice
    assert desk().get(f"/notices/1/images/{sha}").status_code == 303  # signed in only
