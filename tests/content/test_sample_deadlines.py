"""The sample notices respect the time limits the calendar computes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.calendar import WorkingCalendar, disclosure_deadline

SAMPLES = Path(__file__).resolve().parents[2] / "content" / "samples"
NOTICES = sorted(SAMPLES.glob("2*.md"))


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML front matter of a sample notice."""
    match = re.match(r"\A---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"{path.name}: no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def test_there_are_samples() -> None:
    assert len(NOTICES) >= 6


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.name)
def test_sample_approved_within_disclosure_deadline(path: Path) -> None:
    meta = front_matter(path)
    formed_on, approved_on = meta["formed_on"], meta["approval"]["approved_on"]
    assert isinstance(formed_on, date) and isinstance(approved_on, date)
    deadline = disclosure_deadline(formed_on, WorkingCalendar())
    assert not deadline.estimated
    assert formed_on <= approved_on <= deadline.due


def test_exactly_one_major_sample_and_it_has_a_leader() -> None:
    majors = [front_matter(p) for p in NOTICES if front_matter(p)["urgency"] == "major"]
    assert len(majors) == 1
    assert majors[0]["approval"]["leader"]
