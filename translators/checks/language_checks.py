"""The translation is in the target language, and no Chinese is left in it."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import langdetect
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from core.languages import LANGUAGES, SOURCE_LANGUAGE
from translators.checks.base import CheckContext, Finding
from translators.checks.scripts import (
    HAN,
    HANGUL,
    KANA,
    LATIN,
    LATIN_WORD,
    SCRIPT_LETTERS,
    japanese_kanji,
    reads_as_japanese,
)
from translators.checks.values import without_kept

# langdetect is random unless seeded; the seed makes the same text always give the same answer.
DetectorFactory.seed = 0
# Only the Latin-script languages a translation into English or French could be confused with:
# a detection costs time in proportion to the languages loaded (55 by default, ~11 ms a text).
_LATIN_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")
_LATIN_NAMES = {
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}
# How sure langdetect must be of another language before a text is taken for it (English and
# French texts full of names and terms often lean a little towards a third language).
_SURE = 0.8
# A third language is named only from this many letters on: on a short term langdetect is often
# sure of the wrong one ("consular legalization" reads as Italian).
_THIRD_LETTERS = 40
# The profiles a further target is told apart from, by its script: the languages of that script
# a translation could be mistaken for (langdetect's own; Thai is the only Thai-script profile,
# so a Thai text is judged by its script alone).
_PROFILES_OF_SCRIPT = {
    "Latn": ("en", "fr", "de", "es", "it", "pt", "nl", "vi", "ro", "pl"),
    "Cyrl": ("ru", "uk", "bg", "mk"),
    "Arab": ("ar", "fa", "ur"),
}
_factories: dict[tuple[str, ...], DetectorFactory] = {}
_factory_lock = threading.Lock()


def _detect(text: str, profiles: tuple[str, ...] = _LATIN_LANGUAGES) -> dict[str, float]:
    """Language probabilities of a text, among langdetect's `profiles`."""
    with _factory_lock:
        factory = _factories.get(profiles)
        if factory is None:
            folder = Path(langdetect.__file__).parent / "profiles"
            factory = DetectorFactory()
            factory.load_json_profile(
                [(folder / code).read_text(encoding="utf-8") for code in profiles]
            )
            _factories[profiles] = factory
        detector = factory.create()
    detector.append(text)
    return {guess.lang: guess.prob for guess in detector.get_probabilities()}


# A short Japanese or Korean text is judged only with this many Latin letters in two words, or
# this many characters of the other East Asian script.
_SHORT_LATIN = 6
_SHORT_SCRIPT = 4
# Below this many letters langdetect guesses; titles such as "Item" are not judged.
MIN_LETTERS = 20
_SCRIPT = {"ja": KANA, "ko": HANGUL, "en": LATIN, "fr": LATIN}
# Every other language of the table by the letters of its script (Latin, Cyrillic, Arabic, Thai).
_SCRIPT.update(
    {
        code: SCRIPT_LETTERS[lang.script]
        for code, lang in LANGUAGES.items()
        if code not in _SCRIPT and code != SOURCE_LANGUAGE and lang.script in SCRIPT_LETTERS
    }
)
# Scripts other than Latin of one alphabet: a short text in them wholly in Latin letters is wrong.
_ALPHABETS = frozenset(SCRIPT_LETTERS) - {"Latn"}
_ALPHABET_LANGUAGES = frozenset(
    code
    for code, lang in LANGUAGES.items()
    if lang.script in _ALPHABETS and code not in ("ja", "ko")
)
_NAMES = {code: lang.english_name for code, lang in LANGUAGES.items()}
_LANGDETECT_NAMES = {
    "nl": "Dutch",
    "ro": "Romanian",
    "pl": "Polish",
    "uk": "Ukrainian",
    "bg": "Bulgarian",
    "mk": "Macedonian",
    "fa": "Persian",
    "ur": "Urdu",
}


