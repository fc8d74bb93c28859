"""XLIFF 1.2 and 2.0 written and read back, and XLIFF as other tools write it read the same way."""

from __future__ import annotations

import pytest

from translators.inline_codes import Boundary, Paired, Standalone, markdown_of
from translators.xliff import (
    ExportUnit,
    Reference,
    XliffError,
    XliffNote,
    read_xliff,
    write_xliff,
)

LINK = "https://a.cn/n?x=1&y=2"
UNITS = [
    ExportUnit(
        "s0",
        "市政府外办召开通报会",
        "Foreign Affairs Office holds briefing",
        "needs-review-translation",
        (XliffNote("kind: title", "kind"),),
        Reference(7, 2, "fr", 0, 1),
    ),
    ExportUnit(
        "s1",
        f"详见[通知]({LINK})和**重点**，代码`x`，电话021-62172230 ![图](a.png)。",
        f"Voir l'[avis]({LINK}) et le **point**, code `x`, tél. 021-62172230 ![图](a.png).",
        "translated",
        (
            XliffNote("kind: paragraph", "kind"),
            XliffNote("glossary: 通知 → avis", "glossary", "source"),
        ),
        Reference(7, 2, "fr", 1, 3),
    ),
    ExportUnit(
        "s2", "约120人 出席 会议。", None, "needs-translation", (), Reference(7, 2, "fr", 2, 1)
    ),
    ExportUnit(
        "s3", "会议结束。", "La réunion s'est terminée.", "final", (), Reference(7, 2, "fr", 3, 2)
    ),
]


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_a_document_round_trips_with_markdown_states_notes_and_references(version: str) -> None:
    data = write_xliff(UNITS, original="notice#version=2", target_language="fr", version=version)
    document = read_xliff(data)
    assert document.version == version
    [file] = document.files
    assert (file.original, file.source_language, file.target_language) == (
        "notice#version=2",
        "zh",
        "fr",
    )
    for written, read in zip(UNITS, document.units, strict=True):
        assert read.id == written.id
        assert markdown_of(read.source) == written.source
        assert (markdown_of(read.target) if read.target else None) == written.target
        assert (read.state, read.approved) == (written.state, written.state == "final")
        assert [n.text for n in read.notes] == [n.text for n in written.notes]
        assert read.references == (written.reference,)


def test_xliff_1_2_marks_approved_units_and_keeps_a_link_address_out_of_the_text() -> None:
    text = write_xliff(UNITS, original="n#version=2", target_language="fr").decode()
    assert '<trans-unit id="s3" xml:space="preserve" approved="yes">' in text
    assert '<target state="final">La réunion' in text
    assert text.count('approved="yes"') == 1
    assert (
        '<g id="1" ctype="link" waiwen:open="[" waiwen:close="](https://a.cn/n?x=1&amp;y=2)">'
        "通知</g>" in text
    )
    assert '<g id="2" ctype="bold" waiwen:open="**" waiwen:close="**">重点</g>' in text
    assert '<ph id="3" ctype="x-code">`x`</ph>' in text
    assert '<ph id="5" ctype="image">![图](a.png)</ph>' in text
    unit = read_xliff(text.encode()).units[1]
    assert LINK not in unit.source_text  # what a tool without inline codes shows
    assert unit.source_text == "详见通知和重点，代码`x`，电话021-62172230 ![图](a.png)。"
    assert '<note from="developer" annotates="source">glossary: 通知 → avis</note>' in text
    assert (
        '<context context-type="sourcefile">waiwen/notice-7/version-2/fr/s1/revision-3</context>'
        in text
    )


def test_xliff_2_0_has_segment_states_pc_ph_and_the_markup_in_original_data() -> None:
    text = write_xliff(UNITS, original="n#version=2", target_language="fr", version="2.0").decode()
    assert 'version="2.0" srcLang="zh" trgLang="fr"' in text
    assert '<segment state="final">' in text and '<segment state="translated">' in text
    assert text.count('<segment state="initial">') == 2
    assert '<data id="d2">](https://a.cn/n?x=1&amp;y=2)</data>' in text
    assert '<pc id="1" dataRefStart="d1" dataRefEnd="d2" type="link">通知</pc>' in text
    assert (
        '<pc id="2" dataRefStart="d3" dataRefEnd="d3" type="fmt" subType="xlf:b">重点</pc>' in text
    )
    assert '<ph id="3" dataRef="d4" equiv="`x`" type="other" />' in text
    assert '<unit id="s1" waiwen:reference="waiwen/notice-7/version-2/fr/s1/revision-3">' in text
    assert '<note category="glossary" appliesTo="source">glossary: 通知 → avis</note>' in text


