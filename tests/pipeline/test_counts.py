"""What the yearly report counts, through the real pipeline: publication, correction, retraction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, update

from content.counting import CONVENTIONS, find_convention, measure
from core.clock import office_today
from core.settings import Settings, get_settings
from pipeline.counts import count_publication, measure_again
from pipeline.drafting import EngineChain
from pipeline.texts import approved_text, language_texts
from reporting.yearly import UnmeasuredTexts, build_report
from store.db import transaction
from store.models import CountedText, LanguageVersion, Notice, NoticeVersion
from tests.notices import BODY, write_notice
from tests.pipeline.steps import approve, audit_actions, draft, publish, queue
from waiwen.cli import main

OFFICE = CONVENTIONS["office-2020"]  # the newest version, the default of new reports
OFFICE_V1 = find_convention("office-2020 v1")
NOW = datetime(2026, 1, 5, tzinfo=UTC)
CORRECTED_BODY = BODY.replace("约120人出席会议。", "约150人出席会议，并就签证便利化交换意见。")


def _counted(url: str) -> dict[str, CountedText]:
    with transaction(url) as session:
        return {c.language: c for c in session.scalars(select(CountedText))}


def _measures(url: str, version_id: int) -> dict[str, dict[str, int]]:
    with transaction(url) as session:
        rows = session.scalars(
            select(LanguageVersion).where(LanguageVersion.version_id == version_id)
        )
        return {lang.language: dict(lang.measures or {}) for lang in rows}


def _table(url: str, year: int, convention: str = "office-2020") -> list[int]:
    with transaction(url) as session:
        return build_report(session, year, find_convention(convention), NOW).year_row.cells()


def _move_to(url: str, day: date) -> None:
    """Pretend the notice first went out on ``day`` (the pipeline stamps today's date)."""
    with transaction(url) as session:
        session.execute(
            update(CountedText).values(published_on=day, year=day.year, month=day.month)
        )


@pytest.fixture
def published(settings: Settings, chain: EngineChain, tmp_path: Path) -> int:
    """Notice 1 in en and ja, drafted, approved and published today; returns its version id."""
    url = settings.resolved_database_url
    path = write_notice(tmp_path / "notice.md", languages=["en", "ja"])
    version_id = queue(settings, path).version_id
    draft(url, version_id, chain)
    approve(url, "1", "en")
    approve(url, "1", "ja")
    publish(url, version_id, Path(settings.site_dir))
    return version_id


def test_a_published_language_is_counted_once_with_its_approved_measures(
    settings: Settings, published: int
) -> None:
    url = settings.resolved_database_url
    counted = _counted(url)
    measures = _measures(url, published)
    assert set(counted) == {"en", "ja"}  # zh is not a foreign language; the report leaves it out
    year = office_today().year
    for lang, row in counted.items():
        assert row.state == "counted" and row.version == 1 and row.year == year
        assert row.published_on == office_today()
        assert {name: getattr(row, name) for name in measures[lang]} == measures[lang]
    table = _table(url, year)
    en, ja = measures["en"]["words"], measures["ja"]["characters_no_spaces"]
    assert en > 0 and ja > 0
    assert table == [en, ja, 0, 0, 1, en + ja]
    # Publishing again (and the WeChat channel's own record) counts nothing twice.
    publish(url, published, Path(settings.site_dir))
    assert _table(url, year) == table
    assert audit_actions(url)[("published", "en")] == 1


def test_a_correction_replaces_the_figures_in_the_year_of_first_publication(
    settings: Settings, published: int, chain: EngineChain, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    last_year = office_today().year - 1
    _move_to(url, date(last_year, 12, 30))  # first published last December
    before = _table(url, last_year)
    corrected = write_notice(
        tmp_path / "notice.md", body=CORRECTED_BODY, languages=["en", "ja", "ko"]
    )
    version_id = queue(settings, corrected).version_id
    draft(url, version_id, chain)
    approve(url, "1", "en")
    approve(url, "1", "ko")  # ja of the correction stays in review
    publish(url, version_id, Path(settings.site_dir))

    counted = _counted(url)
    new = _measures(url, version_id)
    assert counted["en"].version == 2 and counted["en"].words == new["en"]["words"]
    assert counted["ja"].version == 1  # the correction's ja is not published: v1 still counts
    assert counted["ko"].version == 2
    assert {row.year for row in counted.values()} == {last_year}
    assert sorted(lang for lang, row in counted.items() if row.lead) == ["en"]  # one per notice
    assert {row.published_on for row in counted.values()} == {date(last_year, 12, 30)}
    after = _table(url, last_year)
    assert after[0] == new["en"]["words"] != before[0]
    assert after[1] == before[1]
    assert after[3] == new["ko"]["words"] > 0
    assert after[4] == 1  # still one article
    assert after[5] == after[0] + after[1] + after[2] + after[3]
    assert _table(url, office_today().year) == [0, 0, 0, 0, 0, 0]


def test_an_older_version_published_late_never_replaces_a_correction(
    settings: Settings, published: int
) -> None:
    url = settings.resolved_database_url
    with transaction(url) as session:
        session.execute(update(CountedText).values(version=5, latin_words=7))
    with transaction(url) as session:
        notice = session.get_one(Notice, 1)
        version = session.get_one(NoticeVersion, published)
        lang = session.scalars(
            select(LanguageVersion).where(
                LanguageVersion.version_id == published, LanguageVersion.language == "en"
            )
        ).one()
        count_publication(session, notice, version, lang, datetime.now(UTC))
    assert _counted(url)["en"].latin_words == 7


def _count_again(url: str, version_id: int, language: str) -> None:
    """Count the published version's ``language`` again, as publishing it once more would."""
    with transaction(url) as session:
        lang = session.scalars(
            select(LanguageVersion).where(
                LanguageVersion.version_id == version_id, LanguageVersion.language == language
            )
        ).one()
        notice = session.get_one(Notice, 1)
        version = session.get_one(NoticeVersion, version_id)
        count_publication(session, notice, version, lang, datetime.now(UTC))


def test_a_further_language_is_counted_while_configured_and_keeps_its_corrections_after(
    settings: Settings, published: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = settings.resolved_database_url
    # The published Japanese version stands in for a German one: queueing German is intake's.
    with transaction(url) as session:
        session.execute(delete(CountedText).where(CountedText.language == "ja"))
        session.execute(
            update(LanguageVersion)
            .where(LanguageVersion.version_id == published, LanguageVersion.language == "ja")
            .values(language="de")
        )
    german = _measures(url, published)["de"]
    _count_again(url, published, "de")
    assert set(_counted(url)) == {"en"}  # German is not configured (the default): not counted

    monkeypatch.setenv("WAIWEN_TARGET_LANGUAGES", "en,ja,fr,ko,de")
    get_settings.cache_clear()
    _count_again(url, published, "de")
    counted = _counted(url)["de"]
    assert (counted.version, counted.words, counted.lead) == (1, german["words"], False)

    # German taken out of the configuration: what was counted stays, and a correction of it
    # (here: the ledger holding an older version) still replaces its figures.
    monkeypatch.delenv("WAIWEN_TARGET_LANGUAGES")
    get_settings.cache_clear()
    with transaction(url) as session:
        session.execute(
            update(CountedText).where(CountedText.language == "de").values(version=0, words=1)
        )
    _count_again(url, published, "de")
    assert (_counted(url)["de"].version, _counted(url)["de"].words) == (1, german["words"])


def test_retraction_takes_the_notice_out_of_the_report_and_the_site(
    settings: Settings, published: int, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    site = Path(settings.site_dir)
    year = office_today().year
    assert _table(url, year)[4] == 1
    runner = CliRunner()
    result = runner.invoke(main, ["retract", "1", "--reason", "内容有误", "--by", "秘书处"])
    assert result.exit_code == 0, result.output
    assert "retracted: 内容有误" in result.output
    assert "no longer counted in the yearly report: en, ja" in result.output
    assert _table(url, year) == [0, 0, 0, 0, 0, 0]
    assert {row.state for row in _counted(url).values()} == {"retracted"}
    for lang in ("zh", "en", "ja"):
        assert not (site / lang / "notices" / "0" / "1.html").exists()
        assert "notices/0/1.html" not in (site / lang / "index.html").read_text(encoding="utf-8")
    assert audit_actions(url)[("retracted", None)] == 1
    status = runner.invoke(main, ["status", "1", "--json"])
    [notice] = json.loads(status.output)
    assert notice["retracted"].endswith("by 秘书处: 内容有误") and not notice["overdue"]
    assert {lang["state"] for lang in notice["languages"]} == {"retracted"}

    again = runner.invoke(main, ["retract", "1", "--reason", "再次"])
    assert again.exit_code == 0 and "was retracted already" in again.output
    assert audit_actions(url)[("retracted", None)] == 1  # once, with the first reason
    with transaction(url) as session:
        notice = session.get_one(Notice, 1)
        assert notice.retraction_reason == "内容有误" and notice.retracted_by == "秘书处"

    # A retracted notice takes no new version: the editor is told why, and nothing is stored.
    corrected = write_notice(tmp_path / "notice.md", body=CORRECTED_BODY, languages=["en", "ja"])
    refused = runner.invoke(main, ["queue", str(corrected)])
    assert refused.exit_code == 1
    assert f"{corrected}: title, formed_on: names notice 1, retracted on" in refused.output
    assert "a retracted notice takes no new version" in refused.output
    with transaction(url) as session:
        assert session.scalar(select(NoticeVersion.id).where(NoticeVersion.number == 2)) is None


def test_retraction_needs_a_reason_and_a_known_notice(settings: Settings, published: int) -> None:
    runner = CliRunner()
    blank = runner.invoke(main, ["retract", "1", "--reason", "  "])
    assert blank.exit_code == 1 and "needs a reason" in blank.output
    assert "give it with --reason TEXT" in blank.output
    unknown = runner.invoke(main, ["retract", "99", "--reason", "x"])
    assert unknown.exit_code == 1 and "no notice '99': see `waiwen status`" in unknown.output
    assert _counted(settings.resolved_database_url)["en"].state == "counted"


def _forget_words(url: str) -> dict[str, dict[str, int]]:
    """Make the database one counted before office-2020 v2: no `words` anywhere; returns them."""
    with transaction(url) as session:
        taken = {}
        for lang in session.scalars(
            select(LanguageVersion).where(LanguageVersion.measures.is_not(None))
        ):
            taken[lang.language] = dict(lang.measures or {})
            lang.measures = {k: v for k, v in (lang.measures or {}).items() if k != "words"}
        session.execute(update(CountedText).values(words=None))
    return taken


def test_texts_counted_before_v2_are_measured_again_and_old_figures_stay(
    settings: Settings, published: int
) -> None:
    url = settings.resolved_database_url
    year = office_today().year
    v1_table = _table(url, year, "office-2020 v1")
    taken = _forget_words(url)
    assert _table(url, year, "office-2020 v1") == v1_table  # the old figures read as before
    runner = CliRunner()
    refused = runner.invoke(main, ["report", "--year", str(year)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"waiwen: {year}: convention office-2020 v2 reports by words, which 1 counted text(s)"
        " (en 1) lack: they were counted before waiwen took that measure. Measure them from"
        f" their texts, or report {year} under 'office-2020 v1' (measure them with"
        f" `waiwen recount --year {year}`)\n"
    )
    done = runner.invoke(main, ["recount", "--year", str(year)])
    assert done.exit_code == 0 and done.stdout == (
        "2 counted text(s) measured again from their approved text\n"
    )
    counted = _counted(url)
    # The measure taken now is the one approval took, and nothing stored before changed.
    assert {lang: row.words for lang, row in counted.items()} == {
        lang: taken[lang]["words"] for lang in ("en", "ja")
    }
    assert _measures(url, published)["en"] == taken["en"]
    assert _table(url, year, "office-2020 v1") == v1_table
    assert _table(url, year) == [
        taken["en"]["words"],
        v1_table[1],
        0,
        0,
        1,
        taken["en"]["words"] + v1_table[1],
    ]
    again = runner.invoke(main, ["recount"])
    assert again.stdout == "0 counted text(s) measured again from their approved text\n"


def test_a_language_approved_before_v2_and_published_after_is_counted_whole(
    settings: Settings, chain: EngineChain, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    version_id = queue(settings, write_notice(tmp_path / "n.md", languages=["ko"])).version_id
    draft(url, version_id, chain)
    approve(url, "1", "ko")
    taken = _forget_words(url)  # approved by a waiwen without `words`
    publish(url, version_id, Path(settings.site_dir))
    with transaction(url) as session:
        version = session.get_one(NoticeVersion, version_id)
        text = approved_text(
            version.skeleton or "", language_texts(session, version_id, "ko"), "ko"
        )
    assert _counted(url)["ko"].words == measure(text).words == taken["ko"]["words"]
    assert _measures(url, version_id)["ko"]["words"] == taken["ko"]["words"]


def test_an_archived_text_without_a_measure_is_named_by_its_manifest(
    settings: Settings, published: int
) -> None:
    url = settings.resolved_database_url
    with transaction(url) as session:
        session.add(
            CountedText(
                notice_key="archive:2019-017",
                notice_id=None,
                language="ko",
                title="旧稿",
                column="要闻动态",
                published_on=date(2019, 5, 6),
                year=2019,
                month=5,
                version=1,
                source="archive-2019.csv: texts/017-ko.md",
                content_hash="0" * 64,
                latin_words=1,
                cjk_characters=30,
                characters_no_spaces=35,
                korean_words=9,
                words=None,
                lead=True,
                state="counted",
            )
        )
    with transaction(url) as session:
        done = measure_again(session)
        assert (done.completed, done.archived) == (0, {"archive-2019.csv": 1})
        with pytest.raises(UnmeasuredTexts, match="2019: .*1 counted text\\(s\\) \\(ko 1\\)"):
            build_report(session, 2019, OFFICE, NOW)
        assert build_report(session, 2019, OFFICE_V1, NOW).year_row.cells() == [0, 0, 0, 9, 1, 9]
    result = CliRunner().invoke(main, ["recount", "--year", "2019"])
    assert result.stdout.splitlines()[1] == (
        "  1 text(s) loaded from archive-2019.csv lack a measure: load it again with"
        " `waiwen archive import archive-2019.csv`"
    )
