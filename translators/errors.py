"""Error hierarchy every engine maps its provider's failures onto."""

from __future__ import annotations

__all__ = [
    "AuthenticationFailed",
    "BadOutput",
    "EngineError",
    "EngineUnavailable",
    "RateLimited",
    "UnsupportedLanguage",
]


class EngineError(Exception):
    """A translation engine could not translate a segment."""

    transient: bool = False

    def __init__(self, engine_id: str, message: str) -> None:
        """Remember which engine failed and why (the message must never hold a secret)."""
        super().__init__(f"{engine_id}: {message}")
        self.engine_id = engine_id
        self.message = message


class RateLimited(EngineError):
    """The provider asked us to slow down (HTTP 429)."""

    transient = True


class EngineUnavailable(EngineError):
    """The provider could not be reached or failed on its side (refused, timeout, 5xx)."""

    transient = True


class AuthenticationFailed(EngineError):
    """The provider refused our credentials (HTTP 403, bad key)."""


class UnsupportedLanguage(EngineError):
    """The engine cannot translate this language pair."""


class BadOutput(EngineError):
    """The engine answered, but the answer is not a usable translation."""
