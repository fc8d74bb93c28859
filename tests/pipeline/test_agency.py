"""A notice's language out to an agency as XLIFF and back: exactly the edited segments change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.settings import Settings
from pipeline.agency import export_xliff, import_xliff
from store.db import transaction
from store.models import AuditEntry
from tests.notices import write_notice
from tests.pipeline.steps import NO_ENGINES, approve, draft, learn, queue, translations
from tests.translations import ENGLISH
from translators.xliff import XliffError, read_xliff

AGENCY = "译文公司"


@pytest.fixture
def drafted(settings: Settings, url: str, tmp_path: Path) -> int:
    """Notice 1 in English: all but two segments from the memory."""
    learn(url, {s: t for s, t in ENGLISH.items() if "2024" not in s}, "en")
    version_id = queue(settings, write_notice(tmp_path / "notice.md", languages=["en"])).version_id
    draft(url, version_id, NO_ENGINES)
    return version_id


def exported(url: str) -> bytes:
    with transaction(url) as session:
        data, units = export_xliff(session, "1", "en")
    assert units == 12
    return data


def imported(url: str, data: bytes) -> object:
    with transaction(url) as session:
        return import_xliff(session, read_xliff(data), AGENCY, path="agency/notice-1-en.xlf")


def fill(data: bytes, unit: str, text: str) -> bytes:
    """The agency types `text` as the target of one unit (an empty target may be written <target/>)."""
    document, count = re.subn(
        rf'(<trans-unit id="{unit}">\s*<source>.*?</source>\s*)<target state="[^"]*"\s*(?:/>|>.*?</target>)',
        lambda m: f'{m.group(1)}<target state="translated">{text}</target>',
        data.decode("utf-8"),
        count=1,
        flags=re.DOTALL,
    )
    assert count == 1, f"unit {unit} not found"
    return document.encode("utf-8")


def test_the_export_has_every_segment_with_its_state(drafted: int, url: str) -> None:
    document = read_xliff(exported(url))
    states = {unit.id: unit.state for unit in document.units}
    assert states["s4"] == states["s5"] == "needs-translation"
    assert states["s0"] == "needs-review-translation"  # from the memory: a reviewer has to look
    assert document.original == "市政府外办召开2025年领事工作通报会|2025-03-03#version=1"


def test_importing_updates_exactly_the_edited_segments(drafted: int, url: str) -> None:
    before = translations(url, drafted, "en")
    data = exported(url)
    data = fill(data, "s4", ENGLISH["会议通报了2024年本市领事工作情况。"])
    data = fill(data, "s5", ENGLISH["2024年共办理领事认证文书5.6万份，同比增长12%。"])
    done = imported(url, data)
    assert (done.updated, done.unchanged) == ([4, 5], 10)  # type: ignore[attr-defined]
    after = translations(url, drafted, "en")
    for position, row in after.items():
        if position in (4, 5):
            assert (row.origin, row.revision, row.updated_by) == ("agency", 2, AGENCY)
            assert row.findings == []
        else:
            assert (row.text, row.revision, row.origin) == (
                before[position].text,
                before[position].revision,
                before[position].origin,
            )
    with transaction(url) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "edited")).all()
        assert [(e.actor, e.detail["segment"]) for e in entries] == [(AGENCY, 4), (AGENCY, 5)]
    assert imported(url, data).updated == []  # type: ignore[attr-defined]  # nothing twice
    approve(url, "1", "en")


def test_a_changed_source_an_unknown_unit_and_an_old_version_are_refused(
    drafted: int, url: str, settings: Settings, tmp_path: Path
) -> None:
    data = exported(url)
    with pytest.raises(XliffError, match="trans-unit s1: the source text differs"):
        imported(url, data.replace("会议概况".encode(), "会议简况".encode()))
    with pytest.raises(XliffError, match="trans-unit s99: no such segment"):
        imported(url, data.replace(b'id="s11"', b'id="s99"'))
    assert translations(url, drafted, "en")[4].text is None  # nothing of a refused file is taken
    newer = write_notice(
        tmp_path / "notice.md", languages=["en"], **{"title": "市政府外办召开2025年领事工作通报会"}
    )
    newer.write_text(
        newer.read_text(encoding="utf-8").replace("约120人", "约150人"), encoding="utf-8"
    )
    draft(url, queue(settings, newer).version_id, NO_ENGINES)
    with pytest.raises(XliffError, match="version 1 of notice 1, but version 2 is current"):
        imported(url, data)


def test_an_approved_language_takes_no_import(drafted: int, url: str) -> None:
    data = fill(exported(url), "s4", ENGLISH["会议通报了2024年本市领事工作情况。"])
    data = fill(data, "s5", ENGLISH["2024年共办理领事认证文书5.6万份，同比增长12%。"])
    imported(url, data)
    approve(url, "1", "en")
    document = read_xliff(exported(url))
    assert {unit.state for unit in document.units} == {"final"}
    with pytest.raises(XliffError, match="is approved; only a language in review"):
        imported(url, data)
