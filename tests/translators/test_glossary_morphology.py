"""Glossary terms in their inflected, spaced and particle-bearing forms, in all four targets.

The rules are in translators/term_forms.py; each row here is one construction, good (the term is
there in an accepted form) or bad (it is not).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from translators.checks.base import CheckContext
from translators.checks.kept_checks import GlossaryCheck
from translators.checks.testing import CheckContract
from translators.glossary import Glossary, Term
from translators.term_forms import closest, find
from translators.tmx import read_tmx

# (language, rendering in the glossary, translation, the translation has the term)
FORMS = [
    # English: plural and singular, possessive, case, articles, hyphens, British spelling.
    ("en", "invitation letter", "procedures for invitation letters", True),
    ("en", "invitation letters", "an invitation letter is needed", True),
    ("en", "sister city", "Shanghai's sister cities", True),
    ("en", "sister city", "the sister cities' mayors", True),
    (
        "en",
        "Shanghai Municipal Foreign Affairs Office",
        "the Shanghai Municipal Foreign Affairs Office's support",
        True,
    ),
    ("en", "press conference", "Press Conferences held", True),
    ("en", "press conference", "PRESS CONFERENCE", True),
    ("en", "friendship city", "friendship-city ties", True),
    ("en", "the APEC Business Travel Card", "an APEC Business Travel Card", True),
    ("en", "consular legalization", "Consular legalisation", True),
    ("en", "letter of invitation", "letters of invitation", True),
    ("en", "Honorary Citizen of Shanghai", "three Honorary Citizens of Shanghai", True),
    ("en", "invitation letter", "a letter of invitation", False),  # another word order: a variant
    ("en", "consular legalization", "consular certification", False),
    ("en", "sister city", "sisterhood city", False),  # whole words only
    ("en", "press conference", "press briefing", False),
    # French: gender and number, elision, de/d'/du/des, à/au/aux, articles.
    ("fr", "ville amie", "les villes amies de Shanghai", True),
    ("fr", "ville jumelée", "Villes jumelées", True),
    ("fr", "jumelage", "les jumelages conclus", True),
    ("fr", "ami", "une amie", True),
    ("fr", "lettre d'invitation", "des lettres d’invitation", True),
    (
        "fr",
        "communication d'informations gouvernementales",
        "communication des informations gouvernementales",
        True,
    ),
    ("fr", "Bureau des affaires étrangères", "les bureaux des Affaires étrangères", True),
    ("fr", "la légalisation consulaire", "légalisations consulaires", True),
    ("fr", "service municipal", "services municipaux", True),
    ("fr", "agent étranger", "agentes étrangères", True),
    ("fr", "accès à l'information", "accès aux informations", True),
    ("fr", "mission officielle à l'étranger", "missions officielles à l'étranger", True),
    ("fr", "ambassade", "l'ambassade", True),
    ("fr", "ville jumelée", "ville partenaire", False),
    ("fr", "légalisation consulaire", "authentification consulaire", False),
    ("fr", "jumelage", "jumelle", False),
    ("fr", "lettre d'invitation", "lettre de recommandation", False),
    # Japanese: particles attached, ・ and spaces optional, full-width Latin letters.
    *[("ja", "領事認証", f"領事認証{particle}行う", True) for particle in "をがはのにでもへと"],
    ("ja", "APECビジネス・トラベル・カード", "APECビジネストラベルカードの申請", True),
    ("ja", "APECビジネストラベルカード", "ＡＰＥＣビジネス・トラベル・カード", True),
    ("ja", "領事認証", "領事証明を", False),
    ("ja", "政府情報公開", "政府情報の公開", False),  # の inside the term: list it as a variant
    ("ja", "招へい状", "招聘状", False),  # another spelling: a variant
    # Korean: particles attached, spacing free.
    *[
        ("ko", "영사인증", f"영사인증{particle} 신청", True)
        for particle in ("을", "이", "은", "의", "에", "으로", "과", "도")
    ],
    *[
        ("ko", "자매도시", f"자매도시{particle} 방문", True)
        for particle in ("를", "가", "는", "의", "에", "로", "와")
    ],
    ("ko", "정부정보 공개", "정부정보공개를", True),
    ("ko", "정부정보공개", "정부 정보 공개 신청", True),
    ("ko", "영사 확인", "영사확인을", True),
    ("ko", "APEC 기업인 여행카드", "APEC기업인 여행 카드", True),
    ("ko", "영사 확인", "영사 인증", False),
    ("ko", "자매도시", "우호도시", False),
]


@pytest.mark.parametrize(("language", "rendering", "text", "present"), FORMS)
def test_a_term_is_found_in_its_accepted_forms(
    language: str, rendering: str, text: str, present: bool
) -> None:
    assert (find([rendering], text, language) is not None) is present


# (language, glossary target, translation, what the finding says was found instead)
CLOSEST = [
    (
        "en",
        "consular authentication",
        "56,000 consular legalization documents.",
        "consular legalization",
    ),
    ("en", "invitation letter", "a recommendation letter for visitors", "recommendation letter"),
    ("fr", "ville jumelée", "les villes partenaires de Shanghai", "villes partenaires"),
    ("ja", "領事認証", "書類の領事証明の書類", "領事証明"),
    ("ko", "영사 확인", "영사 인증 서류", "영사 인증"),
    ("en", "press conference", "The meeting was held.", None),
    ("ja", "記者会見", "会議を開催した。", None),
]


@pytest.mark.parametrize(("language", "target", "text", "found"), CLOSEST)
def test_the_stretch_most_like_a_missing_term_is_named(
    language: str, target: str, text: str, found: str | None
) -> None:
    span = closest([target], text, language)
    assert (None if span is None else text[span[0] : span[1]]) == found


def findings(glossary: Glossary, source: str, target: str, language: str) -> list[tuple[str, str]]:
    context = CheckContext(language, glossary=glossary)
    return [(f.severity, f.message) for f in GlossaryCheck().check(source, target, context)]


FRIENDSHIP = Glossary(
    [
        Term("友好城市", "en", "sister city", variants=("friendship city",)),
        Term("友好城市", "fr", "ville jumelée", variants=("ville amie", "jumelage")),
        Term("友好城市", "ja", "友好都市", variants=("姉妹都市",)),
        Term("友好城市", "ko", "자매도시", variants=("우호도시",), strength="preferred"),
        Term("领事认证", "en", "consular legalization", strength="preferred"),
        Term("领事认证", "ja", "領事認証"),
    ]
)
# (language, translation of 与友好城市开展交流, what the check says)
VARIANTS = [
    ("en", "exchanges with friendship cities", []),
    ("en", "exchanges with sister cities", []),
    ("fr", "échanges avec les villes amies", []),
    ("fr", "échanges au titre des jumelages", []),
    ("ja", "姉妹都市との交流", []),
    ("ko", "우호도시와의 교류", []),
    (
        "en",
        "exchanges with twin towns",
        [
            (
                "error",
                "友好城市 must be translated as 'sister city' (or 'friendship city'); the translation has no form of it",
            )
        ],
    ),
    (
        "fr",
        "échanges avec les villes partenaires",
        [
            (
                "error",
                "友好城市 must be translated as 'ville jumelée' (or 'ville amie' or 'jumelage'); "
                "the translation has 'villes partenaires' instead",
            )
        ],
    ),
    (
        "ja",
        "友好都会との交流",
        [
            (
                "error",
                "友好城市 must be translated as '友好都市' (or '姉妹都市'); the translation has '友好都会' instead",
            )
        ],
    ),
    (
        "ko",
        "친선도시와의 교류",
        [
            (
                "warning",
                "友好城市 is preferably translated as '자매도시' (or '우호도시'); the translation has '친선도시' instead",
            )
        ],
    ),
]


@pytest.mark.parametrize(("language", "target", "said"), VARIANTS)
def test_a_variant_is_no_finding_and_a_miss_says_what_was_expected_and_found(
    language: str, target: str, said: list[tuple[str, str]]
) -> None:
    assert findings(FRIENDSHIP, "与友好城市开展交流", target, language) == said


@pytest.mark.parametrize(
    ("language", "target", "severity"),
    [("en", "consular certification", "warning"), ("ja", "領事証明", "error")],
)
def test_a_required_term_missing_is_an_error_and_a_preferred_one_a_warning(
    language: str, target: str, severity: str
) -> None:
    assert [s for s, _ in findings(FRIENDSHIP, "办理领事认证", target, language)] == [severity]


# The issue's examples, with the starter glossary: correct translations, no finding.
ISSUE_EXAMPLES = [
    (
        "进一步简化外国人来华邀请函办理流程；",
        "further simplifying the procedure for invitation letters for foreigners visiting China;",
    ),
    (
        # Blocked before by 政府信息公开 = "government information disclosure", written only in
        # that word order; the entry now lists "disclosure of government information" too.
        "全年共收到政府信息公开申请5件，均在法定期限内予以答复，答复率100%。",
        "During the year, the Office received 5 applications for disclosure of government "
        "information and answered all of them within the statutory time limit, a response rate "
        "of 100%.",
    ),
    # The note of 友好城市 allowed "friendship city"; it is now a variant of the entry.
    ("本市与友好城市开展交流。", "Shanghai holds exchanges with its friendship cities."),
    ("本市与友好城市开展交流。", "Shanghai holds exchanges with its sister cities."),
]


@pytest.mark.parametrize(("source", "target"), ISSUE_EXAMPLES)
def test_the_issue_s_examples_pass_with_the_starter_glossary(source: str, target: str) -> None:
    assert findings(Glossary.starter(), source, target, "en") == []


def test_the_starter_glossary_still_flags_a_wrong_official_term() -> None:
    assert findings(
        Glossary.starter(),
        "本市与友好城市开展交流。",
        "Shanghai holds exchanges with its twin towns.",
        "en",
    ) == [
        (
            "error",
            "友好城市 must be translated as 'sister city' (or 'friendship city'); the translation "
            "has no form of it",
        )
    ]


def memory_pairs() -> list[tuple[str, str, str]]:
    """(source, language, translation) of every human pair of the sample memory."""
    units = read_tmx((SAMPLES / "memory.tmx").read_bytes(), path="memory.tmx")
    return [(u.source, lang, text) for u in units for lang, text in u.targets.items()]


def test_no_pair_of_the_sample_memory_has_a_glossary_finding() -> None:
    """The 88 human pairs, with the starter glossary: the glossary blocks none of them.

    Two of the issue's four blocked pairs were the glossary's (invitation letters, disclosure of
    government information); the other two (一年来 → "Over the past year" in en and fr) are
    blocked by the numbers check alone.
    """
    pairs = memory_pairs()
    assert len(pairs) == 88
    starter = Glossary.starter()
    flagged = [
        (language, target, found)
        for source, language, target in pairs
        if (found := findings(starter, source, target, language))
    ]
    assert flagged == []


# The renderings the sample memory's translators use in the other three languages, as an office
# term list would give them: the memory's own text must pass with them too.
OFFICE_RENDERINGS = """\
source,language,target,variants
领事认证,ja,領事認証,
领事认证,fr,légalisation consulaire,
领事认证,ko,영사인증,
外国人来华邀请,ja,外国人の訪中招へい,
外国人来华邀请,fr,lettre d'invitation pour les étrangers se rendant en Chine,
外国人来华邀请,ko,외국인 중국 방문 초청,
APEC商务旅行卡,ja,APECビジネストラベルカード,
APEC商务旅行卡,fr,carte de voyage d'affaires APEC,
APEC商务旅行卡,ko,APEC 기업인 여행카드,
因公出国（境）,ja,公務出国（出境）,
因公出国（境）,fr,mission officielle à l'étranger,
因公出国（境）,ko,공무 출국(출경),
政府信息公开,ja,政府情報公開,
政府信息公开,fr,publication des informations gouvernementales,communication d'informations gouvernementales
政府信息公开,ko,정부정보공개,
"""


def test_the_sample_memory_passes_with_office_renderings_in_every_language(
    tmp_path: Path,
) -> None:
    path = tmp_path / "office.csv"
    path.write_text(OFFICE_RENDERINGS, encoding="utf-8")
    glossary = Glossary.from_csv(path)
    checked = [
        (language, target, findings(glossary, source, target, language))
        for source, language, target in memory_pairs()
        if glossary.hits(source, language)
    ]
    assert len(checked) == 24  # eight units with a term, in ja, fr and ko
    assert [row for row in checked if row[2]] == []


class TestGlossaryCheckWithVariantsAndStrength(CheckContract):
    check = GlossaryCheck()
    glossary = FRIENDSHIP
    good = [
        ("与友好城市开展交流", target, language) for language, target, said in VARIANTS if not said
    ]
    bad = [("与友好城市开展交流", target, language) for language, target, said in VARIANTS if said]
