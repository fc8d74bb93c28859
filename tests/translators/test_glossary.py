"""The glossary: CSV and TBX import (variants, strength) with clear refusals, hits, starter and stored terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.languages import OFFICE_COLUMNS
from core.settings import Settings
from pipeline.glossary import import_terms, load_glossary
from store.db import alembic_config, make_engine, transaction, upgrade_to_head
from store.models import GlossaryTerm
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
        ("source,language,target\n友好城市,xx,Partnerstadt\n", "line 2: field language is 'xx'"),
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
    assert {lang: len(starter.terms(lang)) for lang in OFFICE_COLUMNS} == dict.fromkeys(
        OFFICE_COLUMNS, 12
    )
    assert {t.source: t.target for t in starter.terms("en")}[
        "荣誉市民"
    ] == "Honorary Citizen of Shanghai"


def test_the_starter_glossary_lists_the_variants_the_notes_allow() -> None:
    starter = {t.source: t for t in Glossary.starter().terms("en")}
    assert starter["友好城市"].variants == ("friendship city",)
    assert starter["政府信息公开"].variants == ("disclosure of government information",)
    assert starter["外国人来华邀请"].variants == (
        "letter of invitation for foreigners visiting China",
    )
    # Every starter entry keeps the behaviour it had: a missing term is an error.
    assert {t.strength for t in starter.values()} == {"required"}


def test_csv_variants_and_strength_in_any_order_after_the_first_three(tmp_path: Path) -> None:
    glossary = Glossary.from_csv(
        csv_file(
            tmp_path,
            "source,language,target,strength,variants\n"
            "友好城市,en,sister city,,friendship city | twin city\n"
            "友好城市,fr,ville jumelée,Preferred,ville amie|jumelage\n",
        )
    )
    assert glossary.terms() == [
        Term("友好城市", "en", "sister city", "", ("friendship city", "twin city"), "required"),
        Term("友好城市", "fr", "ville jumelée", "", ("ville amie", "jumelage"), "preferred"),
    ]


def test_a_quoted_field_over_two_lines_names_the_line_its_row_starts_on(tmp_path: Path) -> None:
    text = 'source,language,target,note\n领事认证,en,consular legalization,"two\nlines"\n友好城市,xx,?\n'
    with pytest.raises(GlossaryError, match="line 4: field language is 'xx'"):
        Glossary.from_csv(csv_file(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "source,language,target,comment\n友好城市,en,sister city,x\n",
            "line 1: column 'comment' is not one waiwen reads; the header must be "
            "source,language,target, then any of note, variants, strength",
        ),
        (
            "source,language,target,note,note\n友好城市,en,sister city,a,b\n",
            "line 1: column 'note' is named twice",
        ),
        (
            "source,language,target,strength\n友好城市,en,sister city,must\n",
            "line 2: field strength is 'must'; it must be required or preferred",
        ),
        (
            "source,language,target,variants\n友好城市,en,sister city,friendship city||twin city\n",
            "line 2: field variants has an empty variant in 'friendship city||twin city'",
        ),
        (
            "source,language,target\n友好城市,en,sister city,friendship city\n",
            "line 2: 4 fields but the header names 3; put a field that holds a comma in double quotes",
        ),
        (
            "source,language,target,strength\n友好城市,en,sister city,required\n"
            "友好城市,en,sister city,preferred\n",
            "line 3: term '友好城市' in en is preferred here but required at 2",
        ),
        (
            "source,language,target,variants\n友好城市,en,sister city,friendship city\n"
            "友好城市,en,sister city,twin city\n",
            "line 3: term '友好城市' in en has the variants twin city here but friendship city at 2",
        ),
    ],
)
def test_csv_refusals_of_columns_variants_and_strength(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(GlossaryError) as error:
        Glossary.from_csv(csv_file(tmp_path, text))
    assert str(error.value).startswith(str(tmp_path / "terms.csv"))
    assert message in str(error.value)


def test_a_term_may_give_a_rendering_in_every_shipped_language(tmp_path: Path) -> None:
    # Configured or not: a glossary outlives a change of WAIWEN_TARGET_LANGUAGES.
    rows = [
        ("de", "Partnerstadt"),
        ("es", "ciudad hermana"),
        ("ru", "город-побратим"),
        ("ar", "مدينة شقيقة"),
        ("pt", "cidade irmã"),
        ("it", "città gemellata"),
        ("vi", "thành phố kết nghĩa"),
        ("th", "เมืองพี่เมืองน้อง"),
    ]
    text = "source,language,target\n" + "".join(f"友好城市,{lang},{t}\n" for lang, t in rows)
    glossary = Glossary.from_csv(csv_file(tmp_path, text))
    assert {(t.language, t.target) for t in glossary.terms()} == set(rows)
    assert [t.target for t in glossary.hits("两市结为友好城市。", "ar")] == ["مدينة شقيقة"]


def test_an_unknown_language_names_the_shipped_ones(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as error:
        Glossary.from_csv(csv_file(tmp_path, "source,language,target\n友好城市,tlh,x\n"))
    assert str(error.value) == (
        f"{tmp_path / 'terms.csv'}: line 2: field language is 'tlh'; it must be one of "
        "en, ja, fr, ko, de, es, ru, ar, pt, it, vi, th"
    )


TBX_2019 = (
    '<tbx type="TBX-Basic" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>{}</body></text></tbx>'
)


def tbx_file(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "terms.tbx"
    path.write_text(TBX_2019.format(entries), encoding="utf-8")
    return path


def test_tbx_statuses_give_target_and_variants_and_admin_gives_the_strength(
    tmp_path: Path,
) -> None:
    path = tbx_file(
        tmp_path,
        '<conceptEntry id="c1"><admin type="strength">preferred</admin><note>sister cities</note>'
        '<langSec xml:lang="zh"><termSec><term>友好城市</term></termSec></langSec>'
        '<langSec xml:lang="en"><admin type="strength">required</admin>'
        "<termSec><term>friendship city</term>"
        '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>'
        "<termSec><term>sister city</term>"
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>'
        "<termSec><term>twin town</term>"
        '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>'
        "</langSec>"
        '<langSec xml:lang="fr"><termSec><term>ville jumelée</term></termSec>'
        "<termSec><term>ville amie</term></termSec></langSec>"
        '<langSec xml:lang="ko"><note>spacing free</note><termSec><term>자매도시</term></termSec>'
        "</langSec></conceptEntry>",
    )
    assert Glossary.from_tbx(path).terms() == [
        Term("友好城市", "en", "sister city", "sister cities", ("friendship city",), "required"),
        Term("友好城市", "fr", "ville jumelée", "sister cities", ("ville amie",), "preferred"),
        Term("友好城市", "ko", "자매도시", "spacing free", (), "preferred"),
    ]


def test_tbx_lang_secs_of_further_languages_are_read(tmp_path: Path) -> None:
    path = tbx_file(
        tmp_path,
        '<conceptEntry id="c2"><langSec xml:lang="zh"><termSec><term>领事认证</term></termSec>'
        '</langSec><langSec xml:lang="ru-RU"><termSec><term>консульская легализация</term>'
        '</termSec></langSec><langSec xml:lang="vi"><termSec><term>hợp pháp hóa lãnh sự</term>'
        "</termSec></langSec></conceptEntry>",
    )
    assert Glossary.from_tbx(path).terms() == [
        Term("领事认证", "ru", "консульская легализация"),
        Term("领事认证", "vi", "hợp pháp hóa lãnh sự"),
    ]


def test_tbx_2008_synonyms_of_two_lang_sets_of_one_language_are_variants(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(
        '<martif type="TBX"><text><body><termEntry id="t1">'
        '<langSet xml:lang="zh"><tig><term>友好城市</term></tig></langSet>'
        '<langSet xml:lang="en-GB"><tig><term>twin city</term></tig></langSet>'
        '<langSet xml:lang="en-US"><tig><term>sister city</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    assert Glossary.from_tbx(path).terms() == [
        Term("友好城市", "en", "twin city", variants=("sister city",))
    ]


@pytest.mark.parametrize(
    ("lang_sec", "message"),
    [
        (
            '<langSec xml:lang="en"><admin type="strength">must</admin>'
            "<termSec><term>sister city</term></termSec></langSec>",
            "conceptEntry c1: langSec xml:lang='en': field admin type='strength' is 'must'; "
            "it must be required or preferred",
        ),
        (
            '<langSec xml:lang="en"><termSec><term>sister city</term>'
            '<termNote type="administrativeStatus">usualTerm</termNote></termSec></langSec>',
            "conceptEntry c1: langSec xml:lang='en': field termNote type='administrativeStatus' "
            "is 'usualTerm'; it must be one of preferredTerm",
        ),
        (
            '<langSec xml:lang="en"><termSec><term>twin town</term>'
            '<termNote type="administrativeStatus">supersededTerm</termNote></termSec></langSec>',
            "conceptEntry c1: langSec xml:lang='en': every term is deprecated or superseded",
        ),
    ],
)
def test_tbx_refusals_of_strength_and_status_name_entry_language_and_field(
    tmp_path: Path, lang_sec: str, message: str
) -> None:
    path = tbx_file(
        tmp_path,
        '<conceptEntry id="c1"><langSec xml:lang="zh"><termSec><term>友好城市</term></termSec>'
        f"</langSec>{lang_sec}</conceptEntry>",
    )
    with pytest.raises(GlossaryError) as error:
        Glossary.from_tbx(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_a_term_refuses_a_strength_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="strength 'optional' is not one of required, preferred"):
        Term("友好城市", "en", "sister city", strength="optional")
    assert Term("友好城市", "en", "a", variants=("b", "a", "b")).variants == ("b",)


def test_stored_terms_keep_their_variants_and_strength(settings: Settings) -> None:
    office = [
        Term("友好城市", "en", "sister city", "", ("friendship city",), "preferred"),
        Term("领事认证", "ko", "영사인증"),
    ]
    with transaction(settings.database_url) as session:
        done = import_terms(session, office, "glossary:office.csv", "秘书处")
        assert (done.added, done.changed, done.unchanged) == (2, 0, 0)
    with transaction(settings.database_url) as session:
        loaded = {(t.source, t.language): t for t in load_glossary(session).terms()}
        assert loaded[("友好城市", "en")] == office[0]
        assert loaded[("领事认证", "ko")] == office[1]
        # Only the strength differs: that is a change.
        again = import_terms(
            session, [Term("友好城市", "en", "sister city", "", ("friendship city",))], "x", "y"
        )
        assert (again.added, again.changed, again.unchanged) == (0, 1, 0)
    with transaction(settings.database_url) as session:
        assert {(t.source, t.language): t for t in load_glossary(session).terms()}[
            ("友好城市", "en")
        ].strength == "required"


def test_terms_stored_before_migration_0009_are_required_and_have_no_variants(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0008")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO glossary_terms (source, language, target, note, origin, updated_by,"
                " updated_at) VALUES ('领事认证', 'en', 'consular authentication', '',"
                " 'glossary:office.csv', '秘书处', '2026-11-30 00:00:00')"
            )
        )
    upgrade_to_head(engine)
    with Session(engine) as session:
        [row] = session.scalars(select(GlossaryTerm)).all()
        assert (row.variants, row.strength) == ([], "required")
        stored = {(t.source, t.language): t for t in load_glossary(session).terms()}
    engine.dispose()
    assert stored[("领事认证", "en")] == Term("领事认证", "en", "consular authentication")
