"""This database's own id: made once, so that names built from row ids stay unique across databases."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from store.db import transaction
from store.models import Setting

DATABASE_ID = "database.id"


def database_id(database_url: str) -> str:
    """The id stored in this database (a new one the first time it is asked)."""
    with transaction(database_url) as session:
        row = session.get(Setting, DATABASE_ID)
        if row is not None:
            return str(row.value["id"])
    made = uuid.uuid4().hex[:12]
    try:
        with transaction(database_url) as session:
            session.add(Setting(key=DATABASE_ID, value={"id": made}, updated_by="waiwen"))
    except IntegrityError:
        pass  # another process made it first: theirs is the one
    with transaction(database_url) as session:
        return str(session.get_one(Setting, DATABASE_ID).value["id"])
