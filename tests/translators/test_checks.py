"""Every quality check against tables of good and bad pairs in all four target languages."""

from __future__ import annotations

import pytest

from translators.checks import CheckContext, check_by_id, registered_checks, run_checks
from translators.checks.form_checks import (
    EmptyCheck,
    LengthRatioCheck,
    MarkupCheck,
    SameAsSourceCheck,
)
from translators.checks.kept_checks import GlossaryCheck, KeptItemsCheck
from translators.checks.language_checks import LanguageIdentityCheck, LeftoverHanCheck
from translators.checks.registry import BUILTIN_CHECKS
from translators.checks.testing import CheckContract, Row
from translators.checks.values_checks import DatesCheck, NumbersCheck
from translators.glossary import Glossary, Term

GLOSSARY = Glossary(
    [
        Term("领事认证", "en", "consular legalization"),
        Term("领事认证", "fr", "légalisation consulaire"),
        Term("领事认证", "ja", "領事認証"),
        Term("领事认证", "ko", "영사 확인"),
    ]
)


def ids(check_id: str, source: str, target: str, language: str) -> list[str]:
    """Messages of one check on one pair."""
    context = CheckContext(language=language, glossary=GLOSSARY)
    return [f.message for f in check_by_id(check_id).check(source, target, context)]


# (source, language, target) that every value check must accept.
NUMBERS_GOOD = [
    ("访客达215.4万人次。", "en", "Visitors reached 2.154 million."),
    ("访客达215.4万人次。", "en", "Visitors reached 2,154,000."),
    ("访客达215.4万人次。", "fr", "Les visiteurs ont atteint 2 154 000."),
    ("访客达215.4万人次。", "fr", "Les visiteurs ont atteint 2,154 millions."),
    ("访客达215.4万人次。", "ja", "来訪者は215.4万人に達した。"),
    ("访客达215.4万人次。", "ja", "来訪者は215万4千人に達した。"),
    ("访客达215.4万人次。", "ko", "방문객은 215만 4천 명에 달했다."),
    ("访客达215.4万人次。", "ko", "방문객은 215.4만 명에 달했다."),
    ("同比增长12%。", "en", "Up 12% year on year."),
    ("同比增长百分之五。", "fr", "En hausse de 5 %."),
    ("同比增长百分之五。", "ko", "5퍼센트 증가했다."),
    ("收费100元。", "en", "The fee is RMB 100."),
    ("收费100元。", "fr", "Les frais sont de 100 yuans."),
    ("三个代表团出席。", "en", "Three delegations attended."),
    ("两千三百人参加。", "ja", "2300人が参加した。"),
    ("共有１２０人。", "en", "There were 120 people."),  # full-width digits
]
NUMBERS_BAD = [
    ("访客达215.4万人次。", "en", "Visitors reached 2.155 million.", "2,154,000"),  # changed digit
    ("访客达215.4万人次。", "en", "Visitors reached 215.4.", "2,154,000"),  # dropped 万
    ("访客达215.4万人次。", "ko", "방문객은 215.4 명.", "2,154,000"),  # dropped 만
    ("同比增长12%。", "fr", "En hausse de 21 %.", "12"),
    ("约120人出席。", "ja", "約150人が出席した。", "120"),
    ("三个代表团出席。", "en", "Four delegations attended.", "3"),
]


@pytest.mark.parametrize(("source", "language", "target"), NUMBERS_GOOD)
def test_numbers_accept_every_rendering_of_the_same_value(
    source: str, language: str, target: str
) -> None:
    assert ids("numbers", source, target, language) == []


@pytest.mark.parametrize(("source", "language", "target", "value"), NUMBERS_BAD)
def test_numbers_reject_a_changed_value(
    source: str, language: str, target: str, value: str
) -> None:
    [message] = ids("numbers", source, target, language)  # one changed value, one finding
    assert message.startswith("the source has ") and value in message


