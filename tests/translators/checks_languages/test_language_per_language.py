"""Language identity and leftover Han in each further language, table-driven."""

from __future__ import annotations

import pytest

from translators.checks.base import CheckContext
from translators.checks.language_checks import LanguageIdentityCheck, LeftoverHanCheck

SOURCE = "会议回顾了本市今年的领事工作。"
ENGLISH = "The meeting reviewed the consular work of the city this year."
EXPO = "上海国际进口博览会（CIIE）官方网站"

# (language, source, target, what the finding says; "" for none)
# fmt: off
LANGUAGE_CASES = [
    ("de", SOURCE, "Die Sitzung zog eine Bilanz der konsularischen Arbeit der Stadt in diesem Jahr.", ""),
    ("es", SOURCE, "La reunión hizo balance del trabajo consular de la ciudad en este año.", ""),
    ("pt", SOURCE, "A reunião fez o balanço do trabalho consular da cidade neste ano.", ""),
    ("it", SOURCE, "La riunione ha fatto il punto sul lavoro consolare della città nell’anno in corso.", ""),
    ("vi", SOURCE, "Hội nghị đã điểm lại công tác lãnh sự của thành phố trong năm nay.", ""),
    ("ru", SOURCE, "На совещании были подведены итоги консульской работы города за текущий год.", ""),
    ("ar", SOURCE, "استعرض الاجتماع العمل القنصلي للمدينة خلال هذا العام.", ""),
    ("th", SOURCE, "ที่ประชุมได้ทบทวนงานด้านกงสุลของเมืองในปีนี้", ""),
    # Another language of the same script, when langdetect is sure of it.
    ("de", SOURCE, ENGLISH, "reads as English, not German"),
    ("vi", SOURCE, ENGLISH, "reads as English, not Vietnamese"),
    ("es", SOURCE, "A reunião fez o balanço do trabalho consular da cidade neste ano.", "reads as Portuguese, not Spanish"),
    ("ru", SOURCE, "На нараді було підбито підсумки консульської роботи міста за поточний рік.", "reads as Ukrainian, not Russian"),
    ("ar", SOURCE, "این نشست کار کنسولی شهر را در سال جاری بررسی کرد و گزارش داد.", "reads as Persian, not Arabic"),
    # Another script.
    ("ru", SOURCE, ENGLISH, "not in the script of Russian"),
    ("ar", SOURCE, ENGLISH, "not in the script of Arabic"),
    ("th", SOURCE, ENGLISH, "not in the script of Thai"),
    ("de", SOURCE, "На совещании были подведены итоги консульской работы.", "not in the script of German"),
    # Names and brands in Latin letters are no other language.
    ("ru", EXPO, "Официальный сайт China International Import Expo (CIIE)", ""),
    ("ar", EXPO, "الموقع الرسمي لـ China International Import Expo (CIIE)", ""),
    ("th", EXPO, "เว็บไซต์ทางการของงาน China International Import Expo (CIIE)", ""),
    ("de", EXPO, "Offizielle Website der China International Import Expo (CIIE)", ""),
    # Short texts: only wholly another script is judged.
    ("ru", "份号", "Copy No.", "another script only"),
    ("ar", "份号", "Copy No.", "another script only"),
    ("th", "份号", "Copy No.", "another script only"),
    ("ru", "份号", "Экз. №", ""),
    ("de", "份号", "Copy No.", ""),  # German is Latin too: too short to tell
]
# fmt: on
HAN_CASES = [
    ("de", "Die Website 网站 verzeichnete 13.568.723 Aufrufe.", "网站"),
    ("ru", "Общее число посещений 网站 достигло 13 568 723.", "网站"),
    ("ar", "بلغ إجمالي عدد زيارات 网站 ١٣٬٥٦٨٬٧٢٣ زيارة.", "网站"),
    ("th", "ยอดการเข้าชม网站ทั้งหมด", "网站"),
    ("vi", "Tổng lượt truy cập 网站 đạt 13.568.723 lượt.", "网站"),
    ("es", "El sitio web registró 13.568.723 visitas.", ""),
    ("ja", "ウェブサイトの総アクセス数は1356万8723回に達した。", ""),  # ja keeps its rule
]


@pytest.mark.parametrize(("language", "source", "target", "said"), LANGUAGE_CASES)
def test_the_target_language_is_recognised_in_every_language(
    language: str, source: str, target: str, said: str
) -> None:
    findings = LanguageIdentityCheck().check(source, target, CheckContext(language))
    if not said:
        assert findings == []
    else:
        [finding] = findings
        assert finding.severity == "error" and said in finding.message


@pytest.mark.parametrize(("language", "target", "left"), HAN_CASES)
def test_no_chinese_is_left_in_any_language(language: str, target: str, left: str) -> None:
    findings = LeftoverHanCheck().check("网站总访问量", target, CheckContext(language))
    assert [f.message.rsplit(": ", 1)[-1] for f in findings] == ([left] if left else [])
