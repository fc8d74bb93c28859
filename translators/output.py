"""What every engine checks in an answer before it is a draft: text, not empty, not the Chinese back."""

from __future__ import annotations

import re

from translators.errors import BadOutput

__all__ = ["checked_output"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Japanese writes many Chinese noun phrases (place names, titles) identically,
# so an unchanged segment only means "wrong language" once it is sentence-long.
_JA_IDENTICAL_MAX = 8


def checked_output(engine_id: str, output: object, text: str, target: str) -> str:
    """The answer as a draft, or BadOutput when it is no text, empty or the source unchanged."""
    if not isinstance(output, str):
        raise BadOutput(engine_id, f"answer is {type(output).__name__}, not text")
    if not output.strip():
        raise BadOutput(engine_id, "empty translation")
    unchanged = output.strip() == text.strip() and _HAN.search(text) is not None
    if unchanged and target != "zh" and (target != "ja" or len(text.strip()) > _JA_IDENTICAL_MAX):
        raise BadOutput(
            engine_id, f"returned the Chinese text unchanged for {target} (wrong language?)"
        )
    return output
