"""The one table of waiwen's languages: the Chinese source and every target it ships, in the office's order.

Every other package reads codes, names, scripts, directions, engines' codes and number notation from
here; nothing else lists the languages. The order is the office's: its yearly table reads 英文, 日文,
法文, 韩文, and further languages follow. Which targets an office drafts into is configuration
(`WAIWEN_TARGET_LANGUAGES`, default en,ja,fr,ko): `core.targets.target_languages()` gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DEFAULT_TARGETS",
    "LANGUAGES",
    "OFFICE_COLUMNS",
    "SHIPPED_TARGETS",
    "SOURCE_LANGUAGE",
    "Language",
    "language",
    "order_of",
]

WESTERN_DIGITS = "0123456789"


@dataclass(frozen=True)
class Language:
    """One language as waiwen writes, shows, counts and reports it."""

    code: str  # waiwen's code (ISO 639-1), used in files, the database and addresses
    bcp47: str  # the tag pages declare in lang="" and hreflang=""
    own_name: str  # its name in itself, as the language switchers show it
    english_name: str
    chinese_name: str  # as the office's report names it (英文, 日文 ...)
    script: str  # the writing system its text is mostly in (ISO 15924)
    direction: Literal["ltr", "rtl"]
    joiner: (
        str  # what goes between two sentences: nothing in Chinese, Japanese and Thai, else a space
    )
    engine_codes: tuple[
        tuple[str, str], ...
    ] = ()  # (engine id, the engine's code) where not `code`
    decimal_mark: str = "."  # 3.5 / 3,5
    group_marks: tuple[str, ...] = (",",)  # what may group thousands: 1,000 / 1 000 / 1.000
    native_digits: str = ""  # digits of its own besides 0-9 (Arabic-Indic ٠١٢٣٤٥٦٧٨٩)

    @property
    def report_label(self) -> str:
        """The column of the office's yearly table: 英文字数, 日文字数, 阿拉伯文字数 ..."""
        return f"{self.chinese_name}字数"

    def code_for(self, engine_id: str) -> str:
        """The code engine `engine_id` knows this language by (Baidu's jp, DeepL's JA ...)."""
        return dict(self.engine_codes).get(engine_id, self.code)

    def engine_supports(self, engine_id: str) -> bool:
        """Whether `engine_id`'s code for this language is known (an empty code: it has none)."""
        return bool(self.code_for(engine_id))


SOURCE_LANGUAGE = "zh"

# Engines' codes where they differ from waiwen's, from each provider's language list; an empty code
# says the provider does not translate into the language.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "zh",
            "zh",
            "中文",
            "Chinese",
            "中文",
            "Hans",
            "ltr",
            "",
            (
                ("deepl", "ZH"),
                ("google", "zh-CN"),
                ("microsoft", "zh-Hans"),
                ("mymemory", "zh-CN"),
            ),
        ),
        Language(
            "en",
            "en",
            "English",
            "English",
            "英文",
            "Latn",
            "ltr",
            " ",
            (("deepl", "EN-GB"), ("mymemory", "en-GB")),
        ),
        Language(
            "ja",
            "ja",
            "日本語",
            "Japanese",
            "日文",
            "Jpan",
            "ltr",
            "",
            (("baidu", "jp"), ("deepl", "JA"), ("mymemory", "ja-JP")),
        ),
        Language(
            "fr",
            "fr",
            "Français",
            "French",
            "法文",
            "Latn",
            "ltr",
            " ",
            (("baidu", "fra"), ("deepl", "FR"), ("mymemory", "fr-FR")),
            decimal_mark=",",
            group_marks=("\u202f", "\u00a0", " ", "."),
        ),
        Language(
            "ko",
            "ko",
            "한국어",
            "Korean",
            "韩文",
            "Kore",
            "ltr",
            " ",
            (("baidu", "kor"), ("deepl", "KO"), ("mymemory", "ko-KR")),
        ),
        Language(
            "de",
            "de",
            "Deutsch",
            "German",
            "德文",
            "Latn",
            "ltr",
            " ",
            (("deepl", "DE"), ("mymemory", "de-DE")),
            decimal_mark=",",
            group_marks=(".", "\u202f", "\u00a0", " "),
        ),
        Language(
            "es",
            "es",
            "Español",
            "Spanish",
            "西班牙文",
            "Latn",
            "ltr",
            " ",
            (("baidu", "spa"), ("deepl", "ES"), ("mymemory", "es-ES")),
            decimal_mark=",",
            group_marks=(".", "\u202f", "\u00a0", " "),
        ),
        Language(
            "ru",
            "ru",
            "Русский",
            "Russian",
            "俄文",
            "Cyrl",
            "ltr",
            " ",
            (("deepl", "RU"), ("mymemory", "ru-RU")),
            decimal_mark=",",
            group_marks=("\u00a0", "\u202f", " "),
        ),
        Language(
            "ar",
            "ar",
            "العربية",
            "Arabic",
            "阿拉伯文",
            "Arab",
            "rtl",
            " ",
            # Tencent TMT translates zh into neither ar nor hi (only en does): TextTranslate's
            # table of Source/Target pairs.
            (("baidu", "ara"), ("deepl", "AR"), ("mymemory", "ar-SA"), ("tencent", "")),
            group_marks=(",", "\u066c"),
            native_digits="٠١٢٣٤٥٦٧٨٩",
        ),
        Language(
            "pt",
            "pt",
            "Português",
            "Portuguese",
            "葡萄牙文",
            "Latn",
            "ltr",
            " ",
            (("deepl", "PT-PT"), ("microsoft", "pt-pt"), ("mymemory", "pt-PT")),
            decimal_mark=",",
            group_marks=("\u00a0", "\u202f", " ", "."),
        ),
        Language(
            "it",
            "it",
            "Italiano",
            "Italian",
            "意大利文",
            "Latn",
            "ltr",
            " ",
            (("deepl", "IT"), ("mymemory", "it-IT")),
            decimal_mark=",",
            group_marks=(".", "\u202f", "\u00a0", " "),
        ),
        Language(
            "vi",
            "vi",
            "Tiếng Việt",
            "Vietnamese",
            "越南文",
            "Latn",
            "ltr",
            " ",
            (("baidu", "vie"), ("deepl", "VI"), ("mymemory", "vi-VN")),
            decimal_mark=",",
            group_marks=(".", "\u00a0", " "),
        ),
        Language(
            "th",
            "th",
            "ไทย",
            "Thai",
            "泰文",
            "Thai",
            "ltr",
            "",
            (("deepl", "TH"), ("mymemory", "th-TH")),
            native_digits="๐๑๒๓๔๕๖๗๘๙",
        ),
    )
}

# The office's yearly table names these four columns, first and always, whatever is configured.
OFFICE_COLUMNS: tuple[str, ...] = ("en", "ja", "fr", "ko")
DEFAULT_TARGETS: tuple[str, ...] = OFFICE_COLUMNS
SHIPPED_TARGETS: tuple[str, ...] = tuple(c for c in LANGUAGES if c != SOURCE_LANGUAGE)


def language(code: str) -> Language:
    """The table's entry for ``code``; KeyError naming the known codes otherwise."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise KeyError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}") from None


def order_of(code: str) -> int:
    """Where ``code`` sorts: the table's order, unknown codes last."""
    codes = tuple(LANGUAGES)
    return codes.index(code) if code in LANGUAGES else len(codes)