def _xliff12(namespace: str, unit: str, version: str = "1.2") -> bytes:
    declared = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<xliff version="{version}"{declared}><file original="o" source-language="zh" '
        f'target-language="en"><body>{unit}</body></file></xliff>'
    ).encode()


PREFIXED = (
    '<xlf:xliff xmlns:xlf="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
    '<xlf:file original="o" source-language="zh" target-language="en"><xlf:body>'
    '<xlf:trans-unit id="a"><xlf:source>看<xlf:g id="1">通知</xlf:g></xlf:source>'
    '<xlf:target>See the <xlf:g id="1">notice</xlf:g></xlf:target></xlf:trans-unit>'
    "</xlf:body></xlf:file></xlf:xliff>"
).encode()


@pytest.mark.parametrize(
    ("data", "source", "target"),
    [
        (  # another prefix for the 1.2 namespace
            PREFIXED,
            ("看", Paired("1", "", ("通知",))),
            ("See the ", Paired("1", "", ("notice",))),
        ),
        (  # what po2xliff writes without a template: XLIFF 1.1
            _xliff12(
                "urn:oasis:names:tc:xliff:document:1.1",
                '<trans-unit id="3"><source>电话<x id="1"/>。</source><target/></trans-unit>',
                version="1.1",
            ),
            ("电话", Standalone("1", ""), "。"),
            None,
        ),
        (  # no namespace at all, paired codes as <bpt>/<ept> joined by rid, a <mrk> around text
            _xliff12(
                "",
                '<trans-unit id="t"><source><bpt id="1" rid="r">[</bpt>通知<ept id="2" rid="r">]'
                '</ept></source><target><mrk mtype="term">Notice</mrk> <it id="3" pos="open"/>'
                "</target></trans-unit>",
            ),
            (Boundary("1", True), "通知", Boundary("1", False)),
            ("Notice ", Boundary("3", True)),
        ),
        (  # XLIFF 2.0: a unit of two segments and an ignorable, <sc>/<ec>, <mrk>, <cp>
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh" '
            b'trgLang="en"><file id="f"><unit id="u"><originalData><data id="d">**</data>'
            b'</originalData><segment><source>A<sc id="1" dataRef="d"/>B</source><target>a'
            b'<sc id="1"/>b</target></segment><ignorable><source> </source></ignorable>'
            b'<segment><source>C<ec startRef="1" dataRef="d"/></source><target><mrk id="m">c</mrk>'
            b'<cp hex="0001"/><ec startRef="1"/></target></segment></unit></file></xliff>',
            ("A", Boundary("1", True, "**"), "B C", Boundary("1", False, "**")),
            ("a", Boundary("1", True), "b c\x01", Boundary("1", False)),
        ),
    ],
    ids=["prefix", "xliff-1.1", "no-namespace", "xliff-2.0-segments"],
)
def test_xliff_as_other_tools_write_it_is_read(
    data: bytes, source: tuple[object, ...], target: tuple[object, ...] | None
) -> None:
    [unit] = read_xliff(data).units
    assert unit.source == source
    assert unit.target == target


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="&lol3;"/>'
    b"</xliff>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="&e;"/>'
    b"</xliff>"
)
V12 = b"xmlns='urn:oasis:names:tc:xliff:document:1.2' version='1.2'"
V20 = b"xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.0' srcLang='zh' trgLang='en'"


def _unit12(body: bytes) -> bytes:
    return b"<xliff " + V12 + b"><file original='a'><body>" + body + b"</body></file></xliff>"


