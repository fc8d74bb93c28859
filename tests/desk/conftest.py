"""The review desk under FastAPI's TestClient: users of every role, a drafted notice, recorded hand-overs."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response

from core.settings import Settings
from desk import accounts
from desk.app import create_app
from flows.handoff import DRAFT, PUBLISH, draft_runs, publish_runs
from pipeline.drafting import EngineChain
from store.db import transaction
from store.identity import database_id
from tests.notices import write_notice
from tests.pipeline.steps import draft, engine_chain, queue
from tests.standins.libretranslate import LibreTranslateStandIn

PASSWORD = "a long enough password"
USERS: dict[str, tuple[list[str], list[str]]] = {
    "编辑甲": (["editor"], []),
    "审校乙": (["reviewer"], []),
    "审校丙": (["reviewer"], []),
    "英文审校": (["reviewer"], ["en"]),
    "审批丁": (["approver"], []),
    "管理员": (["admin"], []),
}
EDITOR, REVIEWER, REVIEWER2, EN_ONLY, APPROVER, ADMIN = USERS
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the cheapest parameters: the same code path, a fraction of the time."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    monkeypatch.setattr(accounts, "_DUMMY_HASH", accounts._hasher.hash("dummy"))


class HandOvers(list[tuple[str, list[tuple[dict[str, Any], str]]]]):
    """Every hand-over to the service the desk asked for, keyed as `ServiceHandOver` keys them."""

    def __init__(self, database: str) -> None:
        super().__init__()
        self.database = database

    def draft(self, version_ids: Sequence[int]) -> str:
        return self._record(DRAFT, draft_runs(list(version_ids), self.database))

    def publish(self, version_id: int, language: str) -> str:
        return self._record(PUBLISH, publish_runs(version_id, language, self.database))

    def _record(self, deployment: str, runs: list[tuple[dict[str, Any], str]]) -> str:
        self.append((deployment, runs))
        return f"handed to the running service ({deployment})"


@pytest.fixture
def handed(settings: Settings) -> HandOvers:
    return HandOvers(database_id(settings.resolved_database_url))


@pytest.fixture
def app(settings: Settings, handed: HandOvers) -> Any:
    with transaction(settings.resolved_database_url) as session:
        for name, (roles, languages) in USERS.items():
            accounts.add_user(session, name, PASSWORD, roles, "test", languages)
    return create_app(settings, handed)


class Desk:
    """A browser-like client of the desk: cookies kept, redirects not followed, CSRF read from pages."""

    def __init__(self, app: Any) -> None:
        self.http = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
        self.csrf = ""

    def login(self, name: str, password: str = PASSWORD) -> Response:
        page = self.http.get("/login")
        token = _LOGIN.search(page.text)
        assert token, page.text
        response = self.http.post(
            "/login",
            data={
                "name": name,
                "password": password,
                "login_token": token.group(1),
                "next": "/queue",
            },
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.http.get("/queue").text)
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.http.get(path, **kwargs)

    def post(
        self, path: str, data: dict[str, Any] | None = None, csrf: bool = True, **kwargs: Any
    ) -> Response:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf)
        return self.http.post(path, data=form, **kwargs)


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def desk(app: Any) -> Callable[[str | None], Desk]:
    """desk(name): a client signed in as ``name`` (None: signed out)."""

    def make(name: str | None = None) -> Desk:
        client = Desk(app)
        if name is not None:
            assert client.login(name).status_code == 303
        return client

    return make


@pytest.fixture
def chain(libretranslate: LibreTranslateStandIn) -> EngineChain:
    return engine_chain(libretranslate.url)


@pytest.fixture
def drafted(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    """Notice 1, queued and drafted into en and fr by the LibreTranslate stand-in; its version id."""
    outcome = queue(settings, write_notice(tmp_path / "notice.md", languages=["en", "fr"]))
    draft(settings.resolved_database_url, outcome.version_id, chain)
    return outcome.version_id
