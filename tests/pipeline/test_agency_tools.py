"""waiwen's XLIFF through translate-toolkit, the toolkit the agencies' CAT tools are built on.

Its Python API reads and edits the files as those tools do, and its converters (xliff2po,
po2xliff) are run as installed commands on real files: the agency's PO round trip.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from translate.storage import factory, po
from translate.storage.xliff2 import Xliff2File

from core.settings import Settings
from pipeline import review
from pipeline.agency import AgencyImport, export_xliff, import_xliff
from store.db import transaction
from tests.pipeline.agency_notices import GUIDE, MARKED_ENGLISH, queue_drafted, queue_marked
from tests.pipeline.steps import approve, translations
from tests.pipeline.xliff_edits import edit
from tests.translations import ENGLISH
from translators.xliff import read_xliff_file

AGENCY = "译文公司"
TOOLS = Path(sys.executable).parent  # translate-toolkit's commands, installed beside Python
S3 = "各国驻沪领事机构代表约120人出席会议。"
S4 = "会议通报了2024年本市领事工作情况。"
S5 = "2024年共办理领事认证文书5.6万份，同比增长12%。"


@pytest.fixture
def drafted(settings: Settings, tmp_path: Path) -> int:
    """Notice 1 in English: all but segments 4 and 5 from the memory."""
    return queue_drafted(settings, tmp_path)


@pytest.fixture
def marked(settings: Settings, tmp_path: Path) -> int:
    """Notice 1 in English with a link, bold, a code span and a phone number, all drafted."""
    return queue_marked(settings, tmp_path)


def export_to(url: str, path: Path, version: str = "1.2") -> Path:
    with transaction(url) as session:
        data, _ = export_xliff(session, "1", "en", version=version)
    path.write_bytes(data)
    return path


def import_from(url: str, path: Path) -> AgencyImport:
    with transaction(url) as session:
        return import_xliff(session, read_xliff_file(path), AGENCY, path=str(path))


def run(tool: str, *args: Path | str) -> None:
    done = subprocess.run(
        [str(TOOLS / tool), *map(str, args)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def approved_language(url: str, tmp_path: Path) -> None:
    """The agency's texts for segments 4 and 5 imported, then the language approved."""
    first = export_to(url, tmp_path / "first.xlf")
    first.write_bytes(edit(first.read_bytes(), {"s4": ENGLISH[S4], "s5": ENGLISH[S5]}))
    assert import_from(url, first).updated == [4, 5]
    approve(url, "1", "en")


def test_translate_toolkit_counts_drafts_as_fuzzy_and_nothing_as_approved_before_approval(
    drafted: int, url: str, tmp_path: Path
) -> None:
    store = factory.getobject(str(export_to(url, tmp_path / "draft.xlf")))
    units = {unit.getid().rsplit("\x04", 1)[-1]: unit for unit in store.units}
    assert not any(unit.isapproved() for unit in units.values())
    assert units["s0"].isfuzzy()  # a memory draft waits for a reviewer
    assert not units["s4"].istranslated() and not units["s4"].target


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_translate_toolkit_finds_every_unit_translated_and_approved_after_approval(
    drafted: int, url: str, tmp_path: Path, version: str
) -> None:
    approved_language(url, tmp_path)
    path = export_to(url, tmp_path / f"approved-{version}.xlf", version)
    store = Xliff2File.parsefile(str(path)) if version == "2.0" else factory.getobject(str(path))
    assert type(store).__name__ == ("Xliff2File" if version == "2.0" else "Xliff1File")
    assert len(store.units) == 12
    rows = translations(url, drafted, "en")
    for unit in store.units:
        assert unit.istranslated() and unit.isapproved() and not unit.isfuzzy(), unit.getid()
        position = int(unit.getid().rsplit("s", 1)[-1])
        assert unit.target == rows[position].text


def edit_po(path: Path, change: dict[str, str]) -> None:
    """A translator types msgstr for the entries whose msgid is a key, and clears their fuzzy flag."""
    store = po.pofile.parsefile(str(path))
    found = set()
    for unit in store.units:
        if unit.source in change:
            unit.target = change[unit.source]
            unit.markfuzzy(False)
            found.add(unit.source)
    assert found == set(change)
    path.write_bytes(bytes(store))


