"""How a glossary term may be written in a target: its inflected, spaced and cased forms per language.

The rules are few on purpose; a form they do not cover is listed as a variant of the entry.

- Every language: case-insensitive; ``'`` and ``’`` are the same apostrophe.
- English and French (words): the term is found as whole words, separated by spaces or hyphens.
  A leading article of the term is optional.
  English: each word may take ``-s``/``-es``/``-ies`` or lose it (``letter``/``letters``,
  ``city``/``cities``) and a possessive (``Office's``, ``cities'``); an inner ``the``/``a``/``an``
  may be there or not. French: each word may vary in gender and number (``ville amie``/``villes
  amies``, ``jumelé``/``jumelées``, ``municipal``/``municipaux``, ``bureau``/``bureaux``); an inner
  ``de``/``d'``/``du``/``des``/``de la``/``de l'`` are one another's forms, likewise
  ``à``/``au``/``aux``/``à la``/``à l'`` and ``le``/``la``/``les``/``l'`` (elision).
- Japanese and Korean (characters): the term is found anywhere, so a particle attached to it
  (を, が, は, の …; 을/를, 이/가, 은/는, 의, 에 …) is no obstacle. Spaces between its characters
  may be there or not (Korean spacing: ``정부정보 공개`` = ``정부정보공개``); in Japanese so may
  ``・`` (``ビジネス・トラベル`` = ``ビジネストラベル``), and Latin letters and digits may be
  full-width (``ＡＰＥＣ``).
- Another language: whole words, case-insensitive, by its script (core/languages.py).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from core.languages import LANGUAGES

__all__ = ["closest", "find", "forms", "nfc"]

Span = tuple[int, int]

_APOSTROPHE = "['’ʼ]"
_HYPHENS = re.compile("[-‐‑–]")
_BETWEEN_WORDS = r"(?:\s*[-‐‑–]\s*|\s+)"
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_TEXT_WORD = re.compile(r"[^\W_]+")
# Scripts written without spaces between words (or, in Korean, with free spacing in compounds).
_CHARACTER_SCRIPTS = frozenset({"Jpan", "Kore", "Hans", "Hant"})
# What may stand between two characters of a term, or be left out: one character's class.
_GAPS = {"ja": re.compile(r"[・･\s]")}
_GAP = re.compile(r"\s")


@dataclass(frozen=True)
class _WordRules:
    """How the words of one Latin-script language inflect, and which small words join others."""

    inflect: Callable[[str], str]  # a word of the term -> the regex of its forms
    fixed: frozenset[str]  # words that do not inflect
    articles: re.Pattern[str]  # an article that opens the term, which the text may leave out
    # token sequences that stand for one another inside a term -> the regex of them all (with
    # the space after it)
    groups: Sequence[tuple[tuple[str, ...], str]] = field(default=())


# British and American spelling: legalisation = legalization, organise = organize.
_IZE = re.compile(r"i[sz](?=(?:ation|ations|e|es|ed|ing)?$)", re.IGNORECASE)


def _english_word(word: str) -> str:
    """``letter`` -> letter, letters, letter's, letters'; ``city`` -> cities; ``press`` -> presses."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        stem, endings = word[:-3], "(?:y|ies)"
    elif len(lower) > 2 and lower.endswith("y") and lower[-2] not in "aeiou":
        stem, endings = word[:-1], "(?:y|ies)"
    elif lower.endswith(("ches", "shes", "sses", "xes", "zes")):
        stem, endings = word[:-2], "(?:es)?"
    elif lower.endswith(("ch", "sh", "ss", "x", "z")):
        stem, endings = word, "(?:es)?"
    elif lower.endswith("s") and not lower.endswith(("us", "is")) and len(word) > 3:
        stem, endings = word[:-1], "s?"
    else:
        stem, endings = word, "s?"
    stem = _IZE.sub("i[sz]", re.escape(stem))
    return f"{stem}{endings}(?:{_APOSTROPHE}s|{_APOSTROPHE})?"


# Endings of one French word that stand for one another, longest first within the table.
_FRENCH_ENDINGS = (
    ("ées", "ée", "és", "é"),  # jumelé, jumelée, jumelés, jumelées
    ("eaux", "eau"),  # bureau, bureaux
    ("ales", "ale", "aux", "al"),  # municipal, municipale, municipaux
    ("ères", "ère", "ers", "er"),  # étranger, étrangère
    ("elles", "elle", "els", "el"),  # officiel, officielle
    ("ives", "ive", "ifs", "if"),  # administratif, administrative
    ("euses", "euse", "eux"),  # heureux, heureuse
    ("iennes", "ienne", "iens", "ien"),  # européen is not covered: list it as a variant
)
_FRENCH_BY_ENDING = sorted(
    ((ending, group) for group in _FRENCH_ENDINGS for ending in group),
    key=lambda pair: -len(pair[0]),
)


