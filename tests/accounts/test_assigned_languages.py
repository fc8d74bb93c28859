"""Reviewers are assigned configured languages; one taken out keeps its assignments, takes no new ones."""

from __future__ import annotations

import pytest

from core.settings import Settings, get_settings
from desk.accounts import AccountError, add_user, assignable_languages, list_users, update_user
from store.db import transaction

PASSWORD = "a long enough password"


def configure(monkeypatch: pytest.MonkeyPatch, targets: str) -> None:
    """WAIWEN_TARGET_LANGUAGES for what follows, as an operator changes it between runs."""
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", targets)
    get_settings.cache_clear()


def test_a_reviewer_may_be_assigned_any_configured_language(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "en,ja,fr,ko,de,es,ru,ar")
    with transaction(settings.resolved_database_url) as session:
        account = add_user(session, "审校甲", PASSWORD, ["reviewer"], "test", ["ar", "ru", "en"])
    # Kept in the table's order, whatever order they were given in.
    assert account.languages == ("en", "ru", "ar")


def test_a_taken_out_language_keeps_its_assignment_and_refuses_new_ones(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.resolved_database_url
    configure(monkeypatch, "en,ja,fr,ko,de")
    with transaction(url) as session:
        add_user(session, "审校乙", PASSWORD, ["reviewer"], "test", ["en", "de"])
    configure(monkeypatch, "en,ja,fr,ko")  # de taken out
    with transaction(url) as session:
        users = list_users(session)
        # Still shown, so the admin page lists and keeps the assignment.
        assert assignable_languages(users) == ("en", "ja", "fr", "ko", "de")
        assert assignable_languages() == ("en", "ja", "fr", "ko")
        # Changing the reviewer's other languages keeps de.
        kept = update_user(session, "审校乙", "admin", languages=["en", "ja", "de"])
        assert kept.languages == ("en", "ja", "de")
        with pytest.raises(AccountError) as refused:
            add_user(session, "审校丙", PASSWORD, ["reviewer"], "test", ["de"])
    assert str(refused.value) == (
        "languages: de is not among the configured target languages "
        "(WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko); a reviewer is assigned a configured language"
    )


def test_a_taken_out_language_is_not_newly_assigned_to_someone_without_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.resolved_database_url
    configure(monkeypatch, "en,ja,fr,ko")
    with transaction(url) as session:
        add_user(session, "审校丁", PASSWORD, ["reviewer"], "test", ["en"])
        with pytest.raises(AccountError, match="es is not among the configured target languages"):
            update_user(session, "审校丁", "admin", languages=["en", "es"])


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        (["xx"], "languages: xx is not a target language; choose from en, ja, fr, ko"),
        (["zh"], "languages: zh is not a target language; choose from en, ja, fr, ko"),
    ],
)
def test_an_unknown_language_is_refused_as_before(
    settings: Settings, languages: list[str], message: str
) -> None:
    with (
        transaction(settings.resolved_database_url) as session,
        pytest.raises(AccountError) as refused,
    ):
        add_user(session, "审校戊", PASSWORD, ["reviewer"], "test", languages)
    assert str(refused.value) == message