DATES_GOOD = [
    ("2020年1月1日起施行。", "en", "Effective January 1, 2020."),
    ("2020年1月1日起施行。", "en", "Effective 1 January 2020."),
    ("2020年1月1日起施行。", "en", "Effective Jan. 1, 2020."),
    ("2020年1月1日起施行。", "en", "Effective 2020-01-01."),
    ("2020年1月1日起施行。", "fr", "En vigueur le 1er janvier 2020."),
    ("2020年1月1日起施行。", "fr", "En vigueur le 1 janvier 2020."),
    ("2020年1月1日起施行。", "ja", "2020年1月1日から施行する。"),
    ("2020年1月1日起施行。", "ko", "2020년 1월 1일부터 시행한다."),
    ("二〇二五年三月一日起施行。", "en", "Effective March 1, 2025."),
    ("3月3日召开会议。", "ko", "3월 3일 회의를 열었다."),
    ("3月3日召开会议。", "en", "The meeting was held on March 3."),
]
DATES_BAD = [
    ("2020年1月2日起施行。", "en", "Effective February 1, 2020.", "swapped"),
    ("2020年1月2日起施行。", "fr", "En vigueur le 1er février 2020.", "swapped"),
    ("2020年1月2日起施行。", "ja", "2020年2月1日から施行する。", "swapped"),
    ("2020年1月2日起施行。", "ko", "2020년 2월 1일부터 시행한다.", "swapped"),
    (
        "2020年1月1日起施行。",
        "en",
        "Effective January 1, 2021.",
        "source has 2020年1月1日 (1 Jan 2020)",
    ),
    ("3月3日召开会议。", "fr", "La réunion s'est tenue le 4 mars.", "source has 3月3日 (3 Mar)"),
]


@pytest.mark.parametrize(("source", "language", "target"), DATES_GOOD)
def test_dates_accept_every_rendering_of_the_same_day(
    source: str, language: str, target: str
) -> None:
    assert ids("dates", source, target, language) == []
    assert ids("numbers", source, target, language) == []  # a date's digits are not numbers


@pytest.mark.parametrize(("source", "language", "target", "expected"), DATES_BAD)
def test_dates_reject_another_day(source: str, language: str, target: str, expected: str) -> None:
    [message] = ids("dates", source, target, language)
    assert expected in message


KEPT_SOURCE = "请发送邮件至wsb@sh.gov.cn，或致电021-6321 7000，详见https://wsb.sh.gov.cn/a。"
KEPT = [
    ("en", "Write to wsb@sh.gov.cn or call +86 21 6321 7000; see https://wsb.sh.gov.cn/a.", []),
    (
        "fr",
        "Écrivez à wsb@sh.gov.cn ou appelez le 021-6321 7000 ; voir https://wsb.sh.gov.cn/a.",
        [],
    ),
    ("ja", "wsb@sh.gov.cnへメール、または021-6321 7000へ。https://wsb.sh.gov.cn/a", []),
    ("ko", "wsb@sh.gov.cn 또는 021-6321 7001, https://wsb.sh.gov.cn/a", ["phone number"]),
    (
        "en",
        "Write to wsb@sh.gov.com or call 021-6321 7000; see https://wsb.sh.gov.cn/a.",
        ["e-mail"],
    ),
    ("fr", "wsb@sh.gov.cn, 021-6321 7000, https://wsb.sh.gov.cn/b", ["URL"]),
]


@pytest.mark.parametrize(("language", "target", "problems"), KEPT)
def test_phones_urls_and_addresses_are_kept(
    language: str, target: str, problems: list[str]
) -> None:
    messages = ids("kept", KEPT_SOURCE, target, language)
    assert [m.split(" missing")[0] for m in messages] == [
        {"phone number": "phone number", "e-mail": "e-mail address", "URL": "URL"}[p]
        for p in problems
    ]


GLOSSARY_CASES = [
    ("en", "Consular legalization documents", True),
    ("en", "Consular certification documents", False),
    ("fr", "Documents de légalisation consulaire", True),
    ("fr", "Documents d'authentification", False),
    ("ja", "領事認証の書類", True),
    ("ja", "領事証明の書類", False),
    ("ko", "영사 확인 서류", True),
    ("ko", "영사 인증 서류", False),
]


@pytest.mark.parametrize(("language", "target", "good"), GLOSSARY_CASES)
def test_glossary_terms_must_be_used(language: str, target: str, good: bool) -> None:
    messages = ids("glossary", "领事认证文书", target, language)
    assert (messages == []) is good
    if not good:
        assert "领事认证 must be translated as" in messages[0]


