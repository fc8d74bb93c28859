"""The writing systems the checks tell apart: Han, kana, Hangul and Latin letters."""

from __future__ import annotations

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-zÀ-ÿŒœ]")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿŒœ]{2,}")


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
