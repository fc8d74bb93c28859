"""WAIWEN_PREFECT_DATABASE_URL: the local Prefect server's database, PostgreSQL or the SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings
from flows.server import prefect_database_shown, server_environment

PASSWORD = "pw-never-shown-7f3a"

ACCEPTED = [
    (
        f"postgresql+asyncpg://prefect:{PASSWORD}@db.internal:5432/prefect",
        f"postgresql+asyncpg://prefect:{PASSWORD}@db.internal:5432/prefect",
    ),
    (
        f"postgresql://prefect:{PASSWORD}@db.internal/prefect",
        f"postgresql+asyncpg://prefect:{PASSWORD}@db.internal/prefect",
    ),
    (
        "postgresql+asyncpg://waiwen@/prefect?host=/tmp/pg&port=54329",
        "postgresql+asyncpg://waiwen@/prefect?host=/tmp/pg&port=54329",
    ),
    (
        f"  POSTGRESQL://prefect:{PASSWORD}@db.internal/prefect  ",
        f"postgresql+asyncpg://prefect:{PASSWORD}@db.internal/prefect",
    ),
]

# (value, what the refusal says about it)
REFUSED = [
    (f"mysql://prefect:{PASSWORD}@db.internal/prefect", "starts with mysql://"),
    (f"postgresql+psycopg://prefect:{PASSWORD}@db/prefect", "starts with postgresql+psycopg://"),
    (f"sqlite+aiosqlite:///{PASSWORD}/prefect.db", "starts with sqlite+aiosqlite://"),
    (f"prefect:{PASSWORD}@db.internal/prefect", "is not a URL (no ://)"),
    (
        f"post gres:{PASSWORD}://db.internal/prefect",
        "does not start with postgresql:// or postgresql+asyncpg://",
    ),
    (f"postgresql://prefect:{PASSWORD}@x@db.internal/prefect", "more than one @"),
    (f"postgresql://prefect:{PASSWORD}@db.internal:54x/prefect", "cannot be read"),
]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No waiwen.toml and no WAIWEN_PREFECT_DATABASE_URL from the machine; a fresh home folder."""
    monkeypatch.setenv("WAIWEN_CONFIG", str(tmp_path / "waiwen.toml"))
    monkeypatch.delenv("WAIWEN_PREFECT_DATABASE_URL", raising=False)
    return tmp_path / "home"


@pytest.mark.parametrize(("given", "for_prefect"), ACCEPTED)
def test_postgresql_urls_are_given_to_prefect_through_asyncpg(
    clean_environment: Path, given: str, for_prefect: str
) -> None:
    settings = Settings(home=clean_environment, prefect_database_url=given)
    assert settings.prefect_server_database_url == for_prefect
    assert server_environment(settings)["PREFECT_SERVER_DATABASE_CONNECTION_URL"] == for_prefect


def test_empty_keeps_the_sqlite_file_in_the_home_folder(clean_environment: Path) -> None:
    settings = Settings(home=clean_environment)
    expected = f"sqlite+aiosqlite:///{clean_environment.resolve() / 'prefect' / 'prefect.db'}"
    assert settings.prefect_server_database_url == expected
    assert server_environment(settings)["PREFECT_SERVER_DATABASE_CONNECTION_URL"] == expected
    assert (
        prefect_database_shown(settings)
        == f"SQLite {clean_environment.resolve()}/prefect/prefect.db"
    )


def test_the_variable_and_waiwen_toml_are_read(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "waiwen.toml").write_text(
        'prefect_database_url = "postgresql://from-file@/prefect"\n', encoding="utf-8"
    )
    from_file = Settings(home=clean_environment).prefect_server_database_url
    assert from_file == "postgresql+asyncpg://from-file@/prefect"
    monkeypatch.setenv("WAIWEN_PREFECT_DATABASE_URL", "postgresql://from-variable@/prefect")
    from_variable = Settings(home=clean_environment).prefect_server_database_url
    assert from_variable == "postgresql+asyncpg://from-variable@/prefect"


@pytest.mark.parametrize(("given", "said"), REFUSED)
def test_anything_but_postgresql_is_refused_without_repeating_the_url(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch, given: str, said: str
) -> None:
    monkeypatch.setenv("WAIWEN_PREFECT_DATABASE_URL", given)
    with pytest.raises(ValidationError) as refused:
        Settings(home=clean_environment)
    message = str(refused.value)
    assert "WAIWEN_PREFECT_DATABASE_URL" in message
    assert said in message
    assert "postgresql+asyncpg://" in message  # the rule: which forms are taken
    assert PASSWORD not in message
    assert PASSWORD not in repr(refused.value)


def test_the_password_is_in_no_repr_dump_or_display(clean_environment: Path) -> None:
    url = f"postgresql://prefect:{PASSWORD}@/prefect?host=/run/postgresql&port=5433"
    settings = Settings(home=clean_environment, prefect_database_url=url)
    for shown in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        repr(settings.model_dump()),
        prefect_database_shown(settings),
    ):
        assert PASSWORD not in shown
    assert prefect_database_shown(settings) == (
        "PostgreSQL postgresql+asyncpg://prefect:***@/prefect?host=%2Frun%2Fpostgresql&port=5433"
    )
    # Only the server's own environment carries it: Prefect needs it to connect.
    assert PASSWORD in server_environment(settings)["PREFECT_SERVER_DATABASE_CONNECTION_URL"]
