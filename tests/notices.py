"""Builders of notice files for tests: a valid notice with any field changed or removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from store.db import transaction
from store.models import Base

BODY = """## 会议概况

3月3日，市政府外办召开2025年领事工作通报会。各国驻沪领事机构代表约120人出席会议。

会议通报了2024年本市领事工作情况。2024年共办理领事认证文书5.6万份，同比增长12%。

| 事项 | 数量 |
|---|---|
| 领事认证 | 5.6万份 |
| 外国人来华邀请 | 3200件 |
"""

REMOVE = object()


def front_matter(**changes: Any) -> dict[str, Any]:
    """A complete, valid front matter with ``changes`` applied (REMOVE deletes a key; dotted keys reach into approval)."""
    data: dict[str, Any] = {
        "title": "市政府外办召开2025年领事工作通报会",
        "column": "要闻动态",
        "category": "动态类",
        "classification": "公开",
        "formed_on": "2025-03-03",
        "urgency": "normal",
        "languages": ["en", "ja", "fr", "ko"],
        "channels": ["site", "wechat"],
        "approval": {
            "drafter": "经办人甲",
            "division": "秘书处",
            "contact": "22161272",
            "division_review": "审核人乙",
            "disclosure_review": "审核人丙",
            "approver": "审批人丁",
            "approved_on": "2025-03-04",
        },
    }
    for key, value in changes.items():
        target, name = data, key
        if "." in key:
            outer, name = key.split(".", 1)
            target = data[outer]
        if value is REMOVE:
            target.pop(name, None)
        else:
            target[name] = value
    return data


class _PlainDumper(yaml.SafeDumper):
    """Writes a value used twice out twice: intake refuses YAML aliases (&id001 / *id001)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_notice(path: Path, body: str = BODY, **changes: Any) -> Path:
    """Write a notice file; front-matter dates stay YAML dates."""
    text = (
        "---\n"
        + yaml.dump(
            front_matter(**changes), Dumper=_PlainDumper, allow_unicode=True, sort_keys=False
        )
        + "---\n\n"
        + body
    )
    path.write_text(
        text.replace("'2025-03-03'", "2025-03-03").replace("'2025-03-04'", "2025-03-04"),
        encoding="utf-8",
    )
    return path


def row_counts(url: str) -> dict[str, int]:
    """Rows per table: to prove that a refused command stored nothing."""
    with transaction(url) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