def _unit20(body: bytes) -> bytes:
    return b"<xliff " + V20 + b"><file id='f'>" + body + b"</file></xliff>"


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        (b"<xliff version='1.2'><file>", "line 1, column 27", "not well-formed XML"),
        (BILLION_LAUGHS, "", "refused EntitiesForbidden: entities are not allowed"),
        (EXTERNAL_ENTITY, "", "refused EntitiesForbidden: entities are not allowed"),
        (b"<root/>", "", "not an XLIFF 1.2 document (root 'root')"),
        (b"<xliff version='2.0'/>", "", "XLIFF 2.0 without the XLIFF 2.0 namespace"),
        (
            b"<xliff " + V12.replace(b"'1.2'", b"'2.0'") + b"/>",
            "",
            "version '2.0' in the XLIFF 1.2",
        ),
        (b"<xliff " + V20 + b"/>", "", "the document has no <file>"),
        (
            _unit12(
                b"<trans-unit id='s1'><source>a</source></trans-unit><trans-unit id='s1'>"
                b"<source>b</source></trans-unit>"
            ),
            "trans-unit 's1'",
            "every unit needs a unique id",
        ),
        (_unit12(b"<trans-unit id='s1'/>"), "trans-unit s1", "has no <source>"),
        (
            _unit12(b"<trans-unit id='s1'><source>a<b>x</b></source></trans-unit>"),
            "trans-unit s1",
            "<b> is not an inline element of XLIFF 1.2",
        ),
        (
            _unit12(b"<trans-unit id='s1'><source>a<g>x</g></source></trans-unit>"),
            "trans-unit s1",
            "an inline <g> has no id",
        ),
        (
            _unit12(
                b"<trans-unit id='s1'><source>a</source><context-group purpose='location'>"
                b"<context context-type='sourcefile'>waiwen/notice-1/en</context></context-group>"
                b"</trans-unit>"
            ),
            "trans-unit s1",
            "'waiwen/notice-1/en' is not a waiwen reference",
        ),
        (
            _unit20(
                b"<unit id='u'><segment><source>a<ph id='1' dataRef='d9'/></source></segment>"
                b"</unit>"
            ),
            "unit u",
            "dataRef='d9' names no <data>",
        ),
        (
            _unit20(
                b"<unit id='u'><segment><source>a</source><target>A</target></segment>"
                b"<segment><source>b</source></segment></unit>"
            ),
            "unit u",
            "1 of its 2 segments have no <target>",
        ),
        (
            _unit20(
                b"<unit id='u'><segment><source>a</source><target order='2'>A</target>"
                b"</segment></unit>"
            ),
            "unit u",
            "a <target order=…> (reordered segments) is not supported",
        ),
        (_unit20(b"<unit id='u'/>"), "unit u", "has no <segment>"),
        (
            _unit20(
                b"<unit id='u'><segment><source>a</source></segment></unit>"
                b"<unit id='u'><segment><source>b</source></segment></unit>"
            ),
            "unit 'u'",
            "every unit needs a unique id",
        ),
    ],
)
def test_unusable_files_are_refused_with_the_file_the_place_and_the_rule(
    data: bytes, field: str, rule: str
) -> None:
    with pytest.raises(XliffError) as refused:
        read_xliff(data, path="agency.xlf")
    assert (refused.value.where, refused.value.field) == ("agency.xlf", field)
    assert refused.value.rule.startswith(rule)


def test_a_dtd_that_declares_no_entity_is_read_without_being_fetched() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE xliff SYSTEM "http://example.invalid/xliff.dtd">'
        + _unit12(b"<trans-unit id='s1'><source>a</source></trans-unit>")
    )
    assert [unit.id for unit in read_xliff(data).units] == ["s1"]


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_codes_nested_without_end_are_refused_not_followed_down(version: str) -> None:
    depth = 5000  # deeper than Python's stack would follow
    code, end = (b"<g id='1'>", b"</g>") if version == "1.2" else (b"<pc id='1'>", b"</pc>")
    source = b"<source>" + code * depth + b"x" + end * depth + b"</source>"
    if version == "1.2":
        data, field = _unit12(b"<trans-unit id='s1'>" + source + b"</trans-unit>"), "trans-unit s1"
    else:
        data, field = _unit20(b"<unit id='u'><segment>" + source + b"</segment></unit>"), "unit u"
    with pytest.raises(XliffError) as refused:
        read_xliff(data, path="agency.xlf")
    assert (refused.value.field, refused.value.rule) == (
        field,
        "inline codes nest more than 32 deep",
    )
