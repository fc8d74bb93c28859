"""Intake validation of queued notices: every refusal names file, field and rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from content.notice import IntakeRules, NoticeRefused, NoticeSource, Problem, parse_notice
from core.settings import DEFAULT_COLUMNS, get_settings

PATH = "queue/2025-03-03-lingshi.md"
RULES = IntakeRules(
    columns=("政务公开", "网上办事", "要闻动态", "回应关切", "最新动态", "温馨提示", "社会新闻")
)

FRONT = """---
title: 市政府外办召开2025年领事工作通报会
column: 要闻动态
category: 动态类
classification: 公开
formed_on: 2025-03-03
urgency: normal
languages: [en, ja, fr, ko]
channels: [site, wechat]
approval:
  drafter: 经办人甲
  division: 秘书处
  contact: 22161272
  division_review: 审核人乙
  disclosure_review: 审核人丙
  approver: 审批人丁
  leader: 办领导戊
  approved_on: 2025-03-04
---
"""
BODY = """
3月3日，市政府外办召开2025年领事工作通报会。各国驻沪领馆代表出席会议。

会议介绍了APEC商务旅行卡的办理情况。
"""


def notice(front: str = FRONT, body: str = BODY) -> bytes:
    return (front + body).encode("utf-8")


def edit(old: str, new: str, front: str = FRONT) -> str:
    assert old in front, old
    return front.replace(old, new, 1)


def refusal(data: bytes, rules: IntakeRules = RULES) -> list[Problem]:
    with pytest.raises(NoticeRefused) as caught:
        parse_notice(PATH, data, rules)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return caught.value.problems


EIGHT = ("en", "ja", "fr", "ko", "de", "es", "ru", "ar")


def test_a_notice_may_name_any_configured_target() -> None:
    rules = IntakeRules(columns=RULES.columns, targets=EIGHT)
    front = edit("languages: [en, ja, fr, ko]", "languages: [ar, en, de, es, ru, ja, fr, ko]")
    assert parse_notice(PATH, notice(front), rules).languages == (
        "ar",
        "en",
        "de",
        "es",
        "ru",
        "ja",
        "fr",
        "ko",
    )


@pytest.mark.parametrize(
    ("languages", "rule"),
    [
        # A language taken out of the configuration (de, es here) is refused by that rule, each.
        (
            "[en, de]",
            "de is not among the configured target languages (WAIWEN_TARGET_LANGUAGES=en,ru,ar)",
        ),
        (
            "[es]",
            "es is not among the configured target languages (WAIWEN_TARGET_LANGUAGES=en,ru,ar)",
        ),
        # A code of no shipped language is unknown, as before, listing what may be asked for.
        ("[en, tlh]", "must be a non-empty list drawn from en, ru, ar (unknown: tlh)"),
    ],
)
def test_a_language_not_configured_is_refused_naming_the_file_field_and_rule(
    languages: str, rule: str
) -> None:
    rules = IntakeRules(columns=RULES.columns, targets=("en", "ru", "ar"))
    front = edit("languages: [en, ja, fr, ko]", f"languages: {languages}")
    [problem] = refusal(notice(front), rules)
    assert str(problem) == f"{PATH}: languages: {rule}"


def test_the_rules_read_the_configured_targets_when_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,th")
    get_settings.cache_clear()
    try:
        rules = IntakeRules(columns=RULES.columns)
    finally:
        get_settings.cache_clear()
    assert rules.targets == ("en", "th")
    front = edit("languages: [en, ja, fr, ko]", "languages: [th]")
    assert parse_notice(PATH, notice(front), rules).languages == ("th",)


def test_valid_notice_parses() -> None:
    source = parse_notice(PATH, notice(), RULES)
    assert isinstance(source, NoticeSource)
    assert source.path == PATH
    assert source.key == "市政府外办召开2025年领事工作通报会|2025-03-03"
    assert (source.title, source.column, source.category) == (
        "市政府外办召开2025年领事工作通报会",
        "要闻动态",
        "动态类",
    )
    assert source.classification == "公开"
    assert source.formed_on == date(2025, 3, 3)
    assert source.urgency == "normal"
    assert source.languages == ("en", "ja", "fr", "ko")
    assert source.channels == ("site", "wechat")
    assert source.approval.contact == "22161272"
    assert source.approval.leader == "办领导戊"
    assert source.approval.approved_on == date(2025, 3, 4)
    assert source.body.startswith("3月3日") and source.body.endswith("办理情况。")
    assert source.front_matter["formed_on"] == "2025-03-03"
    assert source.front_matter["approval"]["approved_on"] == "2025-03-04"
    json.dumps(source.front_matter)  # must be JSON-serialisable
    assert len(source.content_hash) == 64


def test_defaults_iso_strings_and_extra_keys() -> None:
    front = edit("urgency: normal\n", "")
    front = edit("formed_on: 2025-03-03", "formed_on: '2025-03-03'", front)
    front = edit("  leader: 办领导戊\n", "", front)
    front = edit("---\n", "---\nsource_office: 领事处\ntags: [领事]\n", front)
    source = parse_notice(PATH, notice(front), RULES)
    assert source.urgency == "normal"
    assert source.formed_on == date(2025, 3, 3)
    assert source.approval.leader is None
    assert source.front_matter["source_office"] == "领事处"
    assert source.front_matter["tags"] == ["领事"]


def test_bom_and_crlf_accepted_with_same_hash() -> None:
    plain = parse_notice(PATH, notice(), RULES)
    windows = parse_notice(PATH, b"\xef\xbb\xbf" + notice().replace(b"\n", b"\r\n"), RULES)
    assert windows.body == plain.body
    assert "\r" not in windows.body
    assert windows.content_hash == plain.content_hash


@pytest.mark.parametrize(
    ("front", "field", "rule"),
    [
        (edit("title: 市政府外办召开2025年领事工作通报会\n", ""), "title", "is required"),
        (
            edit("title: 市政府外办召开2025年领事工作通报会", "title: ''"),
            "title",
            "must be a non-empty text",
        ),
        (
            edit("formed_on: 2025-03-03", "formed_on: 2025-13-45"),
            "formed_on",
            "must be a date written YYYY-MM-DD (found '2025-13-45')",
        ),
        (
            edit("formed_on: 2025-03-03", "formed_on: 2025年3月3日"),
            "formed_on",
            "must be a date written YYYY-MM-DD (found '2025年3月3日')",
        ),
        (edit("formed_on: 2025-03-03\n", ""), "formed_on", "is required"),
        (
            edit("classification: 公开", "classification: 内部"),
            "classification",
            "only 公开 notices may enter waiwen (found 内部)",
        ),
        (
            edit("classification: 公开", "classification: 绝密"),
            "classification",
            "only 公开 notices may enter waiwen (found 绝密)",
        ),
        (
            edit("classification: 公开\n", ""),
            "classification",
            "is required; only 公开 notices may enter waiwen",
        ),
        (edit("  approver: 审批人丁\n", ""), "approval.approver", "is required"),
        (edit("  approved_on: 2025-03-04\n", ""), "approval.approved_on", "is required"),
        (
            edit("urgency: normal", "urgency: major", edit("  leader: 办领导戊\n", "")),
            "approval.leader",
            "is required for a major notice",
        ),
        (
            edit("column: 要闻动态", "column: 领事信息"),
            "column",
            "must be one of 政务公开, 网上办事, 要闻动态",
        ),
        (
            edit("category: 动态类", "category: 新闻类"),
            "category",
            "must be one of 概况类, 动态类, 业务类, 机构类, 财务类 (found '新闻类')",
        ),
        (edit("urgency: normal", "urgency: urgent"), "urgency", "must be one of normal, major"),
        (edit("languages: [en, ja, fr, ko]", "languages: [en, xx]"), "languages", "unknown: xx"),
        (
            edit("languages: [en, ja, fr, ko]", "languages: [en, de]"),
            "languages",
            "de is not among the configured target languages (WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)",
        ),
        (
            edit("languages: [en, ja, fr, ko]", "languages: [en, en]"),
            "languages",
            "must not repeat a value (repeated: en)",
        ),
        (
            edit("languages: [en, ja, fr, ko]", "languages: []"),
            "languages",
            "must be a non-empty list",
        ),
        (edit("channels: [site, wechat]", "channels: [weibo]"), "channels", "unknown: weibo"),
        (edit("---\n", "---\nid: ''\n"), "id", "must be a non-empty text"),
        (edit("---\n", "---\nid:\n"), "id", "must be a non-empty text or number when present"),
    ],
)
def test_field_refusals(front: str, field: str, rule: str) -> None:
    problems = refusal(notice(front))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.path, problem.field) == (PATH, field)
    assert rule in problem.rule
    assert str(problem) == f"{PATH}: {field}: {problem.rule}"


def test_approval_missing_altogether() -> None:
    front = FRONT.split("approval:")[0] + "---\n"
    [problem] = refusal(notice(front))
    assert problem.field == "approval" and "is required" in problem.rule


def test_not_utf8_names_byte_offset() -> None:
    data = notice().decode("utf-8").encode("gbk")
    [problem] = refusal(data)
    # "---\ntitle: " is 11 bytes; the first GBK byte of 市 is at offset 11.
    assert problem.field == ""
    assert (
        str(problem) == f"{PATH}: is not UTF-8 text (invalid byte at offset 11); save it as UTF-8"
    )


def test_too_large_is_refused_before_decoding() -> None:
    data = b"\xff" * 200  # not UTF-8 either, but size is checked first
    [problem] = refusal(data, IntakeRules(columns=RULES.columns, max_bytes=100))
    assert problem.field == ""
    assert problem.rule == "is too large (200 bytes; the limit is 100 bytes)"


@pytest.mark.parametrize("body", ["", "\n\n   \n\t\n"])
def test_empty_body(body: str) -> None:
    [problem] = refusal(notice(body=body))
    assert problem.field == "body" and "is empty" in problem.rule


def test_english_body_refused_with_measured_share() -> None:
    body = "The Foreign Affairs Office held a consular briefing on 3 March (领事).\n"
    [problem] = refusal(notice(body=body))
    # Letters: The3 Foreign7 Affairs7 Office6 held4 a1 consular8 briefing8 on2 March5 = 51
    # Latin + 2 Han = 53; 2/53 = 3.8%, shown as 4%.
    assert problem.field == "body"
    assert problem.rule == (
        "must be Chinese: at least 50% of letters must be Han characters (measured 4%, 2 of 53)"
    )


def test_chinese_body_with_long_urls_and_markup_accepted() -> None:
    body = (
        "请登录[网上办事平台](https://zwdt.sh.gov.cn/govPortals/bsfw/item/abcdefghijklmnop)"
        "办理，详见 https://www.shfao.gov.cn/wsb/node1/index.html 。\n"
    )
    assert parse_notice(PATH, notice(body=body), RULES).body.startswith("请登录")


def test_no_front_matter() -> None:
    [problem] = refusal(BODY.strip().encode("utf-8"))
    assert problem.field == "" and "has no front matter" in problem.rule


def test_bad_yaml_names_line() -> None:
    front = edit("column: 要闻动态", "column: 要闻动态: 最新动态")
    [problem] = refusal(notice(front))
    assert problem.field == ""
    # Line 1 is '---', title is line 2, column is line 3.
    assert problem.rule.startswith("front matter is not valid YAML at line 3")


def test_front_matter_not_a_mapping() -> None:
    [problem] = refusal(notice("---\n- a\n- b\n---\n"))
    assert "must be a YAML mapping" in problem.rule


def test_all_problems_collected() -> None:
    front = edit("classification: 公开", "classification: 内部")
    front = edit("column: 要闻动态", "column: 领事信息", front)
    front = edit("  approver: 审批人丁\n", "", front)
    problems = refusal(notice(front, body="Hello world, this is English text only.\n"))
    assert [p.field for p in problems] == ["column", "classification", "approval.approver", "body"]


def test_bad_yaml_and_bad_body_reported_together() -> None:
    front = edit("column: 要闻动态", "column: [要闻动态")
    problems = refusal(notice(front, body="\n"))
    assert [p.field for p in problems] == ["", "body"]


def test_problem_without_field() -> None:
    assert str(Problem("a.md", "", "is too large")) == "a.md: is too large"


@pytest.mark.parametrize(("line", "key"), [("id: WB-2025-017", "WB-2025-017"), ("id: 42", "42")])
def test_identity_key_from_id(line: str, key: str) -> None:
    source = parse_notice(PATH, notice(edit("---\n", f"---\n{line}\n")), RULES)
    assert source.key == key


def test_identity_key_without_id() -> None:
    source = parse_notice(PATH, notice(), RULES)
    assert source.key == "市政府外办召开2025年领事工作通报会|2025-03-03"


def test_same_content_same_hash_changed_body_different_hash() -> None:
    first = parse_notice(PATH, notice(), RULES)
    # Same fields in another order, other path, extra trailing blank lines: same content.
    reordered = edit("column: 要闻动态\ncategory: 动态类\n", "category: 动态类\ncolumn: 要闻动态\n")
    again = parse_notice("elsewhere.md", notice(reordered, BODY + "\n\n"), RULES)
    assert again.content_hash == first.content_hash
    changed = parse_notice(PATH, notice(body=BODY.replace("出席", "参加")), RULES)
    assert changed.content_hash != first.content_hash
    retitled = parse_notice(PATH, notice(edit("urgency: normal", "urgency: major")), RULES)
    assert retitled.content_hash != first.content_hash


ADVICE = (
    "is not allowed in a notice; write Markdown (images as ![alt](file.png), links as [text](url))"
)


@pytest.mark.parametrize(
    ("html", "construct"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src="x.png" onerror="alert(1)">', "<img>"),
        ("<!-- 内部说明 -->", "<!-- -->"),
        ("</div>", "</div>"),
        ("电话<span>22161272</span>", "<span>"),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
        ("地址<br/>电话", "<br>"),
    ],
)
def test_raw_html_in_the_body_is_refused_naming_file_line_and_rule(
    html: str, construct: str
) -> None:
    body = f"\n\n3月3日，市政府外办召开会议。\n\n各国代表出席。{html}\n\n会议结束。\n"
    [problem] = refusal(notice(body=body))
    # Lines are the file's: the front matter's, two blank lines, a paragraph, a blank line.
    line = FRONT.count("\n") + 5
    assert problem == Problem(PATH, "body", f"line {line}: raw HTML ({construct}) {ADVICE}")
    assert str(problem) == f"{PATH}: body: line {line}: raw HTML ({construct}) {ADVICE}"


def test_raw_html_on_several_lines_is_refused_line_by_line() -> None:
    body = "<p>第一段</p>\n\n第二段。\n\n第三段<br>续。\n\n<div\n"
    problems = refusal(notice(body=body))
    first = FRONT.count("\n") + 1
    assert [p.rule.split(":")[0] for p in problems] == [
        f"line {first}",
        f"line {first + 4}",
        f"line {first + 6}",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "数量3 < 5，且7 > 6。\n",
        "依据<<中华人民共和国护照法>>和《出境入境管理法》办理。\n",
        "详见<https://www.shfao.gov.cn/wsb/index.html>或来信<wsb@shfao.gov.cn>。\n",
        "标记写作`<b>`，不会生效。\n",
        "示例如下。\n\n```html\n<div>代码</div>\n```\n",
        "会场见图。\n\n![会场](<images/hall.png>)\n",
        "符号&lt;b&gt;只是文字。\n",
    ],
)
def test_text_that_merely_looks_like_html_is_accepted(body: str) -> None:
    assert parse_notice(PATH, notice(body=body), RULES).body == body.strip("\n")


def test_the_sample_notices_hold_no_raw_html() -> None:
    samples = Path(__file__).resolve().parents[2] / "content" / "samples"
    rules = IntakeRules(columns=DEFAULT_COLUMNS, max_bytes=10_000_000)
    for path in sorted(samples.glob("*.md")):
        if path.name == "README.md":
            continue
        source = parse_notice(path.name, path.read_bytes(), rules)
        assert source.body, path.name
