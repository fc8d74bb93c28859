"""Single-line, bounded values in logs and the audit log, whatever a user typed.

A name or path holding a newline would otherwise write a second, forged line into the desk's log
(or a second actor into a report made from the audit log). One record factory makes every waiwen
log record safe, so no call site has to remember it.
"""

from __future__ import annotations

import logging
from typing import Any

MAX_LOGGED = 300
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)} | {
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
    0x85: "\\x85",
}


def one_line(value: object, limit: int = MAX_LOGGED) -> str:
    """``value`` as text on one line (control characters escaped), cut to ``limit`` characters."""
    text = str(value)
    if len(text) > 4 * limit:
        text = text[: 4 * limit]  # escaping can only lengthen it: never translate more than needed
    text = text.translate(_CONTROLS)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_arg(value: Any) -> Any:
    return one_line(value) if isinstance(value, str) else value


def install() -> None:
    """Make every record of a ``waiwen.*`` logger single-line and bounded (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "waiwen_safe", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        if record.name == "waiwen" or record.name.startswith("waiwen."):
            if isinstance(record.msg, str):
                record.msg = one_line(record.msg, 4 * MAX_LOGGED)
            if isinstance(record.args, tuple):
                record.args = tuple(_safe_arg(arg) for arg in record.args)
            elif isinstance(record.args, dict):
                record.args = {key: _safe_arg(arg) for key, arg in record.args.items()}
        return record

    factory.waiwen_safe = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