LANGUAGE_CASES = [
    ("en", "The meeting reviewed the consular work of the city.", []),
    (
        "en",
        "La réunion a examiné le travail consulaire de la ville cette année.",
        ["reads as French"],
    ),
    ("fr", "La réunion a examiné le travail consulaire de la ville cette année.", []),
    ("fr", "The meeting reviewed the consular work of the city this year.", ["reads as English"]),
    # Without function words langdetect decides.
    ("en", "Consular legalization: processing times, required documents, appointments.", []),
    ("fr", "Légalisation consulaire : délais, pièces requises, rendez-vous obligatoires.", []),
    (
        "en",
        "Légalisation consulaire : délais, pièces requises, rendez-vous obligatoires.",
        ["reads as French"],
    ),
    ("ja", "会議では今年の市の領事業務を振り返りました。", []),
    ("ja", "会议回顾了本市今年的领事工作情况和主要成果。", ["no kana"]),
    ("ko", "회의에서는 올해 시의 영사 업무를 되돌아보았습니다.", []),
    ("ko", "The meeting reviewed the consular work of the city.", ["not in the script"]),
    # A third Latin language, when langdetect is sure and the text is long enough to tell.
    (
        "en",
        "Konsularbeamte der Generalkonsulate in Shanghai nahmen an der Sitzung teil.",
        ["reads as German, not English"],
    ),
    (
        "fr",
        "Konsularbeamte der Generalkonsulate in Shanghai nahmen an der Sitzung teil.",
        ["reads as German, not French"],
    ),
    ("en", "9) consular legalization;", []),  # sure it is Italian, but too short to name it
    # Short labels: too few letters to count, but wholly in another script.
    ("ko", "Copy No.: _____", ["another script only: this does not read as Korean"]),
    ("ko", "부수 번호: _____", []),
    ("ko", "WeChat", []),  # one word: a name may stay in Latin letters
    ("ja", "Drafted by: _____", ["another script only: this does not read as Japanese"]),
    ("ja", "연간 주요 상황을 개괄한다.", ["another script only: this does not read as Japanese"]),
    ("ja", "起案：_____", []),
    # A law's name is all kanji in Japanese: a warning only, unless Japanese lacks a character.
    ("ja", "「中華人民共和国国家秘密保守法実施条例」2014年1月17日", ["right for a name or title"]),
    (
        "ja",
        "「中华人民共和国保守国家秘密法实施条例」2014年1月17日",
        ["characters Japanese does not use"],
    ),
]


@pytest.mark.parametrize(("language", "target", "expected"), LANGUAGE_CASES)
def test_the_target_language_is_recognised(language: str, target: str, expected: list[str]) -> None:
    messages = ids("language", "会议回顾了本市今年的领事工作。", target, language)
    assert len(messages) == len(expected)
    for message, part in zip(messages, expected, strict=True):
        assert part in message


@pytest.mark.parametrize(
    ("language", "target", "left"),
    [
        ("en", "The Yu Garden is open.", ""),
        ("en", "The 豫园 is open.", "豫园"),
        ("fr", "Le 豫园 est ouvert.", "豫园"),
        ("ko", "예원은 열려 있다.", ""),
        ("ko", "豫园은 열려 있다.", "豫园"),
        ("ja", "豫園は開いている。", ""),  # Japanese writes kanji
        ("ja", "会議は上海で開かれた。", ""),  # characters both languages write
    ],
)
def test_leftover_chinese_characters(language: str, target: str, left: str) -> None:
    messages = ids("leftover-han", "豫园开放。", target, language)
    assert messages == ([f"Chinese characters left untranslated: {left}"] if left else [])


@pytest.mark.parametrize(
    ("target", "left"),
    [
        ("政府情報公開の申请を受理した。", "请"),  # the simplified form of 請
        ("申請の审核は20日以内に行う。", "审"),
        ("外办は发表した。", "办发"),
        ("外事弁公室は発表した。", ""),
    ],
)
def test_chinese_left_in_japanese_is_what_japanese_does_not_write(target: str, left: str) -> None:
    messages = ids("leftover-han", "外办发布。", target, "ja")
    assert messages == (
        [f"Chinese characters Japanese does not use, left untranslated: {left}"] if left else []
    )


FORM_CASES = [
    ("empty", "请提交申请。", "en", "  ", True),
    ("empty", "请提交申请。", "ja", "申請を提出してください。", False),
    ("same-as-source", "请提交申请。", "fr", "请提交申请。", True),
    ("same-as-source", "2025", "ko", "2025", False),
    ("same-as-source", "1.1 目的", "ja", "1.1 目的", False),  # Japanese writes 目的 too
    ("same-as-source", "1.1 目的", "ko", "1.1 目的", True),
    ("same-as-source", "请提交申请。", "ja", "请提交申请。", True),
    ("length", "会议回顾了本市今年的领事工作情况。", "en", "Meeting.", True),
    (
        "length",
        "会议回顾了本市今年的领事工作情况。",
        "en",
        "The meeting reviewed the city's consular work this year.",
        False,
    ),
    (
        "length",
        "会议回顾了本市今年的领事工作情况。",
        "ko",
        "회의에서는 올해 시의 영사 업무를 되돌아보았습니다.",
        False,
    ),
    ("length", "会议回顾了本市今年的领事工作情况。", "ja", "会議。", True),
    (
        "markup",
        "详见[通知](https://a.cn/x)和**附件**。",
        "en",
        "See the [notice](https://a.cn/x) and **annex**.",
        False,
    ),
    ("markup", "详见[通知](https://a.cn/x)和**附件**。", "fr", "Voir l'avis et l'annexe.", True),
    ("markup", "详见[通知](https://a.cn/x)。", "ja", "[通知](https://a.cn/y)を参照。", True),
    ("markup", "运行`waiwen run`。", "ko", "waiwen run 을 실행한다.", True),
]


