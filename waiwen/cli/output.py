"""What the commands print for `--json`."""

from __future__ import annotations

import json
from datetime import date, datetime


def to_json(data: object) -> str:
    """``data`` as indented JSON, text unescaped and dates in ISO 8601."""

    def default(value: object) -> str:
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(data, ensure_ascii=False, indent=2, default=default)