# Function words: two or more of one language and at most half as many of the other settle
# English against French without langdetect (which costs about 4 ms a text).
_FUNCTION_WORDS = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "for",
            "on",
            "with",
            "by",
            "at",
            "from",
            "this",
            "that",
            "are",
            "was",
            "be",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "de",
            "et",
            "est",
            "pour",
            "dans",
            "sur",
            "une",
            "un",
            "au",
            "aux",
            "par",
            "que",
            "qui",
        ]
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


def _clearly(language: str, text: str) -> bool:
    """Whether the function words alone show the text is in `language` (en or fr)."""
    words = [w.lower() for w in _WORD.findall(text)]
    own = sum(w in _FUNCTION_WORDS[language] for w in words)
    other = sum(w in _FUNCTION_WORDS["fr" if language == "en" else "en"] for w in words)
    return own >= 2 and own >= 2 * other


def _latin_name(code: str) -> str:
    return _LATIN_NAMES.get(code) or _NAMES[code]


def _name(code: str) -> str:
    return _NAMES.get(code) or _LANGDETECT_NAMES.get(code, code)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


class LanguageIdentityCheck:
    """The target is written in the target language (script first, then langdetect)."""

    id = "language"
    name = "Target language"
    description = (
        f"Texts of at least {MIN_LETTERS} letters must be in the target language: Japanese needs "
        "kana, Korean Hangul, the others Latin letters as most of their letters, Russian, Arabic "
        "and Thai a quarter of them at least in their script (names stay in Latin letters); then "
        "langdetect (seeded, so "
        "deterministic) decides between the languages of that script, from "
        f"{_THIRD_LETTERS} letters on for a language other than English or French. Shorter "
        "Japanese, Korean, Russian, Arabic and Thai texts are judged only when wholly in another "
        "script."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """A finding when the target is plainly another language."""
        language = context.language
        text = without_kept(target)
        letters = _letters(text)
        if language not in _SCRIPT:
            return []
        if letters < MIN_LETTERS:
            return self._short(source, text, target, language)
        script = len(_SCRIPT[language].findall(text))
        name = _NAMES[language]
        if language == "ja":
            return self._japanese(text, target, script, letters)
        if language in _ALPHABET_LANGUAGES:
            # Russian, Arabic and Thai texts keep names and brands in Latin letters (the China
            # International Import Expo (CIIE)): wrong only with less than a quarter of their own.
            own = sum(ch.isalpha() for ch in _SCRIPT[language].findall(text))
            if own < letters / 4:
                return [self._finding(f"most letters are not in the script of {name}", target)]
            return self._detected(text, target, language, letters)
        if script < letters / 2:
            return [self._finding(f"most letters are not in the script of {name}", target)]
        if language not in ("en", "fr"):
            return self._detected(text, target, language, letters)
        if not _clearly(language, text):
            try:
                probability = _detect(text)
            except LangDetectException:
                return []
            other = max(probability, key=probability.__getitem__, default=language)
            third = other not in ("en", "fr")
            if (
                other != language
                and probability[other] > _SURE
                and probability.get(language, 0.0) < 0.1
                and (not third or letters >= _THIRD_LETTERS)
            ):
                return [self._finding(f"reads as {_latin_name(other)}, not {name}", target)]
        return []

    def _detected(self, text: str, target: str, language: str, letters: int) -> list[Finding]:
        """A further language: another language of its script, when langdetect is sure of it.

        Only from `_THIRD_LETTERS` letters on, as for a third language beside English and French:
        on a short text full of names langdetect is often sure of the wrong one.
        """
        profiles = _PROFILES_OF_SCRIPT.get(LANGUAGES[language].script)
        if profiles is None or language not in profiles or letters < _THIRD_LETTERS:
            return []
        try:
            probability = _detect(text, profiles)
        except LangDetectException:
            return []
        other = max(probability, key=probability.__getitem__, default=language)
        if other != language and probability[other] > _SURE and probability.get(language, 0) < 0.1:
            return [self._finding(f"reads as {_name(other)}, not {_NAMES[language]}", target)]
        return []

    def _japanese(self, text: str, target: str, kana: int, letters: int) -> list[Finding]:
        """Japanese mixes kanji and kana: a text with no kana is Chinese, Korean or Latin text.

        Except a law's or an office's name, which Japanese writes all in kanji (「中華人民共和国
        国家秘密保守法実施条例」): when every character is one Japanese writes, only a warning.
        """
        if kana:
            return []
        if len(HANGUL.findall(text)) + len(LATIN.findall(text)) >= letters / 2:
            return [self._finding("most letters are not in the script of Japanese", target)]
        if reads_as_japanese(text):
            return [
                self._finding(
                    "no kana: right for a name or title written all in kanji, otherwise this is"
                    " Chinese",
                    target,
                    "warning",
                )
            ]
        return [
            self._finding("no kana, and characters Japanese does not use: this is Chinese", target)
        ]

    def _short(self, source: str, text: str, target: str, language: str) -> list[Finding]:
        """A short text of a language of its own script (ja, ko, ru, ar, th) wholly in another.

        Too short for counting letters, but a label such as "Copy No." for 份号 is plainly not
        Korean: the source must hold Chinese words (two Han characters at least), the target none
        of the language's own script and two Latin words (or, for Japanese, Hangul; for Korean,
        kana).
        """
        alphabet = language in _ALPHABET_LANGUAGES
        if not (language in ("ja", "ko") or alphabet) or len(HAN.findall(without_kept(source))) < 2:
            return []
        if language == "ko":
            own, other = HANGUL.search(text), len(KANA.findall(text))
        elif language == "ja":
            own, other = KANA.search(text) or HAN.search(text), len(HANGUL.findall(text))
        else:  # Russian, Arabic, Thai: another script is only Latin words here
            own, other = _SCRIPT[language].search(text), 0
        words = LATIN_WORD.findall(text)
        latin = len(words) >= 2 and sum(map(len, words)) >= _SHORT_LATIN
        if own or not (latin or other >= _SHORT_SCRIPT):
            return []
        return [
            self._finding(f"another script only: this does not read as {_NAMES[language]}", target)
        ]

    def _finding(self, message: str, target: str, severity: str = "error") -> Finding:
        # The whole translation is in the wrong language, so the whole of it is the place.
        return Finding(self.id, severity, message, target_span=(0, len(target)))


class LeftoverHanCheck:
    """No Chinese characters left in a translation: none at all; in ja none Japanese lacks."""

    id = "leftover-han"
    name = "Chinese characters left"
    description = (
        "Translations must not contain Han characters, whatever the language. Japanese writes "
        "kanji, so there only characters Japanese does not use (simplified forms such as 发, 务, "
        "审) are Chinese left untranslated. A Chinese name that must stay can be accepted with an "
        "override."
    )

    def check(self, source: str, target: str, context: CheckContext) -> list[Finding]:
        """The Han characters found, once each, placed at the first run of them in the target."""
        found = dict.fromkeys(HAN.findall(without_kept(target)))
        if context.language == "ja":
            left = "".join(ch for ch in found if not japanese_kanji(ch))
            if not left:
                return []
            message = f"Chinese characters Japanese does not use, left untranslated: {left}"
        elif context.language != SOURCE_LANGUAGE and found:
            left = "".join(found)
            message = f"Chinese characters left untranslated: {left}"
        else:
            return []
        return [Finding(self.id, "error", message, target_span=_first_run(target, set(left)))]


def _first_run(target: str, characters: set[str]) -> tuple[int, int] | None:
    """Where the first run of `characters` stands in `target` (offsets of the target as given).

    The characters were found outside kept items (code, tags, URLs); one of them may also stand
    inside one earlier, and then that run is the one shown.
    """
    start = next((i for i, ch in enumerate(target) if ch in characters), None)
    if start is None:
        return None
    end = start
    while end < len(target) and target[end] in characters:
        end += 1
    return start, end
