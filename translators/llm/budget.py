"""What a text costs in tokens, and how a batch's segments are cut into requests that fit a budget.

The estimate is deliberately cheap and a little pessimistic, since it runs before every request and
no tokenizer of the office's model is at hand: a Han, kana or Hangul character (or a CJK
punctuation mark) counts 1/1.5 token, any other character 1/4 token. Tokenizers of the models
offices use (Qwen, DeepSeek, GPT) spend 0.6 to 1 token on a Chinese character and about 4
characters of English text per token. A request the server still finds too long is split again
(`run.py`), so an underestimate costs one refused request, never a lost segment.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

__all__ = [
    "CJK_CHARS_PER_TOKEN",
    "OTHER_CHARS_PER_TOKEN",
    "SEGMENT_OVERHEAD",
    "estimate_tokens",
    "halves",
    "pack",
    "piece_char_limit",
    "segment_tokens",
]

T = TypeVar("T")

CJK_CHARS_PER_TOKEN = 1.5
OTHER_CHARS_PER_TOKEN = 4.0
# Tokens of the JSON around one segment in the request: {"id": "s12", "text": ""},
SEGMENT_OVERHEAD = 8
# Han (with extensions and compatibility forms), kana, Hangul, CJK punctuation, full-width forms.
_CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef]"
)


def estimate_tokens(text: str) -> int:
    """Tokens `text` costs by the estimate above (0 for an empty text)."""
    cjk = len(_CJK.findall(text))
    return math.ceil(cjk / CJK_CHARS_PER_TOKEN + (len(text) - cjk) / OTHER_CHARS_PER_TOKEN)


def segment_tokens(text: str) -> int:
    """Tokens one segment costs in a request: its text and the JSON around it."""
    return estimate_tokens(text) + SEGMENT_OVERHEAD


def piece_char_limit(budget: int) -> int:
    """Longest text, in characters, whose estimate fits `budget` whatever its script.

    Chinese is the dearest text per character, so a piece of this many characters fits even when
    every character is Han.
    """
    return max(1, math.floor((budget - SEGMENT_OVERHEAD) * CJK_CHARS_PER_TOKEN))


def pack(
    items: Sequence[T],
    cost: Callable[[T], int],
    budget: int,
    starts_section: Callable[[T], bool] = lambda _item: False,
) -> list[list[T]]:
    """Consecutive items in groups of at most `budget`, in order; cut on structure where it can.

    A group is closed early before an item that starts a section (a heading) once it holds half the
    budget, so requests follow the notice's sections rather than cutting one in two. An item dearer
    than the budget goes alone.
    """
    groups: list[list[T]] = []
    current: list[T] = []
    spent = 0
    for item in items:
        price = cost(item)
        full = current and spent + price > budget
        at_section = current and starts_section(item) and spent * 2 >= budget
        if full or at_section:
            groups.append(current)
            current, spent = [], 0
        current.append(item)
        spent += price
    if current:
        groups.append(current)
    return groups


def halves(items: Sequence[T]) -> tuple[list[T], list[T]]:
    """The first and second half of at least two items, in order."""
    if len(items) < 2:
        raise ValueError("only two or more items can be halved")
    middle = len(items) // 2
    return list(items[:middle]), list(items[middle:])