@pytest.mark.parametrize(("check_id", "source", "language", "target", "flagged"), FORM_CASES)
def test_form_checks(check_id: str, source: str, language: str, target: str, flagged: bool) -> None:
    assert bool(ids(check_id, source, target, language)) is flagged


def test_the_built_in_checks_come_first_in_a_fixed_order_with_a_real_description() -> None:
    checks = registered_checks()
    assert [c.id for c in checks[: len(BUILTIN_CHECKS)]] == [
        "empty",
        "same-as-source",
        "numbers",
        "dates",
        "kept",
        "glossary",
        "markup",
        "language",
        "leftover-han",
        "length",
    ]
    assert len({c.id for c in checks}) == len(checks)
    assert all(len(c.description) > 40 for c in checks[: len(BUILTIN_CHECKS)])
    with pytest.raises(KeyError, match="known checks: empty, same-as-source"):
        check_by_id("spelling")


def test_run_checks_reports_in_a_fixed_order_and_an_empty_target_only_once() -> None:
    context = CheckContext(language="en", glossary=GLOSSARY)
    found = run_checks("2020年1月1日办理领事认证5件。", "On 2 January 2020, 6 documents.", context)
    assert [f.check_id for f in found] == ["numbers", "dates", "glossary"]
    assert [f.check_id for f in run_checks("请提交申请。", "", context)] == ["empty"]


# Every built-in check keeps the contract of translators.checks.testing, on rows of the tables above.


def _rows(table: list[tuple[str, str, str]]) -> list[Row]:
    """(source, language, target) rows of the tables above as the contract's (source, target, language)."""
    return [(source, target, language) for source, language, target in table]


def _form_rows(check_id: str, flagged: bool) -> list[Row]:
    return [
        (source, target, language)
        for kind, source, language, target, is_flagged in FORM_CASES
        if kind == check_id and is_flagged is flagged
    ]


class TestEmptyCheck(CheckContract):
    check = EmptyCheck()
    good = [*_form_rows("empty", False), ("", "", "en")]
    bad = _form_rows("empty", True)


class TestSameAsSourceCheck(CheckContract):
    check = SameAsSourceCheck()
    good = _form_rows("same-as-source", False)
    bad = _form_rows("same-as-source", True)


class TestNumbersCheck(CheckContract):
    check = NumbersCheck()
    good = _rows(NUMBERS_GOOD)
    bad = _rows([(source, language, target) for source, language, target, _ in NUMBERS_BAD])


class TestDatesCheck(CheckContract):
    check = DatesCheck()
    good = _rows(DATES_GOOD)
    bad = _rows([(source, language, target) for source, language, target, _ in DATES_BAD])


class TestKeptItemsCheck(CheckContract):
    check = KeptItemsCheck()
    good = [(KEPT_SOURCE, target, language) for language, target, problems in KEPT if not problems]
    bad = [(KEPT_SOURCE, target, language) for language, target, problems in KEPT if problems]


class TestGlossaryCheck(CheckContract):
    check = GlossaryCheck()
    glossary = GLOSSARY
    good = [("领事认证文书", target, language) for language, target, ok in GLOSSARY_CASES if ok]
    bad = [("领事认证文书", target, language) for language, target, ok in GLOSSARY_CASES if not ok]


class TestMarkupCheck(CheckContract):
    check = MarkupCheck()
    good = _form_rows("markup", False)
    bad = _form_rows("markup", True)


class TestLanguageIdentityCheck(CheckContract):
    check = LanguageIdentityCheck()
    good = [("会议回顾了本市今年的领事工作。", t, lang) for lang, t, e in LANGUAGE_CASES if not e]
    bad = [("会议回顾了本市今年的领事工作。", t, lang) for lang, t, e in LANGUAGE_CASES if e]


class TestLeftoverHanCheck(CheckContract):
    check = LeftoverHanCheck()
    good = [
        ("豫园开放。", "The Yu Garden is open.", "en"),
        ("豫园开放。", "豫園は開いている。", "ja"),
    ]
    bad = [
        ("豫园开放。", "The 豫园 is open.", "en"),
        ("豫园开放。", "豫园은 열려 있다.", "ko"),
        ("豫园开放。", "豫园は開いている。", "ja"),
    ]


class TestLengthRatioCheck(CheckContract):
    check = LengthRatioCheck()
    good = _form_rows("length", False)
    bad = _form_rows("length", True)
