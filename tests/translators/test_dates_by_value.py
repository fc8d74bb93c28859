"""The dates check on the office's real Chinese: each form of date, good and bad, in en ja fr ko."""

from __future__ import annotations

import pytest

from core.languages import DEFAULT_TARGETS
from translators.checks.base import CheckContext
from translators.checks.testing import CheckContract
from translators.checks.values import read_values
from translators.checks.values_checks import DatesCheck, NumbersCheck


def errors(check: DatesCheck | NumbersCheck, source: str, target: str, language: str) -> list[str]:
    """The error messages of one check on one pair."""
    return [
        f.message
        for f in check.check(source, target, CheckContext(language))
        if f.severity == "error"
    ]


# (form, source, language, a correct translation)
# fmt: off
GOOD = [
    ("〇 years", "二〇二二年三月", "en", "March 2022"),
    ("〇 years", "二〇二二年三月", "fr", "mars 2022"),
    ("〇 years", "二〇二二年三月", "ja", "2022年3月"),
    ("〇 years", "二〇二二年三月", "ko", "2022년 3월"),
    ("〇 years", "二〇二五年三月一日起施行。", "en", "Effective 1 March 2025."),
    ("〇 years", "二〇二五年三月一日起施行。", "fr", "En vigueur le 1er mars 2025."),
    ("〇 years", "二〇二五年三月一日起施行。", "ja", "2025年3月1日から施行する。"),
    ("〇 years", "二〇二五年三月一日起施行。", "ko", "2025년 3월 1일부터 시행한다."),
    ("numerals and full width", "十二月三十一日截止。", "en", "The deadline is December 31."),
    ("numerals and full width", "十二月三十一日截止。", "fr", "Date limite : 31 décembre."),
    ("numerals and full width", "２０２０年１月１日起施行。", "ja", "2020年1月1日から施行する。"),
    ("numerals and full width", "２０２０年１月１日起施行。", "ko", "2020년 1월 1일부터 시행한다."),
    ("months", "在 4 月底前完成栏目调整。", "en", "The columns were rearranged by the end of April."),
    ("months", "在 4 月底前完成栏目调整。", "fr", "Les rubriques ont été réorganisées avant fin avril."),
    ("months", "在 4 月底前完成栏目调整。", "ja", "4月末までに欄の調整を終えた。"),
    ("months", "在 4 月底前完成栏目调整。", "ko", "4월 말까지 코너 조정을 마쳤다."),
    ("day ranges", "10月1日至8日放假调休，共8天。", "en", "The holiday runs from 1 to 8 October, 8 days in all."),
    ("day ranges", "10月1日至8日放假调休，共8天。", "en", "The holiday runs October 1-8, eight days in all."),
    ("day ranges", "10月1日至8日放假调休，共8天。", "fr", "Les congés vont du 1er au 8 octobre, soit 8 jours."),
    ("day ranges", "10月1日至8日放假调休，共8天。", "ja", "10月1日から8日まで休みとなり、計8日間である。"),
    ("day ranges", "10月1日至8日放假调休，共8天。", "ko", "10월 1일부터 8일까지 쉬며, 모두 8일이다."),
    ("day ranges", "10月1日至8日放假调休，共8天。", "ko", "10월 1~8일 휴무, 총 8일."),
    ("month ranges", "1至3月共受理申请20件。", "en", "From January to March, 20 applications were received."),
    ("month ranges", "1至3月共受理申请20件。", "fr", "De janvier à mars, 20 demandes ont été reçues."),
    ("month ranges", "1至3月共受理申请20件。", "ja", "1～3月に計20件の申請を受理した。"),
    ("month ranges", "1至3月共受理申请20件。", "ko", "1~3월에 신청 20건을 접수했다."),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "en", "Measures on Fees for Processing Government Information (17 November 2020)"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "fr", "Mesures sur les frais de traitement des informations gouvernementales (17/11/2020)"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "ja", "「政府情報公開情報処理費管理弁法」2020年11月17日"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "ko", "「정부정보 공개 정보처리비 관리 방법」 2020. 11. 17."),
    ("numeric", "2020年1月1日起施行。", "en", "Effective 2020-01-01."),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "en", "On 3 March 2025 the Office held its 2025 consular briefing."),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "fr", "Le 3 mars, le Bureau a tenu sa réunion d'information consulaire 2025."),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "ja", "3月3日、市政府外事弁公室は2025年領事業務説明会を開いた。"),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "ko", "상하이시 외사판공실은 3월 3일 2025년 영사업무 설명회를 열었다."),
    ("year given once", "2022年3月起，每月更新。", "en", "Updated every month since March 2022."),
    ("era and weekday", "2022年3月1日起施行。", "ja", "令和4年3月1日から施行する。"),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "en", "Sunday 28 September and Saturday 11 October are working days."),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "fr", "Le dimanche 28 septembre et le samedi 11 octobre sont travaillés."),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "ko", "9월 28일(일요일)과 10월 11일(토요일)은 근무일이다."),
]

