"""A notice's language out to an agency as XLIFF and back: exactly the edited segments change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.settings import Settings
from pipeline import review
from pipeline.agency import AgencyImport, export_xliff, import_xliff
from store.db import transaction
from store.models import AuditEntry
from tests.notices import write_notice
from tests.pipeline.agency_notices import GUIDE, MARKED_ENGLISH, queue_drafted, queue_marked
from tests.pipeline.steps import NO_ENGINES, approve, draft, queue, translations
from tests.pipeline.xliff_edits import edit, set_target
from tests.translations import ENGLISH
from translators.inline_codes import markdown_of
from translators.xliff import Reference, XliffError, read_xliff

AGENCY = "译文公司"
REVIEWER = "审校乙"
S4 = ENGLISH["会议通报了2024年本市领事工作情况。"]
S5 = ENGLISH["2024年共办理领事认证文书5.6万份，同比增长12%。"]


@pytest.fixture
def drafted(settings: Settings, tmp_path: Path) -> int:
    """Notice 1 in English: all but segments 4 and 5 from the memory."""
    return queue_drafted(settings, tmp_path)


@pytest.fixture
def marked(settings: Settings, tmp_path: Path) -> int:
    """Notice 1 in English with a link, bold, a code span and a phone number, all drafted."""
    return queue_marked(settings, tmp_path)


def exported(url: str, version: str = "1.2", units: int = 12) -> bytes:
    with transaction(url) as session:
        data, count = export_xliff(session, "1", "en", version=version)
    assert count == units
    return data


def imported(url: str, data: bytes, **named: str) -> AgencyImport:
    with transaction(url) as session:
        return import_xliff(
            session, read_xliff(data), AGENCY, path="agency/notice-1-en.xlf", **named
        )


def desk_edit(url: str, position: int, text: str) -> None:
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", position, text, REVIEWER)


def test_the_export_has_every_segment_with_its_state_reference_and_notes(
    drafted: int, url: str
) -> None:
    document = read_xliff(exported(url))
    units = {unit.id: unit for unit in document.units}
    assert units["s4"].state == units["s5"].state == "needs-translation"
    assert (
        units["s0"].state == "needs-review-translation"
    )  # from the memory: a reviewer has to look
    assert not any(unit.approved for unit in units.values())
    assert document.original == "市政府外办召开2025年领事工作通报会|2025-03-03#version=1"
    assert units["s3"].references == (Reference(1, 1, "en", 3, 1),)
    assert [note.text for note in units["s0"].notes] == ["kind: title"]
    assert "glossary: 领事认证 → consular legalization" in [n.text for n in units["s8"].notes]


def test_importing_updates_exactly_the_edited_segments(drafted: int, url: str) -> None:
    before = translations(url, drafted, "en")
    data = edit(exported(url), {"s4": S4, "s5": S5})
    assert b"<ns0:trans-unit" in data  # written again by another tool, under its own prefix
    done = imported(url, data)
    assert (done.updated, done.unchanged, done.conflicts) == ([4, 5], 10, [])
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
    assert imported(url, data).updated == []  # nothing twice
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
    data = edit(exported(url), {"s4": S4, "s5": S5})
    imported(url, data)
    approve(url, "1", "en")
    document = read_xliff(exported(url))
    assert {unit.state for unit in document.units} == {"final"}
    assert all(unit.approved for unit in document.units)
    with pytest.raises(XliffError, match="is approved; only a language in review"):
        imported(url, data)


def test_a_desk_edit_since_the_export_is_a_conflict_and_the_other_units_are_taken(
    drafted: int, url: str
) -> None:
    data = exported(url)
    mine = "About 120 consular representatives attended, as the reviewer put it."
    desk_edit(url, 3, mine)
    agency = edit(data, {"s3": "The agency's sentence 3.", "s4": S4})

    done = imported(url, agency)

    assert (done.updated, done.unchanged) == ([4], 10)
    [conflict] = done.conflicts
    assert (conflict.position, conflict.exported, conflict.revision, conflict.by) == (
        3,
        1,
        2,
        REVIEWER,
    )
    assert str(conflict).startswith("trans-unit s3: segment 3 changed since the export")
    assert conflict.file == "The agency's sentence 3." and conflict.desk == mine
    rows = translations(url, drafted, "en")
    assert (rows[3].text, rows[3].origin) == (mine, "human")
    assert (rows[4].text, rows[4].origin) == (S4, "agency")


def test_a_unit_left_as_exported_never_undoes_a_desk_edit(drafted: int, url: str) -> None:
    data = exported(url)
    mine = "About 120 consular representatives attended, as the reviewer put it."
    desk_edit(url, 3, mine)

    done = imported(url, edit(data, {"s4": S4}))  # the file still has the old sentence 3

    assert done.updated == [4]
    assert [c.position for c in done.conflicts] == [3]
    assert translations(url, drafted, "en")[3].text == mine


def test_inline_markdown_travels_as_codes_and_comes_back_exactly(marked: int, url: str) -> None:
    data = exported(url, units=5)
    text = data.decode()
    # The link's address is markup in the code, never text to translate.
    assert (
        f'<g id="1" ctype="link" waiwen:open="[" waiwen:close="]({GUIDE.replace("&", "&amp;")})">办事指南</g>'
        in text
    )
    assert '<g id="2" ctype="bold" waiwen:open="**" waiwen:close="**">重要提示</g>' in text
    assert '<ph id="1" ctype="x-code">`附件1`</ph>' in text
    assert '<ph id="2" ctype="x-phone">021-62172230</ph>' in text
    unit = read_xliff(data).units[1]
    assert unit.source_text == "详见办事指南和重要提示。"
    assert unit.target is not None and markdown_of(unit.target) == MARKED_ENGLISH[unit_source(1)]

    # The agency's tool keeps the ids and drops waiwen's attributes; the markup comes from the notice.
    agency = set_target(data, "s1", 'Read the <g id="1">guide</g> and the <g id="2">notes</g>.')
    done = imported(url, agency)

    assert done.updated == [1]
    assert translations(url, marked, "en")[1].text == (
        f"Read the [guide]({GUIDE}) and the **notes**."
    )


def unit_source(position: int) -> str:
    return list(MARKED_ENGLISH)[position]


@pytest.mark.parametrize(
    ("unit", "target", "rule"),
    [
        ("s1", 'Read the <g id="1">guide</g> and the notes.', "inline code 2: missing: the bold"),
        (
            "s1",
            'Read <x id="1"/> and <g id="2">notes</g>.',
            "inline code 1: it stands alone in the file",
        ),
        (
            "s1",
            'Read the <g id="1" waiwen:close="](https://evil.example/)">guide</g> <g id="2">n</g>.',
            "inline code 1: altered: the file has '](https://evil.example/)'",
        ),
        (
            "s2",
            'See <ph id="1">`附件2`</ph>; call <ph id="2">021-62172230</ph>.',
            "inline code 1: altered",
        ),
        (
            "s2",
            'See <ph id="1"/>; call <ph id="2"/> or <ph id="3"/>.',
            "inline code 3: the stored text has no such code",
        ),
        (
            "s2",
            'See <ph id="1"/>, <ph id="1"/>; call <ph id="2"/>.',
            "inline code 1: appears twice",
        ),
        ("s1", "Read the guide and the notes.", "inline code 1: missing: the link"),
        ("s3", 'Notice <ph id="1">{1}</ph>.', "inline code 1: the stored text has no such code"),
    ],
)
def test_a_missing_altered_or_extra_code_refuses_the_file(
    marked: int, url: str, unit: str, target: str, rule: str
) -> None:
    before = translations(url, marked, "en")
    data = set_target(exported(url, units=5), unit, target)
    with pytest.raises(XliffError) as refused:
        imported(url, data)
    assert (refused.value.where, refused.value.field) == (
        "agency/notice-1-en.xlf",
        f"trans-unit {unit}",
    )
    assert rule in refused.value.rule
    after = translations(url, marked, "en")
    assert [(r.text, r.revision) for r in after.values()] == [
        (r.text, r.revision) for r in before.values()
    ]


def test_markdown_typed_into_a_target_without_codes_is_taken(marked: int, url: str) -> None:
    typed = f"Read the [guide]({GUIDE}) and the **notes** first."
    done = imported(url, edit(exported(url, units=5), {"s1": typed}))
    assert done.updated == [1]
    assert translations(url, marked, "en")[1].text == typed


def _foreign(data: bytes, *, references: bool) -> bytes:
    """The export as another tool writes it back: its own ids and original, waiwen's kept or not."""
    text = data.decode()
    text = re.sub(r'<trans-unit id="s(\d+)"', lambda m: f'<trans-unit id="tu-{m[1]}"', text)
    text = re.sub(r'original="[^"]*"', 'original="guide.docx"', text)
    if not references:
        text = re.sub(
            r"\s*<context-group purpose=\"location\">.*?</context-group>", "", text, flags=re.S
        )
    return text.encode()


