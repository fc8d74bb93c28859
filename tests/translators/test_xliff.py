"""XLIFF 1.2 written and read back: ids, sources, targets, states and notes survive."""

from __future__ import annotations

import pytest

from translators.xliff import XliffError, XliffUnit, read_xliff, write_xliff

UNITS = [
    XliffUnit(
        "s0",
        "市政府外办召开通报会",
        "Foreign Affairs Office holds briefing",
        "needs-review-translation",
        "title",
    ),
    XliffUnit(
        "s1",
        "详见[通知](https://a.cn/n?x=1&y=2)。",
        "See the [notice](https://a.cn/n?x=1&y=2).",
        "translated",
    ),
    XliffUnit("s2", "约120人<出席>会议。", None, "needs-translation", "paragraph"),
    XliffUnit("s3", "会议结束。", "La réunion s'est terminée.", "final"),
]


def test_a_document_round_trips() -> None:
    data = write_xliff(UNITS, original="notice#version=2", target_language="fr")
    document = read_xliff(data)
    assert (document.original, document.source_language, document.target_language) == (
        "notice#version=2",
        "zh",
        "fr",
    )
    assert document.units == tuple(UNITS)
    assert b'xmlns="urn:oasis:names:tc:xliff:document:1.2"' in data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xliff version='1.2'><file>", "not well-formed XML"),
        (
            b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'/>",
            "not an XLIFF 1.2",
        ),
        (
            b"<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file original='a' "
            b"source-language='zh' target-language='en'><body><trans-unit id='s1'><source>a</source>"
            b"</trans-unit><trans-unit id='s1'><source>b</source></trans-unit></body></file></xliff>",
            "trans-unit 's1': every unit needs a unique id",
        ),
        (
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><xliff version='1.2'/>",
            "entities are not allowed",
        ),
    ],
)
def test_unusable_files_are_refused_with_the_rule(data: bytes, message: str) -> None:
    with pytest.raises(XliffError, match=message):
        read_xliff(data, path="agency.xlf")
