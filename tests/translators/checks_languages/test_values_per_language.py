"""Numbers, scales, dates and times by value in each further language's notation, table-driven."""

from __future__ import annotations

import pytest

from translators.checks.base import CheckContext
from translators.checks.kept_checks import KeptItemsCheck
from translators.checks.values import Date, read_values
from translators.checks.values_checks import DatesCheck, NumbersCheck

# (language, text, the values of its one number)
# fmt: off
NUMBERS = [
    ("de", "1.234,5", (1234.5,)),
    ("de", "1 234,5", (1234.5,)),
    ("de", "2,154,000", (2154000,)),  # two comma groups: no decimal comma
    ("es", "2,154,000.5", (2154000.5,)),
    ("de", "2,154", (2.154,)),
    ("ru", "1\u202f234,5", (1234.5,)),
    ("ar", "١٬٢٣٤٫٥", (1234.5,)),
    ("ar", "٢٬١٥٤٬٠٠٠", (2154000,)),
    ("ar", "٣٨٫٦٪", (38.6,)),
    ("th", "๑,๒๓๔.๕", (1234.5,)),
    ("th", "ร้อยละ ๓๘.๖", (38.6,)),
    ("th", "ปี พ.ศ. 2569", (2569, 2026)),  # a Buddhist-era year is the Common Era's too
    ("es", "2,154 millones", (2154000,)),
    ("ru", "2,154 миллиона", (2154000,)),
    ("vi", "2 triệu 154 nghìn", (2154000,)),
    ("th", "2 ล้าน 1 แสน 5 หมื่น 4 พัน", (2154000,)),
    ("pt", "24,09 mil milhões", (24.09e9,)),
    ("pt", "1,23 bilhão", (1.23e9,)),
    ("es", "24.090 millones", (24.09e9, 24.09e6)),  # 24.090 may be 24090 or 24,090
    ("it", "68 mila", (68000,)),
    ("de", "3,5 Mrd.", (3.5e9,)),
    ("ru", "68 тыс.", (68000,)),
    ("ar", "68 ألف", (68000,)),
    ("ar", "350 مليونًا", (350e6,)),
]
# (language, a number word, its value)
WORDS = [
    ("de", "drei Anträge", 3), ("de", "fünfundzwanzig", 25), ("de", "die vierte Sitzung", 4),
    ("es", "treinta y cinco", 35), ("es", "la cuarta edición", 4),
    ("pt", "vinte e cinco", 25), ("pt", "a terceira edição", 3),
    ("it", "venticinque", 25), ("it", "la IV edizione", 4), ("es", "el XII Comité", 12),
    ("ru", "XII съезд", 12), ("it", "il V Forum", 5), ("it", "la quarta edizione", 4),
    ("ru", "двадцать пять заявок", 25), ("ru", "в трёх экземплярах", 3), ("ru", "Четвёртое ЭКСПО", 4),
    ("ar", "اثني عشر مشروعًا", 12), ("ar", "خمسة وعشرين متطوعًا", 25), ("ar", "ثلاث نسخ", 3), ("ar", "في دورته الرابعة", 4), ("ar", "طريقتان", 2),  # a dual: two ways
    ("vi", "hai mươi lăm", 25), ("vi", "là năm năm", 5),  # five years ("vi", "lần thứ tư", 4), ("vi", "gồm ba bộ", 3),
    ("th", "ยี่สิบ", 20),
]
# (language, text, its dates)
DATES = [
    ("de", "1. Januar 2026", [(2026, 1, 1)]),
    ("de", "am 1. Jänner 2026", [(2026, 1, 1)]),
    ("de", "01.12.2026", [(2026, 12, 1)]),
    ("de", "vom 1. bis 8. Oktober 2026", [(2026, 10, 1), (2026, 10, 8)]),
    ("de", "im März 2025", [(2025, 3, None)]),
    ("de", "bis zum 31.12. einreichen", [(None, 12, 31)]),
    ("de", "gemäß Abschnitt 3.5.", []),  # a section number
    ("es", "1.º de enero de 2026", [(2026, 1, 1)]),
    ("es", "el 1 de diciembre de 2026", [(2026, 12, 1)]),
    ("es", "1/12/2026", [(2026, 12, 1)]),
    ("es", "del 1 al 8 de octubre", [(None, 10, 1), (None, 10, 8)]),
    ("pt", "1.º de janeiro de 2026", [(2026, 1, 1)]),
    ("pt", "de 5 a 10 de novembro", [(None, 11, 5), (None, 11, 10)]),
    ("it", "1° gennaio 2026", [(2026, 1, 1)]),
    ("it", "dall'1 all'8 ottobre", [(None, 10, 1), (None, 10, 8)]),
    ("ru", "1 января 2026 г.", [(2026, 1, 1)]),
    ("ru", "январь 2026 года", [(2026, 1, None)]),
    ("ru", "в январе 2026 года", [(2026, 1, None)]),
    ("ru", "с 1 по 8 октября", [(None, 10, 1), (None, 10, 8)]),
    ("ru", "1-го мая", [(None, 5, 1)]),
    ("ru", "01.12.2026", [(2026, 12, 1)]),
    ("ar", "1 يناير 2026", [(2026, 1, 1)]),
    ("ar", "١ كانون الثاني ٢٠٢٦", [(2026, 1, 1)]),
    ("ar", "1 كانون الثاني/يناير 2026م", [(2026, 1, 1)]),
    ("ar", "في آذار/مارس 2025", [(2025, 3, None)]),
    ("vi", "ngày 1 tháng 1 năm 2026", [(2026, 1, 1)]),
    ("vi", "ngày 01/12/2026", [(2026, 12, 1)]),
    ("vi", "tháng 12/2026", [(2026, 12, None)]),
    ("vi", "tháng Giêng năm 2026", [(2026, 1, None)]),
    ("vi", "từ ngày 5 đến ngày 10 tháng 11", [(None, 11, 5), (None, 11, 10)]),
    ("vi", "mỗi tháng 2 lần", []),  # twice a month, no February
    ("th", "1 มกราคม 2569", [(2026, 1, 1)]),
    ("th", "1 ม.ค. 2569", [(2026, 1, 1)]),
    ("th", "1 มกราคม ค.ศ. 2026", [(2026, 1, 1)]),
    ("th", "๑ มกราคม ๒๕๖๙", [(2026, 1, 1)]),
    ("th", "1/1/2569", [(2026, 1, 1)]),
    ("th", "1 ธ.ค. 69", [(2026, 12, 1)]),  # the Buddhist era's last two digits
    ("th", "สำนักงาน ก.พ.", []),  # the Civil Service Commission, not February
]
# 12.3亿 in each language: 1.23 billion
BILLIONS = [
    ("de", "Rund 1,23 Milliarden Yuan."), ("es", "Unos 1.230 millones de yuanes."),
    ("pt", "Cerca de 1,23 mil milhões de yuans."), ("it", "Circa 1,23 miliardi di yuan."),
    ("ru", "Около 1,23 млрд юаней."), ("ar", "نحو 1.23 مليار يوان."),
    ("vi", "Khoảng 1,23 tỷ nhân dân tệ."), ("th", "ประมาณ 1,230 ล้านหยวน"),
]
LOST_SCALE = [
    ("de", "Rund 1,23 Millionen Yuan."), ("es", "Unos 1.230 yuanes."),
    ("pt", "Cerca de 1,23 milhões de yuans."), ("it", "Circa 1,23 milioni di yuan."),
    ("ru", "Около 1,23 млн юаней."), ("ar", "نحو 1.23 مليون يوان."),
    ("vi", "Khoảng 1,23 triệu nhân dân tệ."), ("th", "ประมาณ 1,230 หยวน"),
]
# fmt: on