def _french_word(word: str) -> str:
    """``ville`` -> ville, villes; ``amie`` -> ami, amis, amie, amies; ``jumelée`` -> jumelés …"""
    lower = word.lower()
    for ending, group in _FRENCH_BY_ENDING:
        if lower.endswith(ending) and len(word) - len(ending) >= 2:
            alternatives = "|".join(sorted(group, key=len, reverse=True))
            return f"{re.escape(word[: -len(ending)])}(?:{alternatives})"
    if lower.endswith("es") and len(word) > 4:
        stem = word[:-2]
    elif lower.endswith(("e", "s", "x")) and len(word) > 3:
        stem = word[:-1]
    else:
        stem = word
    return f"{re.escape(stem)}(?:es|e|s|x)?"


_FRENCH_DE = r"(?:de\s+la\s+|de\s+l['’ʼ]\s*|d['’ʼ]\s*|du\s+|des\s+|de\s+)"
_FRENCH_A = r"(?:à\s+la\s+|à\s+l['’ʼ]\s*|à\s+|au\s+|aux\s+)"
_FRENCH_THE = r"(?:les\s+|la\s+|le\s+|l['’ʼ]\s*)"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that do not inflect.
_ENGLISH_FIXED = _words("of for and or to in on at by with from upon into per the a an")
_FRENCH_FIXED = _words(
    "de du des d la le les l à au aux et ou en pour par sur dans avec un une qu que qui se sans "
    "chez vers entre"
)
_ENGLISH_ARTICLE = r"(?:(?:the|an|a)\s+)?"
_RULES = {
    "en": _WordRules(
        inflect=_english_word,
        fixed=_ENGLISH_FIXED,
        articles=re.compile(r"(?:the|an|a)\s+", re.IGNORECASE),
        groups=tuple(((article,), _ENGLISH_ARTICLE) for article in ("the", "an", "a")),
    ),
    "fr": _WordRules(
        inflect=_french_word,
        fixed=_FRENCH_FIXED,
        articles=re.compile(r"(?:les|la|le|une|un)\s+|l['’ʼ]\s*", re.IGNORECASE),
        groups=(
            (("de", "la"), _FRENCH_DE),
            (("de", "l", "'"), _FRENCH_DE),
            (("d", "'"), _FRENCH_DE),
            (("de",), _FRENCH_DE),
            (("du",), _FRENCH_DE),
            (("des",), _FRENCH_DE),
            (("à", "la"), _FRENCH_A),
            (("à", "l", "'"), _FRENCH_A),
            (("à",), _FRENCH_A),
            (("au",), _FRENCH_A),
            (("aux",), _FRENCH_A),
            (("l", "'"), _FRENCH_THE),
            (("le",), _FRENCH_THE),
            (("la",), _FRENCH_THE),
            (("les",), _FRENCH_THE),
        ),
    ),
}
_PLAIN_WORDS = _WordRules(inflect=re.escape, fixed=frozenset(), articles=re.compile(r"(?!)"))


def _writes_characters(language: str) -> bool:
    entry = LANGUAGES.get(language)
    return entry is not None and entry.script in _CHARACTER_SCRIPTS


def _tokens(rendering: str) -> list[str]:
    """Words and punctuation marks of a term, apostrophes as ``'``, hyphens as spaces."""
    text = _HYPHENS.sub(" ", re.sub(_APOSTROPHE, "'", rendering))
    return _TOKEN.findall(text)


def _group_at(tokens: list[str], at: int, rules: _WordRules) -> tuple[str, int] | None:
    """The regex of the small-word group starting at ``at`` and how many tokens it takes."""
    for sequence, regex in rules.groups:
        if [t.lower() for t in tokens[at : at + len(sequence)]] == list(sequence):
            return regex, len(sequence)
    return None


def _word_pattern(rendering: str, rules: _WordRules) -> str:
    opening = rules.articles.match(rendering)
    tokens = _tokens(rendering[opening.end() :] if opening else rendering) or _tokens(rendering)
    # (regex, kind): kind is "word", "glue" (a small-word group, its space included) or "mark"
    pieces: list[tuple[str, str]] = []
    at = 0
    while at < len(tokens):
        group = _group_at(tokens, at, rules) if at else None
        if group is not None and at + group[1] < len(tokens):
            pieces.append((group[0], "glue"))
            at += group[1]
            continue
        token = tokens[at]
        if token == "'":
            pieces.append((_APOSTROPHE, "mark"))
        elif not token[0].isalnum() and token[0] != "_":
            pieces.append((re.escape(token), "mark"))
        elif (
            token.isalpha()
            and token.lower() not in rules.fixed
            and _next_is_not_apostrophe(tokens, at)
        ):
            pieces.append((rules.inflect(token), "word"))
        else:
            pieces.append((re.escape(token), "word"))
        at += 1
    out = [pieces[0][0]] if pieces else []
    for (_, before), (regex, kind) in itertools.pairwise(pieces):
        if before != "glue":
            out.append(r"\s*" if "mark" in (before, kind) else _BETWEEN_WORDS)
        out.append(regex)
    # Whole words: no letter or digit right before or after.
    return r"(?<![^\W_])" + "".join(out) + r"(?![^\W_])"