@pytest.mark.parametrize("template", [True, False], ids=["po2xliff -t export", "po2xliff"])
def test_a_po_round_trip_through_xliff2po_and_po2xliff_changes_exactly_the_edited_units(
    drafted: int, url: str, tmp_path: Path, template: bool
) -> None:
    before = translations(url, drafted, "en")
    export = export_to(url, tmp_path / "notice-1-en.xlf")
    po_file = tmp_path / "notice-1-en.po"
    run("xliff2po", export, po_file)
    # Sentence 3 as the agency words it (with the attendance it was told of), sentence 4 new.
    mistyped = "About 150 representatives of consular missions in Shanghai attended."
    edit_po(po_file, {S3: mistyped, S4: ENGLISH[S4]})
    back = tmp_path / "back.xlf"
    run("po2xliff", *(("-t", export) if template else ()), po_file, back)

    done = import_from(url, back)

    assert (done.updated, done.unchanged, done.conflicts) == ([3, 4], 10, [])
    # po2xliff turns the PO header into a unit of its own: passed over, and said so.
    [skipped] = done.skipped
    assert skipped.endswith(": the header of a PO file, not a segment")
    after = translations(url, drafted, "en")
    for position, row in after.items():
        if position in (3, 4):
            assert (row.origin, row.revision, row.updated_by) == ("agency", 2, AGENCY)
        else:
            assert (row.text, row.revision) == (before[position].text, before[position].revision)
    assert after[3].text == mistyped
    # The findings were checked again: the agency's 150 is not the source's 120.
    assert [f["check"] for f in after[3].findings or []] == ["numbers"]
    assert after[4].findings == []
    assert import_from(url, back).updated == []  # nothing twice


def test_a_po_round_trip_keeps_inline_markdown_it_cannot_show(
    marked: int, url: str, tmp_path: Path
) -> None:
    export = export_to(url, tmp_path / "guide-en.xlf")
    po_file = tmp_path / "guide-en.po"
    run("xliff2po", export, po_file)
    msgids = [unit.source for unit in po.pofile.parsefile(str(po_file)).units if unit.source]
    # The PO shows the link's and the bold's text, not their markup; a code span and a phone
    # number travel as the text they are.
    assert "详见办事指南和重要提示。" in msgids
    assert "请查看`附件1`，咨询电话：021-62172230。" in msgids
    edit_po(
        po_file, {"请查看`附件1`，咨询电话：021-62172230。": "Read `附件1`; call 021-62172230."}
    )
    back = tmp_path / "back.xlf"
    run("po2xliff", "-t", export, po_file, back)

    done = import_from(url, back)

    assert done.updated == [2]
    rows = translations(url, marked, "en")
    assert rows[2].text == "Read `附件1`; call 021-62172230."
    # The link paragraph came back without its codes, unedited: the stored Markdown stays.
    assert rows[1].text == MARKED_ENGLISH[f"详见[办事指南]({GUIDE})和**重要提示**。"]
    assert rows[1].revision == 1


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_an_xliff_file_edited_with_translate_toolkit_changes_exactly_the_edited_unit(
    drafted: int, url: str, tmp_path: Path, version: str
) -> None:
    """What a CAT tool on translate-toolkit does: open the file, type a target, save."""
    before = translations(url, drafted, "en")
    path = export_to(url, tmp_path / "notice-1-en.xlf", version)
    store = Xliff2File.parsefile(str(path)) if version == "2.0" else factory.getobject(str(path))
    [unit] = [u for u in store.units if u.getid().endswith("s4")]
    unit.target = ENGLISH[S4]
    unit.marktranslated()
    path.write_bytes(bytes(store))
    assert b"waiwen/notice-1/version-1/en/s4/revision-1" in path.read_bytes()  # kept by the tool

    done = import_from(url, path)

    assert (done.updated, done.unchanged) == ([4], 11)
    after = translations(url, drafted, "en")
    assert (after[4].text, after[4].origin, after[4].revision) == (ENGLISH[S4], "agency", 2)
    assert all(
        (after[p].text, after[p].revision) == (before[p].text, before[p].revision)
        for p in after
        if p != 4
    )


@pytest.mark.parametrize("template", [True, False], ids=["po2xliff -t export", "po2xliff"])
def test_a_desk_edit_made_while_the_po_was_out_survives_the_round_trip_as_a_conflict(
    drafted: int, url: str, tmp_path: Path, template: bool
) -> None:
    export = export_to(url, tmp_path / "notice-1-en.xlf")
    po_file = tmp_path / "notice-1-en.po"
    run("xliff2po", export, po_file)
    mine = "Some 120 consular representatives attended (the reviewer's words)."
    with transaction(url) as session:
        review.edit_segment(session, "1", "en", 3, mine, "审校乙")
    edit_po(po_file, {S3: "The agency's sentence 3.", S4: ENGLISH[S4]})
    back = tmp_path / "back.xlf"
    run("po2xliff", *(("-t", export) if template else ()), po_file, back)

    done = import_from(url, back)

    assert done.updated == [4]
    [conflict] = done.conflicts
    assert (conflict.position, conflict.exported, conflict.revision) == (3, 1, 2)
    assert conflict.file == "The agency's sentence 3." and conflict.desk == mine
    assert translations(url, drafted, "en")[3].text == mine
