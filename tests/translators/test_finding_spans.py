"""Each finding says where it is: offsets into the exact source and target given to the check."""

from __future__ import annotations

import pytest

from translators.checks import CheckContext, Finding, run_checks
from translators.glossary import Glossary

GLOSSARY = Glossary.starter()

# (language, source, target, check, what the source span holds, what the target span holds)
CASES = [
    ("en", "增加215.4万人。", "It rose by 215.4 people.", "numbers", "215.4万", "215.4"),
    ("en", "共办理120件。", "150 cases were handled.", "numbers", "120", "150"),
    ("fr", "共办理１２０件。", "150 dossiers ont été traités.", "numbers", "１２０", "150"),
    (
        "en",
        "2022年3月1日起施行。",
        "In force from 2 March 2022.",
        "dates",
        "2022年3月1日",
        "2 March 2022",
    ),
    (
        "en",
        "详见 https://www.shanghai.gov.cn/a 。",
        "See https://www.shanghai.gov.cn/b .",
        "kept",
        "https://www.shanghai.gov.cn/a",
        "https://www.shanghai.gov.cn/b",
    ),
    (
        "en",
        "咨询电话：021-6321 7000。",
        "Call 021-6321 7001.",
        "kept",
        "021-6321 7000",
        "021-6321 7001",
    ),
    (
        "en",
        "邮箱 a@b.cn，网址 www.b.cn。",
        "Mail a@b.cn or see www.c.cn.",
        "kept",
        "www.b.cn",
        "www.c.cn",
    ),
    (
        "en",
        "办理外国人来华邀请。",
        "Issuing invitations for foreigners.",
        "glossary",
        "外国人来华邀请",
        "invitations for foreigners",
    ),
    ("en", "外事活动", "The 外事 活动 events", "leftover-han", None, "外事"),
    ("ja", "发布通知", "通知を发布した", "leftover-han", None, "发"),
    (
        "ja",
        "网站（wsb.shfao.gov.cn）",
        "ウェブサイト（wsb.sfao.gov.cn）",
        "kept",
        "wsb.shfao.gov.cn",
        "wsb.sfao.gov.cn",
    ),  # a bare domain is kept like a URL
    (
        "en",
        "详见[通知](https://a.cn/x)。",
        "See the [notice](https://a.cn/y).",
        "markup",
        "https://a.cn/x",
        "https://a.cn/y",
    ),
    ("fr", "详见**附件**。", "Voir l'annexe.", "markup", "**", None),
    ("ja", "运行命令。", "`run`を実行する。", "markup", None, "`"),
    # Wholly wrong: the place is the whole text.
    ("ko", "份号：", "Copy No.:", "language", None, "Copy No.:"),
    ("fr", "请提交申请。", "请提交申请。", "same-as-source", "请提交申请。", "请提交申请。"),
]


def _finding(language: str, source: str, target: str, check: str) -> Finding:
    context = CheckContext(language=language, glossary=GLOSSARY)
    [found] = [f for f in run_checks(source, target, context) if f.check_id == check]
    return found


def _at(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


@pytest.mark.parametrize(("language", "source", "target", "check", "in_source", "in_target"), CASES)
def test_a_finding_spans_the_value_it_names_in_both_texts(
    language: str, source: str, target: str, check: str, in_source: str, in_target: str
) -> None:
    finding = _finding(language, source, target, check)
    assert (_at(source, finding.source_span), _at(target, finding.target_span)) == (
        in_source,
        in_target,
    )


def test_a_value_missing_from_the_translation_spans_the_source_only() -> None:
    finding = _finding("en", "共办理120件。", "Cases were handled.", "numbers")
    assert (_at("共办理120件。", finding.source_span), finding.target_span) == ("120", None)


def test_a_glossary_span_is_left_out_when_the_target_is_not_in_nfc() -> None:
    # term_forms places its spans in the NFC text; in another form they would point elsewhere.
    finding = _finding(
        "fr", "办理外国人来华邀请。", "Les invitations de\u0301livre\u0301es.", "glossary"
    )
    assert _at("办理外国人来华邀请。", finding.source_span) == "外国人来华邀请"
    assert finding.target_span is None


def test_a_finding_made_without_spans_has_none() -> None:
    assert Finding("numbers", "error", "x") == Finding("numbers", "error", "x", None, None)
