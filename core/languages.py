"""The one table of waiwen's languages: the Chinese source and the targets, in the office's order.

Every other package reads codes, names, scripts and directions from here; nothing else lists
the languages. The order is the office's: its yearly table reads 英文, 日文, 法文, 韩文.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ALL_LANGUAGES",
    "LANGUAGES",
    "SOURCE_LANGUAGE",
    "TARGET_LANGUAGES",
    "Language",
    "language",
    "order_of",
]


@dataclass(frozen=True)
class Language:
    """One language as waiwen writes, shows and reports it."""

    code: str  # waiwen's code (ISO 639-1), used in files, the database and addresses
    bcp47: str  # the tag pages declare in lang="" and hreflang=""
    own_name: str  # its name in itself, as the language switchers show it
    english_name: str
    chinese_name: str  # as the office's report names it (英文, 日文 ...)
    script: str  # the writing system its text is mostly in (ISO 15924)
    direction: Literal["ltr", "rtl"]
    joiner: str  # what goes between two sentences: nothing in Chinese and Japanese, else a space

    @property
    def report_label(self) -> str:
        """The column of the office's yearly table: 英文字数, 日文字数 ..."""
        return f"{self.chinese_name}字数"


SOURCE_LANGUAGE = "zh"

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("zh", "zh", "中文", "Chinese", "中文", "Hans", "ltr", ""),
        Language("en", "en", "English", "English", "英文", "Latn", "ltr", " "),
        Language("ja", "ja", "日本語", "Japanese", "日文", "Jpan", "ltr", ""),
        Language("fr", "fr", "Français", "French", "法文", "Latn", "ltr", " "),
        Language("ko", "ko", "한국어", "Korean", "韩文", "Kore", "ltr", " "),
    )
}

ALL_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)  # the source first, then the targets
TARGET_LANGUAGES: tuple[str, ...] = tuple(c for c in LANGUAGES if c != SOURCE_LANGUAGE)


def language(code: str) -> Language:
    """The table's entry for ``code``; KeyError naming the known codes otherwise."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise KeyError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}") from None


def order_of(code: str) -> int:
    """Where ``code`` sorts: the table's order, unknown codes last."""
    return ALL_LANGUAGES.index(code) if code in LANGUAGES else len(ALL_LANGUAGES)
