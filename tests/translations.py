"""Careful human English of the test notice (tests/notices.py BODY), by Chinese source segment.

Every value, date and official term is rendered the way the quality checks expect, so a language
made of these texts has no finding: tests that want a finding change one text on purpose.
"""

from __future__ import annotations

ENGLISH = {
    "市政府外办召开2025年领事工作通报会": "Shanghai Foreign Affairs Office holds 2025 consular work briefing",
    "会议概况": "Overview of the meeting",
    "3月3日，市政府外办召开2025年领事工作通报会。": (
        "On March 3, the Shanghai Foreign Affairs Office held its 2025 consular work briefing."
    ),
    "各国驻沪领事机构代表约120人出席会议。": (
        "About 120 representatives of consular missions in Shanghai attended."
    ),
    "会议通报了2024年本市领事工作情况。": "The meeting reviewed the city's consular work in 2024.",
    "2024年共办理领事认证文书5.6万份，同比增长12%。": (
        "In 2024, 56,000 documents received consular legalization, up 12% year on year."
    ),
    "事项": "Item",
    "数量": "Number",
    "领事认证": "Consular legalization",
    "5.6万份": "56,000 copies",
    "外国人来华邀请": "Invitation letter for foreigners visiting China",
    "3200件": "3,200 cases",
}
