"""TMX 1.4 reading and writing."""

from __future__ import annotations

import pytest

from translators.tmx import TmxError, TmxUnit, normalise_lang, read_tmx, write_tmx

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="Trados" creationtoolversion="9" segtype="sentence" o-tmf="TW4Win"
          adminlang="en-US" srclang="zh-CN" datatype="plaintext"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="zh-CN"><seg>上海市外事办公室</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Shanghai Foreign Affairs Office</seg></tuv>
      <tuv xml:lang="ja-JP"><seg>上海市外事弁公室</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Bureau des affaires étrangères de Shanghai</seg></tuv>
      <tuv xml:lang="ko-KR"><seg>상하이시 외사판공실</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv lang="ZH-HANS"><seg>请<hi type="b">务必</hi>按时提交。</seg></tuv>
      <tuv xml:lang="en-US"><seg>Please <bpt i="1">&lt;b&gt;</bpt>do<ept i="1">&lt;/b&gt;</ept> submit<ph>&lt;br/&gt;</ph> on time.</seg></tuv>
    </tu>
  </body>
</tmx>
""".encode()


def test_reads_units_with_normalised_languages() -> None:
    units = read_tmx(SAMPLE, path="office.tmx")
    assert units == [
        TmxUnit(
            "zh",
            "上海市外事办公室",
            {
                "en": "Shanghai Foreign Affairs Office",
                "ja": "上海市外事弁公室",
                "fr": "Bureau des affaires étrangères de Shanghai",
                "ko": "상하이시 외사판공실",
            },
        ),
        # <hi> is text and kept; <bpt>/<ept>/<ph> hold native codes and are dropped.
        TmxUnit("zh", "请务必按时提交。", {"en": "Please do submit on time."}),
    ]


def test_write_then_read_gives_the_same_units() -> None:
    units = read_tmx(SAMPLE)
    units.append(TmxUnit("en", "Notice & <terms>", {"zh": "通知"}))
    data = write_tmx(units, creator="waiwen-test")
    assert data.startswith(b"<?xml")
    assert b'<tmx version="1.4">' in data
    assert read_tmx(data) == units


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh_cn", "zh"),
        ("ja-JP", "ja"),
        ("fr-FR", "fr"),
        ("ko-KR", "ko"),
        ("en-GB", "en"),
        ("en-US", "en"),
        ("EN", "en"),
        ("de-DE", "de"),
    ],
)
def test_normalise_lang(code: str, expected: str) -> None:
    assert normalise_lang(code) == expected


def test_malformed_xml_names_the_file_and_line() -> None:
    broken = b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="zh-CN">\n</tmx>'
    with pytest.raises(
        TmxError, match=r"^memories/office\.tmx: line 4, column \d+: not well-formed"
    ):
        read_tmx(broken, path="memories/office.tmx")


def test_entity_expansion_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx>&a;</tmx>'
    with pytest.raises(TmxError, match="bomb.tmx"):
        read_tmx(bomb, path="bomb.tmx")


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        ("<xliff/>", "root element is <xliff>"),
        ('<tmx version="1.4"><body/></tmx>', "no <header>"),
        ('<tmx version="1.4"><header/><body/></tmx>', "no srclang"),
        ('<tmx version="1.4"><header srclang="zh"/></tmx>', "no <body>"),
        (
            (
                '<tmx><header srclang="zh-CN"/><body><tu tuid="x9">'
                '<tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>'
            ),
            "<tu> #1 (tuid 'x9'): no <tuv> in the source language 'zh-CN'",
        ),
        (
            '<tmx><header srclang="zh"/><body><tu><tuv xml:lang="zh"/></tu></body></tmx>',
            "<tu> #1: <tuv xml:lang='zh'> has 0 <seg>",
        ),
        (
            '<tmx><header srclang="zh"/><body><tu><tuv><seg>a</seg></tuv></tu></body></tmx>',
            "without xml:lang",
        ),
        (
            (
                '<tmx><header srclang="*all*"/><body><tu><tuv xml:lang="zh"><seg>a</seg></tuv>'
                "</tu></body></tmx>"
            ),
            "srclang is '*all*'",
        ),
        (
            (
                '<tmx><header srclang="zh"/><body><tu><tuv xml:lang="zh"><seg>a</seg></tuv>'
                '<tuv xml:lang="en-US"><seg>b</seg></tuv><tuv xml:lang="en-GB"><seg>c</seg></tuv>'
                "</tu></body></tmx>"
            ),
            "two <tuv> for language 'en'",
        ),
    ],
)
def test_structural_errors_name_file_element_and_rule(document: str, rule: str) -> None:
    with pytest.raises(TmxError) as caught:
        read_tmx(document.encode(), path="in.tmx")
    message = str(caught.value)
    assert message.startswith("in.tmx: ")
    assert rule in message


def test_mixed_source_languages_round_trip() -> None:
    units = [TmxUnit("zh", "通知", {"en": "Notice"}), TmxUnit("en", "Notice", {"fr": "Avis"})]
    data = write_tmx(units)
    assert b'srclang="*all*"' in data
    assert read_tmx(data) == units
