"""Settings: environment variables prefixed ``WAIWEN_`` over an optional ``waiwen.toml``.

`Settings` holds waiwen's own knobs. A plug-in (each translation engine, built-in or installed)
declares its own fields in a `PluginSettings` model with an env prefix of its own, read the same
way: the variable first, then the same name without ``WAIWEN_`` in ``waiwen.toml``.
"""

from __future__ import annotations

import functools
import os
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from core.languages import DEFAULT_TARGETS, SHIPPED_TARGETS

DEFAULT_COLUMNS = (
    "政务公开",
    "网上办事",
    "要闻动态",
    "回应关切",
    "最新动态",
    "温馨提示",
    "社会新闻",
)


# The Prefect server opens PostgreSQL through asyncpg only; postgresql:// is read as that driver.
PREFECT_POSTGRESQL_SCHEME = "postgresql+asyncpg"
PREFECT_DATABASE_SCHEMES = ("postgresql", PREFECT_POSTGRESQL_SCHEME)


def _prefect_database_problem(url: str) -> str:
    """What keeps ``url`` from being the Prefect server's PostgreSQL URL, in words without the URL
    (it may hold a password); empty when nothing does."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "is not a URL (no ://)"
    if scheme.lower() not in PREFECT_DATABASE_SCHEMES:
        # Only a well-formed scheme is repeated: whatever else stands before :// may be a secret.
        if scheme.isascii() and scheme.replace("+", "").replace(".", "").replace("-", "").isalnum():
            return f"starts with {scheme}://"
        return "does not start with postgresql:// or postgresql+asyncpg://"
    if rest.partition("?")[0].count("@") > 1:
        # SQLAlchemy would end the password at the first @ and take the rest for the host.
        return "has more than one @ before the host: write an @ in the user name or password as %40"
    # SQLAlchemy reads the URL for the Prefect server: the same parser decides here.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(f"{PREFECT_POSTGRESQL_SCHEME}://{rest}")
    except (ArgumentError, ValueError):
        # Their messages quote the URL or part of it: not repeated.
        return "cannot be read as a database URL (is the port a number?)"
    return ""


def _config_file() -> Path:
    """Where ``waiwen.toml`` is looked for (``WAIWEN_CONFIG`` overrides)."""
    return Path(os.environ.get("WAIWEN_CONFIG", "waiwen.toml"))


class Settings(BaseSettings):
    """waiwen's own knobs; each can be set as ``WAIWEN_<NAME>`` or in ``waiwen.toml``.

    Each engine's own (its URL, keys, region) are in its `PluginSettings` model instead.
    """

    # A refused value is not repeated in the error: it may hold a password (or another secret).
    model_config = SettingsConfigDict(
        env_prefix="WAIWEN_", extra="ignore", hide_input_in_errors=True
    )

    home: Path = Field(
        default=Path(".waiwen"),
        description="Working folder for the embedded SQLite database, the local Prefect server and logs.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; default: SQLite file waiwen.db in the home folder. "
        "Example: postgresql+psycopg://waiwen@localhost/waiwen",
    )
    site_dir: Path = Field(
        default=Path("site"), description="Folder the site channel writes pages into."
    )
    site_base_url: str = Field(
        default="http://127.0.0.1:8000/",
        description="Public address of the site: hreflang links, feeds, sitemap and WeChat's 阅读原文 "
        "link point there. The default suits `python -m http.server 8000 -d site`.",
    )
    site_jobs: int | None = Field(
        default=None,
        ge=1,
        description="Processes a full site rebuild renders pages in; default: the machine's cores. "
        "1 renders in the command's own process.",
    )
    columns: Annotated[tuple[str, ...], NoDecode] = Field(
        default=DEFAULT_COLUMNS, description="Website columns (栏目) a notice may be queued into."
    )
    max_notice_bytes: int = Field(
        default=1_000_000, description="Largest notice file accepted by `waiwen queue`, in bytes."
    )
    engines: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("memory",),
        description="Engine chain for drafts, in order, e.g. memory,libretranslate. "
        "`memory` is the translation memory of approved human translations.",
    )
    engine_chains: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Engine chain of one language instead of WAIWEN_ENGINES, as JSON, e.g. "
        '{"ko": ["memory", "libretranslate", "baidu"]}; the memory is always consulted first.',
    )
    engine_timeout: float = Field(
        default=30.0, description="Seconds before an engine request is given up."
    )
    engine_attempts: int = Field(
        default=3,
        description="Tries per segment and engine for transient failures (429, 5xx, timeouts).",
    )
    engine_rate_limits: dict[str, float] = Field(
        default_factory=lambda: {"libretranslate": 10.0},
        description="Requests per second each engine may receive, enforced by Prefect global concurrency limits.",
    )
    ai_review: str = Field(
        default="",
        description="Engine of the AI second reader, which reads each drafted language and leaves "
        "warnings (never errors, never an approval): `openai` (the WAIWEN_OPENAI_* server and "
        "model), or empty for none. Nothing is sent to a model while it is empty.",
    )
    holiday_files: Annotated[tuple[Path, ...], NoDecode] = Field(
        default=(),
        description="State Council holiday schedules (YAML or CSV) for years the calendar package does not know.",
    )
    channels: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("site", "wechat"),
        description="Channels publishing runs, in this order, e.g. site,wechat: built-in ones, or one "
        "installed from another package by its id (entry point group waiwen.publishers). Keep site "
        "first: WeChat's 阅读原文 link leads to the notice's page there.",
    )
    target_languages: Annotated[tuple[str, ...], NoDecode] = Field(
        default=DEFAULT_TARGETS,
        description="Languages notices are drafted into, e.g. en,ja,fr,ko,de,es,ru,ar; any of "
        f"{', '.join(SHIPPED_TARGETS)}. A language taken out keeps its history and published pages "
        "and is refused for new notices.",
    )
    wechat_languages: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("zh", "en"), description="Languages that go to the WeChat Official Account."
    )
    wechat_base_url: str = Field(
        default="https://api.weixin.qq.com",
        description="Address of the WeChat Official Account API.",
    )
    wechat_appid: str = Field(
        default="", description="App id of the Official Account; empty: WeChat is not configured."
    )
    wechat_secret: SecretStr = Field(
        default=SecretStr(""),
        description="App secret of the Official Account; empty: Prefect Secret block `waiwen-wechat-secret`.",
    )
    wechat_author: str = Field(
        default="", description="Author shown on WeChat articles (at most 16 characters)."
    )
    wechat_covers: dict[str, Path] = Field(
        default_factory=dict,
        description="Cover image per column (JPG or PNG); a column not listed gets waiwen's default cover.",
    )
    wechat_polls: int = Field(
        default=12,
        description="How often one run asks WeChat whether a submitted article is out, before leaving it "
        "to the next run.",
    )
    wechat_poll_seconds: float = Field(
        default=5.0, description="Seconds between two such questions."
    )
    wechat_broadcast_columns: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Columns whose WeChat articles are pushed to followers by the daily mass send "
        "(群发) instead of only published; `*` for every column. Empty: none (publish only).",
    )
    wechat_account: Literal["subscription", "service"] = Field(
        default="subscription",
        description="Kind of Official Account: subscription (one mass send a day) or service "
        "(four a month).",
    )
    wechat_broadcast_at: dt_time = Field(
        default=dt_time(17, 30),
        description="Time of the daily mass send, Shanghai time, e.g. 17:30.",
    )
    wechat_preview_to: str = Field(
        default="",
        description="WeChat id (微信号) of the reviewer who gets each digest on the phone "
        "(message/mass/preview) before it is sent; empty: no preview.",
    )
    prefect_port: int = Field(
        default=4200, description="Port of the local Prefect server `waiwen up` starts."
    )
    prefect_database_url: SecretStr = Field(
        default=SecretStr(""),
        description="PostgreSQL database of the local Prefect server `waiwen up` and `waiwen run` "
        "start, e.g. postgresql+asyncpg://prefect:…@localhost/prefect (postgresql:// is read the same); "
        "empty: SQLite file prefect.db in the home folder. Several workers or more than a few notices "
        "at once want PostgreSQL (docs/deployment.md).",
    )
    desk_host: str = Field(
        default="127.0.0.1",
        description="Address the review desk listens on; keep 127.0.0.1 unless a TLS proxy is in front.",
    )
    desk_port: int = Field(default=8400, description="Port of the review desk web app.")
    desk_secure_cookies: bool = Field(
        default=False,
        description="Mark the desk's cookies Secure (set this when the desk is served over HTTPS).",
    )
    dispatch_concurrency: int = Field(
        default=4, description="Notice versions `waiwen run` drafts at the same time."
    )
    claim_seconds: int = Field(
        default=120,
        ge=1,
        description="How long a run's claim on a piece of work (drafting one language, sending to "
        "one channel) lasts without renewal; a drafting run renews it as it stores segments, so "
        "only a dead (or hung) run's claim lapses, and another worker takes the work over after "
        "this (at once when the dead run was on the same machine).",
    )
    batch_threshold: int = Field(
        default=4,
        ge=0,
        description="When more versions than this are due to draft (or to publish), a pass runs "
        "them in batch flow runs (one task run per version) instead of one flow run each.",
    )
    batch_size: int = Field(
        default=25,
        ge=1,
        description="Most versions one batch flow run drafts or publishes; a killed batch leaves "
        "at most this many versions for the next pass.",
    )
    flow_heartbeats: bool = Field(
        default=True,
        description="Prefect flow-run heartbeats (crash detection); each flow run then waits about a second "
        "at its end. Tests turn them off.",
    )
    report_convention: str = Field(
        default="office-2020",
        description="Reporting convention of the yearly report (which measure counts for each language): "
        'a name for its newest version, or a name and version as reports print it ("office-2020 v1"); '
        "docs/counting.md lists them.",
    )
    reports_dir: Path | None = Field(
        default=None,
        description="Folder the scheduled yearly-report flow writes into; default: reports/ in the home folder.",
    )
    sweep_seconds: int = Field(
        default=60,
        ge=1,
        description="Interval of the catch-up sweep deployment that drafts and publishes anything "
        "missed; `waiwen up` sets it on the deployment (prefect.yaml says 60).",
    )

    @field_validator(
        "columns",
        "engines",
        "holiday_files",
        "target_languages",
        "wechat_languages",
        "wechat_broadcast_columns",
        "channels",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        """Accept ``a,b,c`` from the environment as well as lists from waiwen.toml."""
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @field_validator("channels")
    @classmethod
    def _channels_listed_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """At least one channel, none twice (which ids exist, the channel registry checks)."""
        if not value:
            raise ValueError("names no channel: give at least one, e.g. site,wechat")
        repeated = sorted({channel for channel in value if value.count(channel) > 1})
        if repeated:
            raise ValueError(f"names {', '.join(repeated)} more than once: list each channel once")
        return value

    @field_validator("target_languages")
    @classmethod
    def _targets_shipped(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """At least one target, each a language of the table, kept in the table's order."""
        if not value:
            raise ValueError(
                f"names no language: give at least one, e.g. {','.join(DEFAULT_TARGETS)}"
            )
        unknown = [code for code in value if code not in SHIPPED_TARGETS]
        if unknown:
            raise ValueError(
                f"names {', '.join(unknown)}, not a target waiwen ships; known: "
                f"{', '.join(SHIPPED_TARGETS)}"
            )
        return tuple(code for code in SHIPPED_TARGETS if code in value)

    @field_validator("wechat_broadcast_columns")
    @classmethod
    def _broadcast_columns_known(
        cls, value: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        """Each broadcast column is one of WAIWEN_COLUMNS (or ``*``), so a typo broadcasts nothing silently."""
        columns = info.data.get("columns", DEFAULT_COLUMNS)
        unknown = [column for column in value if column != "*" and column not in columns]
        if unknown:
            raise ValueError(
                f"names {', '.join(unknown)}, not among the columns ({', '.join(columns)}): "
                "give columns of WAIWEN_COLUMNS, or * for all"
            )
        return value

    @field_validator("prefect_database_url")
    @classmethod
    def _prefect_database_postgresql(cls, value: SecretStr) -> SecretStr:
        """Empty, or a PostgreSQL URL the Prefect server can open (it connects with asyncpg)."""
        url = value.get_secret_value().strip()
        if url:
            problem = _prefect_database_problem(url)
            if problem:
                raise ValueError(
                    f"WAIWEN_PREFECT_DATABASE_URL {problem}: the Prefect server's database is "
                    "PostgreSQL, given as postgresql://USER:PASSWORD@HOST:PORT/DATABASE or "
                    "postgresql+asyncpg://… (a Unix socket: postgresql://USER@/DATABASE?host=/FOLDER), "
                    "or empty for the SQLite file in the home folder"
                )
        return SecretStr(url)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then waiwen.toml, then defaults."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'waiwen.db').resolve()}"

    @property
    def resolved_reports_dir(self) -> Path:
        """Where the yearly-report flow leaves its files."""
        return (self.reports_dir or self.home / "reports").resolve()

    @property
    def prefect_home(self) -> Path:
        """Where the local Prefect server keeps its state (and its SQLite database by default)."""
        return (self.home / "prefect").resolve()

    @property
    def prefect_server_database_url(self) -> str:
        """The local Prefect server's database in Prefect's form: PostgreSQL through asyncpg, or the SQLite file."""
        url = self.prefect_database_url.get_secret_value()
        if not url:
            return f"sqlite+aiosqlite:///{self.prefect_home / 'prefect.db'}"
        _scheme, rest = url.split("://", 1)
        return f"{PREFECT_POSTGRESQL_SCHEME}://{rest}"


class PluginSettings(BaseSettings):
    """Base of a plug-in's own settings: subclass it and give it an ``env_prefix``.

    A field ``auth_key`` under the prefix ``WAIWEN_DEEPL_`` is the variable
    ``WAIWEN_DEEPL_AUTH_KEY`` or, below it, ``deepl_auth_key = ...`` in ``waiwen.toml``: the
    names waiwen's central settings use, so a setting reads the same wherever it is declared.
    """

    model_config = SettingsConfigDict(extra="ignore")

    @classmethod
    def variable(cls, field: str) -> str:
        """The environment variable of one field, e.g. ``WAIWEN_DEEPL_AUTH_KEY``."""
        return f"{cls.model_config.get('env_prefix', '')}{field}".upper()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment first, then this plug-in's keys in waiwen.toml, then defaults."""
        prefix = str(settings_cls.model_config.get("env_prefix", "")).lower()
        # The file's keys drop WAIWEN_ as Settings' keys do: deepl_auth_key, outside_mirror_marker.
        key_prefix = prefix.removeprefix("waiwen_")
        table = TomlConfigSettingsSource(settings_cls, toml_file=_config_file()).toml_data
        own = {
            key.removeprefix(key_prefix): value
            for key, value in table.items()
            if key.startswith(key_prefix)
        }
        return (init_settings, env_settings, InitSettingsSource(settings_cls, own))


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings (tests call ``get_settings.cache_clear()`` after changing the environment)."""
    return Settings()
