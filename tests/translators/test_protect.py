"""Markup, addresses, phone numbers and glossary terms survive translation through placeholders."""

from __future__ import annotations

import re

import pytest

from content.render import markdown_to_html as render_markdown
from content.segments import assemble, segment_notice
from tests.standins.libretranslate import pseudo_translate
from translators.glossary import Glossary, Term
from translators.protect import PlaceholderLost, mask, unmask

GLOSSARY = Glossary([Term("领事认证", "en", "consular legalization")])

CASES = [
    "请提交申请。",
    '详见[报名表](https://wsb.sh.gov.cn/form.docx "报名表")。',
    "请**务必**于3月1日前提交，*逾期*不予受理。",
    "代码`waiwen run`和~~旧流程~~。",
    "见![示意图](img/map.png)与<https://wsb.sh.gov.cn>。",
    "发送至wsb@sh.gov.cn或致电021-6321 7000、(021) 63217000、+86 21 6321 7000、13812345678。",
    "访问https://wsb.sh.gov.cn/a?b=1&c=2。",
    "会议<br>结束。",
    "文中已有{3}这样的记号。",
]


@pytest.mark.parametrize("text", CASES)
def test_masking_then_unmasking_gives_back_the_text(text: str) -> None:
    masked = mask(text, "en")
    assert unmask(masked.text, masked) == text


@pytest.mark.parametrize("text", CASES[1:])
def test_only_text_is_left_to_translate(text: str) -> None:
    masked = mask(text, "en")
    plain = re.sub(r"\{\d+\}", "", masked.text)
    assert len(re.findall(r"\{\d+\}", masked.text)) == len(masked.slots) > 0
    for kept in ("https://", "@", "6321", "`", "*", "~", "<", "](", "{"):
        assert kept not in plain


def test_text_without_anything_to_protect_passes_through() -> None:
    masked = mask("请提交申请。", "fr")
    assert masked.text == "请提交申请。" and masked.slots == ()
    assert unmask("Veuillez postuler.", masked) == "Veuillez postuler."


def test_a_glossary_term_comes_back_as_the_official_translation() -> None:
    masked = mask("办理领事认证。", "en", GLOSSARY)
    assert "领事认证" not in masked.text
    assert unmask(masked.text.replace("办理", "Apply for ").replace("。", "."), masked) == (
        "Apply for consular legalization."
    )
    assert mask("办理领事认证。", "fr", GLOSSARY).slots == ()  # no French entry


def test_restore_tolerates_spaces_full_width_braces_and_moved_placeholders() -> None:
    masked = mask("请**务必**阅读[通知](https://a.cn/n)。", "en")
    assert masked.text == "请{1}务必{2}阅读{3}通知{4}。"
    engine_said = "Please read the ｛3｝ notice { 4 } {1} carefully {2}."
    assert unmask(engine_said, masked) == "Please read the [notice](https://a.cn/n) **carefully**."


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("Please {1} read {2} the notice {4}.", "lost {3}"),
        ("Please {1} read {2} the {3} notice {4} {4}.", "repeated {4}"),
        ("Please {1} read {2} the {3} notice {4} {5}.", "invented {5}"),
    ],
)
def test_a_lost_or_repeated_placeholder_is_refused(answer: str, problem: str) -> None:
    masked = mask("请**务必**阅读[通知](https://a.cn/n)。", "en")
    with pytest.raises(PlaceholderLost, match=re.escape(problem)):
        unmask(answer, masked)


@pytest.mark.parametrize("language", ["en", "fr", "ja", "ko"])
@pytest.mark.parametrize("text", CASES)
def test_placeholders_survive_the_stand_in_engine(text: str, language: str) -> None:
    masked = mask(text, language, GLOSSARY)
    restored = unmask(pseudo_translate(masked.text, language), masked)
    for slot in masked.slots:
        assert slot in restored


NOTICE = """## 办理须知

请**务必**于3月1日前提交[申请表](https://wsb.sh.gov.cn/form.docx)。咨询电话：021-6321 7000。

- 第一步：登录`一网通办`。
- 第二步：上传*护照*扫描件。

| 事项 | 联系方式 |
|---|---|
| 领事认证 | wsb@sh.gov.cn |
| 友好城市 | <https://wsb.sh.gov.cn/city> |
"""


def _structure(html: str) -> list[str]:
    tags = re.findall(r"<(h[1-6]|li|td|th|a|strong|em|code)\b([^>]*)>", html)
    return [tag + (re.search(r'href="([^"]*)"', attrs) or [""])[0] for tag, attrs in tags]


@pytest.mark.parametrize("language", ["en", "fr", "ja", "ko"])
def test_a_translated_notice_renders_with_the_structure_of_its_source(language: str) -> None:
    document = segment_notice("", NOTICE)
    texts = {}
    for segment in document.segments:
        masked = mask(segment.text, language, Glossary.starter())
        texts[segment.position] = unmask(pseudo_translate(masked.text, language), masked)
    source_html = render_markdown(
        assemble(document.skeleton, {s.position: s.text for s in document.segments}, "zh")
    )
    target_html = render_markdown(assemble(document.skeleton, texts, language))
    assert _structure(target_html) == _structure(source_html)
    assert len(_structure(source_html)) > 10
