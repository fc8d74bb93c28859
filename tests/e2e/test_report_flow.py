"""The yearly-report flow on a real Prefect server: files in the reports folder, table and text artifacts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.settings import PREFECT_API_URL, temporary_settings

from core.settings import Settings
from tests.e2e.conftest import Waiwen
from tests.reporting.ledger import load_rows

# A real Prefect server or `waiwen up`: `pytest -m 'not e2e'` is the fast run without them.
pytestmark = pytest.mark.e2e

RUN_FLOW = (
    "import json, sys; from flows.report import yearly_report;"
    "print(json.dumps(yearly_report(**json.loads(sys.argv[1]))))"
)


def _run_flow(waiwen: Waiwen, **parameters: object) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", RUN_FLOW, json.dumps(parameters)],
        env=waiwen.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_report_flow_writes_every_format_and_leaves_artifacts(
    waiwen: Waiwen, settings: Settings, prefect_api_url: str
) -> None:
    load_rows(settings.resolved_database_url)
    done = _run_flow(waiwen, year=2025)
    folder = Path(settings.home).resolve() / "reports" / "2025"
    assert sorted(Path(f).name for f in done["files"]) == [
        "audit-2025.csv",
        "report-2025.csv",
        "report-2025.json",
        "report-2025.md",
        "report-2025.png",
        "report-2025.xlsx",
    ]
    assert all((folder / Path(f).name).stat().st_size > 0 for f in done["files"])
    # The default convention, office-2020 v2 (tests/reporting/ledger.py, EXPECTED_V2_2025).
    assert done["table"] == {
        "英文字数": 401,
        "日文字数": 780,
        "法文字数": 291,
        "韩文字数": 213,
        "外文稿件篇数": 4,
        "外文总字词数": 1685,
    }

    keys = ["yearly-report-2025", "yearly-report-2025-text"]
    with (
        temporary_settings(updates={PREFECT_API_URL: prefect_api_url}),
        get_client(sync_client=True) as client,
    ):
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    by_key = {a.key: a for a in artifacts}
    table = by_key["yearly-report-2025"]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert rows[-1] == {"月份": "合计", **done["table"]}
    assert len(rows) == 13
    text = by_key["yearly-report-2025-text"]
    assert text.type == "markdown" and "| 401 | 780 | 291 | 213 | 4 | 1685 |" in str(text.data)

    # The schedule's runs only report on the first three working days of January. 2026 starts
    # with a holiday on Jan 1-3 and a make-up Sunday on Jan 4, so Jan 7 is the fourth: nothing.
    skipped = _run_flow(
        waiwen, first_working_days=3, as_of="2026-01-07", output_dir=str(folder / "x")
    )
    assert skipped == {"skipped": "2026-01-07"} and not (folder / "x").exists()