# (form, source, language, a wrong translation, what the message must say)
BAD = [
    ("〇 years", "二〇二二年三月", "en", "March 2023", "the source has 二〇二二年三月 (Mar 2022); the translation has March 2023 (Mar 2023)"),
    ("〇 years", "二〇二二年三月", "fr", "mai 2022", "the translation has mai 2022 (May 2022)"),
    ("〇 years", "二〇二二年三月", "ja", "2022年5月", "the source has 二〇二二年三月 (Mar 2022)"),
    ("〇 years", "二〇二二年三月", "ko", "2021년 3월", "the translation has 2021년 3월 (Mar 2021)"),
    ("numerals and full width", "十二月三十一日截止。", "en", "The deadline is December 30.", "the source has 十二月三十一日 (31 Dec)"),
    ("numerals and full width", "２０２０年１月１日起施行。", "ja", "2020年1月10日から施行する。", "(10 Jan 2020)"),
    ("numerals and full width", "十二月三十一日截止。", "fr", "Date limite : 30 décembre.", "the source has 十二月三十一日 (31 Dec); the translation has 30 décembre (30 Dec)"),
    ("numerals and full width", "２０２０年１月１日起施行。", "ko", "2021년 1월 1일부터 시행한다.", "the source has ２０２０年１月１日 (1 Jan 2020)"),
    ("swapped", "2020年1月2日起施行。", "en", "Effective February 1, 2020.", "day and month swapped?"),
    ("swapped", "2020年1月2日起施行。", "fr", "En vigueur le 1er février 2020.", "day and month swapped?"),
    ("swapped", "2020年1月2日起施行。", "ja", "2020年2月1日から施行する。", "day and month swapped?"),
    ("swapped", "2020年1月2日起施行。", "ko", "2020년 2월 1일부터 시행한다.", "day and month swapped?"),
    ("day ranges", "10月1日至8日放假调休，共8天。", "en", "The holiday runs from 1 to 7 October, 8 days in all.", "the source has 8日 (8 Oct); the translation has 7 October (7 Oct)"),
    ("day ranges", "10月1日至8日放假调休，共8天。", "fr", "Les congés vont du 2 au 8 octobre, soit 8 jours.", "the source has 10月1日 (1 Oct)"),
    ("day ranges", "10月1日至8日放假调休，共8天。", "ja", "10月1日から9日まで休みとなり、計8日間である。", "(9 Oct)"),
    ("day ranges", "10月1日至8日放假调休，共8天。", "ko", "11월 1~8일 휴무, 총 8일.", "(1 Nov)"),
    ("missing and extra", "9月28日（星期日）、10月11日（星期六）上班。", "en", "Sunday 28 September is a working day.", "the source has 10月11日 (11 Oct); the translation has no such date"),
    ("missing and extra", "请于工作日办理。", "fr", "Veuillez vous présenter le 3 mars.", "the translation has 3 mars (3 Mar), a date the source does not have"),
    ("missing and extra", "9月28日（星期日）、10月11日（星期六）上班。", "ja", "9月28日（日）は出勤日である。", "the translation has no such date"),
    ("missing and extra", "请于工作日办理。", "ko", "5월 1일에 방문해 주십시오.", "a date the source does not have"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "ko", "「정부정보 공개 정보처리비 관리 방법」 2020. 11. 18.", "(18 Nov 2020)"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "en", "Measures on Fees (17 November 2021)", "(17 Nov 2021)"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "fr", "Mesures sur les frais (17/12/2020)", "(17 Dec 2020)"),
    ("numeric", "《政府信息公开信息处理费管理办法》2020.11.17", "ja", "「政府情報公開情報処理費管理弁法」2020年11月7日", "(7 Nov 2020)"),
    ("months", "在 4 月底前完成栏目调整。", "en", "The columns were rearranged by the end of May.", "the source has 4 月 (Apr); the translation has May (May)"),
    ("months", "在 4 月底前完成栏目调整。", "fr", "Les rubriques ont été réorganisées avant fin mars.", "the translation has mars (Mar)"),
    ("months", "在 4 月底前完成栏目调整。", "ja", "3月末までに欄の調整を終えた。", "(Mar)"),
    ("months", "在 4 月底前完成栏目调整。", "ko", "6월 말까지 코너 조정을 마쳤다.", "(Jun)"),
    ("month ranges", "1至3月共受理申请20件。", "en", "From January to April, 20 applications were received.", "the source has 3月 (Mar); the translation has April (Apr)"),
    ("month ranges", "1至3月共受理申请20件。", "fr", "De février à mars, 20 demandes ont été reçues.", "the source has 1至 (Jan)"),
    ("month ranges", "1至3月共受理申请20件。", "ja", "1～6月に計20件の申請を受理した。", "(Jun)"),
    ("month ranges", "1至3月共受理申请20件。", "ko", "2~3월에 신청 20건을 접수했다.", "(Feb)"),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "en", "On 3 May 2025 the Office held its 2025 consular briefing.", "the translation has 3 May 2025 (3 May 2025)"),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "fr", "Le 13 mars, le Bureau a tenu sa réunion d'information consulaire 2025.", "(13 Mar)"),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "ja", "3月30日、市政府外事弁公室は2025年領事業務説明会を開いた。", "(30 Mar)"),
    ("year given once", "3月3日，市政府外办召开2025年领事工作通报会。", "ko", "상하이시 외사판공실은 4월 3일 2025년 영사업무 설명회를 열었다.", "(3 Apr)"),
    ("era and weekday", "2022年3月1日起施行。", "ja", "令和5年3月1日から施行する。", "the translation has 令和5年3月1日 (1 Mar 2023)"),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "en", "Sunday 29 September and Saturday 11 October are working days.", "(29 Sep)"),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "fr", "Le dimanche 28 septembre et le samedi 12 octobre sont travaillés.", "(12 Oct)"),
    ("era and weekday", "9月28日（星期日）、10月11日（星期六）上班。", "ko", "9월 28일(일요일)과 11월 11일(토요일)은 근무일이다.", "(11 Nov)"),
]
# fmt: on

