"""Each built-in engine's own settings: the variables, defaults and waiwen.toml keys offices set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from core.settings import Settings
from translators.base import SharedEngineSettings
from translators.deepl_engine import DeepLSettings
from translators.registry import build_engine, read_engine_settings, settings_model
from translators.tencent import TencentSettings

# Every engine's variables and their defaults, as the README and docs/translation.md give them.
VARIABLES: dict[str, dict[str, tuple[str, Any]]] = {
    "libretranslate": {
        "url": ("WAIWEN_LIBRETRANSLATE_URL", None),
        "api_key": ("WAIWEN_LIBRETRANSLATE_API_KEY", ""),
    },
    "google": {"url": ("WAIWEN_GOOGLE_URL", None)},
    "mymemory": {
        "url": ("WAIWEN_MYMEMORY_URL", None),
        "email": ("WAIWEN_MYMEMORY_EMAIL", ""),
    },
    "baidu": {
        "url": ("WAIWEN_BAIDU_URL", None),
        "appid": ("WAIWEN_BAIDU_APPID", ""),
        "appkey": ("WAIWEN_BAIDU_APPKEY", ""),
    },
    "deepl": {
        "url": ("WAIWEN_DEEPL_URL", None),
        "auth_key": ("WAIWEN_DEEPL_AUTH_KEY", ""),
    },
    "tencent": {
        "endpoint": ("WAIWEN_TENCENT_ENDPOINT", None),
        "secret_id": ("WAIWEN_TENCENT_SECRET_ID", ""),
        "secret_key": ("WAIWEN_TENCENT_SECRET_KEY", ""),
        "region": ("WAIWEN_TENCENT_REGION", "ap-shanghai"),
    },
    "microsoft": {
        "url": ("WAIWEN_MICROSOFT_URL", None),
        "key": ("WAIWEN_MICROSOFT_KEY", ""),
        "region": ("WAIWEN_MICROSOFT_REGION", ""),
    },
}
SECRETS = {
    ("libretranslate", "api_key"),
    ("baidu", "appkey"),
    ("deepl", "auth_key"),
    ("tencent", "secret_key"),
    ("microsoft", "key"),
    ("openai", "api_key"),
}


def _plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@pytest.mark.usefixtures("engine_environment")
@pytest.mark.parametrize("engine_id", VARIABLES)
def test_each_engine_reads_the_variables_offices_set(
    engine_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = settings_model(engine_id)
    assert model is not None
    fields = VARIABLES[engine_id]
    assert set(model.model_fields) == set(fields)
    defaults = read_engine_settings(engine_id)
    for field, (variable, default) in fields.items():
        assert model.variable(field) == variable
        assert _plain(getattr(defaults, field)) == default
        assert model.model_fields[field].description
        is_secret = (engine_id, field) in SECRETS
        assert isinstance(getattr(defaults, field), SecretStr) == is_secret
        monkeypatch.setenv(variable, f"set-{field}")
    given = read_engine_settings(engine_id)
    assert {field: _plain(getattr(given, field)) for field in fields} == {
        field: f"set-{field}" for field in fields
    }


def test_waiwen_toml_keys_are_the_variables_without_waiwen(
    engine_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_environment.write_text(
        'deepl_auth_key = "from-the-file"\ndeepl_url = "http://127.0.0.1:9/"\n'
        'tencent_region = "ap-beijing"\nengines = ["memory", "deepl"]\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("WAIWEN_ENGINES", raising=False)
    deepl, tencent = read_engine_settings("deepl"), read_engine_settings("tencent")
    assert isinstance(deepl, DeepLSettings) and isinstance(tencent, TencentSettings)
    assert deepl.auth_key.get_secret_value() == "from-the-file"
    assert (deepl.url, tencent.region) == ("http://127.0.0.1:9/", "ap-beijing")
    # waiwen's own settings read the same file and are not confused by the engines' keys.
    assert Settings().engines == ("memory", "deepl")
    # The environment wins over the file, as for every other setting.
    monkeypatch.setenv("WAIWEN_DEEPL_AUTH_KEY", "from-the-environment")
    deepl = read_engine_settings("deepl")
    assert isinstance(deepl, DeepLSettings)
    assert deepl.auth_key.get_secret_value() == "from-the-environment"


@pytest.mark.usefixtures("engine_environment")
def test_a_key_read_from_the_environment_never_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAIWEN_MICROSOFT_KEY", "ms-key-never-shown")
    monkeypatch.setenv("WAIWEN_MICROSOFT_URL", "http://127.0.0.1:9")
    own = read_engine_settings("microsoft")
    engine = build_engine("microsoft", SharedEngineSettings(timeout=3), own)
    assert "ms-key-never-shown" not in f"{own!r} {own} {engine!r} {own.model_dump()!r}"


def test_waiwen_settings_hold_no_field_of_a_provider() -> None:
    providers = tuple(f"{engine_id}_" for engine_id in VARIABLES)
    assert not [name for name in Settings.model_fields if name.startswith(providers)]


def test_each_key_falls_back_to_the_prefect_secret_block_offices_made() -> None:
    from flows.wiring import secret_block_name

    blocks = {}
    for engine_id, field in SECRETS:
        model = settings_model(engine_id)
        assert model is not None
        blocks[model.variable(field)] = secret_block_name(model, field)
    assert blocks == {
        "WAIWEN_LIBRETRANSLATE_API_KEY": "waiwen-libretranslate-api-key",
        "WAIWEN_BAIDU_APPKEY": "waiwen-baidu-appkey",
        "WAIWEN_MICROSOFT_KEY": "waiwen-microsoft-key",
        "WAIWEN_DEEPL_AUTH_KEY": "waiwen-deepl-auth-key",
        "WAIWEN_TENCENT_SECRET_KEY": "waiwen-tencent-secret-key",
        "WAIWEN_OPENAI_API_KEY": "waiwen-openai-api-key",
    }
