"""How the further target languages write numbers, scales, dates and times, for `values`.

English, French, Japanese and Korean are read by `values` itself (their rules came first and are
kept as they are). Each further language of the table has one `Notation` here: the words of its
scales after digits (2,154 Millionen, 2,154 млн, 2.154 مليون, 2,154 ล้าน), its month names in the
forms dates write them (1. Januar, 1 de enero, 1 января, 1 يناير and كانون الثاني, ngày 1 tháng 1,
1 มกราคม), its date patterns, its times of day (9 Uhr, 9 giờ 30, 09.00 น.) and its number words
(drei, tres, три, ثلاثة, três, tre, ba, สาม). Everything is compiled once, at import.

Digits of other scripts are read as digits (Arabic-Indic ٠-٩ with ٫ and ٬, Thai ๐-๙): see
`NATIVE_DIGITS`. Thai years may be Buddhist-era: 2569 is 2026 (`buddhist_era`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.languages import LANGUAGES

__all__ = ["BUDDHIST_ERA_OFFSET", "NATIVE_DIGITS", "NOTATIONS", "Notation", "alternatives"]

_Trie = dict[str, "_Trie"]


def alternatives(words: Iterable[str]) -> str:
    """A regex matching any of the words, longest first, factored by prefix (fast to search)."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Digits of other scripts, one character for one (offsets stay those of the text): the table's
# native digits, Thai digits and the extended Arabic-Indic digits Arabic texts sometimes carry,
# with Arabic's decimal separator, thousands separator and percent sign.
NATIVE_DIGITS: dict[str, str] = {
    **{
        digit: str(value)
        for lang in LANGUAGES.values()
        for value, digit in enumerate(lang.native_digits)
    },
    **{chr(0x0660 + i): str(i) for i in range(10)},  # ٠-٩
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # ۰-۹
    **{chr(0x0E50 + i): str(i) for i in range(10)},  # ๐-๙
    "\u066b": ".",  # ٫ decimal separator
    "\u066c": ",",  # ٬ thousands separator
    "\u066a": "%",  # ٪
}
BUDDHIST_ERA_OFFSET = 543  # Thai years: พ.ศ. 2569 is 2026


@dataclass(frozen=True)
class Notation:
    """One language's ways of writing values, compiled."""

    scales: Mapping[str, int]  # lowercased scale word -> its value
    scale_after: re.Pattern[str]  # a scale right after a number; group 1 is the word
    months: Mapping[str, int]  # lowercased month name (every form dates use) -> 1..12
    month_cue: re.Pattern[str]  # found before the date patterns are tried (cheap)
    dates: tuple[re.Pattern[str], ...]  # groups d1, d2, m1, m2, y; tried in this order
    times: re.Pattern[str] | None  # a time of day: group 1 the hour, group 2 the minutes
    time_cues: tuple[str, ...]
    words: Mapping[str, float]  # lowercased number word -> value
    weak: frozenset[str]  # words that are mostly articles (ein, un, один, một)
    ordinals: frozenset[str]
    multipliers: Mapping[str, int]  # hundred, thousand ... as words
    word_run: re.Pattern[str] | None  # runs of number words in lowercased text
    word_token: re.Pattern[str] | None  # one number word of a run
    buddhist_era: bool = False  # a year from 2400 on is Buddhist-era (Thai)
    duals: re.Pattern[str] | None = None  # nouns whose form says "two" (Arabic طريقتان)
    romans: bool = False  # Roman ordinals before a noun: la IV edición, XII съезд


def _forms(table: Mapping[int, Iterable[str]]) -> dict[str, int]:
    return {name.lower(): number for number, names in table.items() for name in names}


def _month_alternatives(months: Iterable[str]) -> str:
    return "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))


_NOT_IN_NUMBER = r"(?<![\w.,])"  # a day starts no number: not after a digit, a point or a letter


def _dates(
    forms: Iterable[str],
    months: Mapping[str, int],
    day: str,
    end: str = r"(?!\w)",
    year: str = r"(?P<y>\d{4})(?!\d)",
) -> tuple[re.Pattern[str], ...]:
    """Date patterns from forms with {D1} {D2} {M1} {M2} {Y}: days, months and the year."""
    names = _month_alternatives(months)
    parts = {
        "D1": rf"{_NOT_IN_NUMBER}(?P<d1>\d{{1,2}}){day}",
        "D2": rf"(?P<d2>\d{{1,2}}){day}",
        "M1": rf"(?P<m1>{names}){end}",
        "M2": rf"(?P<m2>{names}){end}",
        "Y": year,
    }
    return tuple(re.compile(form.format(**parts), re.I) for form in forms)