FORMS = sorted({row[0] for row in GOOD})


@pytest.mark.parametrize(("form", "source", "language", "target"), GOOD)
def test_a_correct_rendering_of_a_date_gives_no_error(
    form: str, source: str, language: str, target: str
) -> None:
    assert errors(DatesCheck(), source, target, language) == []
    assert errors(NumbersCheck(), source, target, language) == []  # a date's digits are no numbers


@pytest.mark.parametrize(("form", "source", "language", "target", "said"), BAD)
def test_a_wrong_date_is_an_error_that_names_the_source_date(
    form: str, source: str, language: str, target: str, said: str
) -> None:
    messages = errors(DatesCheck(), source, target, language)
    assert any(said in message for message in messages), messages


@pytest.mark.parametrize("form", [*FORMS, "swapped", "missing and extra"])
def test_every_form_of_date_is_tried_good_and_bad_in_every_language(form: str) -> None:
    good = {row[2] for row in GOOD if row[0] == form}
    bad = {row[2] for row in BAD if row[0] == form}
    if form in FORMS:
        assert good == set(DEFAULT_TARGETS), f"good rows of {form}: {sorted(good)}"
    assert bad == set(DEFAULT_TARGETS), f"bad rows of {form}: {sorted(bad)}"


@pytest.mark.parametrize(
    ("text", "language", "dates"),
    [
        ("二〇二二年三月", "zh", [(2022, 3, None)]),
        ("二〇二五年三月一日", "zh", [(2025, 3, 1)]),
        ("10月1日至8日", "zh", [(None, 10, 1), (None, 10, 8)]),
        ("1月至3月5日", "zh", [(None, 1, None), (None, 3, 5)]),
        ("3个月内", "zh", []),  # three months long, not March
        ("6개월 이상", "ko", []),
        ("Article 5 may be amended in May", "en", [(None, 5, None)]),  # only the capital May
        ("from October 1 to November 8, 2025", "en", [(2025, 10, 1), (2025, 11, 8)]),
        ("entre le 1er et le 8 octobre", "fr", [(None, 10, 1), (None, 10, 8)]),
        ("令和元年5月1日", "ja", [(2019, 5, 1)]),
        ("11/17/2020", "en", [(2020, 11, 17)]),  # only month first can be read
    ],
)
def test_dates_are_read_by_value(text: str, language: str, dates: list[tuple[object, ...]]) -> None:
    assert [m.date for m in read_values(text, language).dates] == dates


class TestDatesCheckOnOfficeText(CheckContract):
    check = DatesCheck()
    good = [(source, target, language) for _, source, language, target in GOOD]
    bad = [(source, target, language) for _, source, language, target, _ in BAD]