def _next_is_not_apostrophe(tokens: list[str], at: int) -> bool:
    """An elided word (``qu'``, ``jusqu'``) is written as it is."""
    return at + 1 >= len(tokens) or tokens[at + 1] != "'"


def _character(char: str) -> str:
    """One character of a term; an ASCII letter or digit also in its full-width form."""
    if char == "'" or char == "’":
        return _APOSTROPHE
    if char.isascii() and char.isalnum():
        return f"[{re.escape(char)}{chr(ord(char) + 0xFEE0)}]"
    return re.escape(char)


def _gap(language: str) -> re.Pattern[str]:
    return _GAPS.get(language, _GAP)


def _character_pattern(rendering: str, language: str) -> str:
    gap = _gap(language)
    return f"{gap.pattern}*".join(_character(c) for c in rendering if not gap.fullmatch(c))


@cache
def forms(rendering: str, language: str) -> re.Pattern[str]:
    """The regex that finds ``rendering`` and its accepted forms in a text of ``language``."""
    rendering = unicodedata.normalize("NFC", rendering)
    if _writes_characters(language):
        pattern = _character_pattern(rendering, language)
    else:
        pattern = _word_pattern(rendering, _RULES.get(language, _PLAIN_WORDS))
    return re.compile(pattern, re.IGNORECASE)


def nfc(text: str) -> str:
    """``text`` in NFC, the form the spans of find and closest refer to (most texts already are)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def find(renderings: Iterable[str], text: str, language: str) -> Span | None:
    """Where the first form of any rendering stands in ``text`` (NFC), or None."""
    text = nfc(text)
    for rendering in renderings:
        match = forms(rendering, language).search(text)
        if match:
            return match.span()
    return None


def closest(renderings: Iterable[str], text: str, language: str) -> Span | None:
    """The stretch of ``text`` (NFC) most like one of the renderings, or None if nothing is alike.

    Words: the stretch, as long as the term, that holds most of the term's words in any of their
    forms. Characters: the stretch, as long as the term, sharing most characters with it (two at
    least).
    """
    text = nfc(text)
    best: tuple[int, Span] | None = None
    for rendering in renderings:
        rendering = unicodedata.normalize("NFC", rendering)
        found = (
            _closest_characters(rendering, text, language)
            if _writes_characters(language)
            else _closest_words(rendering, text, language)
        )
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return None if best is None else best[1]


@cache
def _content_words(
    rendering: str, language: str
) -> tuple[int, tuple[tuple[int, re.Pattern[str]], ...]]:
    """How many words the term has, and (position, forms) of those that are not small words."""
    rules = _RULES.get(language, _PLAIN_WORDS)
    words = [t for t in _tokens(rendering) if t[0].isalnum()]
    content = tuple(
        (position, re.compile(rules.inflect(w) if w.isalpha() else re.escape(w), re.IGNORECASE))
        for position, w in enumerate(words)
        if w.lower() not in rules.fixed
    )
    return len(words), content


def _closest_words(rendering: str, text: str, language: str) -> tuple[int, Span] | None:
    size, content = _content_words(rendering, language)
    found = list(_TEXT_WORD.finditer(text))
    best: tuple[int, int] | None = None  # (score, first token)
    for index, token in enumerate(found):
        for position, pattern in content:
            if not pattern.fullmatch(token.group()):
                continue
            start = max(0, index - position)
            window = [t.group() for t in found[start : start + size]]
            score = sum(any(p.fullmatch(w) for w in window) for _, p in content)
            if best is None or score > best[0]:
                best = (score, start)
    if best is None:
        return None
    score, start = best
    last = found[min(len(found), start + size) - 1]
    return score, (found[start].start(), last.end())


def _closest_characters(rendering: str, text: str, language: str) -> tuple[int, Span] | None:
    gap = _gap(language)
    term = [c.casefold() for c in rendering if not gap.fullmatch(c)]
    wanted = Counter(term)
    places = [i for i, c in enumerate(text) if not gap.fullmatch(c)]
    best: tuple[int, int] | None = None  # (score, first place)
    for index, place in enumerate(places):
        char = text[place].casefold()
        # Each character the term shares places the term over the text: where would it start?
        for position in (p for p, c in enumerate(term) if c == char):
            first = max(0, index - position)
            window = Counter(text[i].casefold() for i in places[first : first + len(term)])
            score = sum((window & wanted).values())
            if score >= 2 and (best is None or score > best[0]):
                best = (score, first)
    if best is None:
        return None
    score, first = best
    chosen = places[first : first + len(term)]
    return score, (chosen[0], chosen[-1] + 1)
