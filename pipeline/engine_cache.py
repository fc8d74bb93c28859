"""The engine output cache in the database, shared by every process and every notice."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from store.db import transaction
from store.models import EngineOutput


def _key(text: str) -> str:
    # The exact text sent, not a normalised one: a different text may get a different answer.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SqlOutputCache:
    """`translators.cache.OutputCache` over the `engine_outputs` table; each call is its own transaction."""

    def __init__(self, database_url: str) -> None:
        """Use the database at `database_url`."""
        self.database_url = database_url

    def get(self, engine_id: str, language: str, text: str) -> str | None:
        """The engine's stored answer for exactly this text, or None."""
        with transaction(self.database_url) as session:
            return session.scalar(
                select(EngineOutput.output).where(
                    EngineOutput.engine == engine_id,
                    EngineOutput.language == language,
                    EngineOutput.source_key == _key(text),
                )
            )

    def put(self, engine_id: str, language: str, text: str, output: str) -> None:
        """Store the answer in its own committed transaction; a concurrent first store wins."""
        try:
            with transaction(self.database_url) as session:
                session.add(
                    EngineOutput(
                        engine=engine_id,
                        language=language,
                        source_key=_key(text),
                        source_text=text,
                        output=output,
                    )
                )
        except IntegrityError:
            pass  # another drafting process stored the same text first; its answer stands
