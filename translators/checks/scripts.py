"""The writing systems the checks tell apart: Han, kana, Hangul, Latin, Cyrillic, Arabic, Thai."""

from __future__ import annotations

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-zÀ-ÿŒœ]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿŒœ]{2,}")
# Latin letters of every European language and Vietnamese (ă, đ, ơ, ư, ạ, ế ...).
LATIN_ANY = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ]")
CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
ARABIC = re.compile(
    r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u0750-\u077f\ufb50-\ufdfb\ufe70-\ufefc]"
)
THAI = re.compile(r"[\u0e01-\u0e3a\u0e40-\u0e4e]")
# A language's letters by the table's script code (ISO 15924), for the scripts of one alphabet.
SCRIPT_LETTERS = {"Latn": LATIN_ANY, "Cyrl": CYRILLIC, "Arab": ARABIC, "Thai": THAI}


def japanese_kanji(character: str) -> bool:
    """Whether a Han character is one Japanese writes: in the JIS character sets (as cp932 has them).

    Simplified Chinese forms (发, 务, 审, 们, 这) are not; Japanese forms (発, 務, 審) and the
    characters both write (国, 会, 豫) are.
    """
    try:
        character.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def reads_as_japanese(text: str) -> bool:
    """Whether every Han character of ``text`` is one Japanese writes (目的, 上海市人民政府)."""
    return all(japanese_kanji(ch) for ch in HAN.findall(text))
