"""A known set of counted texts for report tests, with every expected cell worked out by hand."""

from __future__ import annotations

from datetime import date

from store.db import transaction
from store.models import CountedText

# The office's table as it has always reported it, under the default configuration.
OFFICE_HEADERS = ("英文字数", "日文字数", "法文字数", "韩文字数", "外文稿件篇数", "外文总字词数")

# (notice, language, published_on, column, latin_words, cjk_characters, characters_no_spaces,
#  korean_words, words, state). `words` is above `korean_words` where a Korean text holds
# numbers or Latin words, and above `latin_words` where an English or French text holds a word
# in another script (外办); a Japanese text has few pieces between spaces.
ROWS = [
    # Notice A, January, 要闻动态, three languages.
    ("A", "en", date(2025, 1, 6), "要闻动态", 120, 0, 700, 0, 121, "counted"),
    ("A", "ja", date(2025, 1, 6), "要闻动态", 3, 250, 300, 0, 4, "counted"),
    ("A", "ko", date(2025, 1, 6), "要闻动态", 2, 0, 400, 90, 95, "counted"),
    # Notice B, January, 政务公开, English only.
    ("B", "en", date(2025, 1, 20), "政务公开", 80, 2, 450, 0, 80, "counted"),
    # Notice C, March, 政务公开, all four.
    ("C", "en", date(2025, 3, 3), "政务公开", 200, 0, 1100, 0, 200, "counted"),
    ("C", "ja", date(2025, 3, 3), "政务公开", 5, 410, 480, 0, 6, "counted"),
    ("C", "fr", date(2025, 3, 3), "政务公开", 230, 0, 1250, 0, 230, "counted"),
    ("C", "ko", date(2025, 3, 3), "政务公开", 4, 0, 520, 110, 118, "counted"),
    # Notice D, December (Shanghai date), 回应关切, French only.
    ("D", "fr", date(2025, 12, 31), "回应关切", 60, 0, 330, 0, 61, "counted"),
    # Notice E was retracted: it must not count anywhere.
    ("E", "en", date(2025, 3, 10), "要闻动态", 999, 0, 5000, 0, 999, "retracted"),
    # Notice F belongs to 2024 and notice G to 2026: other years' reports.
    ("F", "en", date(2024, 12, 31), "要闻动态", 500, 0, 2500, 0, 500, "counted"),
    ("G", "ja", date(2026, 1, 1), "要闻动态", 0, 700, 800, 0, 2, "counted"),
]

# Worked out by hand from ROWS under office-2020 v1 (en, fr: latin_words; ja:
# characters_no_spaces; ko: korean_words). 2025 only, retracted E left out.
EXPECTED_2025 = {
    "en": 120 + 80 + 200,  # A, B, C = 400
    "ja": 300 + 480,  # A, C = 780
    "fr": 230 + 60,  # C, D = 290
    "ko": 90 + 110,  # A, C = 200
    "articles": 4,  # A, B, C, D
    "total": 400 + 780 + 290 + 200,  # 1670
    "language_versions": {"en": 3, "ja": 2, "fr": 2, "ko": 2},
}
# Month by month: January = A + B, March = C, December = D; other months zero.
EXPECTED_MONTHS_2025 = {
    1: {"en": 200, "ja": 300, "fr": 0, "ko": 90, "articles": 2},
    3: {"en": 200, "ja": 480, "fr": 230, "ko": 110, "articles": 1},
    12: {"en": 0, "ja": 0, "fr": 60, "ko": 0, "articles": 1},
}
EXPECTED_COLUMNS_2025 = {
    "要闻动态": {"en": 120, "ja": 300, "fr": 0, "ko": 90, "articles": 1},
    "政务公开": {"en": 280, "ja": 480, "fr": 230, "ko": 110, "articles": 2},
    "回应关切": {"en": 0, "ja": 0, "fr": 60, "ko": 0, "articles": 1},
}
# Under ko-characters Korean counts characters without spaces: A 400 + C 520.
EXPECTED_KO_CHARACTERS_2025 = 400 + 520
# Under office-2020 v2 en, fr and ko count `words`; ja is unchanged.
EXPECTED_V2_2025 = {
    "en": 121 + 80 + 200,  # A, B, C = 401
    "ja": 300 + 480,  # 780
    "fr": 230 + 61,  # C, D = 291
    "ko": 95 + 118,  # A, C = 213
    "articles": 4,
    "total": 401 + 780 + 291 + 213,  # 1685
}


def load_rows(url: str) -> None:
    """Store ROWS as the report's ledger."""
    seen: set[str] = set()
    with transaction(url) as session:
        for key, lang, day, column, latin, cjk, chars, korean, words, state in ROWS:
            session.add(
                CountedText(
                    notice_key=f"test:{key}",
                    notice_id=None,
                    language=lang,
                    title=f"通知{key}",
                    column=column,
                    published_on=day,
                    year=day.year,
                    month=day.month,
                    version=1,
                    source=f"notice {key}",
                    content_hash=key * 8,
                    latin_words=latin,
                    cjk_characters=cjk,
                    characters_no_spaces=chars,
                    korean_words=korean,
                    words=words,
                    lead=key not in seen,
                    state=state,
                )
            )
            seen.add(key)