@pytest.mark.parametrize(("language", "text", "values"), NUMBERS)
def test_a_number_is_read_by_value_in_the_language_notation(
    language: str, text: str, values: tuple[float, ...]
) -> None:
    [figure] = read_values(text, language).figures
    assert figure.required
    assert figure.values == pytest.approx(values)


@pytest.mark.parametrize(("language", "text", "value"), WORDS)
def test_a_number_word_stands_for_its_value(language: str, text: str, value: float) -> None:
    [figure] = read_values(text, language).figures
    assert (figure.values, figure.required) == ((value,), False)


def test_thai_words_inside_longer_words_are_no_numbers() -> None:
    assert read_values("สามารถยื่นได้ ห้ามสูบบุหรี่", "th").figures == ()  # can; forbidden


def test_vietnamese_nam_is_a_year_unless_it_counts() -> None:
    assert read_values("trong năm nay, năm 2026", "vi").figures[0].values == (2026,)


@pytest.mark.parametrize(("language", "text", "dates"), DATES)
def test_a_date_is_read_by_day_month_and_year(language: str, text: str, dates: list[Date]) -> None:
    assert [m.date for m in read_values(text, language).dates] == dates


@pytest.mark.parametrize(("language", "target"), BILLIONS)
def test_a_hundred_million_scale_is_the_same_value_in_every_form(
    language: str, target: str
) -> None:
    assert NumbersCheck().check("总投资约12.3亿元。", target, CheckContext(language)) == []


@pytest.mark.parametrize(("language", "target"), LOST_SCALE)
def test_a_lost_or_wrong_scale_is_an_error(language: str, target: str) -> None:
    [finding] = NumbersCheck().check("总投资约12.3亿元。", target, CheckContext(language))
    assert finding.severity == "error" and "12.3亿 (1,230,000,000)" in finding.message


@pytest.mark.parametrize(
    ("language", "target"),
    [("th", "ภายในวันที่ 31 ธันวาคม 2569"), ("th", "ภายในวันที่ 31 ธันวาคม ค.ศ. 2026")],
)
def test_a_thai_year_may_be_buddhist_era_or_common_era(language: str, target: str) -> None:
    assert DatesCheck().check("2026年12月31日前", target, CheckContext(language)) == []


def test_a_thai_buddhist_era_year_one_off_is_an_error() -> None:
    [finding] = DatesCheck().check("2026年12月31日前", "31 ธันวาคม 2570", CheckContext("th"))
    assert "31 Dec 2027" in finding.message


@pytest.mark.parametrize(
    ("language", "target", "kept"),
    [
        ("ar", "هاتف الاستفسارات: ٠٢١-٦٣٢١ ٧٠٠٠.", True),
        ("th", "โทร. ๐๒๑-๖๓๒๑ ๗๐๐๐", True),
        ("ar", "هاتف الاستفسارات: 021-6321 7000.", True),
        ("ar", "هاتف الاستفسارات: ٠٢١-٦٣٢١ ٧٠٠١.", False),
    ],
)
def test_a_phone_number_in_native_digits_dials_the_same(
    language: str, target: str, kept: bool
) -> None:
    findings = KeptItemsCheck().check("咨询电话：021-6321 7000。", target, CheckContext(language))
    assert (findings == []) is kept
    numbers = NumbersCheck().check("咨询电话：021-6321 7000。", target, CheckContext(language))
    assert numbers == []  # a phone number is no number to compare
