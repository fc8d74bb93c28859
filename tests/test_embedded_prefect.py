"""Settings waiwen gives Prefect clients when it runs the embedded server itself."""

from __future__ import annotations

import pytest

from core.settings import Settings
from flows.server import use_embedded_client_settings
from waiwen.service import service_environment


def test_clients_of_the_embedded_server_get_a_larger_retry_budget() -> None:
    env: dict[str, str] = {}
    use_embedded_client_settings(env)
    assert env == {"PREFECT_CLIENT_MAX_RETRIES": "12"}


def test_a_budget_set_by_the_office_is_kept(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    env = {"PREFECT_CLIENT_MAX_RETRIES": "3"}
    use_embedded_client_settings(env)
    assert env["PREFECT_CLIENT_MAX_RETRIES"] == "3"
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "4")
    assert (
        service_environment(settings, "http://127.0.0.1:4200/api")["PREFECT_CLIENT_MAX_RETRIES"]
        == "4"
    )
    monkeypatch.delenv("PREFECT_CLIENT_MAX_RETRIES")
    assert (
        service_environment(settings, "http://127.0.0.1:4200/api")["PREFECT_CLIENT_MAX_RETRIES"]
        == "12"
    )
