"""Counting the shipped languages beyond the office's four: real sentences, hand-counted."""

from __future__ import annotations

import unicodedata

import pytest

from content.counting import RELEASED, find_convention, measure
from core.languages import LANGUAGES, OFFICE_COLUMNS, SHIPPED_TARGETS

OFFICE_V2 = find_convention("office-2020 v2")

# (language, sentence, the figure every released convention reports, how it was counted by hand)
HAND_COUNTED = [
    (
        "de",
        "Das Büro für auswärtige Angelegenheiten der Stadt Shanghai lädt zur Pressekonferenz "
        "am 3. März ein.",
        15,
        "15 pieces between spaces, each with a letter or digit (3. is one)",
    ),
    (
        "es",
        "La Oficina de Asuntos Exteriores de Shanghái publica la guía de inversión en español.",
        14,
        "14 pieces",
    ),
    (
        "ru",
        "Управление иностранных дел Шанхая проведёт брифинг 1 марта 2024 года.",
        10,
        "10 pieces: Cyrillic words and the numbers 1 and 2024",
    ),
    (
        "ar",
        "يعقد مكتب الشؤون الخارجية في شنغهاي مؤتمرا صحفيا يوم ١ مارس ، والدعوة مفتوحة للجميع.",
        14,
        "15 pieces; the Arabic comma standing alone is no word; والدعوة (wa + al + word) is one, "
        "the Arabic-Indic digit ١ is one",
    ),
    (
        "pt",
        "O Escritório de Assuntos Estrangeiros de Xangai recebeu a delegação em 5 de junho.",
        14,
        "14 pieces",
    ),
    (
        "it",
        "L'Ufficio per gli affari esteri di Shanghai ha pubblicato l'avviso — leggere con "
        "attenzione.",
        13,
        "14 pieces; the dash alone is no word; L'Ufficio and l'avviso are one each",
    ),
    (
        "vi",
        "Văn phòng Ngoại vụ Thượng Hải thông báo lịch làm việc mới từ ngày 1 tháng 3.",
        17,
        "17 syllables between spaces, each a word as word processors count Vietnamese",
    ),
    (
        "th",
        "ประกาศวันหยุดราชการ",
        19,
        "ป ร ะ ก า ศ 6 + ว ั น 3 + ห ย ุ ด 4 + ร า ช ก า ร 6: every character, the marks ั ุ too",
    ),
    (
        "th",
        "ที่ 1 พฤษภาคม",
        11,
        "ท ี ่ 3 + 1 + พ ฤ ษ ภ า ค ม 7; the spaces are not counted",
    ),
]


@pytest.mark.parametrize(
    ("language", "sentence", "figure", "how"),
    HAND_COUNTED,
    ids=[f"{row[0]}-{number}" for number, row in enumerate(HAND_COUNTED, 1)],
)
def test_every_convention_counts_the_further_languages_as_hand_counted(
    language: str, sentence: str, figure: int, how: str
) -> None:
    measured = measure(sentence, markdown=False)
    assert {c.label: c.figure(measured, language) for c in RELEASED} == dict.fromkeys(
        (c.label for c in RELEASED), figure
    ), how


def test_the_hand_counted_table_covers_every_further_language() -> None:
    further = {code for code in SHIPPED_TARGETS if code not in OFFICE_COLUMNS}
    assert {row[0] for row in HAND_COUNTED} == further


def test_every_convention_has_a_measure_for_every_shipped_language() -> None:
    for convention in RELEASED:
        assert set(SHIPPED_TARGETS) <= set(convention.measure_for), convention.label


@pytest.mark.parametrize("language", [c for c in SHIPPED_TARGETS if c not in OFFICE_COLUMNS])
def test_a_language_without_spaces_counts_characters_the_others_words(language: str) -> None:
    expected = "characters_no_spaces" if LANGUAGES[language].joiner == "" else "words"
    assert {c.measure_for[language] for c in RELEASED} == {expected}


def test_vietnamese_counts_the_same_composed_or_decomposed() -> None:
    # Tone marks may arrive as combining characters (NFD, as some editors save); a syllable is
    # one word either way.
    sentence = "Thông báo về việc cấp thị thực cho người nước ngoài."
    composed = measure(unicodedata.normalize("NFC", sentence), markdown=False)
    decomposed = measure(unicodedata.normalize("NFD", sentence), markdown=False)
    assert OFFICE_V2.figure(composed, "vi") == OFFICE_V2.figure(decomposed, "vi") == 11


def test_a_thai_markdown_text_counts_what_the_reader_sees() -> None:
    text = "## ประกาศ\n\n**วันหยุด** [ราชการ](https://www.shanghai.gov.cn/)"
    # ประกาศ 6 + วันหยุด 7 + ราชการ 6: the heading mark, emphasis and link address are not seen.
    assert OFFICE_V2.figure(measure(text), "th") == 19
