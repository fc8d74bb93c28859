"""DeepL through its official SDK (deep-translator 1.11.4 still sends the key the way DeepL removed).

The office's glossary goes to DeepL as one glossary per target language, named after its content,
so a glossary is created once and found again by every later run; a changed term list makes a new
one. waiwen masks glossary terms itself as well, so DeepL's glossary matters for the forms masking
cannot see (plurals, inflections of a term inside a longer phrase).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

import deepl
import deepl.http_client
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core.settings import PluginSettings
from translators.base import SharedEngineSettings
from translators.deadline import bounded_call
from translators.deeptranslator import display_url
from translators.errors import (
    AuthenticationFailed,
    BadOutput,
    EngineError,
    EngineUnavailable,
    RateLimited,
    UnsupportedLanguage,
)
from translators.glossary import Glossary
from translators.output import checked_output
from translators.provider_codes import joiner, provider_code, translates
from translators.split import translate_in_pieces

__all__ = ["DeepLEngine", "DeepLSettings"]

T = TypeVar("T")

# The SDK retries 429 and 5xx itself, up to five times with backoff of its own; waiwen's chain
# (Prefect task retries) decides about retrying, so the SDK must answer at once. This is the
# SDK's documented switch; it is process-wide and waiwen is its only user.
deepl.http_client.max_network_retries = 0

# DeepL accepts 128 KiB per request; characters are counted well below that in UTF-8 bytes.
MAX_CHARS = 30_000


class DeepLSettings(PluginSettings):
    """WAIWEN_DEEPL_URL and WAIWEN_DEEPL_AUTH_KEY."""

    model_config = SettingsConfigDict(env_prefix="WAIWEN_DEEPL_")

    url: str | None = Field(
        default=None, description="DeepL API address instead of the public one."
    )
    auth_key: SecretStr = Field(
        default=SecretStr(""),
        description="DeepL authentication key; empty: Prefect Secret block `waiwen-deepl-auth-key`.",
    )


class DeepLEngine:
    """The DeepL API (Free or Pro), optionally with the office glossary."""

    id = "deepl"
    label = "DeepL"
    settings_model = DeepLSettings

    def __init__(self, auth_key: str, *, url: str | None = None, timeout: float = 30.0) -> None:
        """`url`: a server other than DeepL's (the Free API's address is chosen from the key)."""
        if not auth_key:
            raise ValueError(
                "engine 'deepl' needs WAIWEN_DEEPL_AUTH_KEY (or the Prefect Secret block "
                "waiwen-deepl-auth-key)"
            )
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self._client = deepl.Translator(auth_key, server_url=url)
        self._timeout = timeout
        self._where = display_url(url or "https://api.deepl.com")
        self._glossary: Glossary | None = None
        self._glossary_ids: dict[str, str | None] = {}

    def __repr__(self) -> str:
        """Server and timeout, never the key."""
        return f"DeepLEngine(url={self._where!r}, timeout={self._timeout!r})"

    def supports(self, source: str, target: str) -> bool:
        """Chinese into a language the table gives DeepL a code for (EN-GB: British, as the
        office writes)."""
        return translates(self.id, source, target)

    def use_glossary(self, glossary: Glossary) -> None:
        """Send this glossary's terms with every request (a DeepL glossary per language)."""
        if glossary is not self._glossary:
            self._glossary, self._glossary_ids = glossary, {}

    def translate(self, text: str, source: str, target: str) -> str:
        """Translate one plain-text segment; failures raise `EngineError` subclasses only."""
        if not self.supports(source, target):
            raise UnsupportedLanguage(self.id, f"no support for {source}→{target}")
        if not text.strip():
            return text
        glossary_id = self._call(lambda: self._glossary_id(target))

        def send(piece: str) -> str:
            result = self._call(
                lambda: self._client.translate_text(
                    piece,
                    source_lang=provider_code(self.id, source),
                    target_lang=provider_code(self.id, target),
                    glossary=glossary_id,
                )
            )
            return checked_output(self.id, getattr(result, "text", None), piece, target)

        output = translate_in_pieces(text, MAX_CHARS, send, joiner(target))
        return checked_output(self.id, output, text, target)

    def _glossary_id(self, target: str) -> str | None:
        """The id of the DeepL glossary for `target`, created the first time it is needed."""
        if self._glossary is None:
            return None
        if target not in self._glossary_ids:
            entries = {t.source: t.target for t in self._glossary.terms(target)}
            if not entries:
                self._glossary_ids[target] = None
                return None
            digest = hashlib.sha256(repr(sorted(entries.items())).encode()).hexdigest()[:12]
            name = f"waiwen-zh-{target}-{digest}"
            existing = [g for g in self._client.list_glossaries() if g.name == name]
            info = (
                existing[0]
                if existing
                else self._client.create_glossary(
                    name,
                    source_lang=provider_code(self.id, "zh"),
                    # Glossaries take the language without its variant (EN, not EN-GB).
                    target_lang=provider_code(self.id, target).split("-")[0],
                    entries=entries,
                )
            )
            self._glossary_ids[target] = info.glossary_id
        return self._glossary_ids[target]

    def _call(self, work: Callable[[], T]) -> T:
        return bounded_call(self.id, self._where, self._timeout, work, self._map_error)

    def _map_error(self, exc: Exception) -> EngineError:
        where = self._where
        if isinstance(exc, deepl.QuotaExceededException):
            return EngineError(self.id, f"{where}: the account's character quota is used up (456)")
        if isinstance(exc, deepl.TooManyRequestsException):
            return RateLimited(self.id, f"{where} asks to slow down (HTTP 429)")
        if isinstance(exc, deepl.AuthorizationException):
            return AuthenticationFailed(
                self.id, f"{where} refused the key (HTTP 403); check WAIWEN_DEEPL_AUTH_KEY"
            )
        if isinstance(exc, deepl.ConnectionException):
            return EngineUnavailable(self.id, f"cannot reach {where}")
        if isinstance(exc, deepl.DeepLException):
            status = getattr(exc, "http_status_code", None)
            if status is not None and status >= 500:
                return EngineUnavailable(self.id, f"{where} failed (HTTP {status})")
            if status == 400:
                return UnsupportedLanguage(self.id, f"{where} refused the request (HTTP 400)")
            return EngineError(self.id, f"{where} refused the request (HTTP {status})")
        if isinstance(exc, KeyError | TypeError | ValueError):
            return BadOutput(self.id, f"answer from {where} is not what the API documents")
        return EngineError(self.id, f"unexpected {type(exc).__name__} from the DeepL SDK")

    @classmethod
    def from_settings(cls, settings: DeepLSettings, shared: SharedEngineSettings) -> DeepLEngine:
        """Registry factory."""
        return cls(settings.auth_key.get_secret_value(), url=settings.url, timeout=shared.timeout)
