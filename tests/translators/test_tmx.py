"""TMX 1.4 reading and writing, and `waiwen memory import` of the memories CAT tools write."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from translate.storage import tmx as toolkit_tmx

from core.settings import Settings, get_settings
from store.db import transaction
from store.models import MemoryUnit
from translators.tmx import Skip, TmxError, TmxReading, TmxUnit, normalise_lang, read_tmx, write_tmx
from waiwen.cli import main

DATA = Path(__file__).parent / "data" / "tmx"

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


def tmx(*units: str, srclang: str = "zh-CN") -> bytes:
    """A TMX 1.4 document around ``units`` (each the inside of one <tu>)."""
    body = "".join(f"<tu>{unit}</tu>" for unit in units)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t"'
        f' segtype="sentence" o-tmf="t" adminlang="en" srclang="{srclang}" datatype="plaintext"/>'
        f"<body>{body}</body></tmx>"
    ).encode()


def tuv(tag: str, text: str) -> str:
    return f'<tuv xml:lang="{tag}"><seg>{text}</seg></tuv>'


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
        ("zh-TW", "zh"),
        ("zh_cn", "zh"),
        ("ja-JP", "ja"),
        ("fr-FR", "fr"),
        ("ko-KR", "ko"),
        ("en-GB", "en"),
        ("en-US", "en"),
        ("EN", "en"),
        ("de-DE", "de"),
        ("english", "english"),  # not a tag: the reader refuses it, the mapping does not fail
    ],
)
def test_normalise_lang(code: str, expected: str) -> None:
    assert normalise_lang(code) == expected


ZH_TW = Skip(
    "zh-TW variant", "in script Hant (Traditional), not Hans (Simplified) as waiwen writes zh"
)


@pytest.mark.parametrize(
    ("srclang", "variants", "source", "targets", "skipped"),
    [
        # The Simplified variant is the source whichever the file names; Traditional is left out.
        (
            "zh-CN",
            [("zh-CN", "护照"), ("zh-TW", "護照"), ("en-US", "passport")],
            ("zh-CN", "护照"),
            {"en": ("en-US", "passport")},
            {ZH_TW: 1},
        ),
        (
            "zh-TW",
            [("zh-TW", "護照"), ("zh-Hans", "护照"), ("en", "passport")],
            ("zh-Hans", "护照"),
            {"en": ("en", "passport")},
            {ZH_TW: 1},
        ),
        # Tags are case-insensitive (BCP 47) and written back in their usual case.
        (
            "ZH-CN",
            [("ZH-TW", "護照"), ("zh-cn", "护照"), ("JA-jp", "旅券")],
            ("zh-CN", "护照"),
            {"ja": ("ja-JP", "旅券")},
            {ZH_TW: 1},
        ),
        (
            "zh",
            [("zh-HK", "護照"), ("zh", "护照"), ("zh-MO", "護照"), ("zh-Hant", "護照")],
            ("zh", "护照"),
            {},
            {Skip(f"{tag} variant", ZH_TW.why): 1 for tag in ("zh-HK", "zh-MO", "zh-Hant")},
        ),
        # Two Simplified variants: the one srclang names is the source, else the first.
        (
            "zh-SG",
            [("zh", "护照"), ("zh-SG", "护照（新）"), ("fr", "passeport")],
            ("zh-SG", "护照（新）"),
            {"fr": ("fr", "passeport")},
            {Skip("zh variant", "the unit's zh-SG is kept (one text per language)"): 1},
        ),
        (
            "zh-Hans",
            [("zh-SG", "护照（新）"), ("zh-CN", "护照")],
            ("zh-SG", "护照（新）"),
            {},
            {Skip("zh-CN variant", "the unit's zh-SG is kept (one text per language)"): 1},
        ),
        # en-GB and en-US are both English: one text per language, the first in the file.
        (
            "zh-CN",
            [("zh-CN", "护照"), ("en-GB", "passport (GB)"), ("en-US", "passport (US)")],
            ("zh-CN", "护照"),
            {"en": ("en-GB", "passport (GB)")},
            {Skip("en-US variant", "the unit's en-GB is kept (one text per language)"): 1},
        ),
        # Korean in hangul is Korean; Japanese in romaji and Chinese in pinyin are not.
        (
            "zh-CN",
            [
                ("zh-CN", "护照"),
                ("zh-Latn-pinyin", "hùzhào"),
                ("ko-Hang", "여권"),
                ("ja-Latn", "ryoken"),
            ],
            ("zh-CN", "护照"),
            {"ko": ("ko-Hang", "여권")},
            {
                Skip(
                    "zh-Latn-pinyin variant",
                    "in script Latn (Latin), not Hans (Simplified) as waiwen writes zh",
                ): 1,
                Skip(
                    "ja-Latn variant",
                    "in script Latn (Latin), not Jpan (Japanese) as waiwen writes ja",
                ): 1,
            },
        ),
        # Languages waiwen does not publish are read; the memory import leaves them out.
        (
            "zh-CN",
            [("zh-CN", "护照"), ("de-DE", "Reisepass")],
            ("zh-CN", "护照"),
            {"de": ("de-DE", "Reisepass")},
            {},
        ),
        # "*all*": any variant may be the source (TMX 1.4b); waiwen's is the Chinese one.
        (
            "*all*",
            [("en-GB", "passport"), ("zh-CN", "护照")],
            ("zh-CN", "护照"),
            {"en": ("en-GB", "passport")},
            {},
        ),
        (
            "*all*",
            [("en-GB", "passport"), ("fr", "passeport")],
            ("en-GB", "passport"),
            {"fr": ("fr", "passeport")},
            {},
        ),
    ],
)
def test_one_text_per_language_with_the_simplified_chinese_source(
    srclang: str,
    variants: list[tuple[str, str]],
    source: tuple[str, str],
    targets: dict[str, tuple[str, str]],
    skipped: dict[Skip, int],
) -> None:
    reading = TmxReading(tmx("".join(tuv(tag, text) for tag, text in variants), srclang=srclang))
    [unit] = list(reading)
    assert (unit.source_tag, unit.source) == source
    assert {lang: (unit.target_tags[lang], text) for lang, text in unit.targets.items()} == targets
    assert dict(reading.skipped) == skipped


@pytest.mark.parametrize(
    ("unit", "why"),
    [
        (tuv("zh-TW", "護照") + tuv("zh-HK", "護照"), "none of its variants is in the script"),
        ("", "it holds no <tuv>"),
    ],
)
def test_an_all_unit_with_nothing_readable_is_left_out_with_its_reason(unit: str, why: str) -> None:
    reading = TmxReading(tmx(unit, tuv("zh-CN", "护照") + tuv("en", "passport"), srclang="*all*"))
    assert [u.source for u in reading] == ["护照"]
    [left_out] = [skip for skip in reading.skipped if skip.what == "unit"]
    assert left_out.why.startswith(why)


def test_a_unit_whose_chinese_is_all_traditional_is_left_out_with_its_reason() -> None:
    reading = TmxReading(
        tmx(
            tuv("zh-TW", "申請表須以中文填寫。") + tuv("en-US", "Fill the form in Chinese."),
            tuv("zh-CN", "请携带护照。") + tuv("en-US", "Bring your passport."),
            srclang="zh-TW",
        )
    )
    assert [unit.source for unit in reading] == ["请携带护照。"]
    assert reading.skipped == {
        ZH_TW: 1,
        Skip("unit", "no variant of its source language zh is in Hans (Simplified)"): 1,
    }
    assert reading.units_read == 2


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            tmx(tuv("zh-CN", "护照") + tuv("zz", "x")),
            "in.tmx: <tu> #1: <tuv xml:lang='zz'>: 'zz' is not valid BCP 47:"
            " language subtag 'zz' is not in the IANA registry",
        ),
        (
            tmx(tuv("zh-CN", "护照") + tuv("english", "passport")),
            "in.tmx: <tu> #1: <tuv xml:lang='english'>: 'english' is not a BCP 47 language tag",
        ),
        (
            tmx(tuv("zh-CN", "护照") + tuv("jp", "旅券")),
            "<tuv xml:lang='jp'>: 'jp' is not valid BCP 47: language subtag 'jp' is not in the IANA",
        ),
        (
            tmx(tuv("zh_CN", "护照")),
            "<tu> #1: <tuv xml:lang='zh_CN'>: 'zh_CN' separates subtags with '_'; BCP 47 uses '-'"
            " ('zh-CN')",
        ),
        (
            tmx(tuv("zh-CN", "护照") + tuv("zh-Hanz", "x")),
            "<tuv xml:lang='zh-Hanz'>: 'zh-Hanz' is not valid BCP 47: script subtag 'Hanz'",
        ),
        (
            tmx(tuv("zh-CN", "护照") + tuv("en-GB-oxenfree", "x")),
            "variant subtag 'oxenfree' is not in the IANA registry",
        ),
        (
            tmx(tuv("zh-CN", "护照") + tuv("en US", "x")),
            "<tuv xml:lang='en US'>: 'en US' is not a BCP 47 language tag: subtags of 1 to 8",
        ),
        (
            tmx(tuv("zh-CN", "a"), srclang="english"),
            "in.tmx: <header srclang='english'>: 'english' is not a BCP 47 language tag",
        ),
        (
            tmx(tuv("zh-CN", "a"), srclang="zz"),
            "in.tmx: <header srclang='zz'>: 'zz' is not valid BCP 47",
        ),
        (
            tmx(tuv("zh-CN", "a"), tuv("zh-CN", "b") + tuv("en", "b")).replace(
                b'<tu><tuv xml:lang="zh-CN"><seg>b',
                b'<tu tuid="t-7" srclang="zz"><tuv xml:lang="zh-CN"><seg>b',
            ),
            "in.tmx: <tu> #2 (tuid 't-7'): srclang='zz': 'zz' is not valid BCP 47",
        ),
        (
            b'<tmx version="1.1"><header srclang="ZH-CN"/><body><tu tuid="9"><tuv lang="ZH-CN">'
            b'<seg>a</seg></tuv><tuv lang="EN_GB"><seg>a</seg></tuv></tu></body></tmx>',
            "in.tmx: <tu> #1 (tuid '9'): <tuv lang='EN_GB'>: 'EN_GB' separates subtags with '_'",
        ),
    ],
)
def test_a_bad_language_tag_is_refused_with_the_unit_the_attribute_and_the_rule(
    document: bytes, message: str
) -> None:
    with pytest.raises(TmxError) as caught:
        read_tmx(document, path="in.tmx")
    assert message in str(caught.value)


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


@pytest.mark.parametrize(
    ("file", "units", "skipped"),
    [
        (
            "trados-zh-cn-en-gb.tmx",
            [
                # <prop> and the <bpt>/<ept>/<ph> native codes are not text.
                TmxUnit(
                    "zh",
                    "请于3月10日前提交申请。",
                    {"en": "Please submit your application by 10 March."},
                ),
                TmxUnit("zh", "咨询电话：021-6321 0000", {"en": "Enquiries:021-6321 0000"}),
            ],
            {},
        ),
        (
            "omegat-level1.tmx",  # TMX 1.1: `lang`, upper-case tags, a comment in <body>
            [
                TmxUnit(
                    "zh",
                    "外国人来华工作许可办理流程",
                    {"fr": "Procédure d'obtention du permis de travail pour étrangers en Chine"},
                ),
                TmxUnit(
                    "zh", "办理时限：20个工作日", {"fr": "Délai de traitement : 20 jours ouvrables"}
                ),
            ],
            {},
        ),
        (
            "okapi-notes-and-tuids.tmx",  # <note> and <prop> in <header>, <tu> and <tuv>
            [
                TmxUnit(
                    "zh",
                    "详见官网。欢迎咨询。",
                    {
                        "ja": "詳しくは公式サイトをご覧ください。お問い合わせをお待ちしています。",
                        "ko": "자세한 내용은 공식 웹사이트를 참조하십시오.문의를 환영합니다.",
                    },
                ),
                TmxUnit(
                    "zh",
                    "报名截止日期为2024年12月31日。",
                    {
                        "en": "Registration closes on 31 December 2024.",
                        "ko": "신청 마감일은 2024년 12월 31일입니다.",
                    },
                ),
            ],
            {
                Skip("zh-SG variant", "the unit's zh-Hans is kept (one text per language)"): 1,
                Skip("en-GB variant", "the unit's en-US is kept (one text per language)"): 1,
            },
        ),
        (
            "memoq-chinese-variants.tmx",  # lower-case tags; zh-cn, zh-tw, zh-hk, zh-mo in a unit
            [
                TmxUnit(
                    "zh",
                    "领事认证窗口周六不对外开放。",
                    {
                        "en": "The consular authentication counter is closed on Saturdays.",
                        "de": "Der Schalter für konsularische Beglaubigungen ist samstags geschlossen.",
                    },
                ),
                TmxUnit(
                    "zh",
                    "请携带护照原件。",
                    {
                        "ja": "パスポートの原本をお持ちください。",
                        "fr": "Veuillez apporter l'original de votre passeport.",
                    },
                ),
            ],
            {
                ZH_TW: 2,
                Skip("zh-HK variant", ZH_TW.why): 1,
                Skip("zh-MO variant", ZH_TW.why): 1,
                Skip("unit", "no variant of its source language zh is in Hans (Simplified)"): 1,
            },
        ),
    ],
)
def test_memories_as_cat_tools_write_them(
    file: str, units: list[TmxUnit], skipped: dict[Skip, int]
) -> None:
    with (DATA / file).open("rb") as stream:
        reading = TmxReading(stream, path=file)
        assert list(reading) == units
    assert dict(reading.skipped) == skipped


def test_translate_toolkit_and_waiwen_read_each_other() -> None:
    store = toolkit_tmx.tmxfile(sourcelanguage="zh-CN", targetlanguage="en-GB")
    store.addtranslation(
        "请于3月10日前提交申请。", "zh-CN", "Please apply by 10 March.", "en-GB", "checked"
    )
    store.addtranslation("申請表須以中文填寫。", "zh-TW", "Fill the form in Chinese.", "en-GB")
    reading = TmxReading(bytes(store), path="toolkit.tmx")
    assert list(reading) == [
        TmxUnit("zh", "请于3月10日前提交申请。", {"en": "Please apply by 10 March."})
    ]
    assert reading.skipped[ZH_TW] == 1

    written = write_tmx([TmxUnit("zh", "通知", {"en": "Notice", "ko": "공지"})])
    parsed = toolkit_tmx.tmxfile.parsestring(written)
    [unit] = parsed.units
    assert (unit.source, unit.target) == ("通知", "Notice")
    assert parsed.gettargetlanguage() in ("en", None)


def test_units_are_read_one_at_a_time() -> None:
    # Three good units, then a bad one: the three come out before the refusal, so a memory is
    # read as it is parsed, not after the whole file is in memory.
    good = tuv("zh-CN", "护照") + tuv("en", "passport")
    reading = TmxReading(io.BytesIO(tmx(good, good, good, tuv("zh-CN", "x") + tuv("zz", "y"))))
    seen: list[TmxUnit] = []
    with pytest.raises(TmxError, match="<tu> #4"):
        for unit in reading:
            seen.append(unit)
    assert len(seen) == 3


def _peak_reading(units: int) -> int:
    """Peak memory (bytes) of reading a TMX of ``units`` units without keeping them."""
    data = tmx(
        *(tuv("zh-CN", f"第{n}条通知。") + tuv("en-GB", f"Notice {n}.") for n in range(units))
    )
    stream = io.BytesIO(data)
    tracemalloc.start()
    try:
        count = sum(1 for _ in TmxReading(stream))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == units
    return peak


def test_reading_memory_does_not_grow_with_the_file() -> None:
    # Ten times the units, and the file is ~1 MB: a reader that kept the tree would need ten
    # times the memory; one that drops each unit once read needs about the same.
    small, large = _peak_reading(1_000), _peak_reading(10_000)
    assert large < 2 * small


# --- `waiwen memory import` ----------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def memory(url: str) -> set[tuple[str, str, str]]:
    with transaction(url) as session:
        rows = session.execute(
            select(MemoryUnit.source_text, MemoryUnit.target_language, MemoryUnit.target_text)
        )
        return {(a, b, c) for a, b, c in rows}


@pytest.fixture
def url(settings: Settings) -> str:
    return settings.resolved_database_url


def test_a_memory_with_traditional_variants_imports_and_says_what_it_left_out(
    url: str,
) -> None:
    path = DATA / "memoq-chinese-variants.tmx"
    code, out, err = run("memory", "import", str(path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{path}: 3 pair(s) stored, 0 already in the memory",
        "  skipped 2 zh-TW variant(s): in script Hant (Traditional), not Hans (Simplified) as"
        " waiwen writes zh",
        "  skipped 1 de-DE variant(s): de is not among the configured target languages"
        " (WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)",
        "  skipped 1 unit(s): no variant of its source language zh is in Hans (Simplified)",
        "  skipped 1 zh-HK variant(s): in script Hant (Traditional), not Hans (Simplified) as"
        " waiwen writes zh",
        "  skipped 1 zh-MO variant(s): in script Hant (Traditional), not Hans (Simplified) as"
        " waiwen writes zh",
    ]
    assert memory(url) == {
        (
            "领事认证窗口周六不对外开放。",
            "en",
            "The consular authentication counter is closed on Saturdays.",
        ),
        ("请携带护照原件。", "ja", "パスポートの原本をお持ちください。"),
        ("请携带护照原件。", "fr", "Veuillez apporter l'original de votre passeport."),
    }
    code, out, _ = run("memory", "import", str(path))
    assert code == 0 and out.startswith(f"{path}: 0 pair(s) stored, 3 already in the memory\n")


def test_the_summary_counts_every_reason(url: str, tmp_path: Path) -> None:
    units = [tuv("zh-CN", f"第{n}条。") + tuv("en-GB", f"Article {n}.") for n in range(412)]
    units += [tuv("zh-CN", f"第{n}条。") + tuv("zh-TW", f"第{n}條。") for n in range(30)]
    units += [tuv("zh-CN", f"附件{n}") + tuv("de", f"Anlage {n}") for n in range(5)]
    units += ['<tuv xml:lang="en-US"><seg>Annex</seg></tuv>' + tuv("zh-CN", "附件")] * 2
    units += [tuv("zh-CN", "空") + tuv("fr", "")]
    path = tmp_path / "office.tmx"
    path.write_bytes(
        tmx(*units).replace(
            b'<tu><tuv xml:lang="en-US">', b'<tu srclang="en-US"><tuv xml:lang="en-US">'
        )
    )
    code, out, _ = run("memory", "import", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"{path}: 412 pair(s) stored, 0 already in the memory",
        "  skipped 30 zh-TW variant(s): in script Hant (Traditional), not Hans (Simplified) as"
        " waiwen writes zh",
        "  skipped 5 de variant(s): de is not among the configured target languages"
        " (WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko)",
        "  skipped 2 unit(s): its source is en-US, not Chinese",
        "  skipped 1 fr variant(s): its <seg> is empty",
    ]


def test_a_configured_further_language_is_imported_and_an_unknown_one_named(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,de,ar")
    get_settings.cache_clear()
    units = [tuv("zh-CN", "附件") + tuv("de-DE", "Anlage") + tuv("ar", "مرفق")]
    units += [tuv("zh-CN", "护照") + tuv("ja", "パスポート") + tuv("sw", "Pasipoti")]
    path = tmp_path / "further.tmx"
    path.write_bytes(tmx(*units))
    code, out, _ = run("memory", "import", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"{path}: 2 pair(s) stored, 0 already in the memory",
        "  skipped 1 ja variant(s): ja is not among the configured target languages"
        " (WAIWEN_TARGET_LANGUAGES=en,de,ar)",
        "  skipped 1 sw variant(s): waiwen does not translate into sw",
    ]
    assert memory(url) == {("附件", "de", "Anlage"), ("附件", "ar", "مرفق")}


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            "english-source.tmx",
            "english-source.tmx: no pair for waiwen's memory, which takes a Simplified Chinese"
            " source and a translation into en, ja, fr, ko; left out: 2 unit(s): its source is"
            " en-US, not Chinese. Languages in the file (<tuv> each): de-DE (1), en-US (2), zh-CN (2)",
        ),
        (
            "traditional-only.tmx",
            "traditional-only.tmx: no pair for waiwen's memory, which takes a Simplified Chinese"
            " source and a translation into en, ja, fr, ko; left out: 2 unit(s): no variant of its"
            " source language zh is in Hans (Simplified); 2 zh-HK variant(s): in script Hant"
            " (Traditional), not Hans (Simplified) as waiwen writes zh. Languages in the file"
            " (<tuv> each): en-GB (2), zh-HK (2)",
        ),
        (
            "german-only.tmx",
            "german-only.tmx: no pair for waiwen's memory, which takes a Simplified Chinese source"
            " and a translation into en, ja, fr, ko; left out: 1 de-DE variant(s): de is not among"
            " the configured target languages (WAIWEN_TARGET_LANGUAGES=en,ja,fr,ko). Languages in"
            " the file (<tuv> each): de-DE (1), zh-CN (1)",
        ),
        ("empty.tmx", "empty.tmx: holds no <tu>: there is nothing to import"),
    ],
)
def test_a_memory_with_nothing_for_waiwen_is_refused_saying_what_it_holds(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("english-source.tmx").write_bytes((DATA / "english-source.tmx").read_bytes())
    Path("traditional-only.tmx").write_bytes(
        tmx(*[tuv("zh-HK", "護照") + tuv("en-GB", "passport")] * 2, srclang="zh-HK")
    )
    Path("german-only.tmx").write_bytes(tmx(tuv("zh-CN", "护照") + tuv("de-DE", "Reisepass")))
    Path("empty.tmx").write_bytes(tmx())
    code, out, err = run("memory", "import", file)
    assert (code, out) == (1, "")
    assert err == f"waiwen: {message}\n"
    assert memory(url) == set()


def test_a_bad_language_tag_refuses_the_whole_file(url: str, tmp_path: Path) -> None:
    path = tmp_path / "agency.tmx"
    good = tuv("zh-CN", "护照") + tuv("en", "passport")
    path.write_bytes(
        tmx(good, good).replace(
            b"</body>",
            b'<tu tuid="a-17">'
            + tuv("zh-CN", "签证").encode()
            + tuv("zz", "visa").encode()
            + b"</tu></body>",
        )
    )
    code, out, err = run("memory", "import", str(path))
    assert (code, out) == (1, "")
    assert err == (
        f"waiwen: {path}: <tu> #3 (tuid 'a-17'): <tuv xml:lang='zz'>: 'zz' is not valid BCP 47:"
        " language subtag 'zz' is not in the IANA registry\n"
    )
    assert memory(url) == set()  # the two good units before it were not kept
