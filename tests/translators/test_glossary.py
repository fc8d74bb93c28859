"""The glossary: CSV and TBX import with clear refusals, leftmost-longest hits, the starter terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from translators.glossary import Glossary, GlossaryError, Term

DATA = Path(__file__).parent / "data"


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "terms.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_a_bom_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(
        "\ufeffsource,language,target,note\n友好城市,en,sister city,official\n友好城市,ko,자매도시,\n",
        encoding="utf-8",
    )
    glossary = Glossary.from_csv(path)
    assert glossary.terms() == [
        Term("友好城市", "en", "sister city", "official"),
        Term("友好城市", "ko", "자매도시", ""),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "chinese,english\n友好城市,sister city\n",
            "line 1: the header must be source,language,target",
        ),
        ("source,language,target\n友好城市,en,\n", "line 2: field target is empty"),
        ("source,language,target\n友好城市,de,Partnerstadt\n", "line 2: field language is 'de'"),
        (
            "source,language,target\n友好城市,en,sister city\n友好城市,en,twin town\n",
            "line 3: term '友好城市' in en is 'twin town' here but 'sister city' at 2",
        ),
    ],
)
def test_csv_refusals_name_file_line_field_and_rule(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(GlossaryError) as error:
        Glossary.from_csv(csv_file(tmp_path, text))
    assert str(error.value).startswith(str(tmp_path / "terms.csv"))
    assert message in str(error.value)


def test_tbx_2019_concept_entries() -> None:
    glossary = Glossary.from_tbx(DATA / "glossary.tbx")
    assert glossary.terms() == [
        Term("友好城市", "en", "sister city"),
        Term("友好城市", "fr", "ville jumelée"),
    ]


def test_tbx_2008_term_entries_and_a_missing_chinese_term(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(
        '<martif type="TBX"><text><body>'
        '<termEntry id="t1"><langSet xml:lang="zh"><tig><term>荣誉市民</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>Honorary Citizen of Shanghai</term></tig></langSet></termEntry>'
        '<termEntry id="t2"><langSet xml:lang="en"><tig><term>press conference</term></tig></langSet></termEntry>'
        "</body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(
        GlossaryError, match=r"termEntry t2: field term in langSet xml:lang='zh' is missing"
    ):
        Glossary.from_tbx(path)


def test_malformed_tbx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text("<tbx><text>", encoding="utf-8")
    with pytest.raises(GlossaryError, match="not well-formed XML"):
        Glossary.from_tbx(path)


def test_hits_are_leftmost_longest_and_do_not_overlap() -> None:
    glossary = Glossary(
        [
            Term("上海市人民政府外事办公室", "en", "Shanghai Municipal Foreign Affairs Office"),
            Term("外事办公室", "en", "Foreign Affairs Office"),
            Term("领事认证", "en", "consular legalization"),
            Term("领事认证", "fr", "légalisation consulaire"),
        ]
    )
    text = "上海市人民政府外事办公室负责领事认证，区外事办公室协助。"
    assert [t.target for t in glossary.hits(text, "en")] == [
        "Shanghai Municipal Foreign Affairs Office",
        "consular legalization",
        "Foreign Affairs Office",
    ]
    assert [t.target for t in glossary.hits(text, "fr")] == ["légalisation consulaire"]
    assert glossary.hits(text, "ja") == []


def test_the_starter_glossary_has_the_office_terms() -> None:
    starter = Glossary.starter()
    assert len(starter) == 12
    assert {t.source: t.target for t in starter.terms("en")}[
        "荣誉市民"
    ] == "Honorary Citizen of Shanghai"