def _scale_after(scales: Iterable[str], end: str = r"(?!\w)") -> re.Pattern[str]:
    return re.compile(rf"\s{{0,2}}({alternatives(scales)}){end}", re.I)


def _word_patterns(
    words: Iterable[str], joiners: str, bounded: bool = True, guard: str = ""
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Runs of number words joined by `joiners`, and single words; `bounded`: at word edges,
    else each word followed by `guard` (what may not come next)."""
    word = alternatives(words) + guard
    start, end = (r"(?<!\w)", r"(?!\w)") if bounded else ("", "")
    return (
        re.compile(rf"{start}(?:{word})(?:(?:{joiners})(?:{word}))*{end}"),
        re.compile(rf"{start}(?:{word}){end}"),
    )


def _notation(
    *,
    scales: Mapping[str, int],
    months: Mapping[str, int],
    dates: tuple[re.Pattern[str], ...],
    words: Mapping[str, float],
    weak: Iterable[str] = (),
    ordinals: Iterable[str] = (),
    multipliers: Mapping[str, int] | None = None,
    joiners: str = r"\s+",
    times: str | None = None,
    time_cues: tuple[str, ...] = (),
    scale_end: str = r"(?!\w)",
    bounded_words: bool = True,
    word_guard: str = "",
    month_cue: str | None = None,
    buddhist_era: bool = False,
    duals: str | None = None,
    romans: bool = False,
) -> Notation:
    run, token = (
        _word_patterns(words, joiners, bounded_words, word_guard) if words else (None, None)
    )
    return Notation(
        scales=scales,
        scale_after=_scale_after(scales, scale_end),
        months=months,
        month_cue=re.compile(month_cue or _month_alternatives(months), re.I),
        dates=dates,
        times=re.compile(times, re.I) if times else None,
        time_cues=time_cues,
        words=words,
        weak=frozenset(weak),
        ordinals=frozenset(ordinals),
        multipliers=multipliers or {},
        word_run=run,
        word_token=token,
        buddhist_era=buddhist_era,
        duals=re.compile(duals) if duals else None,
        romans=romans,
    )


def _inflected(stems: Mapping[str, int], endings: Iterable[str]) -> dict[str, int]:
    return {stem + ending: value for stem, value in stems.items() for ending in endings}


# --- German ---------------------------------------------------------------------------------------

_DE_MONTHS = _forms(
    {
        1: ("Januar", "Jänner", "Jan."),
        2: ("Februar", "Feber", "Feb.", "Febr."),
        3: ("März", "Maerz", "Mär.", "Mrz."),
        4: ("April", "Apr."),
        5: ("Mai",),
        6: ("Juni", "Jun."),
        7: ("Juli", "Jul."),
        8: ("August", "Aug."),
        9: ("September", "Sept.", "Sep."),
        10: ("Oktober", "Okt."),
        11: ("November", "Nov."),
        12: ("Dezember", "Dez."),
    }
)
# German writes a day and month without the year as 31.12. (both points), after a preposition
# of time (bis zum 31.12.): Abschnitt 3.5. is a section.
_DE_NUMERIC_MONTHS = {**{str(n): n for n in range(1, 13)}, **{f"{n:02d}": n for n in range(1, 10)}}
_DE_DAY_MONTH = re.compile(
    r"(?<!\w)(?:am|zum|vom|bis|ab|den|dem|seit|und)\s+"
    r"(?P<d1>\d{1,2})\.\s?(?P<m1>1[0-2]|0?[1-9])\.(?![\d,])",
    re.I,
)
_DE_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}  # fmt: skip
_DE_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90}  # fmt: skip
_DE_ORDINAL_STEMS = {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12, "zwanzigst": 20}  # fmt: skip
_DE_ORDINALS = _inflected(_DE_ORDINAL_STEMS, ("e", "en", "er", "es", "em"))
_DE_WEAK = ("ein", "eine", "einen", "einem", "einer", "eines")
_DE_WORDS: dict[str, float] = {
    **dict.fromkeys(_DE_WEAK, 1),
    "eins": 1,
    **{w: v for w, v in _DE_UNITS.items() if w != "ein"},
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    **_DE_TENS,
    **{u + "und" + t: uv + tv for u, uv in _DE_UNITS.items() for t, tv in _DE_TENS.items()},
    "hundert": 100, "tausend": 1000, "beide": 2, "beiden": 2, "doppelt": 2,
    **_DE_ORDINALS,
}  # fmt: skip
_DE_SCALES = {"tausend": 10**3, "tsd.": 10**3, "mio.": 10**6, "million": 10**6, "millionen": 10**6, "mrd.": 10**9, "milliarde": 10**9, "milliarden": 10**9, "billion": 10**12, "billionen": 10**12}  # fmt: skip

# --- Spanish and Portuguese -----------------------------------------------------------------------

_ES_MONTHS = _forms(
    {
        1: ("enero", "ene."),
        2: ("febrero", "feb."),
        3: ("marzo", "mar."),
        4: ("abril", "abr."),
        5: ("mayo",),
        6: ("junio", "jun."),
        7: ("julio", "jul."),
        8: ("agosto", "ago."),
        9: ("septiembre", "setiembre", "sept.", "sep."),
        10: ("octubre", "oct."),
        11: ("noviembre", "nov."),
        12: ("diciembre", "dic."),
    }
)
_PT_MONTHS = _forms(
    {
        1: ("janeiro", "jan."),
        2: ("fevereiro", "fev."),
        3: ("março", "mar."),
        4: ("abril", "abr."),
        5: ("maio",),
        6: ("junho", "jun."),
        7: ("julho", "jul."),
        8: ("agosto", "ago."),
        9: ("setembro", "set."),
        10: ("outubro", "out."),
        11: ("novembro", "nov."),
        12: ("dezembro", "dez."),
    }
)
_IBERIAN_DAY = r"(?:\.?[ºª°o])?"  # 1.º de enero, 1º de dezembro
_ES_DATE_FORMS = (
    r"{D1}\s*(?:-|–|al|y|a)\s*(?:el\s+)?{D2}\s+de\s+{M2}(?:,?\s+(?:de(?:l)?\s+)?{Y})?",
    r"{D1}\s+de\s+{M1}(?:,?\s+(?:de(?:l)?\s+)?{Y})?",
    r"(?<!\w){M1},?\s+(?:de(?:l)?\s+)?{Y}",
    r"(?<!\w){M1}",
)
_ES_GENDERED = {"primer": 1, "tercer": 3}
_ES_ORDINAL_STEMS = {"primer": 1, "segund": 2, "tercer": 3, "cuart": 4, "quint": 5, "sext": 6, "séptim": 7, "octav": 8, "noven": 9, "décim": 10}  # fmt: skip
_ES_ORDINALS = {**_inflected(_ES_ORDINAL_STEMS, ("o", "a", "os", "as")), **_ES_GENDERED}
_ES_WORDS: dict[str, float] = {
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiún": 21, "veintidós": 22,
    "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
    "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
    "mil": 1000, "ambos": 2, "ambas": 2, "doble": 2,
    **_ES_ORDINALS,
}  # fmt: skip
_ES_SCALES = {"mil": 10**3, "millón": 10**6, "millon": 10**6, "millones": 10**6, "mil millones": 10**9, "millardo": 10**9, "millardos": 10**9, "billón": 10**12, "billones": 10**12}  # fmt: skip
_PT_ORDINAL_STEMS = {"primeir": 1, "segund": 2, "terceir": 3, "quart": 4, "quint": 5, "sext": 6, "sétim": 7, "oitav": 8, "non": 9, "décim": 10}  # fmt: skip
_PT_ORDINALS = _inflected(_PT_ORDINAL_STEMS, ("o", "a", "os", "as"))
_PT_WORDS: dict[str, float] = {
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6,
    "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13,
    "catorze": 14, "quinze": 15, "dezasseis": 16, "dezesseis": 16, "dezassete": 17,
    "dezessete": 17, "dezoito": 18, "dezanove": 19, "dezenove": 19, "vinte": 20, "trinta": 30,
    "quarenta": 40, "cinquenta": 50, "sessenta": 60, "setenta": 70, "oitenta": 80, "noventa": 90,
    "cem": 100, "cento": 100, "mil": 1000, "ambos": 2, "ambas": 2, "dobro": 2,
    **_PT_ORDINALS,
}  # fmt: skip
# Portugal's bilião is a million millions; Brazil's bilhão a thousand millions.
_PT_SCALES = {"mil": 10**3, "milhão": 10**6, "milhao": 10**6, "milhões": 10**6, "milhoes": 10**6, "mil milhões": 10**9, "bilhão": 10**9, "bilhões": 10**9, "bilião": 10**12, "biliões": 10**12}  # fmt: skip

# --- Italian --------------------------------------------------------------------------------------

_IT_MONTHS = _forms(
    {
        1: ("gennaio", "gen."),
        2: ("febbraio", "feb."),
        3: ("marzo", "mar."),
        4: ("aprile", "apr."),
        5: ("maggio", "mag."),
        6: ("giugno", "giu."),
        7: ("luglio", "lug."),
        8: ("agosto", "ago."),
        9: ("settembre", "set."),
        10: ("ottobre", "ott."),
        11: ("novembre", "nov."),
        12: ("dicembre", "dic."),
    }
)
_IT_TENS = {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90}  # fmt: skip
_IT_UNITS = {"uno": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9}  # fmt: skip


def _it_compound(tens: str, unit: str) -> str:
    """venti + uno = ventuno, venti + otto = ventotto, venti + tre = ventitré."""
    stem = tens[:-1] if unit in ("uno", "otto") else tens
    return stem + ("tré" if unit == "tre" else unit)


_IT_ORDINAL_STEMS = {"prim": 1, "second": 2, "terz": 3, "quart": 4, "quint": 5, "sest": 6, "settim": 7, "ottav": 8, "non": 9, "decim": 10}  # fmt: skip
_IT_ORDINALS = _inflected(_IT_ORDINAL_STEMS, ("o", "a", "i", "e"))
_IT_WORDS: dict[str, float] = {
    "un": 1, "una": 1, **_IT_UNITS, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13,
    "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18,
    "diciannove": 19, **_IT_TENS,
    **{_it_compound(t, u): tv + uv for t, tv in _IT_TENS.items() for u, uv in _IT_UNITS.items()},
    "cento": 100, "mille": 1000, "entrambi": 2, "entrambe": 2, "doppio": 2,
    **_IT_ORDINALS,
}  # fmt: skip
_IT_SCALES = {"mila": 10**3, "mille": 10**3, "milione": 10**6, "milioni": 10**6, "mln": 10**6, "mln.": 10**6, "miliardo": 10**9, "miliardi": 10**9, "mld": 10**9, "mld.": 10**9, "mrd": 10**9}  # fmt: skip

# --- Russian --------------------------------------------------------------------------------------

_RU_MONTHS = _forms(
    {
        1: ("январь", "января", "январе", "январю", "январём", "янв."),
        2: ("февраль", "февраля", "феврале", "февралю", "февр.", "фев."),
        3: ("март", "марта", "марте", "марту", "мар."),
        4: ("апрель", "апреля", "апреле", "апрелю", "апр."),
        5: ("май", "мая", "мае", "маю"),
        6: ("июнь", "июня", "июне", "июню"),
        7: ("июль", "июля", "июле", "июлю"),
        8: ("август", "августа", "августе", "августу", "авг."),
        9: ("сентябрь", "сентября", "сентябре", "сентябрю", "сент."),
        10: ("октябрь", "октября", "октябре", "октябрю", "окт."),
        11: ("ноябрь", "ноября", "ноябре", "ноябрю", "нояб."),
        12: ("декабрь", "декабря", "декабре", "декабрю", "дек."),
    }
)
_RU_YEAR = r"(?P<y>\d{4})(?!\d)(?:\s*(?:года|году|год|г\.))?"
_RU_HARD = ("ый", "ая", "ое", "ые", "ого", "ой", "ому", "ом", "ую", "ых", "ым", "ыми")
# Ordinals are adjectives: hard stems (первый), stressed ones (второй) and третий.
_RU_STRESSED = ("ой", "ая", "ое", "ые", "ого", "ому", "ом", "ую", "ых", "ым", "ыми")
_RU_THIRD = ("ий", "ья", "ье", "ьи", "ьего", "ьей", "ьему", "ьем", "ью", "ьих", "ьим")
_RU_HARD_STEMS = {"перв": 1, "четвёрт": 4, "четверт": 4, "пят": 5, "девят": 9, "десят": 10}
_RU_ORDINALS = {
    **_inflected(_RU_HARD_STEMS, _RU_HARD),
    **_inflected({"втор": 2, "шест": 6, "седьм": 7, "восьм": 8}, _RU_STRESSED),
    **_inflected({"трет": 3}, _RU_THIRD),
}
_RU_WEAK = ("один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну")
_RU_WORDS: dict[str, float] = {
    **dict.fromkeys(_RU_WEAK, 1),
    **dict.fromkeys(("два", "две", "двух", "двум", "двумя"), 2),
    **dict.fromkeys(("три", "трёх", "трех", "трём", "трем", "тремя"), 3),
    **dict.fromkeys(("четыре", "четырёх", "четырех", "четырём", "четырьмя"), 4),
    **dict.fromkeys(("пять", "пяти", "пятью"), 5),
    **dict.fromkeys(("шесть", "шести", "шестью"), 6),
    **dict.fromkeys(("семь", "семи", "семью"), 7),
    **dict.fromkeys(("восемь", "восьми"), 8),
    **dict.fromkeys(("девять", "девяти"), 9),
    **dict.fromkeys(("десять", "десяти"), 10),
    "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "двадцати": 20,
    "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100, "тысяча": 1000,
    "оба": 2, "обе": 2, "обоих": 2,
    **_RU_ORDINALS,
}  # fmt: skip
_RU_SCALES = {
    "тыс.": 10**3, "тыс": 10**3, "тысяча": 10**3, "тысячи": 10**3, "тысяч": 10**3,
    "млн": 10**6, "млн.": 10**6, "миллион": 10**6, "миллиона": 10**6, "миллионов": 10**6,
    "млрд": 10**9, "млрд.": 10**9, "миллиард": 10**9, "миллиарда": 10**9, "миллиардов": 10**9,
    "трлн": 10**12, "трлн.": 10**12, "триллион": 10**12, "триллиона": 10**12, "триллионов": 10**12,
}  # fmt: skip

# --- Arabic ---------------------------------------------------------------------------------------

# The Gregorian names (Egypt and the Gulf) and the Syriac ones (the Levant and Iraq), often both:
# كانون الأول/ديسمبر.
_AR_MONTHS = _forms(
    {
        1: ("يناير", "كانون الثاني"),
        2: ("فبراير", "شباط"),
        3: ("مارس", "آذار"),
        4: ("أبريل", "إبريل", "ابريل", "نيسان"),
        5: ("مايو", "أيار"),
        6: ("يونيو", "يونيه", "حزيران"),
        7: ("يوليو", "يوليه", "تموز"),
        8: ("أغسطس", "اغسطس", "آب"),
        9: ("سبتمبر", "أيلول"),
        10: ("أكتوبر", "اكتوبر", "تشرين الأول"),
        11: ("نوفمبر", "تشرين الثاني"),
        12: ("ديسمبر", "كانون الأول"),
    }
)
_AR_NAMES = _month_alternatives(_AR_MONTHS)
# A month may carry a conjunction or preposition (وديسمبر), and its other name after a slash.
_AR_MONTH_PREFIX = r"(?:(?<!\w)|(?<=\b[وبلف]))"
_AR_YEAR = r"(?:عام\s+)?(?P<y>\d{4})(?!\d)(?:\s*م(?!\w))?"
_AR_DATE_FORMS = (
    r"{D1}\s*(?:-|–|إلى|الى|حتى|و)\s*{D2}\s+(?:من\s+)?{M2}(?:\s+{Y})?",
    r"{D1}\s+(?:من\s+)?{M1}(?:\s+{Y})?",
    _AR_MONTH_PREFIX + r"{M1}\s+(?:من\s+)?{Y}",
    _AR_MONTH_PREFIX + r"{M1}",
)
_AR_MONTH_END = rf"(?:\s*/\s*(?:{_AR_NAMES}))?(?!\w)"
_AR_ORDINALS = {
    "الأول": 1, "الأولى": 1, "أول": 1, "الثاني": 2, "الثانية": 2, "الثالث": 3, "الثالثة": 3,
    "الرابع": 4, "الرابعة": 4, "الخامس": 5, "الخامسة": 5, "السادس": 6, "السادسة": 6,
    "السابع": 7, "السابعة": 7, "الثامن": 8, "الثامنة": 8, "التاسع": 9, "التاسعة": 9,
    "العاشر": 10, "العاشرة": 10,
}  # fmt: skip
_AR_UNITS = {"واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9}  # fmt: skip
_AR_TENS = {"عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90}  # fmt: skip
# 11-19: the unit, then عشر (masculine) or عشرة (feminine), as the counted noun wants.
_AR_TEENS = {
    "أحد عشر": 11, "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12,
    "اثنتي عشرة": 12,
    **{f"{unit} {ten}": 10 + v for unit, v in _AR_UNITS.items() if v > 2 for ten in ("عشر", "عشرة")},
}  # fmt: skip
_AR_WORDS: dict[str, float] = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاثة": 3,
    "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8,
    "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10, "عشرون": 20, "عشرين": 20,
    **_AR_TENS, "مئة": 100, "مائة": 100, "ألف": 1000, "كلا": 2,
    **_AR_ORDINALS,
    **_AR_TEENS,
    # 21-99 say the unit first: خمسة وعشرون (five and twenty)
    **{f"{unit} و{tens}": u + t for unit, u in _AR_UNITS.items() for tens, t in _AR_TENS.items()},
}  # fmt: skip
# Arabic says "two" by the dual of a noun: feminine duals (طريقتان two ways, سنتين two years)
# are read as a weak 2, which stands for a count only when no other number word is left over.
_AR_DUALS = r"(?<!\w)(?:ال)?[\u0621-\u064a]{2,}(?:تان|تين)(?!\w)"
_AR_SCALES = {
    "ألف": 10**3, "ألفا": 10**3, "ألفًا": 10**3, "ألفاً": 10**3, "آلاف": 10**3,
    "مليون": 10**6, "مليونا": 10**6, "مليونًا": 10**6, "مليوناً": 10**6, "ملايين": 10**6,
    "مليار": 10**9, "مليارا": 10**9, "مليارًا": 10**9, "ملياراً": 10**9, "مليارات": 10**9,
    "بليون": 10**9, "تريليون": 10**12,
}  # fmt: skip

# --- Vietnamese -----------------------------------------------------------------------------------

# Months are numbered: tháng 1 is January; tháng Giêng and tháng Chạp are the first and last.
_VI_MONTH_WORDS = {"giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}  # fmt: skip
_VI_MONTHS = {
    **{str(n): n for n in range(1, 13)},
    **{f"{n:02d}": n for n in range(1, 10)},
    **_VI_MONTH_WORDS,
}
_VI_NUMBER_MONTH = r"(?P<{0}>1[0-2]|0?[1-9])(?!\d)"
_VI_WORD_MONTH = rf"(?P<{{0}}>{alternatives(_VI_MONTH_WORDS)}|1[0-2]|0?[1-9])(?![\w\d])"
_VI_YEAR = r"(?:\s+năm\s+|\s*/\s*)(?P<y>\d{4})(?!\d)"
_VI_DAY = r"(?:ngày\s+)"
_VI_DATE_FORMS = (
    rf"{_VI_DAY}(?P<d1>\d{{1,2}})\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?(?P<d2>\d{{1,2}})\s*"
    rf"(?:tháng\s+{_VI_WORD_MONTH.format('m2')}|/\s*{_VI_NUMBER_MONTH.format('m1')})(?:{_VI_YEAR})?",
    rf"{_VI_DAY}?(?<![\w.,/])(?P<d1>\d{{1,2}})\s+tháng\s+{_VI_WORD_MONTH.format('m1')}(?:{_VI_YEAR})?",
    rf"{_VI_DAY}(?P<d1>\d{{1,2}})\s*/\s*{_VI_NUMBER_MONTH.format('m1')}(?!\s*/\s*\d)",
    rf"(?<!\w)tháng\s+{_VI_WORD_MONTH.format('m1')}{_VI_YEAR}",
    rf"(?<!mỗi )(?<!hàng )(?<!hằng )(?<!các )(?<!\w)tháng\s+{_VI_NUMBER_MONTH.format('m1')}"
    r"(?!\s*(?:lần|lượt|người|\d))",
)
# năm is five before what it counts (năm năm, five years) and "year" elsewhere (năm 2026).
_VI_COUNTED = ("năm", "ngày", "tháng", "tuần", "giờ", "người", "lần", "nước", "quốc gia", "thành phố", "tỉnh", "đơn", "bộ", "bản", "cơ quan", "doanh nghiệp", "đoàn", "dự án", "loại", "hình thức", "lĩnh vực", "châu lục", "nhóm")  # fmt: skip
_VI_WORDS: dict[str, float] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    **{f"mười {w}": 10 + v for w, v in (("một", 1), ("hai", 2), ("ba", 3), ("bốn", 4), ("lăm", 5), ("sáu", 6), ("bảy", 7), ("tám", 8), ("chín", 9))},  # fmt: skip
    **{f"{w} mươi": 10 * v for w, v in (("hai", 2), ("ba", 3), ("bốn", 4), ("năm", 5), ("sáu", 6), ("bảy", 7), ("tám", 8), ("chín", 9))},  # fmt: skip
    **{f"năm {noun}": 5 for noun in _VI_COUNTED},
    "lăm": 5, "mốt": 1, "trăm": 100, "nghìn": 1000, "ngàn": 1000, "thứ nhất": 1,
    **{f"{lead} thứ {w}": v for lead in ("lần", "khóa", "kỳ", "đợt", "phiên") for w, v in (("hai", 2), ("ba", 3), ("tư", 4), ("năm", 5), ("sáu", 6), ("bảy", 7), ("tám", 8), ("chín", 9), ("mười", 10))},  # fmt: skip
}  # fmt: skip
_VI_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "vạn": 10**4, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "nghìn tỷ": 10**12, "nghìn tỉ": 10**12}  # fmt: skip

# --- Thai -----------------------------------------------------------------------------------------

_TH_FULL_MONTHS = {
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
}  # fmt: skip
_TH_SHORT_MONTHS = {
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6, "ก.ค.": 7,
    "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
}  # fmt: skip
_TH_MONTHS = {**_TH_FULL_MONTHS, **_TH_SHORT_MONTHS}
_TH_YEAR = r"(?:(?:พ\.\s?ศ\.|ค\.\s?ศ\.)\s*)?(?P<y>\d{4})(?!\d)"
# After an abbreviated month the year may be the Buddhist era's last two digits: 1 ธ.ค. 69.
_TH_SHORT_DATE = re.compile(
    rf"{_NOT_IN_NUMBER}(?P<d1>\d{{1,2}})\s*(?P<m1>{_month_alternatives(_TH_SHORT_MONTHS)})"
    r"\s*(?P<y>\d{2})(?!\d)"
)
_TH_DATE_FORMS = (
    r"{D1}\s*(?:-|–|ถึง(?:วันที่)?)\s*{D2}\s*{M2}(?:\s*{Y})?",
    r"{D1}\s*{M1}(?:\s*{Y})?",
    r"{M1}\s*{Y}",
)
# A month alone only by its full name (ก.พ. is also the Civil Service Commission).
_TH_BARE_MONTH = re.compile(f"(?P<m1>{_month_alternatives(_TH_FULL_MONTHS)})")
# Thai writes no spaces between words: each word is refused where it starts a longer one (สาม in
# สามารถ, ห้า in ห้าม, ร้อย in ร้อยละ "per cent").
_TH_WORDS: dict[str, float] = {
    "หนึ่ง": 1, "สอง": 2, "สาม": 3, "สี่": 4, "ห้า": 5, "หก": 6, "เจ็ด": 7, "แปด": 8,
    "เก้า": 9, "สิบ": 10, "ยี่สิบ": 20,
}  # fmt: skip
_TH_NOT_NUMBER = r"(?!ารถ|ม|เหลี่ยม|ล้ม|อี้)"
_TH_SCALES = {"พัน": 10**3, "หมื่น": 10**4, "แสน": 10**5, "ล้าน": 10**6, "สิบล้าน": 10**7, "ร้อยล้าน": 10**8, "พันล้าน": 10**9, "หมื่นล้าน": 10**10, "แสนล้าน": 10**11, "ล้านล้าน": 10**12}  # fmt: skip

NOTATIONS: dict[str, Notation] = {
    "de": _notation(
        scales=_DE_SCALES,
        months={**_DE_MONTHS, **_DE_NUMERIC_MONTHS},
        month_cue=_month_alternatives(_DE_MONTHS) + r"|\d\.\s?\d",
        dates=(
            *_dates(
                (
                    r"{D1}\s*(?:-|–|bis(?:\s+zum)?|und)\s*{D2}\s+{M2}(?:\s+{Y})?",
                    r"{D1}\s+{M1}(?:\s+{Y})?",
                    r"(?<!\w){M1}\s+{Y}",
                    r"(?<!\w){M1}",
                ),
                _DE_MONTHS,
                r"\.?",
                r"(?!\w)",
            ),
            _DE_DAY_MONTH,
        ),
        words=_DE_WORDS,
        weak=_DE_WEAK,
        ordinals=_DE_ORDINALS,
        multipliers={"hundert": 100, "tausend": 1000},
        joiners=r"\s+",
        times=r"(?<![\d.,])(\d{1,2})(?:[.:](\d{2}))?\s*Uhr(?!\w)",
        time_cues=("Uhr", "uhr"),
        scale_end="",
    ),
    "es": _notation(
        scales=_ES_SCALES,
        months=_ES_MONTHS,
        dates=_dates(_ES_DATE_FORMS, _ES_MONTHS, _IBERIAN_DAY),
        words=_ES_WORDS,
        weak=("un", "una", "uno"),
        ordinals=_ES_ORDINALS,
        romans=True,
        multipliers={"cien": 100, "ciento": 100, "mil": 1000},
        joiners=r"\s+y\s+|\s+",
        times=r"(?<![\d.,])(\d{1,2})\s?h\s?(\d{2})?(?!\w)",
        time_cues=("h",),
    ),
    "pt": _notation(
        scales=_PT_SCALES,
        months=_PT_MONTHS,
        dates=_dates(_ES_DATE_FORMS, _PT_MONTHS, _IBERIAN_DAY),
        words=_PT_WORDS,
        weak=("um", "uma"),
        ordinals=_PT_ORDINALS,
        romans=True,
        multipliers={"cem": 100, "cento": 100, "mil": 1000},
        joiners=r"\s+e\s+|\s+",
        times=r"(?<![\d.,])(\d{1,2})\s?h\s?(\d{2})?(?!\w)",
        time_cues=("h",),
    ),
    "it": _notation(
        scales=_IT_SCALES,
        months=_IT_MONTHS,
        dates=_dates(
            (
                r"{D1}\s*(?:-|–|al|all['’]|e)\s*{D2}\s+{M2}(?:\s+{Y})?",
                r"{D1}\s+{M1}(?:\s+{Y})?",
                r"(?<!\w){M1}\s+(?:del\s+)?{Y}",
                r"(?<!\w){M1}",
            ),
            _IT_MONTHS,
            r"(?:[º°])?",
        ),
        words=_IT_WORDS,
        weak=("un", "una", "uno"),
        ordinals=_IT_ORDINALS,
        romans=True,
        multipliers={"cento": 100, "mille": 1000},
        times=r"(?<![\d.,])(\d{1,2})\s?h\s?(\d{2})?(?!\w)",
        time_cues=("h",),
    ),
    "ru": _notation(
        scales=_RU_SCALES,
        months=_RU_MONTHS,
        dates=_dates(
            (
                r"{D1}\s*(?:-|–|—|по|и)\s*{D2}\s+{M2}(?:\s+{Y})?",
                r"{D1}\s+{M1}(?:\s+{Y})?",
                r"(?<!\w){M1}\s+{Y}",
                r"(?<!\w){M1}",
            ),
            _RU_MONTHS,
            r"(?:-?го)?",
            year=_RU_YEAR,
        ),
        words=_RU_WORDS,
        weak=_RU_WEAK,
        ordinals=_RU_ORDINALS,
        romans=True,
        multipliers={"сто": 100, "тысяча": 1000},
        times=r"(?<![\d.,])(\d{1,2})(?:[.:](\d{2}))?\s*ч(?:ас(?:а|ов)?)?\.?(?!\w)",
        time_cues=("ч",),
        scale_end=r"(?!\w)",
    ),
    "ar": _notation(
        scales=_AR_SCALES,
        months=_AR_MONTHS,
        dates=_dates(_AR_DATE_FORMS, _AR_MONTHS, "", _AR_MONTH_END, _AR_YEAR),
        words=_AR_WORDS,
        weak=("واحد", "واحدة"),
        ordinals=_AR_ORDINALS,
        multipliers={"مئة": 100, "مائة": 100, "ألف": 1000},
        joiners=r"\s+و|\s+",
        duals=_AR_DUALS,
    ),
    "vi": _notation(
        scales=_VI_SCALES,
        months=_VI_MONTHS,
        dates=tuple(re.compile(form, re.I) for form in _VI_DATE_FORMS),
        month_cue="tháng|ngày",
        words=_VI_WORDS,
        weak=("một",),
        ordinals=frozenset(w for w in _VI_WORDS if "thứ" in w),
        multipliers={"trăm": 100, "nghìn": 1000, "ngàn": 1000},
        times=r"(?<![\d.,])(\d{1,2})\s*(?:giờ|h)(?:\s*(\d{2})(?:\s*phút)?)?(?!\w)",
        time_cues=("giờ", "h"),
    ),
    "th": _notation(
        scales=_TH_SCALES,
        months=_TH_MONTHS,
        dates=(
            _TH_SHORT_DATE,
            *_dates(_TH_DATE_FORMS, _TH_MONTHS, "", "", _TH_YEAR),
            _TH_BARE_MONTH,
        ),
        words=_TH_WORDS,
        weak=("หนึ่ง",),
        multipliers={},
        joiners="(?!)",
        times=r"(?<![\d.,])(\d{1,2})(?:[.:](\d{2}))?\s*(?:น\.|นาฬิกา)",
        time_cues=("น.", "นาฬิกา"),
        scale_end="",
        bounded_words=False,
        word_guard=_TH_NOT_NUMBER,
        buddhist_era=True,
    ),
}