def test_a_file_with_other_ids_and_original_is_matched_by_its_references(
    marked: int, url: str
) -> None:
    data = set_target(_foreign(exported(url, units=5), references=True), "tu-4", "So notified.")
    done = imported(url, data)
    assert (done.updated, done.unchanged) == ([4], 4)
    rows = translations(url, marked, "en")
    assert rows[4].text == "So notified." and rows[3].text == MARKED_ENGLISH["特此通知。"]


def test_a_file_that_names_nothing_is_matched_by_source_for_the_notice_named(
    marked: int, url: str
) -> None:
    plain = _foreign(exported(url, units=5), references=False)
    with pytest.raises(XliffError, match="does not say which notice it is for"):
        imported(url, plain)

    done = imported(
        url,
        set_target(plain, "tu-1", 'Read the <g id="1">guide</g> and <g id="2">this</g>.'),
        notice="1",
    )
    assert done.updated == [1]

    # 特此通知 is the source of segments 3 and 4: which one the file means it cannot say.
    with pytest.raises(XliffError, match="trans-unit tu-4: its source is that of segments 3, 4"):
        imported(url, set_target(plain, "tu-4", "So notified."), notice="1")
    with pytest.raises(XliffError, match="no notice '2'"):
        imported(url, plain, notice="2")


