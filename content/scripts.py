"""Character classes (Han, kana, hangul, Latin) shared by counting and intake checks."""

from __future__ import annotations

import re
import unicodedata

# Han script: the unified ideograph blocks and their extensions, compatibility
# ideographs, and the few ideographic marks of the CJK Symbols block (々 〇 〡…)
# that Unicode assigns to the Han script.
_HAN = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\U00030000-\U000323af"
)
# Kana: hiragana, katakana (with ー), phonetic extensions and half-width katakana.
# The half-width and full-width forms block is otherwise excluded (Ａ１！ are not CJK).
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d"
# Hangul: syllables, jamo, compatibility jamo, jamo extensions, half-width jamo.
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff\uffa0-\uffdc"

HAN_RE = re.compile(f"[{_HAN}]")
KANA_RE = re.compile(f"[{_KANA}]")
HANGUL_RE = re.compile(f"[{_HANGUL}]")
CJK_RE = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]")


def is_han(ch: str) -> bool:
    """True for one Han (Chinese) character."""
    return HAN_RE.fullmatch(ch) is not None


def is_kana(ch: str) -> bool:
    """True for one hiragana or katakana character."""
    return KANA_RE.fullmatch(ch) is not None


def is_hangul(ch: str) -> bool:
    """True for one hangul syllable or jamo."""
    return HANGUL_RE.fullmatch(ch) is not None


def is_latin_letter(ch: str) -> bool:
    """True for a letter of the Latin script, full-width forms (Ａ) included."""
    # Unicode names of Latin letters all contain "LATIN" (ASCII, accented,
    # extended and FULLWIDTH LATIN ...), which spares us a table of ranges.
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


# Characters that are never a Latin letter or an ASCII digit once NFKC has folded full-width forms:
# Han, kana, hangul, CJK symbols and punctuation, and what is left of the half- and full-width
# forms block. Dropping them first keeps the per-character check below off long Chinese tokens.
_NEVER_LATIN_RE = re.compile(f"[{_HAN}{_KANA}{_HANGUL}\u3000-\u303f\uff00-\uffef]+")
_ASCII_ALNUM_RE = re.compile("[0-9A-Za-z]")


def has_latin_or_digit(token: str) -> bool:
    """True if the token holds a Latin letter or an ASCII digit after NFKC (Ａ１ count)."""
    if _ASCII_ALNUM_RE.search(token):
        return True
    if token.isascii():
        return False
    rest = _NEVER_LATIN_RE.sub("", unicodedata.normalize("NFKC", token))
    return any(("0" <= ch <= "9") or is_latin_letter(ch) for ch in rest)