def test_a_unit_that_matches_no_segment_is_refused_not_dropped(marked: int, url: str) -> None:
    data = _foreign(exported(url, units=5), references=False).replace(
        "特此通知。".encode(), "特此公告。".encode(), 1
    )
    with pytest.raises(
        XliffError, match="trans-unit tu-3: its source matches no segment of notice 1"
    ):
        imported(url, data, notice="1")


def test_xliff_2_0_goes_out_and_comes_back(drafted: int, url: str) -> None:
    data = exported(url, "2.0")
    document = read_xliff(data)
    assert document.version == "2.0"
    assert {unit.state for unit in document.units} == {
        "needs-review-translation",
        "needs-translation",
    }
    done = imported(url, set_target(data, "s4", S4))
    assert (done.updated, done.unchanged) == ([4], 11)
    assert translations(url, drafted, "en")[4].origin == "agency"


# A file another tool wrote for the same units, following XLIFF 2.0 (OASIS, 2014): its own unit
# ids, an `original` of its own, no waiwen reference, the link as <sc>/<ec> with its markup in
# <originalData>, the bold as <pc>, and the paragraph cut into two <segment>s.
HAND_WRITTEN_2_0 = f"""<?xml version="1.0" encoding="UTF-8"?>
<x2:xliff xmlns:x2="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en-GB">
  <x2:file id="guide" original="guide.docx">
    <x2:group id="body">
      <x2:unit id="para-1">
        <x2:originalData>
          <x2:data id="a">[</x2:data>
          <x2:data id="b">]({GUIDE.replace("&", "&amp;")})</x2:data>
          <x2:data id="c">**</x2:data>
        </x2:originalData>
        <x2:segment id="1" state="translated">
          <x2:source>详见<x2:sc id="1" dataRef="a"/>办事指南<x2:ec startRef="1" dataRef="b"/></x2:source>
          <x2:target>Read the <x2:sc id="1" dataRef="a"/>guide<x2:ec startRef="1" dataRef="b"/></x2:target>
        </x2:segment>
        <x2:segment id="2" state="translated">
          <x2:source>和<x2:pc id="2" dataRefStart="c" dataRefEnd="c">重要提示</x2:pc>。</x2:source>
          <x2:target> and the <x2:pc id="2">key notes</x2:pc>.</x2:target>
        </x2:segment>
      </x2:unit>
      <x2:unit id="para-3">
        <x2:segment state="final">
          <x2:source>特此通知。</x2:source>
          <x2:target>Notice is hereby given.</x2:target>
        </x2:segment>
      </x2:unit>
    </x2:group>
  </x2:file>
</x2:xliff>
"""


def test_an_xliff_2_0_file_written_by_another_tool_by_the_specification(
    marked: int, url: str
) -> None:
    document = read_xliff(HAND_WRITTEN_2_0.encode(), path="agency/guide.xlf")
    assert [unit.id for unit in document.units] == ["para-1", "para-3"]
    done = imported(url, HAND_WRITTEN_2_0.encode(), notice="1")
    assert done.updated == [1]
    assert translations(url, marked, "en")[1].text == (
        f"Read the [guide]({GUIDE}) and the **key notes**."
    )
